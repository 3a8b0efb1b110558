/*
 * The plots in the page's modes: every Plotly graph restyled for the theme (light colours
 * swapped for the dark theme's, by value) and for presenter mode (larger type, markers and
 * lines, wider margins), from a snapshot of each figure's own sizes. theme.js sets the modes.
 */
(function () {
  'use strict';

  var C = window.hpoClassroom;
  var T = C.tools;
  var config = T.config;
  var race = T.race;

  var FONT_SCALE = 1.3; // presenter mode: type
  var MARK_SCALE = 1.45; // presenter mode: markers and lines
  var MARGIN_ADD = {
    panel: {l: 20, r: 10, t: 8, b: 14}, // l, b: room for the rugs' larger ticks too
    best: {l: 12, r: 36, t: 8, b: 14},
  };

  // Large screens: the plots' type, markers and margins grow with the viewport like the
  // page's type (scale.css: 1 at 1366 x 768 and below, up to 3.2 on a 4K projector).
  function viewScale() {
    var u = Math.min(window.innerWidth, window.innerHeight * 1.778) / 1366;
    return Math.round(Math.max(1, Math.min(3.2, u)) * 100) / 100;
  }

  // A phone's plots keep their type, margins and the legend above the plot in presenter mode
  // too (screens.css: < 640 px): the plot area needs the width.
  function narrow() {
    return window.innerWidth < 640;
  }

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
        grid: L[k].gridcolor, standoff: L[k].ticklabelstandoff};
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
    var vs = viewScale();
    var wide = !narrow();
    var sig = (C.presenter ? 'P' : '-') + C.theme + vs + wide;
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
    var k = (C.presenter && wide ? FONT_SCALE : 1) * vs;
    var cfg = config();
    var ink = colour(cfg ? cfg.plot.light.ink : '#1d2433');
    var lu = {};
    var size = function (v) {
      return typeof v === 'number' ? Math.round(v * k * 10) / 10 : undefined;
    };
    if (b.font !== undefined) lu['font.size'] = size(b.font);
    lu['font.color'] = b.fontColour ? colour(b.fontColour) : ink;
    var m = (C.presenter ? MARK_SCALE : 1) * vs;
    Object.keys(b.axes).forEach(function (ax) {
      var a = b.axes[ax];
      if (a.tick !== undefined) lu[ax + '.tickfont.size'] = size(a.tick);
      // the panels' labels stand clear of their rugs, which grow like the markers (a phone's
      // margins do not grow in presenter mode: there they keep their own standoff)
      if (typeof a.standoff === 'number') {
        lu[ax + '.ticklabelstandoff'] = Math.round(a.standoff * (wide ? m : vs));
      }
      if (a.tickColour !== undefined) lu[ax + '.tickfont.color'] = colour(a.tickColour);
      if (a.title !== undefined) lu[ax + '.title.font.size'] = size(a.title);
      lu[ax + '.title.font.color'] = a.titleColour !== undefined ? colour(a.titleColour) : ink;
      if (a.grid !== undefined) lu[ax + '.gridcolor'] = colour(a.grid);
    });
    if (b.legend !== undefined) lu['legend.font.size'] = size(b.legend);
    if (kind === 'best' && b.legendAt) {
      // presenter: the larger legend goes along the top, right-aligned over the plot (down the
      // right margin it ran into the optimum's and 95%'s labels once the plot was short)
      var at = C.presenter && wide ? {orientation: 'h', x: 1, xanchor: 'right', y: 1, yanchor: 'bottom'}
        : b.legendAt;
      Object.keys(at).forEach(function (k) {
        lu['legend.' + k] = at[k];
      });
      // four racers must fit under the optimum's labels in the margin
      if (C.presenter && b.legend !== undefined) lu['legend.font.size'] = Math.round(b.legend * 1.15 * vs);
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
          var more = C.presenter && wide ? add[side] : 0;
          lu['margin.' + side] = Math.round((b.margin[side] + more) * vs);
        }
      });
    }
    // markers and lines: scaled from each trace's own size (array sizes are race.js's)
    var sizes = [], lines = [], rims = [], texts = [], idx = [];
    g.data.forEach(function (t, i) {
      if (t.type && t.type !== 'scatter' && t.type !== 'scattergl') return;
      var base = t._hpoBase || (t._hpoBase = {size: get(t, 'marker.size'),
        rim: get(t, 'marker.line.width'), line: get(t, 'line.width'),
        text: get(t, 'textfont.size')});
      idx.push(i);
      sizes.push(typeof base.size === 'number' ? base.size * m : undefined);
      rims.push(typeof base.rim === 'number' ? base.rim * (C.presenter ? 1.3 : 1) * vs : undefined);
      lines.push(typeof base.line === 'number' ? base.line * m : undefined);
      texts.push(typeof base.text === 'number' ? size(base.text) : undefined);
    });
    var tu = {};
    if (idx.length) {
      tu['marker.size'] = sizes;
      tu['marker.line.width'] = rims;
      tu['line.width'] = lines;
      tu['textfont.size'] = texts; // the "×4" labels of stacked points (a text trace)
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

  C.styleAll = styleAll;

  // A window that crosses a size (a projector plugged in, full screen): restyled once.
  var lastScale = viewScale() + ' ' + narrow();
  window.addEventListener('resize', function () {
    clearTimeout(C.rescale);
    C.rescale = setTimeout(function () {
      var now = viewScale() + ' ' + narrow();
      if (now === lastScale) return;
      lastScale = now;
      styleAll();
    }, 150);
  });

  // New graphs (a fourth panel, a new figure): a light scan.
  setInterval(hookGraphs, 1000);
  window.hpoDom.whenRoot(hookGraphs);
})();
