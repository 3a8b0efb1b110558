/*
 * The Bayesian panel's model view: what the model believed at each step (GP mean, std or
 * the acquisition function) as a heatmap under the probes, with ⊕ where it probes next, and
 * its legend (name, colour ramp, range). window.hpoModel holds its state; narration.js and
 * scrubber.js add their plugins to it (hpoModel.plugins), all following the player's clock.
 *
 * The model's frames (quantised GP mean / std / acquisition for every step, from
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
  M.acqTitle = ACQ_TITLE;
  M.acqLong = ACQ_LONG;
  // Who follows the clock with the model: this view, then narration.js and scrubber.js.
  M.plugins = [];

  var el = window.hpoDom.el;
  var gd = window.hpoDom.gd;
  var uidIndex = window.hpoDom.uidIndex;
  var root = window.hpoDom.root;
  var stableJson = window.hpoDom.stableJson;
  var noUpdate = window.hpoDom.noUpdate;
  var setProps = window.hpoDom.setProps;

  function race() {
    return window.hpoRace || null;
  }

  // The race's settings as it was raced (its view echoes them): the model request's.
  function raceSettings(v) {
    return {landscape: v.landscape, landscape_seed: v.landscape_seed, budget: v.budget,
      seed: v.seed, bayes: v.bayes, peaks: v.peaks === undefined ? null : v.peaks,
      racers: v.order.slice(), options: v.options || {}, dims: v.dims || 2,
      workers: v.workers || 1};
  }

  function fmt(x) {
    if (!isFinite(x)) return '—';
    var a = Math.abs(x);
    if (a === 0) return '0';
    if (a >= 100) return x.toFixed(0);
    if (a >= 0.01) return String(Number(x.toPrecision(3)));
    return x.toExponential(1).replace('e-', 'e−');
  }

  // A power of ten as the legend says it: 10⁻³, 3.2·10⁻⁹¹ (from its log10).
  var SUPER = {'-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷',
    8: '⁸', 9: '⁹'};
  function pow10(log) {
    if (!isFinite(log)) return '—';
    var e = Math.floor(log + 1e-9);
    var m = Math.pow(10, log - e);
    var digits = String(e).split('').map(function (c) { return SUPER[c]; }).join('');
    var mant = m.toFixed(1);
    if (mant === '10.0') {
      e += 1;
      digits = String(e).split('').map(function (c) { return SUPER[c]; }).join('');
      mant = '1.0';
    }
    return (mant === '1.0' ? '' : mant + '·') + '10' + digits;
  }
  M.pow10 = pow10;

  // The acquisition view's facts (app/model_data.py acquisition_view): log10 or linear, the
  // largest value of each frame, and for EI the "nothing left to gain" threshold and steps.
  function acqFacts() {
    return (M.model && M.model.acquisition_view) || {scale: 'linear', peak: []};
  }

  function logScale(view) {
    return view === 'acquisition' && acqFacts().scale === 'log10';
  }

  // Nothing left to gain anywhere at step k: EI below the threshold everywhere.
  function nothingLeft(view, k) {
    var f = acqFacts();
    return view === 'acquisition' && !!(f.nothing && f.nothing[k]);
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
    if (view === 'acquisition' && (M.model.acquisition === 'ucb' || logScale(view))) {
      // UCB: the frame's own range; EI and PI: log10, the frame's top ACQ_DECADES decades
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
    drawNote(k);
  }

  // The acquisition view when the model expects nothing worth a trial anywhere: a plain
  // sentence, its numbers from the model's facts (the map under it fades, CSS).
  function drawNote(k) {
    var r = root();
    var box = el('model-note');
    var on = nothingLeft(M.view, k);
    if (r) r.setAttribute('data-model-note', on ? 'on' : 'off');
    if (!box) return;
    var text = '';
    if (on) {
      var f = acqFacts();
      var share = Math.round(1 / f.threshold_share).toLocaleString('en-GB');
      text = 'The model sees nothing left to gain anywhere: EI is below ' +
        pow10(Math.log10(f.threshold)) +
        ' (1/' + share + ' of the score range) everywhere; its largest is ' +
        pow10(Math.log10(f.peak[k])) + '.';
    }
    setText(box, text);
  }

  function hint(state, R) {
    var box = document.querySelector('.model-hint span');
    if (!box) return;
    var text;
    if (state === 'loading') text = 'Loading what the model believed…';
    else if (state === 'failed') {
      text = M.failedText || 'The model view could not be loaded for this race.';
    }
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
      var facts = acqFacts();
      if (logScale(M.view) && facts.peak[k] > 0) {
        // colours over log10: the ends in powers of ten (to the nearest one; the title has
        // the largest value itself), from the frame's own range
        lo = pow10(Math.round(f.lo));
        hi = pow10(Math.round(f.hi));
      } else if (logScale(M.view)) {
        lo = hi = '0';
      }
      title += k === 0 ? ' — the prior, before any trial.'
        : ' — after ' + k + (k === 1 ? ' trial.' : ' trials.');
      title += ' Colours from ' + lo + ' to ' + hi + '.';
      if (logScale(M.view) && facts.peak[k] > 0) {
        title += ' Its largest value: ' + pow10(Math.log10(facts.peak[k])) + '.';
      }
      if (logScale(M.view) && facts.peak[k] > 0) {
        title += ' On a log scale (powers of ten): anything more than ' + facts.decades +
          ' powers of ten below the largest value has the palest colour.';
      }
      if (nothingLeft(M.view, k)) {
        title += ' Nothing left to gain anywhere: EI is below ' +
          pow10(Math.log10(facts.threshold)) +
          ' everywhere.';
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

  // ------------------------------------------------------------------ following the clock

  function follow(R, force) {
    for (var i = 0; i < M.plugins.length; i++) M.plugins[i](R, force);
  }
  M.follow = follow;

  M.plugins.push(function (R, force) {
    ensureModel(R);
    drawModel(R, force && M.view !== 'probes');
  });

  window.hpoRacePlugins = window.hpoRacePlugins || [];
  window.hpoRacePlugins.push(follow);

  function refresh(force) {
    var R = race();
    if (R) follow(R, force);
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoModel = window.dash_clientside.hpoModel || {};
  Object.assign(window.dash_clientside.hpoModel, {
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
        M.failedText = data.error || null; // the server's sentence (e.g. several GPUs)
        M.pendingKey = null;
      }
      M.sig = null;
      refresh(true);
      return noUpdate();
    },
  });

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
