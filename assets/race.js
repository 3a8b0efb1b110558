/*
 * hpo-race: plays a computed race in the browser.
 *
 * The server computes the whole race in one request (race-store); from then on everything
 * here runs locally: one shared GPU-minute clock, advanced by requestAnimationFrame. At clock
 * time t each panel shows the trials that had finished by minute t.
 *
 * Speed: heatmaps are never redrawn during the race. A panel is updated (Plotly.update on its
 * marker traces only) when one of its trials finishes; the best-score plot's curves and "now"
 * line every frame. Plotly.update is used rather than restyle/relayout because dcc.Graph
 * listens to restyle/relayout events and would round-trip every frame through Dash.
 *
 * Contract with app/figures.py: panel traces are found by uid (landscape, ghosts, probes,
 * latest, best, optimum); panel annotation 0 is the "hidden" hint; best-plot traces are
 * curve-<name> / hit-<name>; best-plot shape 2 and annotation 2 are the "now" line and label.
 */
(function () {
  'use strict';

  // Every registered racer's panel, in order (the root's data-panels, from the registry).
  function panelOrder() {
    var r = root();
    var list = r ? (r.getAttribute('data-panels') || '') : '';
    return list ? list.split(',') : [];
  }
  var BEST = 'best-plot';
  var EPS = 1e-9;

  var R = {
    view: null, // the race being shown (from the server)
    viewKey: null,
    settingsKey: null, // settings currently in the controls
    settings: null,
    t: 0,
    playing: false,
    finished: false,
    speed: 1,
    pending: null, // 'play' | 'step' while the server computes a race
    revealed: false,
    autoRevealed: false,
    shown: {}, // strategy -> number of trials finished by R.t
    dirty: {}, // graph id -> needs a Plotly redraw
    drawnAt: {}, // graph id -> performance.now() of its last redraw
    quietUntil: 0, // no Plotly redraw before this performance.now() while playing
    next: 0, // where the next redraw round starts (round robin)
    raf: 0,
    lastTs: null,
    seen: {}, // graph id -> gd.data array last seen (to notice new figures)
    stats: {frames: 0, seconds: 0, worst: 0, fps: 0},
  };
  window.hpoRace = R;

  // ------------------------------------------------------------------ helpers

  var el = window.hpoDom.el;
  var gd = window.hpoDom.gd;
  var uidIndex = window.hpoDom.uidIndex;
  var root = window.hpoDom.root;

  function baseSeconds() {
    var r = root();
    var s = r ? parseFloat(r.getAttribute('data-base-seconds')) : NaN;
    return isFinite(s) && s > 0 ? s : 15;
  }

  // Canonical JSON (sorted keys) of a settings object, so equal settings give equal keys.
  function stableJson(value) {
    if (value === undefined) return 'null';
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return '[' + value.map(stableJson).join(',') + ']';
    return '{' + Object.keys(value).sort().map(function (k) {
      return JSON.stringify(k) + ':' + stableJson(value[k]);
    }).join(',') + '}';
  }

  // The page's race request: the controls' values (bayes: model.js's bayes-store; peaks:
  // draw.js, only for landscape "custom"; racers: the picker; options: other racers' options
  // from a link). Its key is what a loaded race must match; the view echoes all of them.
  function pageSettings(landscape, lseed, budget, seed, bayes, peaks, racers, options) {
    return {landscape: landscape, landscape_seed: lseed, budget: budget, seed: seed,
      bayes: bayes, peaks: landscape === 'custom' ? peaks : null,
      racers: Array.isArray(racers) ? racers.slice() : racers, options: options || {}};
  }

  // Options of the racers that race (the server ignores the rest), so a change to a racer
  // that is not racing does not invalidate the loaded race.
  function racingOptions(s) {
    var out = {};
    var codec = window.hpoCodec;
    (Array.isArray(s.racers) ? s.racers : []).forEach(function (name) {
      if (name === 'bayes') {
        if (s.bayes) out.bayes = s.bayes;
        return;
      }
      var spec = codec && codec.table() ? codec.racer(name) : null;
      if (!spec || !spec.options.length) return;
      var given = (s.options || {})[name] || {};
      var full = {};
      spec.options.forEach(function (o) {
        full[o.name] = given[o.name] !== undefined ? given[o.name] : o.default;
      });
      out[name] = full;
    });
    return out;
  }

  function settingsKey(s) {
    return [s.landscape, Number(s.landscape_seed), Number(s.budget), Number(s.seed),
      stableJson(racingOptions(s)), s.landscape === 'custom' ? String(s.peaks || '') : '',
      (Array.isArray(s.racers) ? s.racers : []).join(',')].join('|');
  }

  function viewKey(v) {
    var options = Object.assign({}, v.options || {});
    return settingsKey({landscape: v.landscape, landscape_seed: v.landscape_seed,
      budget: v.budget, seed: v.seed, bayes: options.bayes, peaks: v.peaks, racers: v.order,
      options: options});
  }

  function countAt(clocks, t) {
    // number of trials with clock <= t (clocks ascend)
    var lo = 0, hi = clocks.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (clocks[mid] <= t + EPS) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function fmtMinutes(m) {
    return Math.round(m).toLocaleString('en-US');
  }

  function setState(state) {
    var r = root();
    if (r) r.setAttribute('data-state', state);
    var c = el('race-clock');
    if (c) c.setAttribute('data-state', state);
  }

  function state() {
    var r = root();
    return r ? r.getAttribute('data-state') : 'idle';
  }

  function setStatus(text) {
    var s = el('race-status');
    if (!s) return;
    s.textContent = text;
    s.title = text;
  }

  function strategies() {
    if (R.view) return R.view.order;
    var r = root();
    var list = r ? (r.getAttribute('data-strategies') || '') : '';
    return list ? list.split(',') : [];
  }

  function noUpdate() {
    return window.dash_clientside.no_update;
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
    if (idx.partial !== undefined) splitPartial(s, n, idx, data, traces);
    Plotly.update(g, data, {}, traces);
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
    data['marker.size'] = [undefined, undefined, undefined, undefined, undefined, part.size];
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
    var spent = n > 0 ? s.clock[n - 1] : 0;
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
    // model.js / many.js follow the clock too (narration, model view, scrubber)
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

  // ------------------------------------------------------------------ the clock

  function rate() {
    // GPU minutes per second of animation: the whole budget in baseSeconds() at 1×.
    var budget = R.view ? R.view.budget : Number((el('budget-input') || {}).value) || 1;
    return (budget / baseSeconds()) * R.speed;
  }

  function tick(ts) {
    if (!R.playing) return;
    var t0 = performance.now();
    if (R.lastTs !== null) {
      var dt = Math.min(0.1, (ts - R.lastTs) / 1000);
      R.t = Math.min(R.view.end, R.t + dt * rate());
      R.stats.frames++;
      R.stats.seconds += (ts - R.lastTs) / 1000;
      R.stats.worst = Math.max(R.stats.worst, ts - R.lastTs);
      if (R.stats.seconds > 0) R.stats.fps = R.stats.frames / R.stats.seconds;
    }
    R.lastTs = ts;
    render(false);
    R.stats.work = (R.stats.work || 0) + (performance.now() - t0);
    if (R.t >= R.view.end - EPS) {
      finish();
      return;
    }
    R.raf = requestAnimationFrame(tick);
  }

  function statusWhilePlaying() {
    return 'Racing… Pause stops the clock; Step moves one trial on.';
  }

  function play() {
    if (!R.view) return;
    if (R.finished) restart();
    R.playing = true;
    R.lastTs = null;
    R.stats = {frames: 0, seconds: 0, worst: 0, fps: 0, work: 0};
    setState('playing');
    setStatus(statusWhilePlaying());
    cancelAnimationFrame(R.raf);
    R.raf = requestAnimationFrame(tick);
  }

  function pause() {
    var was = R.playing;
    R.playing = false;
    cancelAnimationFrame(R.raf);
    flush(true);
    if (R.view && !R.finished && (was || R.t > 0)) {
      setState('paused');
      setStatus('Paused at minute ' + fmtMinutes(R.t) + ' · ▷ Run carries on, Step moves one trial');
    }
    publish();
  }

  function step() {
    if (!R.view) return;
    if (R.finished) restart();
    pause();
    var next = Infinity;
    var names = R.view.order;
    for (var k = 0; k < names.length; k++) {
      var s = R.view.strategies[names[k]];
      var n = R.shown[names[k]] || 0;
      if (n < s.clock.length) next = Math.min(next, s.clock[n]);
    }
    if (next === Infinity) {
      finish();
      return;
    }
    R.t = next;
    render(true);
    var left = names.some(function (nm) {
      return (R.shown[nm] || 0) < R.view.strategies[nm].clock.length;
    });
    if (!left) {
      finish();
      return;
    }
    setState('paused');
    setStatus('Minute ' + fmtMinutes(R.t) + ': the next trial to finish on the shared clock');
  }

  // One line for the status bar: who reached 95% of the optimum first, who found the best.
  function summary() {
    var v = R.view;
    var first = null, top = null;
    for (var k = 0; k < v.order.length; k++) {
      var s = v.strategies[v.order[k]];
      if (s.hit !== null && (!first || s.clock[s.hit] < first.at)) {
        first = {name: s.short, at: s.clock[s.hit]};
      }
      var fin = s.best.length ? s.best[s.best.length - 1] : -Infinity;
      if (!top || fin > top.best) top = {name: s.short, best: fin};
    }
    var text = 'Finished · ';
    text += first
      ? 'first to 95%: ' + first.name + ', minute ' + fmtMinutes(first.at)
      : 'nobody reached 95% of the optimum';
    if (top) text += ' · best: ' + top.name + ', ' + top.best.toFixed(3);
    return text;
  }

  function finish() {
    R.playing = false;
    cancelAnimationFrame(R.raf);
    R.t = R.view.end;
    R.finished = true;
    render(true);
    setState('finished');
    setStatus(summary());
    var lesson = el('lesson');
    if (lesson) {
      lesson.textContent = R.view.lesson || '';
      lesson.title = R.view.lesson || '';
    }
    if (!R.revealed) {
      R.autoRevealed = true;
      window.dash_clientside.set_props('reveal-toggle', {value: ['on']});
    }
  }

  function restart() {
    R.t = 0;
    R.finished = false;
    R.shown = {};
    if (R.autoRevealed) {
      R.autoRevealed = false;
      window.dash_clientside.set_props('reveal-toggle', {value: []});
    }
    render(true);
  }

  // Clear the panels and the clock (the computed race is kept for the next Run).
  function clearAll() {
    R.playing = false;
    cancelAnimationFrame(R.raf);
    R.t = 0;
    R.finished = false;
    R.shown = {};
    R.stats = {frames: 0, seconds: 0, worst: 0, fps: 0};
    render(true);
    setState('idle');
  }

  // The address bar always holds a link to the current settings (replaceState: no reload,
  // no history entry per keystroke, and dcc.Location does not fire again): the one codec
  // (_codec.js) writes it, leaving the page's own parameters (view, theme…) as they are.
  function shareableUrl(settings) {
    if (window.hpoCodec && window.hpoCodec.table()) {
      window.hpoCodec.write(window.hpoCodec.fromRequest(settings));
    }
  }

  // ------------------------------------------------------------------ Dash entry points

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoRace = {
    // Run or Step: play/step the loaded race, or ask the server for the race of these settings.
    request: function (runClicks, stepClicks, landscape, lseed, budget, seed, bayes, peaks,
      racers, options) {
      var trig = window.dash_clientside.callback_context.triggered;
      var action = trig.length && trig[0].prop_id.indexOf('step-button') === 0 ? 'step' : 'play';
      hookGraphs();
      R.settings = pageSettings(landscape, lseed, budget, seed, bayes, peaks, racers, options);
      R.settingsKey = settingsKey(R.settings);
      if (R.view && R.viewKey === R.settingsKey) {
        if (action === 'step') step(); else play();
        return noUpdate();
      }
      if (state() === 'loading') {
        R.pending = action;
        return noUpdate();
      }
      R.pending = action;
      setState('loading');
      setStatus('Computing the race on the server…');
      return Object.assign({}, R.settings, {options: racingOptions(R.settings),
        nonce: Date.now()});
    },

    // Pause / Reset. Reset also hides the landscape again (returns the toggle's value).
    transport: function (pauseClicks, resetClicks) {
      var trig = window.dash_clientside.callback_context.triggered;
      var id = trig.length ? trig[0].prop_id : '';
      if (id.indexOf('reset-button') === 0) {
        R.pending = null;
        R.autoRevealed = false;
        clearAll();
        setStatus('Ready: press ▷ Run search.');
        return [];
      }
      R.pending = null;
      pause();
      return noUpdate();
    },

    reveal: function (value) {
      R.revealed = Array.isArray(value) && value.indexOf('on') >= 0;
      if (!R.revealed) R.autoRevealed = false;
      hookGraphs();
      applyReveal();
      return noUpdate();
    },

    // Any setting changed: the loaded race no longer matches; clear and wait for a new Run.
    settings: function (landscape, lseed, budget, seed, bayes, peaks, racers, options) {
      R.settings = pageSettings(landscape, lseed, budget, seed, bayes, peaks, racers, options);
      shareableUrl(R.settings);
      R.settingsKey = settingsKey(R.settings);
      if (R.view && R.viewKey === R.settingsKey) return noUpdate();
      R.view = null;
      R.viewKey = null;
      R.pending = null;
      clearAll();
      if (R.autoRevealed) {
        R.autoRevealed = false;
        window.dash_clientside.set_props('reveal-toggle', {value: []});
      }
      setStatus('Settings changed: press ▷ Run search to race.');
      return noUpdate();
    },

    speed: function (value) {
      var v = Number(value);
      if (isFinite(v) && v > 0) R.speed = v;
      return noUpdate();
    },

    // The server's answer to a race request.
    race: function (data) {
      var action = R.pending;
      R.pending = null;
      if (!data) return noUpdate();
      if (!data.ok) {
        setState(R.view ? 'paused' : 'idle');
        setStatus('Could not race: ' + (data.error || 'unknown error') + '');
        return noUpdate();
      }
      var v = data.view;
      if (R.settingsKey && viewKey(v) !== R.settingsKey) {
        // settings changed while the server was busy: this race is stale
        setState('idle');
        return noUpdate();
      }
      R.view = v;
      R.viewKey = viewKey(v);
      clearAll();
      if (action === 'step') step(); else play();
      return noUpdate();
    },

    // The dice draws a new landscape seed; on page load, a shared link's query sets the
    // controls (each value only if it parses; the server still checks everything).
    settingsFromLinkOrDice: function (search, diceClicks, options, current) {
      var nu = noUpdate();
      var trig = window.dash_clientside.callback_context.triggered;
      var byDice = trig.length && trig[0].prop_id.indexOf('dice-button') === 0;
      if (byDice) {
        var seed = current;
        while (seed === current) seed = 1 + Math.floor(Math.random() * 99999);
        return [nu, seed, 'layout #' + seed, nu, nu];
      }
      // one parser for links (classroom.js), which also says what it could not use
      if (window.hpoClassroom && window.hpoClassroom.raceFromLink) {
        return window.hpoClassroom.raceFromLink(search, options);
      }
      var out = [nu, nu, nu, nu, nu];
      var params = new URLSearchParams(search || '');
      var names = (options || []).map(function (o) {
        return o.value;
      });
      var wholeNumber = function (text) {
        return /^\d{1,10}$/.test(text || '') ? Number(text) : null;
      };
      if (names.indexOf(params.get('landscape')) >= 0) out[0] = params.get('landscape');
      var layout = wholeNumber(params.get('layout'));
      if (layout !== null) {
        out[1] = layout;
        out[2] = 'layout #' + layout;
      }
      var budget = Number(params.get('budget'));
      if (params.get('budget') && isFinite(budget)) out[3] = budget;
      var seedValue = wholeNumber(params.get('seed'));
      if (seedValue !== null) out[4] = seedValue;
      return out;
    },
  };

  // Keyboard (and presentation clickers, which send arrows / PageDown / Space):
  // Space = Run/Pause, → or PageDown = Step, R or Home = Reset. Ignored while typing.
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var tag = t && t.tagName ? t.tagName.toLowerCase() : '';
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || (t && t.isContentEditable)) {
      return;
    }
    if (t && t.closest && t.closest('[role="listbox"], .dash-dropdown-wrapper, [role="dialog"]')) {
      return; // a menu or a dialog (classroom.js) has the keys
    }
    var onButton = tag === 'button' || tag === 'label';
    if (onButton && (e.key === ' ' || e.key === 'Enter')) return; // the browser presses it
    var id = null;
    if (e.key === ' ' || e.key === 'Spacebar') {
      id = state() === 'playing' ? 'pause-button' : 'run-button';
    } else if (e.key === 'ArrowRight' || e.key === 'PageDown') {
      id = 'step-button';
    } else if (e.key === 'r' || e.key === 'R' || e.key === 'Home') {
      id = 'reset-button';
    }
    if (!id || !el(id)) return;
    e.preventDefault();
    el(id).click();
  });

  // Test and bench hooks (harmless in production): state and speed, without clicking.
  // The scrubber (model.js): move the shared clock to minute t and stay paused there.
  function seek(t) {
    if (!R.view) return;
    R.playing = false;
    R.pending = null;
    cancelAnimationFrame(R.raf);
    t = Math.max(0, Math.min(R.view.end, Number(t) || 0));
    if (t >= R.view.end - EPS) {
      if (R.finished) render(true); else finish();
      return;
    }
    R.finished = false;
    R.t = t;
    render(true);
    setState('paused');
    setStatus('Minute ' + fmtMinutes(R.t) + ' · ▷ Run carries on from here, Step moves one trial');
  }

  R.api = {
    seek: seek,
    setSpeed: function (v) {
      R.speed = v;
    },
    snapshot: function () {
      return {t: R.t, playing: R.playing, finished: R.finished, shown: R.shown, stats: R.stats,
        end: R.view ? R.view.end : null, revealed: R.revealed};
    },
  };
})();
