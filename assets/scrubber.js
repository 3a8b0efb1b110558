/*
 * The timeline scrubber under the best-score plot: drag, click or use the keys (← → one
 * trial, PageUp/PageDown a tenth of the budget, Home/End) to move the shared clock; it
 * follows the clock through hpoModel.plugins.
 */
(function () {
  'use strict';

  var M = window.hpoModel;
  var el = window.hpoDom.el;
  var gd = window.hpoDom.gd;

  function race() {
    return window.hpoRace || null;
  }

  function bestPlot() {
    return gd('best-plot');
  }

  function fitScrubber(s, g) {
    var sz = g._fullLayout._size;
    var key = [sz.l, sz.t, sz.w, sz.h].map(Math.round).join(' ');
    if (s.__fit === key) return;
    s.__fit = key;
    s.style.left = Math.round(sz.l) + 'px';
    s.style.width = Math.round(sz.w) + 'px';
    s.style.top = Math.round(sz.t + sz.h - 9) + 'px';
  }

  function drawScrubber(R) {
    var s = el('scrubber');
    var g = bestPlot();
    if (!s || !g) return;
    fitScrubber(s, g);
    if (!g.__scrubberFollows) {
      // the plot resizes on its own (a lesson line that wraps when its count arrives, a
      // window resized): the rail follows its axis, not only the clock
      g.__scrubberFollows = true;
      g.on('plotly_afterplot', function () {
        var rail = el('scrubber');
        if (rail) fitScrubber(rail, g);
      });
    }
    var xr = g._fullLayout.xaxis.range;
    var pct = Math.max(0, Math.min(100, (100 * (R.t - xr[0])) / (xr[1] - xr[0])));
    var p = pct.toFixed(2) + '%';
    var fill = s.querySelector('.scrub-fill');
    var thumb = s.querySelector('.scrub-thumb');
    if (fill && fill.style.width !== p) fill.style.width = p;
    if (thumb && thumb.style.left !== p) thumb.style.left = p;
    var ready = !!R.view;
    var now = R.t.toFixed(0);
    var max = String(ready ? Math.round(R.view.end) : 0);
    if (s.__aria !== now + '/' + max + ready) {
      s.__aria = now + '/' + max + ready;
      s.setAttribute('aria-disabled', ready ? 'false' : 'true');
      s.setAttribute('aria-valuenow', now);
      s.setAttribute('aria-valuemax', max);
      s.setAttribute('aria-valuetext', 'minute ' + now);
    }
  }

  function minuteAt(clientX) {
    var s = el('scrubber');
    var g = bestPlot();
    var box = s.getBoundingClientRect();
    var xr = g._fullLayout.xaxis.range;
    var f = Math.max(0, Math.min(1, (clientX - box.left) / Math.max(1, box.width)));
    return xr[0] + f * (xr[1] - xr[0]);
  }

  function seekSoon(t) {
    // one seek per animation frame however fast the pointer moves
    var first = M.seekTo === null;
    M.seekTo = t;
    if (!first) return;
    requestAnimationFrame(function () {
      var R = race();
      var to = M.seekTo;
      M.seekTo = null;
      if (R && R.api && to !== null) R.api.seek(to);
    });
  }

  // Trial finishing times on the shared clock, for ← / → on the scrubber.
  function finishTimes(R) {
    var times = [];
    for (var i = 0; i < R.view.order.length; i++) {
      times = times.concat(R.view.strategies[R.view.order[i]].clock);
    }
    return times.sort(function (a, b) {
      return a - b;
    });
  }

  function hookScrubber() {
    var s = el('scrubber');
    if (!s || s.__hooked) return !!s;
    s.__hooked = true;
    s.addEventListener('pointerdown', function (e) {
      var R = race();
      if (!R || !R.view || !bestPlot()) return;
      e.preventDefault();
      M.dragging = true;
      s.classList.add('dragging');
      if (s.setPointerCapture) s.setPointerCapture(e.pointerId);
      s.focus();
      seekSoon(minuteAt(e.clientX));
    });
    s.addEventListener('pointermove', function (e) {
      if (M.dragging) seekSoon(minuteAt(e.clientX));
    });
    var stop = function () {
      M.dragging = false;
      s.classList.remove('dragging');
    };
    s.addEventListener('pointerup', stop);
    s.addEventListener('pointercancel', stop);
    s.addEventListener('keydown', function (e) {
      var R = race();
      if (!R || !R.view) return;
      var t = null;
      var times = finishTimes(R);
      if (e.key === 'ArrowRight' || e.key === 'ArrowUp') {
        t = times.filter(function (c) { return c > R.t + 1e-6; })[0];
        if (t === undefined) t = R.view.end;
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') {
        var before = times.filter(function (c) { return c < R.t - 1e-6; });
        t = before.length ? before[before.length - 1] : 0;
      } else if (e.key === 'Home') t = 0;
      else if (e.key === 'End') t = R.view.end;
      else if (e.key === 'PageUp') t = R.t + R.view.budget / 10;
      else if (e.key === 'PageDown') t = R.t - R.view.budget / 10;
      if (t === null) return;
      e.preventDefault();
      e.stopPropagation(); // not keys.js's Step key
      R.api.seek(t);
    });
    return true;
  }

  M.plugins.push(function (R) {
    drawScrubber(R);
  });

  (function waitForScrubber() {
    var tries = 0;
    var timer = setInterval(function () {
      tries++;
      var R = race();
      if ((hookScrubber() && R && bestPlot()) || tries > 600) {
        clearInterval(timer);
        if (R) M.follow(R, true);
      }
    }, 100);
  })();
})();
