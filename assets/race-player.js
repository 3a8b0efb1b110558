/*
 * The race player: plays a computed race in the browser on one shared GPU-minute clock,
 * advanced by requestAnimationFrame — its state machine (idle, loading, playing, paused,
 * finished), Run / Step / Pause / Reset, the status line, the scrubber's seek, and the Dash
 * entry points hpoRace.* (app/callbacks.py).
 *
 * The server computes the whole race in one request (race-store); from then on everything
 * runs locally. At clock time t each panel shows the trials that had finished by minute t:
 * race-renderer.js draws that state, race-request.js says which race the controls ask for.
 */
(function () {
  'use strict';

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

  var el = window.hpoDom.el;
  var root = window.hpoDom.root;
  var noUpdate = window.hpoDom.noUpdate;
  var fmtMinutes = window.hpoDom.minutes;

  // The drawing (race-renderer.js) and the request (race-request.js) load after this file.
  function render(force) {
    R.renderer.render(force);
  }

  function flush(all) {
    R.renderer.flush(all);
  }

  function publish() {
    R.renderer.publish();
  }

  function hookGraphs() {
    return R.renderer.hookGraphs();
  }

  function applyReveal() {
    R.renderer.applyReveal();
  }

  function pageSettings(landscape, lseed, budget, seed, bayes, peaks, racers, options, dims,
    workers) {
    return R.request.pageSettings(landscape, lseed, budget, seed, bayes, peaks, racers, options,
      dims, workers);
  }

  function racingOptions(s) {
    return R.request.racingOptions(s);
  }

  function settingsKey(s) {
    return R.request.settingsKey(s);
  }

  function viewKey(v) {
    return R.request.viewKey(v);
  }

  function baseSeconds() {
    var r = root();
    var s = r ? parseFloat(r.getAttribute('data-base-seconds')) : NaN;
    return isFinite(s) && s > 0 ? s : 15;
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

  // ------------------------------------------------------------------ the clock

  function rate() {
    // Minutes per second of animation: the whole axis (the budget in GPU minutes, or the
    // wall-clock span of a race on several GPUs: workers.js) in baseSeconds() at 1×.
    var budget = R.view ? R.view.span || R.view.budget
      : Number((el('budget-input') || {}).value) || 1;
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

  // One line for the status bar: who reached 95% of the optimum first, who found the best
  // (the server's sentence, app/lessons.py summary_sentence).
  function summary() {
    return R.view.summary;
  }

  function finish() {
    R.playing = false;
    cancelAnimationFrame(R.raf);
    R.t = R.view.end;
    R.finished = true;
    render(true);
    setState('finished');
    setStatus(summary());
    if (window.hpoLesson) window.hpoLesson.show(); // the lesson line (lesson.js)
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
    // A number box's value changed: count a submit and a blur so Dash renders it again with
    // handlers that know this value (app/race_callbacks.py says why).
    freshenBox: function (value, submits, blurs) {
      return [(submits || 0) + 1, (blurs || 0) + 1];
    },

    // Run or Step: play/step the loaded race, or ask the server for the race of these settings.
    request: function (runClicks, stepClicks, landscape, lseed, budget, seed, bayes, peaks,
      racers, options, dims, workers) {
      var trig = window.dash_clientside.callback_context.triggered;
      var action = trig.length && trig[0].prop_id.indexOf('step-button') === 0 ? 'step' : 'play';
      hookGraphs();
      R.settings = pageSettings(landscape, lseed, budget, seed, bayes, peaks, racers, options, dims,
        workers);
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
    settings: function (landscape, lseed, budget, seed, bayes, peaks, racers, options, dims,
      workers) {
      R.settings = pageSettings(landscape, lseed, budget, seed, bayes, peaks, racers, options, dims,
        workers);
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

    // The knobs menu's summary (app/controls.py scenario_label): "4 knobs · 8 GPUs".
    scenarioLabel: function (dims, workers) {
      var d = Number(dims), w = Number(workers);
      if (!isFinite(d) || !isFinite(w) || w < 1) return noUpdate(); // a half-typed number
      return d + ' knobs · ' + w + (w === 1 ? ' GPU' : ' GPUs');
    },

    // Measured and drawn landscapes have two knobs only: offer 2 alone and set it.
    knobsFor: function (landscape, dims, options) {
      var T = window.hpoCodec && window.hpoCodec.table();
      var only = T && (T.two_knobs_only || []).indexOf(landscape) >= 0;
      var low = T ? T.race.filter(function (s) {
        return s.name === 'dims';
      })[0].default : 2;
      var next = (options || []).map(function (o) {
        return {label: o.label, value: o.value, disabled: Boolean(only && o.value !== low)};
      });
      return [next, only && dims !== low ? low : noUpdate()];
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
      (R.viewHooks || []).forEach(function (hook) {
        hook(v); // e.g. workers.js: which clock the player reads
      });
      R.view = v;
      R.viewKey = viewKey(v);
      if (window.hpoLesson) window.hpoLesson.onView(v); // count how often its lesson holds
      clearAll();
      if (action === 'step') step();
      else if (action === 'play') play();
      else setStatus('Ready: press ▷ Run search.'); // Reset or Pause while it was computed
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
        return [nu, seed, 'layout #' + seed, nu, nu, nu, nu];
      }
      // one parser for links (link.js), which also says what it could not use
      if (window.hpoClassroom && window.hpoClassroom.raceFromLink) {
        return window.hpoClassroom.raceFromLink(search, options);
      }
      var out = [nu, nu, nu, nu, nu, nu, nu];
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

  // Test and bench hooks (harmless in production): state and speed, without clicking.
  // The scrubber (scrubber.js): move the shared clock to minute t and stay paused there.
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
