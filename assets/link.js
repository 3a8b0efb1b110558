/*
 * Links: reads a page address (the race settings through the one codec, _codec.js; then the
 * page's own parameters: view, speed, tab, presenter, theme, hidden controls), sets the
 * controls from it with a notice for anything unusable, and writes the settings back into
 * the address as they change (Dash entry points hpoClassroom.fromLink / toLink).
 */
(function () {
  'use strict';

  var C = window.hpoClassroom;
  var T = C.tools;
  var el = window.hpoDom.el;
  var noUpdate = window.hpoDom.noUpdate;
  var config = T.config;
  var flag = T.flag;
  var setProps = T.setProps;
  var writeQuery = T.writeQuery;

  var VIEW_KEYS = ['view', 'speed', 'tab', 'presenter', 'theme'];

  function clip(text) {
    text = String(text);
    return text.length > 24 ? text.slice(0, 24) + '…' : text;
  }

  // ------------------------------------------------------------------ reading a link

  function number(text) {
    if (text === null || !/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text)) return null;
    var n = Number(text);
    return isFinite(n) ? n : null;
  }

  // Parse a page address's query: the race settings through the one codec (_codec.js, the
  // server's settings table), then the page's own parameters (view, speed, tab, presenter,
  // theme, hidden controls). Returns {link, view, hide, problems}; anything unusable keeps
  // its default and is explained in problems.
  function parse(search) {
    var key = String(search || '');
    if (C.parsed[key]) return C.parsed[key];
    var cfg = config();
    var def = cfg.defaults;
    var q = new URLSearchParams(search || '');
    var link = window.hpoCodec.parse(search);
    var out = {link: link, view: {}, hide: {}, problems: link.problems.slice()};
    var problem = function (param, value, why, fallback) {
      out.problems.push({param: param, value: value, why: why, fallback: fallback});
    };
    var has = function (k) {
      return q.has(k);
    };
    if (has('view')) {
      var view = q.get('view');
      if (cfg.views.indexOf(view) >= 0) out.view.view = view;
      else problem('view', view, 'must be one of ' + cfg.views.join(', '), def.view);
    }
    if (has('speed')) {
      var speed = number(q.get('speed'));
      if (speed !== null && cfg.speeds.indexOf(speed) >= 0) out.view.speed = speed;
      else problem('speed', q.get('speed'), 'must be one of ' + cfg.speeds.join(', '), def.speed);
    }
    if (has('tab')) {
      var tab = q.get('tab');
      if (cfg.tabs.indexOf(tab) >= 0) out.view.tab = tab;
      else problem('tab', tab, 'must be one of ' + cfg.tabs.join(', '), def.tab);
    }
    if (has('presenter')) {
      var p = flag(q.get('presenter'));
      if (p === undefined) problem('presenter', q.get('presenter'), 'must be 1 or 0', 'off');
      else out.view.presenter = p;
    }
    if (has('theme')) {
      var theme = String(q.get('theme')).toLowerCase();
      if (theme === 'light' || theme === 'dark') out.view.theme = theme;
      else problem('theme', q.get('theme'), 'must be light or dark', 'your system\'s');
    }

    var known = window.hpoCodec.keys().concat(VIEW_KEYS);
    q.forEach(function (value, name) {
      if (known.indexOf(name) >= 0) return;
      var m = /^(.+)_hide$/.exec(name);
      if (m) {
        var f = flag(value);
        if (!cfg.hideable[m[1]]) {
          problem(name, null, 'names no control; hideable: ' + Object.keys(cfg.hideable).join(', '),
            null);
        } else if (f === undefined) {
          problem(name, value, 'must be 1 or 0', 'shown');
        } else if (f) {
          out.hide[m[1]] = true;
        }
        return;
      }
      problem(name, null, 'is not a setting of this page', null);
    });
    C.parsed[key] = out;
    return out;
  }

  // race-player.js (settingsFromLinkOrDice): the race settings of a link, as its outputs
  // [landscape, landscape seed, seed label, budget, seed]; no_update where the link says
  // nothing usable (the control keeps its default).
  C.raceFromLink = function (search) {
    var nu = noUpdate();
    var out = [nu, nu, nu, nu, nu, nu, nu];
    if (!config()) return out;
    var link = parse(search).link;
    var r = link.settings;
    var given = link.given;
    if (given.landscape) out[0] = r.landscape;
    if (given.landscape_seed) {
      out[1] = r.landscape_seed;
      out[2] = 'layout #' + r.landscape_seed;
    }
    if (given.budget) out[3] = r.budget;
    if (given.seed) out[4] = r.seed;
    if (given.dims) out[5] = r.dims;
    if (given.workers) out[6] = r.workers;
    return out;
  };

  // A disabled slider drops a new value, and "Fixed" enables it only once its callback has
  // run: set the link's length scale when the slider is enabled (a few frames at most).
  function setLengthScale(logValue, tries) {
    var thumb = document.querySelector('#bayes-ls [role="slider"]');
    var ready = thumb && thumb.getAttribute('aria-disabled') !== 'true' &&
      !thumb.hasAttribute('data-disabled');
    if (ready || (tries || 0) > 120) {
      setProps('bayes-ls', {value: logValue});
      return;
    }
    window.requestAnimationFrame(function () {
      setLengthScale(logValue, (tries || 0) + 1);
    });
  }

  function showNotice(problems) {
    var box = el('link-notice');
    if (!box) return;
    var body = box.querySelector('.notice-body');
    body.textContent = '';
    if (!problems.length) {
      box.hidden = true;
      return;
    }
    var head = document.createElement('p');
    head.className = 'notice-head';
    head.textContent = problems.length === 1
      ? 'One part of this link could not be used:'
      : problems.length + ' parts of this link could not be used:';
    body.appendChild(head);
    var list = document.createElement('ul');
    problems.forEach(function (p) {
      var item = document.createElement('li');
      var name = document.createElement('code');
      name.textContent = p.value === null ? p.param : p.param + '=' + clip(p.value);
      item.appendChild(name);
      var text = ' ' + p.why;
      if (p.fallback !== null && p.fallback !== undefined) {
        text += ' — using ' + (p.param === 'theme' ? 'your system\'s theme' : p.fallback) + '.';
      } else {
        text += ' — ignored.';
      }
      item.appendChild(document.createTextNode(text));
      list.appendChild(item);
    });
    body.appendChild(list);
    box.hidden = false;
  }

  // ------------------------------------------------------------------ writing the link

  function viewQuery() {
    var cfg = config();
    var def = cfg ? cfg.defaults : {};
    var s = C.state;
    var hide = {};
    Object.keys(C.hidden).forEach(function (k) {
      hide[k + '_hide'] = C.hidden[k] ? 1 : null;
    });
    return Object.assign({
      view: s.view && s.view !== def.view ? s.view : null,
      speed: s.speed !== undefined && s.speed !== null && Number(s.speed) !== def.speed
        ? s.speed : null,
      tab: s.tab && s.tab !== def.tab ? s.tab : null,
      presenter: C.presenter ? 1 : null,
      theme: C.themeChosen ? C.theme : null,
    }, hide);
  }

  // The full link: every race setting written out (so it replays even if defaults change).
  function fullLink() {
    var R = T.race();
    if (R && R.settings) window.hpoCodec.write(window.hpoCodec.fromRequest(R.settings));
    writeQuery(viewQuery());
    return window.location.href;
  }
  C.fullLink = fullLink;

  // ------------------------------------------------------------------ Dash entry points

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoClassroom = {
    // On page load: a link's Bayesian and view settings, presenter/theme/hidden controls,
    // and the notice. The race settings come from the same parse via race.js.
    fromLink: function (search) {
      if (!config()) return noUpdate();
      var p = parse(search);
      var link = p.link;
      var b = link.options.bayes || {};
      if (b.acquisition !== undefined) setProps('bayes-acq', {value: b.acquisition});
      if (b.xi !== undefined) setProps('bayes-xi', {value: b.xi});
      if (b.kappa !== undefined) setProps('bayes-kappa', {value: b.kappa});
      if (b.kernel !== undefined) setProps('bayes-kernel', {value: b.kernel});
      if (b.edge_prior !== undefined) setProps('bayes-edges', {value: b.edge_prior ? 'on' : 'off'});
      if (b.length_scale !== undefined) {
        if (b.length_scale === null) setProps('bayes-ls-mode', {value: 'fitted'});
        else {
          setProps('bayes-ls-mode', {value: 'fixed'});
          setLengthScale(Math.log10(b.length_scale));
        }
      }
      if (b.n_initial !== undefined) setProps('bayes-init', {value: b.n_initial});
      // other racers' options have no panel: they ride along in a store
      var others = {};
      Object.keys(link.options).forEach(function (name) {
        if (name !== 'bayes') others[name] = link.options[name];
      });
      // a store has no DOM element: set it directly
      if (Object.keys(others).length) {
        window.dash_clientside.set_props('racer-options', {data: others});
      }
      var v = p.view;
      if (v.view !== undefined) setProps('bayes-view', {value: v.view});
      if (v.speed !== undefined) setProps('speed-select', {value: v.speed});
      if (v.tab !== undefined) setProps('side-tab', {value: v.tab});
      if (v.presenter !== undefined) C.presenter = v.presenter;
      if (v.theme !== undefined) {
        C.theme = v.theme;
        C.themeChosen = true;
      }
      C.hidden = p.hide;
      C.applyModes();
      showNotice(p.problems);
      if (p.problems.length) {
        // the address keeps only what is used: unusable parts are dropped
        var drop = {};
        p.problems.forEach(function (pr) {
          drop[pr.param] = null;
        });
        writeQuery(drop);
      }
      return noUpdate();
    },

    // The view settings changed: remember them and write them into the address.
    toLink: function (bayes, view, speed, tab) {
      C.state.bayes = bayes;
      C.state.view = view;
      C.state.speed = speed;
      C.state.tab = tab;
      writeQuery(viewQuery());
      return noUpdate();
    },
  };

  // Test hooks.
  C.api = {
    parse: function (search) {
      return parse(search);
    },
  };
})();
