/*
 * hpo-race: classroom tools. Full-state links (read with a notice for anything unusable,
 * written back as the settings change), hidden controls (?budget_hide=1), presenter mode and
 * light/dark themes (CSS for the page, Plotly.update for the plots), keyboard shortcuts with a
 * help overlay, predict-the-winner, Copy link, the export menu, a polite live region that
 * summarises the race at milestones, and accessibility fixes for Dash 4's option lists and
 * dropdowns.
 *
 * Loads before race.js (assets load in name order): race.js asks window.hpoClassroom for the
 * race settings of a link, so there is one parser. Everything else follows race.js through
 * window.hpoRacePlugins (called after each render) and #app-root's data-state.
 */
(function () {
  'use strict';

  var VIEW_KEYS = ['view', 'speed', 'tab', 'presenter', 'theme'];
  var FONT_SCALE = 1.3; // presenter mode: type
  var MARK_SCALE = 1.45; // presenter mode: markers and lines
  var MARGIN_ADD = {
    panel: {l: 14, r: 10, t: 8, b: 12},
    best: {l: 12, r: 36, t: 8, b: 14},
  };

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

  // ------------------------------------------------------------------ helpers

  var el = window.hpoDom.el;
  var root = window.hpoDom.root;

  function race() {
    return window.hpoRace || null;
  }

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  function setProps(id, props) {
    if (el(id)) window.dash_clientside.set_props(id, props);
  }

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

  function fmt(n) {
    return Math.round(n).toLocaleString('en-US');
  }

  function clip(text) {
    text = String(text);
    return text.length > 24 ? text.slice(0, 24) + '…' : text;
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

  function typing(target) {
    var tag = target && target.tagName ? target.tagName.toLowerCase() : '';
    if (tag === 'input' || tag === 'textarea' || tag === 'select') return true;
    if (target && target.isContentEditable) return true;
    return !!(target && target.closest && target.closest('[role="listbox"], .dash-dropdown-wrapper'));
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

  // race.js (settingsFromLinkOrDice): the race settings of a link, as its outputs
  // [landscape, landscape seed, seed label, budget, seed]; no_update where the link says
  // nothing usable (the control keeps its default).
  C.raceFromLink = function (search) {
    var nu = noUpdate();
    var out = [nu, nu, nu, nu, nu];
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
    var R = race();
    if (R && R.settings) window.hpoCodec.write(window.hpoCodec.fromRequest(R.settings));
    writeQuery(viewQuery());
    return window.location.href;
  }
  C.fullLink = fullLink;

  // ------------------------------------------------------------------ presenter, theme, hide

  function applyModes() {
    var html = document.documentElement;
    html.setAttribute('data-theme', C.theme);
    html.setAttribute('data-presenter', C.presenter ? 'true' : 'false');
    html.setAttribute('data-hide', Object.keys(C.hidden).filter(function (k) {
      return C.hidden[k];
    }).join(' '));
    var p = el('presenter-toggle');
    if (p) p.setAttribute('aria-pressed', C.presenter ? 'true' : 'false');
    var t = el('theme-toggle');
    if (t) t.setAttribute('aria-pressed', C.theme === 'dark' ? 'true' : 'false');
    hideRules();
    styleAll();
  }

  // One CSS rule per hideable control, from the server's list (app/classroom.py HIDEABLE).
  function hideRules() {
    var cfg = config();
    if (!cfg || el('classroom-hide-rules')) return;
    var css = Object.keys(cfg.hideable).map(function (name) {
      return cfg.hideable[name].split(',').map(function (sel) {
        return 'html[data-hide~="' + name + '"] ' + sel.trim();
      }).join(', ') + ' { display: none !important; }';
    }).join('\n');
    var style = document.createElement('style');
    style.id = 'classroom-hide-rules';
    style.textContent = css;
    document.head.appendChild(style);
  }

  function systemTheme() {
    try {
      return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    } catch (err) {
      return 'light';
    }
  }

  // Before the page renders: theme and presenter mode from the address (no flash of light).
  (function early() {
    var q = new URLSearchParams(window.location.search);
    var theme = String(q.get('theme') || '').toLowerCase();
    C.themeChosen = theme === 'light' || theme === 'dark';
    C.theme = C.themeChosen ? theme : systemTheme();
    C.presenter = flag(q.get('presenter')) === true;
    document.documentElement.setAttribute('data-theme', C.theme);
    document.documentElement.setAttribute('data-presenter', C.presenter ? 'true' : 'false');
    try {
      window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () {
        if (C.themeChosen) return;
        C.theme = systemTheme();
        applyModes();
      });
    } catch (err) {
      /* old browsers: the theme stays as it was */
    }
  })();

  function togglePresenter() {
    C.presenter = !C.presenter;
    applyModes();
    writeQuery({presenter: C.presenter ? 1 : null});
    announce(C.presenter ? 'Presenter mode on.' : 'Presenter mode off.');
  }

  function toggleTheme() {
    C.theme = C.theme === 'dark' ? 'light' : 'dark';
    C.themeChosen = true;
    applyModes();
    writeQuery({theme: C.theme});
    announce(C.theme === 'dark' ? 'Dark theme.' : 'Light theme.');
  }

  function toggleFullscreen() {
    try {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (document.documentElement.requestFullscreen) {
        var p = document.documentElement.requestFullscreen();
        if (p && p.catch) {
          p.catch(function () {
            announce('Full screen is not allowed here: use the browser\'s own (F11).');
          });
        }
      }
    } catch (err) {
      /* full screen refused (an embedding frame): nothing else to do */
    }
  }

  // ------------------------------------------------------------------ styling the plots

  function get(obj, path) {
    var parts = path.split('.');
    for (var i = 0; i < parts.length; i++) {
      if (obj === null || obj === undefined) return undefined;
      obj = obj[parts[i]];
    }
    return obj;
  }

  function snapshotLayout(L) {
    var b = {font: get(L, 'font.size'), fontColour: get(L, 'font.color'), axes: {},
      legend: get(L, 'legend.font.size'), plotBg: L.plot_bgcolor,
      legendAt: L.legend ? {orientation: L.legend.orientation, x: L.legend.x,
        xanchor: L.legend.xanchor, y: L.legend.y, yanchor: L.legend.yanchor} : null,
      margin: L.margin ? {l: L.margin.l, r: L.margin.r, t: L.margin.t, b: L.margin.b} : null,
      ann: [], shapes: []};
    Object.keys(L).forEach(function (k) {
      if (!/^[xy]axis\d*$/.test(k) || !L[k]) return;
      b.axes[k] = {tick: get(L[k], 'tickfont.size'), tickColour: get(L[k], 'tickfont.color'),
        title: get(L[k], 'title.font.size'), titleColour: get(L[k], 'title.font.color'),
        grid: L[k].gridcolor};
    });
    (L.annotations || []).forEach(function (a, i) {
      b.ann[i] = {size: get(a, 'font.size'), colour: get(a, 'font.color')};
    });
    (L.shapes || []).forEach(function (s, i) {
      b.shapes[i] = {colour: get(s, 'line.color'), width: get(s, 'line.width')};
    });
    return b;
  }

  // The app's light plot colours -> the dark theme's (by value: ink, muted, grid, white).
  function colour(c) {
    if (C.theme !== 'dark' || typeof c !== 'string') return c;
    var cfg = config();
    if (!cfg) return c;
    var light = cfg.plot.light, dark = cfg.plot.dark;
    var v = c.toLowerCase();
    if (v === light.ink.toLowerCase()) return dark.ink;
    if (v === light.muted.toLowerCase()) return dark.muted;
    if (v === light.grid.toLowerCase()) return dark.grid;
    if (v === '#ffffff' || v === '#fff' || v === 'white') return dark.plot_bg;
    return c;
  }

  function graphKind(id) {
    if (id === 'best-plot') return 'best';
    if (/^(panel|landscape|model|draw)-/.test(id)) return 'panel';
    return 'plain';
  }

  function styleGraph(g, force) {
    if (!g || !g._fullLayout || !Array.isArray(g.data) || !g.layout) return;
    var sig = (C.presenter ? 'P' : '-') + C.theme;
    if (!force && g.__hpoData === g.data && g.__hpoLayout === g.layout && g.__hpoSig === sig) {
      return;
    }
    g.__hpoData = g.data;
    g.__hpoLayout = g.layout;
    g.__hpoSig = sig;
    var host = g.closest('[id]');
    var kind = graphKind(host ? host.id : '');
    var L = g.layout;
    var b = L._hpoBase || (L._hpoBase = snapshotLayout(L));
    var k = C.presenter ? FONT_SCALE : 1;
    var cfg = config();
    var ink = colour(cfg ? cfg.plot.light.ink : '#1d2433');
    var lu = {};
    var size = function (v) {
      return typeof v === 'number' ? Math.round(v * k * 10) / 10 : undefined;
    };
    if (b.font !== undefined) lu['font.size'] = size(b.font);
    lu['font.color'] = b.fontColour ? colour(b.fontColour) : ink;
    Object.keys(b.axes).forEach(function (ax) {
      var a = b.axes[ax];
      if (a.tick !== undefined) lu[ax + '.tickfont.size'] = size(a.tick);
      if (a.tickColour !== undefined) lu[ax + '.tickfont.color'] = colour(a.tickColour);
      if (a.title !== undefined) lu[ax + '.title.font.size'] = size(a.title);
      lu[ax + '.title.font.color'] = a.titleColour !== undefined ? colour(a.titleColour) : ink;
      if (a.grid !== undefined) lu[ax + '.gridcolor'] = colour(a.grid);
    });
    if (b.legend !== undefined) lu['legend.font.size'] = size(b.legend);
    if (kind === 'best' && b.legendAt) {
      // presenter: the larger legend goes down the right margin, clear of the status line
      var at = C.presenter ? {orientation: 'v', x: 1.01, xanchor: 'left', y: 0, yanchor: 'bottom'}
        : b.legendAt;
      Object.keys(at).forEach(function (k) {
        lu['legend.' + k] = at[k];
      });
      // four racers must fit under the optimum's labels in the margin
      if (C.presenter && b.legend !== undefined) lu['legend.font.size'] = Math.round(b.legend * 1.15);
    }
    if (b.plotBg !== undefined && !/rgba\(0, ?0, ?0, ?0\)|transparent/.test(String(b.plotBg))) {
      lu.plot_bgcolor = colour(b.plotBg);
    }
    b.ann.forEach(function (a, i) {
      if (!L.annotations || !L.annotations[i]) return;
      if (a.size !== undefined) lu['annotations[' + i + '].font.size'] = size(a.size);
      if (a.colour !== undefined) lu['annotations[' + i + '].font.color'] = colour(a.colour);
    });
    b.shapes.forEach(function (s, i) {
      if (!L.shapes || !L.shapes[i]) return;
      if (s.colour !== undefined) lu['shapes[' + i + '].line.color'] = colour(s.colour);
      if (typeof s.width === 'number') {
        lu['shapes[' + i + '].line.width'] = C.presenter ? s.width * 1.3 : s.width;
      }
    });
    var add = MARGIN_ADD[kind];
    if (b.margin && add) {
      ['l', 'r', 't', 'b'].forEach(function (side) {
        if (typeof b.margin[side] === 'number') {
          lu['margin.' + side] = b.margin[side] + (C.presenter ? add[side] : 0);
        }
      });
    }
    // markers and lines: scaled from each trace's own size (array sizes are race.js's)
    var sizes = [], lines = [], rims = [], idx = [];
    var m = C.presenter ? MARK_SCALE : 1;
    g.data.forEach(function (t, i) {
      if (t.type && t.type !== 'scatter' && t.type !== 'scattergl') return;
      var base = t._hpoBase || (t._hpoBase = {size: get(t, 'marker.size'),
        rim: get(t, 'marker.line.width'), line: get(t, 'line.width')});
      idx.push(i);
      sizes.push(typeof base.size === 'number' ? base.size * m : undefined);
      rims.push(typeof base.rim === 'number' ? base.rim * (C.presenter ? 1.3 : 1) : undefined);
      lines.push(typeof base.line === 'number' ? base.line * m : undefined);
    });
    var tu = {};
    if (idx.length) {
      tu['marker.size'] = sizes;
      tu['marker.line.width'] = rims;
      tu['line.width'] = lines;
    }
    try {
      if (idx.length) Plotly.update(g, tu, lu, idx);
      else Plotly.relayout(g, lu);
    } catch (err) {
      /* a graph being replaced right now: styled again when it is drawn */
    }
  }

  function graphs() {
    return Array.prototype.slice.call(document.querySelectorAll('#app-root .js-plotly-plot'));
  }

  function styleAll() {
    graphs().forEach(function (g) {
      styleGraph(g, true);
    });
    // overlays that follow the plot areas (the scrubber, the fog) are placed on a render
    clearTimeout(C.refit);
    C.refit = setTimeout(function () {
      var R = race();
      if (!R) return;
      (window.hpoRacePlugins || []).forEach(function (plugin) {
        try {
          plugin(R, true);
        } catch (err) {
          /* a plugin's own problem: it is not ours to stop the others */
        }
      });
    }, 60);
  }

  function hookGraphs() {
    graphs().forEach(function (g) {
      if (g.__hpoClassroom || typeof g.on !== 'function' || !g._fullLayout) return;
      g.__hpoClassroom = true;
      g.on('plotly_afterplot', function () {
        setTimeout(function () {
          styleGraph(g, false);
        }, 0);
      });
      styleGraph(g, false);
    });
  }

  // ------------------------------------------------------------------ PNG of a whole panel

  // A panel is a stack of graphs (landscape behind, probes in front): its toolbar's camera
  // would photograph only the front layer. For the moment of the click, the front graph
  // holds the landscape's traces and axes too, so the PNG shows the panel as it looks.
  function panelSnapshot(e) {
    var btn = e.target.closest && e.target.closest('.modebar-btn');
    if (!btn) return;
    var title = (btn.getAttribute('data-title') || '').toLowerCase();
    if (title.indexOf('png') < 0) return;
    var host = btn.closest('.layer-probes');
    var front = host && host.querySelector('.js-plotly-plot');
    if (!front || !host.id) return;
    var back = el(host.id.replace('panel-', 'landscape-'));
    var bg = back && back.querySelector('.js-plotly-plot');
    if (!bg || !bg.data) return;
    var r = root();
    var revealed = r && r.getAttribute('data-revealed') === 'true';
    var saved = {data: front.data, layout: front.layout};
    var layout = JSON.parse(JSON.stringify(bg.layout));
    layout.paper_bgcolor = C.theme === 'dark' ? '#1b2230' : '#ffffff';
    var data = (revealed ? bg.data.slice() : []).concat(front.data);
    if (!revealed) layout.plot_bgcolor = '#2a303c';
    front.data = data;
    front.layout = layout;
    var restore = function () {
      if (front.data === data) {
        front.data = saved.data;
        front.layout = saved.layout;
      }
    };
    setTimeout(restore, 0);
    document.addEventListener('click', restore, {once: true});
  }

  // ------------------------------------------------------------------ the live summary

  function announce(text) {
    var box = el('race-live');
    if (!box) return;
    box.textContent = '';
    setTimeout(function () {
      box.textContent = text;
    }, 30);
  }

  // The race summary's rule (race.js summary()): first to 95% of the optimum on the shared
  // clock; a tie goes to the earlier panel. null when nobody got there.
  function winner(v) {
    var first = null;
    for (var k = 0; k < v.order.length; k++) {
      var s = v.strategies[v.order[k]];
      if (s.hit !== null && s.hit !== undefined && (!first || s.clock[s.hit] < first.at)) {
        first = {name: v.order[k], at: s.clock[s.hit]};
      }
    }
    return first;
  }
  C.winner = winner;

  function bestLine(R) {
    var v = R.view;
    return v.order.map(function (name) {
      var n = R.shown[name] || 0;
      var s = v.strategies[name];
      return shortName(name) + ' ' + (n ? s.best[n - 1].toFixed(3) : 'none yet');
    }).join(', ');
  }

  function finishText(R) {
    var v = R.view;
    var w = winner(v);
    var top = null;
    v.order.forEach(function (name) {
      var s = v.strategies[name];
      var fin = s.best.length ? s.best[s.best.length - 1] : -Infinity;
      if (!top || fin > top.best) top = {name: name, best: fin};
    });
    var text = 'Race finished. ';
    text += w ? 'First to 95% of the optimum: ' + shortName(w.name) + ', at minute ' + fmt(w.at) +
      '. ' : 'Nobody reached 95% of the optimum. ';
    if (top) text += 'Best final score: ' + shortName(top.name) + ', ' + top.best.toFixed(3) + '.';
    return text;
  }

  function onState(state) {
    var R = race();
    var prev = C.lastState;
    C.lastState = state;
    if (state === prev) return;
    var v = R && R.view;
    if (state === 'playing' && v) {
      if (R.t < 1e-6) {
        var banner = el('predict-result');
        if (banner) banner.hidden = true;
        var cfg = config();
        var title = cfg && cfg.titles[v.landscape] ? cfg.titles[v.landscape] : v.landscape;
        announce('Race started on ' + title + ': ' + fmt(v.budget) + ' GPU minutes each.');
      } else {
        announce('Resumed at minute ' + fmt(R.t) + '.');
      }
    } else if (state === 'paused' && v && prev === 'playing') {
      announce('Paused at minute ' + fmt(R.t) + '. Best so far: ' + bestLine(R) + '.');
    } else if (state === 'finished' && v) {
      var result = judge(R);
      announce(finishText(R) + (result ? ' ' + result : ''));
    } else if (state === 'idle' && (prev === 'playing' || prev === 'paused' ||
        prev === 'finished')) {
      clearResult();
      announce('Reset: ready to race.');
    }
    lockPredictions(state);
  }

  // Per render (race.js plugin): a strategy reaching 95% of the optimum; a Step's trial.
  function follow(R, force) {
    if (!R.view) {
      C.hits = {};
      C.lastShown = {};
      C.lastT = 0;
      return;
    }
    if (R.t < C.lastT - 1e-9) C.hits = {}; // the clock went back: milestones count again
    var v = R.view;
    var news = [];
    v.order.forEach(function (name) {
      var s = v.strategies[name];
      var n = R.shown[name] || 0;
      if (s.hit !== null && s.hit !== undefined && n > s.hit && !C.hits[name] && !R.finished) {
        C.hits[name] = true;
        news.push(strategyName(name) + ' reached 95% of the optimum at minute ' +
          fmt(s.clock[s.hit]) + '.');
      }
    });
    var stepped = force && !R.playing && !R.finished && R.t > C.lastT + 1e-9;
    if (stepped) {
      var trials = [];
      v.order.forEach(function (name) {
        var n = R.shown[name] || 0;
        var before = C.lastShown[name] || 0;
        if (n === before + 1) {
          var s = v.strategies[name];
          trials.push(shortName(name) + ' trial ' + n + ' scored ' + s.score[n - 1].toFixed(3));
        }
      });
      if (trials.length) news.unshift('Minute ' + fmt(R.t) + ': ' + trials.join('; ') + '.');
    }
    if (news.length) announce(news.join(' '));
    C.lastT = R.t;
    C.lastShown = Object.assign({}, R.shown);
  }

  window.hpoRacePlugins = window.hpoRacePlugins || [];
  window.hpoRacePlugins.push(follow);

  // ------------------------------------------------------------------ predict the winner

  function pickLabel() {
    var label = document.querySelector('#predict-button .tool-label');
    if (!label) return;
    label.textContent = C.pick ? 'Pick: ' + (C.pick === 'nobody' ? 'nobody' : shortName(C.pick))
      : 'Predict';
    var btn = el('predict-button');
    if (btn) btn.classList.toggle('picked', !!C.pick);
  }

  function lockPredictions(state) {
    var locked = state === 'playing' || state === 'paused' || state === 'finished' ||
      state === 'loading';
    var dialog = el('predict-dialog');
    if (!dialog) return;
    dialog.classList.toggle('locked', locked);
    var hint = dialog.querySelector('.predict-hint');
    if (hint) {
      hint.textContent = locked
        ? (state === 'finished' ? 'This race is over: Reset or change a setting to predict again.'
          : 'The race is on: predictions are locked until it ends or is reset.')
        : 'Pick before ▷ Run search: the answer appears when the race ends.';
    }
    dialog.querySelectorAll('.choice').forEach(function (b) {
      b.disabled = locked;
      b.setAttribute('aria-pressed', b.getAttribute('data-choice') === C.pick ? 'true' : 'false');
    });
  }

  function choose(name) {
    C.pick = name;
    C.judged = false;
    pickLabel();
    lockPredictions(C.lastState);
    closeDialog('predict-dialog');
    announce('Prediction: ' + (name === 'nobody' ? 'nobody reaches 95% of the optimum.'
      : strategyName(name) + ' gets there first.'));
  }

  function judge(R) {
    if (!C.pick || !R.view) return '';
    var w = winner(R.view);
    var right = w ? C.pick === w.name : C.pick === 'nobody';
    var picked = C.pick === 'nobody' ? 'nobody' : strategyName(C.pick);
    var truth = w ? strategyName(w.name) + ' reached 95% of the optimum first, at GPU minute ' +
      fmt(w.at) + '.' : 'nobody reached 95% of the optimum within the budget.';
    var text = right ? 'You were right! ' + truth.charAt(0).toUpperCase() + truth.slice(1)
      : 'Not this time. You picked ' + picked + (w ? '; ' : ', but ') + truth;
    var box = el('predict-result');
    if (box) {
      box.querySelector('.result-mark').textContent = right ? '✓' : '✗';
      box.querySelector('.result-text').textContent = text;
      box.setAttribute('data-verdict', right ? 'right' : 'wrong');
      box.hidden = false;
    }
    C.judged = true;
    return text;
  }

  function clearResult() {
    var box = el('predict-result');
    if (box) box.hidden = true;
    if (C.judged) {
      C.pick = null;
      C.judged = false;
      pickLabel();
    }
  }

  // ------------------------------------------------------------------ dialogs

  function focusables(box) {
    return Array.prototype.slice.call(box.querySelectorAll(
      'button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex="-1"])'
    )).filter(function (n) {
      return n.offsetParent !== null;
    });
  }

  function openDialog(id) {
    var overlay = el(id);
    if (!overlay) return;
    closeAll(id);
    C.opener = document.activeElement;
    overlay.hidden = false;
    if (id === 'predict-dialog') lockPredictions(C.lastState);
    var list = focusables(overlay);
    var first = overlay.querySelector('.choice[aria-pressed="true"]:not([disabled])') ||
      overlay.querySelector('.choice:not([disabled])') || list[0];
    if (first) first.focus();
  }

  function closeDialog(id) {
    var overlay = el(id);
    if (!overlay || overlay.hidden) return;
    overlay.hidden = true;
    var back = C.opener;
    C.opener = null;
    if (back && back.focus && document.contains(back)) back.focus();
  }

  function openDialogId() {
    var open = document.querySelector('.overlay:not([hidden])');
    return open ? open.id : null;
  }

  function closeAll(except) {
    ['shortcuts-dialog', 'predict-dialog'].forEach(function (id) {
      if (id !== except) closeDialog(id);
    });
    document.querySelectorAll('details.tool-menu[open]').forEach(function (d) {
      d.open = false;
    });
    var fb = el('share-fallback');
    if (fb) fb.hidden = true;
  }

  // ------------------------------------------------------------------ Copy link

  function copied(btn) {
    var label = btn.querySelector('.tool-label');
    if (!label) return;
    label.textContent = 'Copied';
    btn.classList.add('done');
    announce('Link copied.');
    clearTimeout(btn.__timer);
    btn.__timer = setTimeout(function () {
      label.textContent = 'Copy link';
      btn.classList.remove('done');
    }, 2000);
  }

  function fallbackCopy(link, btn) {
    var box = el('share-fallback');
    var input = el('share-input');
    if (!box || !input) return;
    box.hidden = false;
    input.value = link;
    input.focus();
    input.select();
    var ok = false;
    try {
      ok = document.execCommand && document.execCommand('copy');
    } catch (err) {
      ok = false;
    }
    if (ok) copied(btn);
  }

  function copyLink(btn) {
    var link = fullLink();
    var clip = navigator.clipboard;
    if (clip && clip.writeText && window.isSecureContext) {
      clip.writeText(link).then(function () {
        copied(btn);
      }, function () {
        fallbackCopy(link, btn);
      });
    } else {
      fallbackCopy(link, btn); // http on a lecture-hall network: no clipboard API
    }
  }

  // ------------------------------------------------------------------ events

  // capture: before plotly's own click handler on the camera button copies the graph
  document.addEventListener('click', function (e) {
    if (e.target && e.target.closest) panelSnapshot(e);
  }, true);

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    if (t.closest('#presenter-toggle')) return togglePresenter();
    if (t.closest('#theme-toggle')) return toggleTheme();
    if (t.closest('#shortcuts-button')) return openDialog('shortcuts-dialog');
    if (t.closest('#predict-button')) return openDialog('predict-dialog');
    var btn = t.closest('#copy-link');
    if (btn) return copyLink(btn);
    var choice = t.closest('.choice');
    if (choice && !choice.disabled) return choose(choice.getAttribute('data-choice'));
    var close = t.closest('[data-close]');
    if (close) return closeDialog(close.getAttribute('data-close'));
    if (t.classList.contains('overlay')) return closeDialog(t.id); // the backdrop
    if (t.closest('.notice-close')) {
      el('link-notice').hidden = true;
      return;
    }
    if (t.closest('.result-close')) {
      el('predict-result').hidden = true;
      return;
    }
    if (t.closest('.menu-item')) {
      var status = el('export-status');
      if (status) status.textContent = 'Preparing ' + t.closest('.menu-item').textContent + '…';
      return;
    }
    // a click elsewhere folds the export menu and the link box
    var menu = document.querySelector('details.tool-menu[open]');
    if (menu && !t.closest('details.tool-menu')) menu.open = false;
    var fb = el('share-fallback');
    if (fb && !fb.hidden && !t.closest('.share')) fb.hidden = true;
  });

  // Keys: ? help, 1–9 landscape, F full screen, P presenter, T theme, Esc closes. Space, →
  // and R are race.js's. Nothing fires while typing in a box or with Ctrl/Alt/⌘ held.
  document.addEventListener('keydown', function (e) {
    var open = openDialogId();
    if (e.key === 'Escape') {
      if (open || document.querySelector('details.tool-menu[open]') ||
          (el('share-fallback') && !el('share-fallback').hidden)) {
        e.preventDefault();
        closeAll(null);
        if (open) closeDialog(open);
      }
      return;
    }
    if (open && e.key === 'Tab') {
      var list = focusables(el(open));
      if (!list.length) return;
      var i = list.indexOf(document.activeElement);
      if (e.shiftKey && i <= 0) {
        e.preventDefault();
        list[list.length - 1].focus();
      } else if (!e.shiftKey && i === list.length - 1) {
        e.preventDefault();
        list[0].focus();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var key = e.key;
    if (key === '?') {
      e.preventDefault();
      if (open === 'shortcuts-dialog') closeDialog(open);
      else openDialog('shortcuts-dialog');
      return;
    }
    if (open) return; // a dialog is up: its own buttons only
    var lower = key && key.length === 1 ? key.toLowerCase() : key;
    if (/^[1-9]$/.test(key)) {
      var cfg = config();
      var name = cfg && cfg.landscapes[Number(key) - 1];
      if (!name || C.hidden.landscape) return;
      e.preventDefault();
      setProps('landscape-select', {value: name});
      announce('Landscape: ' + (cfg.titles[name] || name) + '.');
    } else if (lower === 'f') {
      e.preventDefault();
      toggleFullscreen();
    } else if (lower === 'p' && !C.hidden.presenter) {
      e.preventDefault();
      togglePresenter();
    } else if (lower === 't' && !C.hidden.theme) {
      e.preventDefault();
      toggleTheme();
    }
  });

  // ------------------------------------------------------------------ accessibility fixes

  // Dash 4's RadioItems / Checklist render role="listbox" with role="option" labels around
  // real inputs (nested interactive controls, no group name); its Dropdown keeps an
  // aria-hidden focus proxy. Turn them into named radio groups / groups and named proxies.
  var GROUP_NAMES = {
    'speed-select': 'Animation speed',
    'reveal-toggle': 'Reveal landscape',
    'bayes-view': 'What the Bayesian panel shows',
    'side-tab': 'Side card',
    'bayes-acq': 'Acquisition function',
    'bayes-kernel': 'Kernel',
    'bayes-ls-mode': 'Length scale',
    'many-vary': 'New layout for each seed',
  };

  var SLIDER_NAMES = {
    'bayes-ls': 'Fixed length scale (log scale)',
    'draw-height': 'Height of the newest peak',
  };

  function labelText(id) {
    var label = id && document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.trim() : '';
  }

  function patchA11y() {
    document.querySelectorAll('.dash-options-list').forEach(function (list) {
      if (list.closest('.dash-dropdown-options, .dash-dropdown-content')) return; // a menu
      var radio = !!list.querySelector('input[type="radio"]');
      var want = radio ? 'radiogroup' : 'group';
      if (list.getAttribute('role') !== want) list.setAttribute('role', want);
      if (!list.getAttribute('aria-label') && !list.getAttribute('aria-labelledby')) {
        var holder = list.closest('[title]');
        var name = GROUP_NAMES[list.id] || labelText(list.id) ||
          (holder ? holder.getAttribute('title') : '') || list.textContent.trim();
        list.setAttribute('aria-label', name.slice(0, 80));
      }
      list.querySelectorAll('[role="option"], [aria-selected]').forEach(function (opt) {
        opt.removeAttribute('role');
        opt.removeAttribute('aria-selected');
      });
    });
    // Dash 4 sliders: the thumb (role="slider") gets its control's name
    document.querySelectorAll('[role="slider"]').forEach(function (thumb) {
      if (thumb.getAttribute('aria-label') || thumb.getAttribute('aria-labelledby')) return;
      var host = thumb.closest('[id]');
      var holder = thumb.closest('[title]');
      var name = (host && (SLIDER_NAMES[host.id] || labelText(host.id))) ||
        (holder ? holder.getAttribute('title') : '') || 'Slider';
      thumb.setAttribute('aria-label', name.slice(0, 80));
    });
    document.querySelectorAll('.dash-dropdown-wrapper').forEach(function (wrap) {
      var button = wrap.querySelector('button.dash-dropdown');
      var proxy = wrap.querySelector('.dash-dropdown-focus-target');
      var label = button && button.id && document.querySelector('label[for="' + button.id + '"]');
      if (label && !label.id) label.id = button.id + '-label';
      if (button && label) {
        var by = button.getAttribute('aria-labelledby') || '';
        if (by.split(' ').indexOf(label.id) < 0) {
          button.setAttribute('aria-labelledby', (label.id + ' ' + by).trim());
        }
      }
      if (proxy && proxy.getAttribute('aria-hidden') === 'true') {
        proxy.removeAttribute('aria-hidden');
        proxy.setAttribute('aria-label', label ? label.textContent.trim() : 'Choose');
      }
    });
  }

  var observed = new WeakSet();
  function watchLists() {
    document.querySelectorAll('.dash-options-list').forEach(function (list) {
      if (observed.has(list) || list.closest('.dash-dropdown-options, .dash-dropdown-content')) {
        return;
      }
      observed.add(list);
      new MutationObserver(patchA11y).observe(list, {
        attributes: true, attributeFilter: ['role', 'aria-selected'], subtree: true,
        childList: true,
      });
    });
  }

  // New graphs, lists and dropdowns (a fourth panel, a re-rendered control): a light scan.
  setInterval(function () {
    hookGraphs();
    patchA11y();
    watchLists();
  }, 1000);

  // The state machine of the race (race.js sets data-state on #app-root).
  (function watchState() {
    var tries = 0;
    var timer = setInterval(function () {
      var r = root();
      tries++;
      if (!r && tries < 600) return;
      clearInterval(timer);
      if (!r) return;
      new MutationObserver(function () {
        onState(r.getAttribute('data-state') || 'idle');
      }).observe(r, {attributes: true, attributeFilter: ['data-state']});
      hookGraphs();
      patchA11y();
      watchLists();
      applyModes();
    }, 50);
  })();

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
      applyModes();
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
