/*
 * Several GPUs per racer (the race's view has workers > 1; strategies/race.py runs each racer's
 * trials on k workers on a wall clock):
 * - the time axis: the shared plot, the player's clock and the scrubber run on GPU minutes
 *   (cost: what the budget counts) or on the wall clock (time to a result), switched by the
 *   best card's #time-axis. Every trial has both times (the view's clock and wall lists), so
 *   switching swaps which one the player's clock reads (s.clock) and the axis' end;
 * - under each panel a Gantt strip, one row per GPU: a bar per trial from its start to its
 *   end on the wall clock (a running trial grows, an idle GPU is a gap), and the share of GPU
 *   time it kept busy.
 * One worker per racer: nothing here shows and the clock is GPU minutes, as always.
 */
(function () {
  'use strict';

  var R = window.hpoRace;
  var M = window.hpoModel;
  var gd = window.hpoDom.gd;
  var root = window.hpoDom.root;
  var fmtMinutes = window.hpoDom.minutes;

  R.axis = 'gpu';

  function parallel(v) {
    return !!(v && v.workers > 1);
  }

  // The view as it arrives: keep its GPU-minute clocks, then read the axis chosen.
  function prepare(v) {
    if (!parallel(v) || v.__axes) return;
    v.__axes = true;
    v.end_gpu = v.end;
    v.order.forEach(function (name) {
      var s = v.strategies[name];
      s.gpu = s.clock;
    });
    useAxis(v, R.axis);
  }

  function useAxis(v, axis) {
    var wall = axis === 'wall';
    v.order.forEach(function (name) {
      var s = v.strategies[name];
      s.clock = wall ? s.wall : s.gpu;
    });
    v.end = wall ? v.end_wall : v.end_gpu;
    v.span = wall ? v.end_wall : v.budget; // the plot's x range, and the animation's pace
  }

  // The shared plot's x axis for the axis in use (Plotly.update: no Dash round trip).
  function fitBestAxis(v) {
    var g = gd('best-plot');
    if (!g || !g._fullLayout) return;
    var wall = parallel(v) && R.axis === 'wall';
    var span = wall ? v.end_wall : (v ? v.budget : null);
    var title = wall ? 'wall-clock minutes (' + v.workers + ' GPUs per racer)' : 'GPU minutes';
    var range = g.layout.xaxis && g.layout.xaxis.range;
    var now = g.layout.xaxis && g.layout.xaxis.title && g.layout.xaxis.title.text;
    if (span && range && Math.abs(range[1] - span) < 1e-9 && now === title) return;
    var layout = {'xaxis.title.text': title};
    if (span) layout['xaxis.range'] = [0, span];
    Plotly.update(g, {}, layout);
  }

  // The switch: same race, the other clock; the player keeps the same share of the race.
  function setAxis(axis) {
    axis = axis === 'wall' ? 'wall' : 'gpu';
    if (axis === R.axis) return;
    var v = R.view;
    var before = v && v.end > 0 ? R.t / v.end : 0;
    R.axis = axis;
    if (!parallel(v)) return;
    var finished = R.finished;
    useAxis(v, axis);
    fitBestAxis(v);
    R.t = finished ? v.end : before * v.end;
    if (R.api) R.api.seek(R.t);
  }

  // ------------------------------------------------------------------ the Gantt strips

  function build(box, v, s) {
    box.textContent = '';
    var head = document.createElement('p');
    head.className = 'gantt-caption';
    box.appendChild(head);
    var rows = document.createElement('div');
    rows.className = 'gantt-rows';
    rows.style.setProperty('--workers', String(v.workers));
    for (var w = 0; w < v.workers; w++) {
      var row = document.createElement('div');
      row.className = 'gantt-row';
      row.setAttribute('data-worker', String(w));
      rows.appendChild(row);
    }
    box.appendChild(rows);
    box.__bars = s.start.map(function (start, i) {
      var bar = document.createElement('i');
      bar.className = 'gantt-bar';
      bar.title = 'trial ' + (i + 1) + ' on GPU ' + (s.worker[i] + 1) + ': minute ' +
        fmtMinutes(start) + '–' + fmtMinutes(s.wall[i]) + ' of the wall clock';
      rows.children[s.worker[i]].appendChild(bar);
      return bar;
    });
  }

  // The wall-clock minute the player shows: its clock on the wall axis; on the GPU axis,
  // when the last trial shown came in (the strips then show the trials finished so far).
  function wallNow(v, s, n) {
    if (R.axis === 'wall') return R.t;
    return n > 0 ? s.wall[n - 1] : 0;
  }

  function drawGantt(box, v, s, n) {
    var span = v.end_wall || 1;
    // busy share up to now, or at the end up to this racer's own last result
    var last = s.wall.length ? Math.max.apply(null, s.wall) : 0;
    var now = R.finished ? last : Math.min(wallNow(v, s, n), last);
    var busy = 0;
    var running = 0;
    for (var i = 0; i < s.start.length; i++) {
      var bar = box.__bars[i];
      var shown = i < n || (R.axis === 'wall' && s.start[i] <= now + 1e-9);
      bar.hidden = !shown;
      if (!shown) continue;
      var end = Math.min(s.wall[i], Math.max(now, s.start[i]));
      var live = s.wall[i] > now + 1e-9;
      if (live) running += 1;
      busy += end - s.start[i];
      bar.classList.toggle('running', live);
      bar.style.left = (100 * s.start[i] / span).toFixed(3) + '%';
      bar.style.width = (100 * Math.max(0, end - s.start[i]) / span).toFixed(3) + '%';
    }
    var share = now > 0 ? busy / (v.workers * now) : 0;
    box.setAttribute('data-busy', share.toFixed(4));
    var text = v.workers + ' GPUs · busy ' + Math.round(100 * share) + '% of the time so far' +
      (running ? ' · ' + running + ' running' : '');
    var head = box.querySelector('.gantt-caption');
    if (head.textContent !== text) head.textContent = text;
  }

  function follow(Rr) {
    var v = Rr.view;
    var on = parallel(v);
    var r = root();
    if (r && r.getAttribute('data-parallel') !== String(on)) {
      r.setAttribute('data-parallel', String(on));
    }
    if (v) fitBestAxis(v);
    window.hpoDom.eachPanelBox('gantt', 'gantt-', v, function () {
      return on;
    }, function (box, s) {
      build(box, v, s);
    }, function (box, s, name) {
      drawGantt(box, v, s, Math.min(Rr.shown[name] || 0, s.start.length));
    });
  }

  R.viewHooks = R.viewHooks || [];
  R.viewHooks.push(prepare);
  M.plugins.push(follow);

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoRace = window.dash_clientside.hpoRace || {};
  window.dash_clientside.hpoRace.timeAxis = function (value) {
    setAxis(value);
    return window.hpoDom.noUpdate();
  };
})();
