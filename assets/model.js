/*
 * hpo-race: the model's reasoning. Bayesian view switcher and model heatmap, the Bayesian
 * settings, one line of narration under each panel, and the timeline scrubber.
 *
 * Everything follows race.js's shared clock through window.hpoRacePlugins (called after each
 * render). The model's frames (quantised GP mean / std / acquisition for every step, from
 * app/model_data.py) are fetched once per race, only while a model view is shown; the
 * heatmap's z is replaced only when the Bayesian step or the view changes, never per frame.
 *
 * Frame decoding: bytes = atob(b64); value = lo + b/255 · (hi − lo); row-major res × res over
 * cell centres, rows = the second knob.
 */
(function () {
  'use strict';

  var LAYER = 'model-bayes';
  var ACQ_TITLE = {ei: 'EI', pi: 'PI', ucb: 'UCB'};
  var ACQ_LONG = {
    ei: 'expected improvement over the best so far',
    pi: 'probability of beating the best so far',
    ucb: 'upper confidence bound, mean + κ·std',
  };
  // Colour ramps (the heatmap's colourscale and the legend's CSS gradient share the stops).
  var RAMPS = {
    // the probes' own score colours (viridis), so probes and mean can be compared directly
    mean: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779',
      '#6ece58', '#b5de2b', '#fde725'],
    // sequential blues: clear where the model knows, deep blue where it is unsure
    std: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5',
      '#08519c', '#08306b'],
    // sequential yellow -> dark red: where the model most wants to look
    acquisition: ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c',
      '#bd0026', '#800026'],
  };

  var M = {
    view: 'probes',
    model: null, // the frames of the race in modelKey
    modelKey: null,
    pendingKey: null,
    failedKey: null,
    frames: {}, // view -> k -> decoded rows
    sig: null, // what the heatmap shows now
    layoutFor: null, // which figure layout the model layer was built on
    narrated: {}, // strategy -> text shown
    bayesAlert: false, // the alert line shows one of our messages
    dragging: false,
    seekTo: null,
  };
  window.hpoModel = M;

  var el = window.hpoDom.el;
  var gd = window.hpoDom.gd;
  var uidIndex = window.hpoDom.uidIndex;
  var root = window.hpoDom.root;

  function race() {
    return window.hpoRace || null;
  }

  function stableJson(value) {
    if (value === undefined) return 'null';
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return '[' + value.map(stableJson).join(',') + ']';
    return '{' + Object.keys(value).sort().map(function (k) {
      return JSON.stringify(k) + ':' + stableJson(value[k]);
    }).join(',') + '}';
  }

  // The race's settings as it was raced (its view echoes them): the model request's.
  function raceSettings(v) {
    return {landscape: v.landscape, landscape_seed: v.landscape_seed, budget: v.budget,
      seed: v.seed, bayes: v.bayes, peaks: v.peaks === undefined ? null : v.peaks,
      racers: v.order.slice(), options: v.options || {}};
  }

  function fmt(x) {
    if (!isFinite(x)) return '—';
    var a = Math.abs(x);
    if (a === 0) return '0';
    if (a >= 100) return x.toFixed(0);
    if (a >= 0.01) return String(Number(x.toPrecision(3)));
    return x.toExponential(1).replace('e-', 'e−');
  }

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  function setProps(id, props) {
    window.dash_clientside.set_props(id, props);
  }

  // ------------------------------------------------------------------ frames

  function decode(frame, res) {
    var bin = atob(frame.b64);
    var lo = frame.lo, span = frame.hi - frame.lo;
    var rows = new Array(res);
    for (var r = 0; r < res; r++) {
      var row = new Array(res);
      for (var c = 0; c < res; c++) row[c] = lo + (bin.charCodeAt(r * res + c) / 255) * span;
      rows[r] = row;
    }
    return rows;
  }

  function frameRows(view, k) {
    var cache = M.frames[view] || (M.frames[view] = {});
    if (!cache[k]) cache[k] = decode(M.model.frames[view][k], M.model.resolution);
    return cache[k];
  }

  // θ in the unit square -> real knob units, 6 significant digits like the server's probes:
  // 1e-5·(1e4)^1 is 0.10000000000000002, just outside a log axis ending at 0.1, and plotly
  // hides markers outside the axis range (cliponaxis: false), so an edge point would vanish.
  function toReal(knob, u) {
    u = Math.max(0, Math.min(1, u));
    var v = knob.log ? knob.low * Math.pow(knob.high / knob.low, u)
      : knob.low + u * (knob.high - knob.low);
    return Number(v.toPrecision(6));
  }

  // ------------------------------------------------------------------ the model request

  function bayesRacing(R) {
    return !!(R && R.view && R.view.strategies && R.view.strategies.bayes);
  }

  // The loaded race's settings key, computed once per race (render runs every frame).
  function raceKey(R) {
    if (M.keyFor !== R.view) {
      M.keyFor = R.view;
      M.key = R.view ? stableJson(raceSettings(R.view)) : null;
    }
    return M.key;
  }

  // Ask for the loaded race's model frames once, and only while a model view is shown.
  function ensureModel(R) {
    if (M.view === 'probes' || !bayesRacing(R)) return;
    var key = raceKey(R);
    if (M.modelKey === key || M.pendingKey === key || M.failedKey === key) return;
    var settings = raceSettings(R.view);
    M.pendingKey = key;
    settings.nonce = Date.now();
    setProps('model-request', {data: settings});
  }

  function modelState(R) {
    if (!bayesRacing(R)) return 'none';
    var key = raceKey(R);
    if (M.model && M.modelKey === key) return 'ready';
    if (M.pendingKey === key) return 'loading';
    if (M.failedKey === key) return 'failed';
    return 'none';
  }

  // ------------------------------------------------------------------ drawing the model

  function colourscale(stops) {
    return stops.map(function (c, i) {
      return [i / (stops.length - 1), c];
    });
  }

  // The heatmap's colour range for view at step k: fixed score scale for the mean (the probes'
  // own), [0, max] for the std and EI/PI, the frame's own range for UCB.
  function range(view, k) {
    var f = M.model.frames[view][k];
    if (view === 'mean') return M.model.score_range;
    if (view === 'acquisition' && M.model.acquisition === 'ucb') {
      return f.hi > f.lo ? [f.lo, f.hi] : [f.lo - 1e-9, f.hi + 1e-9];
    }
    return [0, f.hi > 0 ? f.hi : 1e-12];
  }

  function layoutSource() {
    var g = gd('panel-bayes');
    return g ? g.layout : null;
  }

  // Build the whole model figure (view switch, new race or new axes); per step only z moves.
  function rebuild(g, R) {
    var layout = JSON.parse(JSON.stringify(layoutSource() || g.layout));
    var m = M.model;
    var data = [
      {uid: 'model', type: 'heatmap', x: m.x_edges, y: m.y_edges, z: [[0]], zsmooth: 'best',
        showscale: false, hoverinfo: 'skip', colorscale: colourscale(RAMPS[M.view])},
      {uid: 'next-rim', type: 'scatter', mode: 'markers', x: [], y: [], cliponaxis: false,
        hoverinfo: 'skip', marker: {symbol: 'circle-cross-open', size: 30, color: '#111827',
          line: {width: 6, color: '#111827'}}},
      {uid: 'next', type: 'scatter', mode: 'markers', x: [], y: [], cliponaxis: false,
        hoverinfo: 'skip', marker: {symbol: 'circle-cross-open', size: 30, color: '#ffffff',
          line: {width: 3, color: '#ffffff'}}},
    ];
    Plotly.react(g, data, layout, g._context || {});
    M.layoutFor = layoutSource();
  }

  function drawModel(R, force) {
    var r = root();
    var state = modelState(R);
    var k = bayesRacing(R) ? Math.min(R.shown.bayes || 0, R.view.strategies.bayes.clock.length) : 0;
    var sig = [M.view, state, M.modelKey, k, R.finished ? 1 : 0].join('|');
    if (r && (M.rootView !== M.view || M.rootState !== state)) {
      M.rootView = M.view;
      M.rootState = state;
      r.setAttribute('data-bayes-view', M.view);
      r.setAttribute('data-model', state);
      hint(state, R);
    }
    if (!force && sig === M.sig && M.layoutFor === layoutSource()) return;
    M.sig = sig;
    drawKey(R, state, k);
    if (M.view === 'probes' || state !== 'ready') return;
    var g = gd(LAYER);
    if (!g) {
      M.sig = null; // not drawn yet: try again next render
      return;
    }
    if (force || M.layoutFor !== layoutSource() || !g.data.length || g.data[0].uid !== 'model'
        || g.__view !== M.view || g.__key !== M.modelKey) {
      rebuild(g, R);
      g.__view = M.view;
      g.__key = M.modelKey;
    }
    var idx = uidIndex(g);
    var z = frameRows(M.view, k);
    var zr = range(M.view, k);
    var nx = [], ny = [];
    var next = M.model.next[k];
    if (next) {
      nx = [toReal(M.model.knobs[0], next[0])];
      ny = [toReal(M.model.knobs[1], next[1])];
    }
    Plotly.update(g, {z: [z], zmin: [zr[0]], zmax: [zr[1]], x: [M.model.x_edges, nx, nx],
      y: [M.model.y_edges, ny, ny]}, {}, [idx.model, idx['next-rim'], idx.next]);
    g.setAttribute('data-step', String(k));
    g.setAttribute('data-view', M.view);
  }

  function hint(state, R) {
    var box = document.querySelector('.model-hint span');
    if (!box) return;
    var text;
    if (state === 'loading') text = 'Loading what the model believed…';
    else if (state === 'failed') text = 'The model view could not be loaded for this race.';
    else if (!R || !R.view) text = 'The model’s view appears here: press ▷ Run search or Step.';
    else text = '';
    if (box.textContent !== text) box.textContent = text;
  }

  // The legend: what the heatmap shows, its colour ramp and range, and what "next" means.
  function drawKey(R, state, k) {
    var key = el('model-key');
    if (!key) return;
    var q = function (cls) {
      return key.querySelector('.' + cls);
    };
    var on = M.view !== 'probes';
    key.classList.toggle('on', on);
    if (!on) return;
    var acq = (M.model && state === 'ready' ? M.model.acquisition : null) ||
      (R && R.view && R.view.bayes && R.view.bayes.acquisition) || 'ei';
    var stops = RAMPS[M.view];
    q('mk-ramp').style.background = 'linear-gradient(90deg, ' + stops.join(', ') + ')';
    var names = {
      mean: 'GP mean',
      std: 'GP std',
      acquisition: ACQ_TITLE[acq],
    };
    var longNames = {
      mean: 'GP mean μ(θ)',
      std: 'GP std σ(θ)',
      acquisition: ACQ_TITLE[acq] + '(θ)',
    };
    var what = {
      mean: 'the score the model expects at each θ',
      std: 'how unsure the model is: high far from its probes',
      acquisition: ACQ_LONG[acq] + '; the model probes its maximum',
    };
    var label = names[M.view];
    var lo = '', hi = '', nextText = '', title = longNames[M.view] + ': ' + what[M.view];
    if (state === 'ready') {
      var zr = range(M.view, k);
      var f = M.model.frames[M.view][k];
      lo = fmt(zr[0]);
      hi = fmt(M.view === 'mean' ? zr[1] : f.hi);
      title += k === 0 ? ' — the prior, before any trial.'
        : ' — after ' + k + (k === 1 ? ' trial.' : ' trials.');
      title += ' Colours from ' + lo + ' to ' + hi + '.';
      if (M.view === 'acquisition' && k > 0 && acq !== 'ucb' && f.hi < 1e-6) {
        title += ' It is tiny everywhere now: the model expects almost no gain anywhere.';
      }
      var nInit = (R.view.strategies.bayes.model || {}).n_initial || 0;
      var total = R.view.strategies.bayes.clock.length;
      nextText = 'next';
      if (k >= total) title += ' ⊕ where it would probe next, had the budget allowed.';
      else if (k < nInit) title += ' ⊕ its next probe: random start ' + (k + 1) + ' of ' + nInit + '.';
      else title += ' ⊕ its next probe: where ' + ACQ_TITLE[acq] + ' is highest.';
    } else if (state === 'loading') {
      label += ' · loading…';
    }
    key.setAttribute('data-step', String(k));
    setText(q('mk-label'), label);
    setText(q('mk-lo'), lo);
    setText(q('mk-hi'), hi);
    var nxt = q('mk-next');
    nxt.style.display = nextText ? '' : 'none';
    setText(nxt.lastChild, ' ' + nextText);
    key.title = title;
  }

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  // ------------------------------------------------------------------ narration

  function drawNarration(R) {
    var sig = R.view ? R.view.order.map(function (n) {
      return R.shown[n] || 0;
    }).join(',') + (R.finished ? '!' : '') : '';
    if (M.narrationFor === R.view && M.narrationSig === sig) return;
    M.narrationFor = R.view;
    M.narrationSig = sig;
    var boxes = document.querySelectorAll('.narration');
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var name = box.id.replace('narration-', '');
      var text = '';
      var lines = R.view && R.view.narration && R.view.narration[name];
      var s = R.view && R.view.strategies[name];
      if (lines && s) {
        var n = R.shown[name] || 0;
        if (R.finished || n >= s.clock.length) text = 'Done: ' + lines.end;
        else if (n > 0) text = 'Trial ' + n + ': ' + lines.trials[n - 1];
        else text = 'Its first trial is still training…';
      }
      if (M.narrated[name] !== text) {
        M.narrated[name] = text;
        box.textContent = text;
        box.title = text;
      }
    }
  }

  // ------------------------------------------------------------------ the scrubber

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
      e.stopPropagation(); // not race.js's Step key
      R.api.seek(t);
    });
    return true;
  }

  (function waitForScrubber() {
    var tries = 0;
    var timer = setInterval(function () {
      tries++;
      var R = race();
      if ((hookScrubber() && R && bestPlot()) || tries > 600) {
        clearInterval(timer);
        if (R) follow(R, true);
      }
    }, 100);
  })();

  // ------------------------------------------------------------------ following the clock

  function follow(R, force) {
    ensureModel(R);
    drawModel(R, force && M.view !== 'probes');
    drawNarration(R);
    drawScrubber(R);
  }

  window.hpoRacePlugins = window.hpoRacePlugins || [];
  window.hpoRacePlugins.push(follow);

  function refresh(force) {
    var R = race();
    if (R) follow(R, force);
  }

  // ------------------------------------------------------------------ Bayesian settings

  // The Bayesian options' table (strategies/bayes.py, shipped with the settings table).
  function options() {
    var spec = window.hpoCodec && window.hpoCodec.table() ? window.hpoCodec.racer('bayes') : null;
    var out = {};
    (spec ? spec.options : []).forEach(function (o) {
      out[o.name] = o;
    });
    return out;
  }

  function numberOrNull(v) {
    if (v === null || v === undefined || v === '') return null;
    var n = Number(v);
    return isFinite(n) ? n : v;
  }

  // The first option the panel holds no valid value for, in the table's own words.
  function problem(b) {
    var O = options();
    var check = function (name) {
      var o = O[name];
      var v = b[name];
      var ok = typeof v === 'number' && isFinite(v) && v >= o.low && v <= o.high &&
        (o.kind !== 'int' || Math.round(v) === v);
      return ok ? '' : o.label + ' must be ' + o.allowed + '.';
    };
    if (!O.xi) return '';
    return (b.acquisition !== 'ucb' ? check('xi') : check('kappa')) || check('n_initial');
  }

  function defaults() {
    var O = options();
    var out = {};
    Object.keys(O).forEach(function (k) {
      out[k] = O[k].default;
    });
    return out;
  }

  function describeBayes(b) {
    var parts = [ACQ_TITLE[b.acquisition] || b.acquisition];
    parts.push(b.acquisition === 'ucb' ? 'κ ' + b.kappa : 'ξ ' + b.xi);
    parts.push(b.kernel === 'rbf' ? 'RBF' : 'Matérn 5/2');
    parts.push(b.length_scale === null ? 'ℓ fitted' : 'ℓ ' + b.length_scale);
    parts.push(b.n_initial + ' random starts');
    return parts.join(', ');
  }

  // The slider holds log10(ℓ). A value a link set (a short decimal such as 0.0512) comes back
  // exactly, so the link replays the same race; a dragged one is read to 2 significant digits.
  function lengthScale(logValue) {
    var v = Math.pow(10, Number(logValue));
    var exact = Number(v.toPrecision(12));
    var digits = String(exact).replace(/e.*$/, '').replace(/^[0.]+|\./g, '');
    return digits.length <= 6 ? exact : Number(v.toPrecision(2));
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoModel = {
    // Any Bayesian setting: the store the next Run sends (the server checks it again).
    bayesSettings: function (acq, xi, kappa, kernel, lsMode, lsLog, nInit, viewOptions) {
      var fixed = lsMode === 'fixed';
      var bayes = {
        acquisition: acq,
        xi: numberOrNull(xi),
        kappa: numberOrNull(kappa),
        kernel: kernel,
        length_scale: fixed ? lengthScale(lsLog) : null,
        n_initial: numberOrNull(nInit),
      };
      // the engine takes only the parameter of the chosen acquisition: keep the other valid
      var D = defaults();
      if (acq === 'ucb' && problem({acquisition: 'ei', xi: bayes.xi, n_initial: 1})) {
        bayes.xi = D.xi;
      }
      if (acq !== 'ucb' && problem({acquisition: 'ucb', kappa: bayes.kappa, n_initial: 1})) {
        bayes.kappa = D.kappa;
      }
      var panel = el('bayes-settings');
      if (panel) {
        panel.setAttribute('data-acq', acq);
        panel.setAttribute('data-ls', fixed ? 'fixed' : 'fitted');
        // a dot on ⚙ while the Bayesian race is not the default one
        var custom = stableJson(bayes) !== stableJson(D);
        panel.setAttribute('data-custom', custom ? 'true' : 'false');
        var summary = panel.querySelector('summary');
        if (summary) {
          summary.title = custom
            ? 'Bayesian settings (changed: ' + describeBayes(bayes) + ')'
            : 'Bayesian settings: acquisition, kernel, length scale, initial trials';
        }
      }
      var options = (viewOptions || []).map(function (o) {
        if (o.value !== 'acquisition') return o;
        return {value: o.value, label: {type: 'Span', namespace: 'dash_html_components',
          props: {children: ACQ_TITLE[acq] || 'EI',
            title: 'The acquisition function (' + ACQ_LONG[acq] + '): the model probes ' +
              'where it is highest'}}};
      });
      var message = problem(bayes);
      var alert = noUpdate();
      if (message) {
        alert = 'Bayesian settings: ' + message;
        M.bayesAlert = true;
      } else if (M.bayesAlert) {
        alert = '';
        M.bayesAlert = false;
      }
      var lsText = fixed ? 'ℓ = ' + bayes.length_scale : 'ℓ fitted';
      return [bayes, lsText, options, alert];
    },

    // ↺ Defaults: the table's defaults (the slider keeps its place; "Fitted" disables it).
    defaults: function () {
      var D = defaults();
      return [D.acquisition, D.xi, D.kappa, D.kernel,
        D.length_scale === null ? 'fitted' : 'fixed', noUpdate(), D.n_initial];
    },

    // A fitted length scale is not the user's to set: the slider is disabled, not just dimmed,
    // so the keyboard cannot change it either.
    lengthScaleDisabled: function (mode) {
      return mode !== 'fixed';
    },

    view: function (value) {
      M.view = value || 'probes';
      refresh(true);
      return noUpdate();
    },

    // The server's answer to a model request.
    model: function (data) {
      if (!data) return noUpdate();
      if (data.ok) {
        var key = stableJson(data.key);
        M.model = data.model;
        M.modelKey = key;
        M.frames = {};
        if (M.pendingKey === key) M.pendingKey = null;
      } else {
        M.failedKey = M.pendingKey;
        M.pendingKey = null;
      }
      M.sig = null;
      refresh(true);
      return noUpdate();
    },

    side: function (value) {
      var r = root();
      if (r) r.setAttribute('data-side', value || 'guide');
      return noUpdate();
    },
  };

  // Test hooks: what the heatmap shows, decoded as the page decodes it.
  M.api = {
    shown: function () {
      var g = gd(LAYER);
      var R = race();
      if (!g || !g.data.length || g.data[0].uid !== 'model') return null;
      return {view: M.view, step: Number(g.getAttribute('data-step')), z: g.data[0].z,
        zmin: g.data[0].zmin, zmax: g.data[0].zmax, colorscale: g.data[0].colorscale,
        next: [g.data[2].x, g.data[2].y], shownBayes: R ? R.shown.bayes : null};
    },
    decoded: function (view, k) {
      return M.model ? decode(M.model.frames[view][k], M.model.resolution) : null;
    },
  };
})();
