/*
 * The classroom tools' shared state and helpers: window.hpoClassroom (the server's page
 * config, the modes, the pick, the live summary's memory) and what every tool file uses —
 * names of racers, the polite live region, writing the address bar, the winner's rule.
 *
 * Loads after _dom.js and before every tool (a11y, dialogs, keys, link, live, plot-style,
 * predict, snapshot, theme, toolbar), which add their functions to window.hpoClassroom.
 * race-player.js asks it for the race settings of a link, so there is one parser.
 */
(function () {
  'use strict';

  var C = {
    config: null,
    parsed: {}, // search string -> parse result
    state: {}, // the settings the page shows now (from toLink)
    presenter: false,
    theme: 'light',
    themeChosen: false, // set by a link or the toggle (else: the system's preference)
    hidden: {},
    pick: null,
    judged: false,
    hits: {},
    lastState: 'idle',
    lastT: 0,
    lastShown: {},
    opener: null,
  };
  window.hpoClassroom = C;

  var el = window.hpoDom.el;

  // The page's config (app/classroom.py: names, defaults, limits, the settings table).
  function config() {
    if (C.config) return C.config;
    var node = el('classroom-config');
    if (!node) return null;
    try {
      C.config = JSON.parse(node.getAttribute('data-config'));
    } catch (err) {
      C.config = null;
    }
    return C.config;
  }

  function flag(text) {
    if (text === null) return null;
    var t = String(text).toLowerCase();
    if (t === '1') return true;
    if (t === '0') return false;
    return undefined;
  }

  function strategyName(name) {
    var cfg = config();
    var s = cfg && cfg.strategies[name];
    return s ? s.glyph + ' ' + s.label : name;
  }

  function shortName(name) {
    var cfg = config();
    var s = cfg && cfg.strategies[name];
    return s ? s.short : name;
  }

  // Set a component's props, if it is on the page.
  function setProps(id, props) {
    if (el(id)) window.dash_clientside.set_props(id, props);
  }

  // The polite live region (#race-live): screen readers read what changed.
  function announce(text) {
    var box = el('race-live');
    if (!box) return;
    box.textContent = '';
    setTimeout(function () {
      box.textContent = text;
    }, 30);
  }

  // Set (or, with null, drop) parameters of the address without a reload or history entry.
  function writeQuery(set) {
    try {
      var q = new URLSearchParams(window.location.search);
      Object.keys(set).forEach(function (k) {
        if (set[k] === null || set[k] === undefined) q.delete(k);
        else q.set(k, String(set[k]));
      });
      var text = q.toString();
      var url = window.location.pathname + (text ? '?' + text : '');
      if (url !== window.location.pathname + window.location.search) {
        window.history.replaceState(null, '', url);
      }
    } catch (err) {
      /* a sandboxed frame may refuse; the app works without it */
    }
  }

  // The race summary's rule (race-player.js summary()): first to 95% of the optimum on the
  // shared clock; a tie goes to the earlier panel. null when nobody got there.
  // Who reached 95% of the optimum first: computed on the server (app/views.py
  // first_to_target, the one rule the summary, the prediction and the exports share).
  function winner(v) {
    var w = v && v.winner;
    return w ? {name: w.strategy, at: w.minute} : null;
  }
  C.winner = winner;

  C.tools = {
    race: function () {
      return window.hpoRace || null;
    },
    config: config,
    flag: flag,
    strategyName: strategyName,
    shortName: shortName,
    setProps: setProps,
    announce: announce,
    writeQuery: writeQuery,
  };
})();
