/*
 * The race renderer: draws the loaded race at the player's clock time (window.hpoRace.t).
 * Panels get their probes, latest, best and ghosts, the best-score plot its curves and 95%
 * markers, the budget bars and the "now" line follow every frame, and model, narration and
 * scrubber follow through window.hpoRacePlugins after each render.
 *
 * Speed: heatmaps are never redrawn during the race. A panel is updated (Plotly.update on its
 * marker traces only) when one of its trials finishes; the best-score plot's curves and "now"
 * line every frame. Plotly.update is used rather than restyle/relayout because dcc.Graph
 * listens to restyle/relayout events and would round-trip every frame through Dash.
 *
 * Contract with app/figures.py: panel traces are found by uid (landscape, ghosts, the rugs
 * rug-rim / rug-x / rug-y, probes, latest, best, optimum); panel annotation 0 is the "hidden"
 * hint; best-plot traces are curve-<name> / hit-<name>; best-plot shape 2 and annotation 2 are
 * the "now" line and label.
 */
(function () {
  'use strict';

  var R = window.hpoRace;
  var BEST = 'best-plot';
  var EPS = 1e-9;

  var el = window.hpoDom.el;
  var gd = window.hpoDom.gd;
  var uidIndex = window.hpoDom.uidIndex;
  var root = window.hpoDom.root;
  var panelOrder = window.hpoDom.panels;
  var fmtMinutes = window.hpoDom.minutes;

  function countAt(clocks, t) {
    // number of trials with clock <= t (clocks ascend)
    var lo = 0, hi = clocks.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (clocks[mid] <= t + EPS) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function strategies() {
    if (R.view) return R.view.order;
    var r = root();
    var list = r ? (r.getAttribute('data-strategies') || '') : '';
    return list ? list.split(',') : [];
  }

  // ------------------------------------------------------------------ drawing

  function drawPanel(name) {
    var g = gd('panel-' + name);
    if (!g) return;
    var idx = uidIndex(g);
    var s = R.view && R.view.strategies[name];
    var n = s ? (R.shown[name] || 0) : 0;
    var none = [];
    // traces: probes, halo (dark rim under the probes), latest ring, best star, ghosts
    var x = [none, none, none, none, none];
    var y = [none, none, none, none, none];
    var text = [none, undefined, undefined, none, undefined];
    var colour = [none, undefined, undefined, undefined, undefined];
    if (n > 0) {
      var b = s.best_index[n - 1];
      x[0] = x[1] = s.x.slice(0, n);
      y[0] = y[1] = s.y.slice(0, n);
      text[0] = s.text.slice(0, n);
      colour[0] = s.score.slice(0, n);
      if (!R.finished) {
        x[2] = [s.x[n - 1]];
        y[2] = [s.y[n - 1]];
      }
      x[3] = [s.x[b]];
      y[3] = [s.y[b]];
      text[3] = [s.text[b]];
    }
    if (s && R.finished) {
      x[4] = s.ghost_x;
      y[4] = s.ghost_y;
    }
    var traces = [idx.probes, idx.halo, idx.latest, idx.best, idx.ghosts];
    var data = {x: x, y: y, text: text, 'marker.color': colour};
    if (idx.good !== undefined) {
      // TPE: the trials it counted good when it chose its latest one (its top-γ split)
      var good = s && s.good && n > 0 ? s.good[n - 1] : [];
      traces.push(idx.good);
      x.push(good.map(function (i) { return s.x[i]; }));
      y.push(good.map(function (i) { return s.y[i]; }));
      text.push(undefined);
      colour.push(undefined);
    }
    if (idx['rug-x'] !== undefined) rugs(s, n, idx, data, traces);
    if (idx.partial !== undefined) splitPartial(s, n, idx, data, traces);
    if (idx.stack !== undefined) stackLabels(s, n, idx, data, traces);
    // one entry per trace in every attribute (plotly cycles a shorter array over the traces;
    // undefined leaves a trace's attribute as it is)
    Object.keys(data).forEach(function (key) {
      data[key] = aligned(data[key], traces.length);
    });
    Plotly.update(g, data, {}, traces);
  }

  // A per-trace attribute list padded with undefined (no change) to the traces' count.
  function aligned(list, count) {
    var out = (list || []).slice(0, count);
    while (out.length < count) out.push(undefined);
    return out;
  }

  // The distinct values of each axis knob among the first n trials, in the order first tried
  // (what the panel's rugs mark and the budget line counts).
  function axisValues(s, n) {
    var out = {x: [], y: []};
    var seen = {x: {}, y: {}};
    for (var i = 0; s && i < n; i++) {
      ['x', 'y'].forEach(function (a) {
        var v = s[a][i];
        if (!seen[a][v]) {
          seen[a][v] = true;
          out[a].push(v);
        }
      });
    }
    return out;
  }
  R.axisValues = axisValues;

  // The rugs: a tick on the bottom edge per distinct value of the first knob, on the left
  // edge per value of the second, under a dark rim (the traces sit under every probe).
  function rugs(s, n, idx, data, traces) {
    var knobs = R.view ? R.view.knobs : null;
    var v = axisValues(s, n);
    var rx = [], ry = [], yx = [], yy = [];
    if (knobs && v.x.length) {
      var left = knobs[0].low, bottom = knobs[1].low;
      rx = v.x;
      ry = v.x.map(function () { return bottom; });
      yx = v.y.map(function () { return left; });
      yy = v.y;
    }
    var symbols = rx.map(function () { return 'line-ns'; })
      .concat(yy.map(function () { return 'line-ew'; }));
    traces.push(idx['rug-rim'], idx['rug-x'], idx['rug-y']);
    data.x.push(rx.concat(yx), rx, yx);
    data.y.push(ry.concat(yy), ry, yy);
    data.text.push(undefined, undefined, undefined);
    data['marker.color'].push(undefined, undefined, undefined);
    data['marker.symbol'] = aligned(data['marker.symbol'], traces.length - 3)
      .concat([symbols, undefined, undefined]);
  }

  // How many of the first n trials share each (knob 1, knob 2) point, and the first trial at
  // each point (in trial order).
  function pointCounts(s, n) {
    var counts = {};
    var first = [];
    for (var i = 0; s && i < n; i++) {
      var key = s.x[i] + ',' + s.y[i];
      if (!counts[key]) {
        counts[key] = 0;
        first.push(i);
      }
      counts[key] += 1;
    }
    return {counts: counts, first: first};
  }
  R.pointCounts = pointCounts; // knobs.js counts the distinct points the same way

  // More than two knobs: the panel is a projection, so several trials can land on one
  // (knob 1, knob 2) point; label each such point with how many share it ("×4").
  function stackLabels(s, n, idx, data, traces) {
    var points = s && s.extra ? pointCounts(s, n) : {counts: {}, first: []};
    var sx = [], sy = [], st = [];
    points.first.forEach(function (i) {
      var c = points.counts[s.x[i] + ',' + s.y[i]];
      if (c < 2) return;
      sx.push(s.x[i]);
      sy.push(s.y[i]);
      st.push('×' + c);
    });
    traces.push(idx.stack);
    data.x.push(sx);
    data.y.push(sy);
    data.text.push(st);
    data['marker.color'].push(undefined);
  }

  // A multi-fidelity racer (Hyperband): full runs stay in the probes trace, runs stopped
  // early go to the 'partial' trace (dark inside, white outline), sized by fidelity.
  function splitPartial(s, n, idx, data, traces) {
    var none = [];
    var full = {x: [], y: [], text: [], score: []};
    var part = {x: [], y: [], text: [], size: []};
    if (s && s.fidelity && n > 0) {
      for (var i = 0; i < n; i++) {
        if (s.fidelity[i] < 1) {
          part.x.push(s.x[i]);
          part.y.push(s.y[i]);
          part.text.push(s.text[i]);
          part.size.push(s.size[i]);
        } else {
          full.x.push(s.x[i]);
          full.y.push(s.y[i]);
          full.text.push(s.text[i]);
          full.score.push(s.score[i]);
        }
      }
      data.x[0] = data.x[1] = full.x;
      data.y[0] = data.y[1] = full.y;
      data.text[0] = full.text;
      data['marker.color'][0] = full.score;
    }
    data.x.push(part.x);
    data.y.push(part.y);
    data.text.push(part.text.length ? part.text : none);
    data['marker.color'].push(undefined);
    data['marker.size'] = aligned(data['marker.size'], traces.length).concat([part.size]);
    traces.push(idx.partial);
  }

  function drawBudget(name, s, n) {
    var box = el('budget-' + name);
    if (!box) return;
    var q = function (cls) {
      return box.querySelector('.' + cls);
    };
    if (!q('b-spent')) return; // strategy not racing on this server
    var budget = R.view ? R.view.budget : Number(R.settings && R.settings.budget);
    var spent = n > 0 ? (s.gpu || s.clock)[n - 1] : 0; // GPU minutes, whatever the axis
    var fill = q('fill');
    if (fill) {
      var pct = budget > 0 ? Math.min(100, (100 * spent) / budget) : 0;
      fill.style.width = pct.toFixed(2) + '%';
    }
    q('b-spent').textContent = fmtMinutes(spent);
    if (isFinite(budget) && budget > 0) q('b-budget').textContent = fmtMinutes(budget);
    q('b-trials').textContent = String(n);
    q('b-trials-word').textContent = n === 1 ? ' trial' : ' trials';
    q('b-best').textContent = n > 0 ? s.best[n - 1].toFixed(3) : '—';
    var rug = q('b-rug');
    if (rug) {
      var said = '';
      var v = axisValues(s, n);
      if (n > 0 && R.view) {
        said = ' · ' + [v.x.length, v.y.length].map(function (c, a) {
          var k = R.view.knobs[a];
          return c + ' ' + (k.short || k.name);
        }).join(' · ') + ' values';
      }
      rug.setAttribute('data-x', String(v.x.length));
      rug.setAttribute('data-y', String(v.y.length));
      rug.textContent = said;
      rug.title = said ? 'The rugs along the axes: one tick per value of each axis knob tried'
        : '';
    }
    box.setAttribute('data-spent', spent.toFixed(4));
    box.setAttribute('data-trials', String(n));
    var done = !!(s && R.finished);
    box.classList.toggle('done', done);
    var note = q('b-note');
    if (note) {
      var text = '';
      if (done && s.stopped === 'exhausted') text = ' · all points tried';
      else if (done && s.ghost_x.length) text = ' · ' + s.ghost_x.length + ' planned points untried';
      else if (done) text = ' · out of budget';
      note.textContent = text;
    }
  }

  // Curves and 95% markers: redrawn only when a trial finishes (drawNow moves the rest).
  function drawBest() {
    var g = gd(BEST);
    if (!g) return;
    var idx = uidIndex(g);
    var xs = [], ys = [], traces = [];
    var names = strategies();
    for (var k = 0; k < names.length; k++) {
      var name = names[k];
      if (idx['curve-' + name] === undefined) continue;
      var s = R.view && R.view.strategies[name];
      var n = s ? R.shown[name] || 0 : 0;
      var cx = [], cy = [], hx = [], hy = [];
      if (n > 0) {
        cx = s.clock.slice(0, n);
        cy = s.best.slice(0, n);
        if (s.hit !== null && s.hit < n) {
          hx = [s.clock[s.hit]];
          hy = [s.best[s.hit]];
        }
      }
      xs.push(cx, hx);
      ys.push(cy, hy);
      traces.push(idx['curve-' + name], idx['hit-' + name]);
    }
    Plotly.update(g, {x: xs, y: ys}, {}, traces);
  }

  // Every frame: the "now" line and each curve's tail from its last finished trial to now.
  // Plain DOM over the plot area (positioned in % of the axis ranges): no Plotly redraw.
  function drawNow() {
    var g = gd(BEST);
    var line = el('now-line');
    if (!g || !line) return;
    fitToPlotArea(el('best-overlay'), g);
    var xr = g._fullLayout.xaxis.range, yr = g._fullLayout.yaxis.range;
    var px = function (x) {
      return Math.max(0, Math.min(100, (100 * (x - xr[0])) / (xr[1] - xr[0])));
    };
    var py = function (y) {
      return Math.max(0, Math.min(100, (100 * (yr[1] - y)) / (yr[1] - yr[0])));
    };
    line.style.left = px(R.t) + '%';
    line.classList.toggle('right', px(R.t) > 80);
    line.classList.toggle('started', R.t > 0);
    var label = el('now-label');
    if (label) label.textContent = R.t > 0 ? 'now · ' + fmtMinutes(R.t) + ' min' : 'now';
    var names = panelOrder();
    for (var k = 0; k < names.length; k++) {
      var tail = el('tail-' + names[k]);
      if (!tail) continue;
      var s = R.view && R.view.strategies[names[k]];
      var n = s ? R.shown[names[k]] || 0 : 0;
      if (!n || n === s.clock.length || R.t <= s.clock[n - 1]) {
        tail.style.width = '0';
        continue;
      }
      var a = px(s.clock[n - 1]);
      tail.style.left = a + '%';
      tail.style.width = Math.max(0, px(R.t) - a) + '%';
      tail.style.top = py(s.best[n - 1]) + '%';
    }
  }

  function publish() {
    var c = el('race-clock');
    if (!c) return;
    var parts = [];
    var names = strategies();
    for (var k = 0; k < names.length; k++) parts.push(names[k] + ':' + (R.shown[names[k]] || 0));
    c.setAttribute('data-clock', R.t.toFixed(3));
    c.setAttribute('data-trials', parts.join(','));
    c.setAttribute('data-end', R.view ? String(R.view.end) : '');
    c.setAttribute('data-fps', R.stats.fps ? R.stats.fps.toFixed(1) : '');
  }

  // Draw the state at clock R.t. Counts, budget bars, the clock and the "now" line follow
  // every frame (plain DOM); a Plotly graph is redrawn only when its trials changed, and
  // at most ~10 ms of such redraws happen per frame (the rest wait a frame or two, oldest
  // first), so a long race with hundreds of trials still animates smoothly. ``force``
  // (pause, step, reset, the end) brings every graph up to date at once.
  function graphOrder() {
    return panelOrder().map(function (n) {
      return 'panel-' + n;
    }).concat([BEST]);
  }
  var FRAME_BUDGET_MS = 10;

  function redraw(id) {
    delete R.dirty[id];
    if (id === BEST) drawBest();
    else drawPanel(id.replace('panel-', ''));
  }

  // While playing, one graph is redrawn at most every MIN_REDRAW_MS: a racer that finishes
  // many short runs a second (Hyperband) then costs a few redraws a second, not one a frame.
  // And Plotly redraws take at most REDRAW_DUTY of the time: after a redraw that took c ms
  // the next waits c·(1/REDRAW_DUTY − 1) ms, so a slow machine (or a busy one, or four
  // racers) draws a little less often instead of dropping frames.
  var MIN_REDRAW_MS = 90;
  var REDRAW_DUTY = 0.35;

  function flush(all) {
    var start = performance.now();
    var first = R.next;
    var drawn = 0;
    var GRAPH_ORDER = graphOrder();
    for (var k = 0; k < GRAPH_ORDER.length; k++) {
      var id = GRAPH_ORDER[(first + k) % GRAPH_ORDER.length];
      if (!R.dirty[id]) continue;
      if (!all && drawn > 0 && performance.now() - start > FRAME_BUDGET_MS) break;
      if (!all && start - (R.drawnAt[id] || -Infinity) < MIN_REDRAW_MS) continue;
      var t0 = performance.now();
      if (!all && t0 < R.quietUntil) break;
      redraw(id);
      var t1 = performance.now();
      R.drawnAt[id] = t1;
      R.quietUntil = t1 + (t1 - t0) * (1 / REDRAW_DUTY - 1);
      drawn++;
      R.next = (GRAPH_ORDER.indexOf(id) + 1) % GRAPH_ORDER.length;
    }
  }

  function render(force) {
    var names = strategies();
    for (var k = 0; k < names.length; k++) {
      var name = names[k];
      var s = R.view && R.view.strategies[name];
      var n = s ? countAt(s.clock, R.t) : 0;
      if (force || n !== R.shown[name]) {
        R.shown[name] = n;
        R.dirty['panel-' + name] = true;
        R.dirty[BEST] = true;
        drawBudget(name, s, n);
        var fog = el('fog-' + name);
        if (fog) fog.classList.toggle('has-probes', n > 0);
      }
    }
    flush(!!force);
    drawNow();
    publish();
    // bayes-model.js, narration.js, scrubber.js and live.js follow the clock too (narration, model view, scrubber)
    var plugins = window.hpoRacePlugins || [];
    for (var p = 0; p < plugins.length; p++) plugins[p](R, !!force);
  }

  // Reveal or hide the landscape: the fog over each panel fades (CSS), nothing is redrawn.
  function applyReveal() {
    var r = root();
    if (r) r.setAttribute('data-revealed', R.revealed ? 'true' : 'false');
  }

  // Lay an overlay (fog, now line) exactly over a graph's plot area, whatever its margins.
  function fitToPlotArea(box, g) {
    if (!box || !g || !g._fullLayout || !g._fullLayout._size) return;
    var sz = g._fullLayout._size;
    var want = [sz.l, sz.t, sz.w, sz.h].map(function (v) {
      return Math.round(v) + 'px';
    });
    var key = want.join(' ');
    if (box.__fit === key) return;
    box.__fit = key;
    box.style.left = want[0];
    box.style.top = want[1];
    box.style.width = want[2];
    box.style.height = want[3];
    box.style.right = 'auto';
    box.style.bottom = 'auto';
  }

  // A figure arrived from the server (new landscape/budget) or was first drawn: redraw state.
  function onAfterPlot(id) {
    var g = gd(id);
    if (!g) return;
    if (id.indexOf('landscape-') === 0) {
      fitToPlotArea(el(id.replace('landscape-', 'fog-')), g);
      return;
    }
    if (id === BEST) fitToPlotArea(el('best-overlay'), g);
    if (R.seen[id] === g.data) return;
    R.seen[id] = g.data;
    setTimeout(function () {
      if (!gd(id)) return;
      if (id === BEST) {
        drawBest();
        drawNow();
      } else {
        drawPanel(id.replace('panel-', ''));
      }
    }, 0);
  }

  function hookGraphs() {
    var order = panelOrder();
    var ids = order.map(function (n) { return 'panel-' + n; })
      .concat(order.map(function (n) { return 'landscape-' + n; }))
      .concat([BEST]);
    var pending = 0;
    for (var k = 0; k < ids.length; k++) {
      var g = gd(ids[k]);
      if (!g || typeof g.on !== 'function') {
        pending++;
        continue;
      }
      if (g.__hpoHooked) continue;
      g.__hpoHooked = true;
      g.on('plotly_afterplot', onAfterPlot.bind(null, ids[k]));
      onAfterPlot(ids[k]);
    }
    return pending;
  }

  (function waitForGraphs() {
    var tries = 0;
    var timer = setInterval(function () {
      tries++;
      if (hookGraphs() === 0 || tries > 600) clearInterval(timer);
    }, 100);
  })();

  R.renderer = {render: render, flush: flush, publish: publish, hookGraphs: hookGraphs,
    applyReveal: applyReveal};
})();
