/*
 * Drawing your own landscape ("✎ Your landscape", landscape "custom"): while no race is
 * loaded, every panel is a drawing surface. Press to place a peak, drag outward to set its
 * width (the ring shows it), the Height slider sets the newest peak's height. The peaks are
 * one string, "u,v,h,w;…" (unit coordinates, 3 decimals), kept in the draw-peaks store and the
 * page address; the server decodes and checks it (landscapes.custom) and draws the landscape.
 * Nothing here is ever evaluated: the string is only split into numbers.
 *
 * Contract with app/draw.py (ids) and race-player.js (window.hpoRace, the root's data-state /
 * data-strategies). layouts.js and racers.js add their entry points to hpoDraw.
 */
(function () {
  'use strict';

  var CUSTOM = 'custom';
  var DEFAULT_WIDTH = 0.1;
  var WIDTH = [0.02, 0.5];
  var CLICK_PX = 6; // a press that moves less than this is a click: default width
  var SVG = 'http://www.w3.org/2000/svg';

  var D = {
    peaks: [], // [{u, v, height, width}]
    text: '', // the store's string
    height: 0.8,
    drag: null,
    landscape: null,
    cursor: {u: 0.5, v: 0.5}, // the keyboard's cross, in the unit square
    focused: null, // the panel whose surface has the keyboard focus
  };
  window.hpoDraw = D;

  var el = window.hpoDom.el;
  var root = window.hpoDom.root;

  var noUpdate = window.hpoDom.noUpdate;
  var panels = window.hpoDom.panels;

  function maxPeaks() {
    var bar = el('draw-bar');
    var n = bar ? Number(bar.getAttribute('data-max')) : NaN;
    return isFinite(n) && n > 0 ? n : 12;
  }

  function clamp(x, lo, hi) {
    return Math.max(lo, Math.min(hi, x));
  }

  // ------------------------------------------------------------------ the peaks string

  var NUMBER = /^[+-]?\d{1,3}(\.\d{1,9})?$/;

  // Only well-formed peaks are shown; the server reports anything malformed in words.
  function parse(text) {
    var out = [];
    if (typeof text !== 'string' || !text) return out;
    var parts = text.split(';');
    for (var i = 0; i < parts.length && out.length < 64; i++) {
      var f = parts[i].split(',').map(function (s) {
        return s.trim();
      });
      if (f.length !== 4 || !f.every(function (s) { return NUMBER.test(s); })) continue;
      var p = {u: Number(f[0]), v: Number(f[1]), height: Number(f[2]), width: Number(f[3])};
      if (p.u < 0 || p.u > 1 || p.v < 0 || p.v > 1) continue;
      out.push(p);
    }
    return out;
  }

  function encode(peaks) {
    return peaks.map(function (p) {
      return [p.u, p.v, p.height, p.width].map(function (x) {
        return x.toFixed(3);
      }).join(',');
    }).join(';');
  }

  function commit(peaks) {
    D.peaks = peaks;
    D.text = encode(peaks);
    window.dash_clientside.set_props('draw-peaks', {data: D.text});
    renderAll();
  }

  // ------------------------------------------------------------------ geometry

  // The plot area of a panel (px, relative to its stage), from the landscape layer.
  function plotArea(name) {
    var host = el('landscape-' + name);
    var g = host && host.querySelector('.js-plotly-plot');
    var sz = g && g._fullLayout && g._fullLayout._size;
    if (!sz) return null;
    return {l: sz.l, t: sz.t, w: sz.w, h: sz.h};
  }

  function toUnit(area, x, y) {
    return {u: (x - area.l) / area.w, v: 1 - (y - area.t) / area.h};
  }

  function drawing() {
    var r = root();
    return !!r && r.getAttribute('data-draw') === 'on' && r.getAttribute('data-state') === 'idle';
  }

  // ------------------------------------------------------------------ rendering

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }

  function peakShape(area, p, opts) {
    var cx = area.l + p.u * area.w;
    var cy = area.t + (1 - p.v) * area.h;
    var group = svgEl('g', {class: 'peak' + (opts.newest ? ' newest' : '') +
      (opts.live ? ' live' : '')});
    group.appendChild(svgEl('ellipse', {cx: cx, cy: cy, rx: p.width * area.w,
      ry: p.width * area.h, class: 'peak-ring'}));
    group.appendChild(svgEl('circle', {cx: cx, cy: cy, r: opts.live ? 4 : 9, class: 'peak-dot'}));
    if (opts.label) {
      var t = svgEl('text', {x: cx, y: cy, class: 'peak-num', 'text-anchor': 'middle',
        'dominant-baseline': 'central'});
      t.textContent = opts.label;
      group.appendChild(t);
    }
    if (opts.note) {
      var below = cy + p.width * area.h + 14 > area.t + area.h ? cy - 16 : cy + 22;
      var n = svgEl('text', {x: cx, y: below, class: 'peak-note', 'text-anchor': 'middle'});
      n.textContent = opts.note;
      group.appendChild(n);
    }
    return group;
  }

  function render(name) {
    var box = el('draw-' + name);
    if (!box) return;
    var area = plotArea(name);
    var svg = box.querySelector('svg');
    if (!svg) {
      svg = svgEl('svg', {class: 'draw-svg', 'aria-hidden': 'true'});
      box.appendChild(svg);
    }
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (!area) {
      // the plot is not laid out yet (a slow first load): try again shortly
      box.__drawTries = (box.__drawTries || 0) + 1;
      if (!box.__drawRetry && box.__drawTries < 100) {
        box.__drawRetry = setTimeout(function () {
          box.__drawRetry = 0;
          render(name);
        }, 150);
      }
      return;
    }
    box.__drawTries = 0;
    var defs = svgEl('clipPath', {id: 'draw-clip-' + name});
    defs.appendChild(svgEl('rect', {x: area.l, y: area.t, width: area.w, height: area.h}));
    svg.appendChild(defs);
    var layer = svgEl('g', {'clip-path': 'url(#draw-clip-' + name + ')'});
    svg.appendChild(layer);
    var last = D.peaks.length - 1;
    D.peaks.forEach(function (p, i) {
      layer.appendChild(peakShape(area, p, {label: String(i + 1), newest: i === last,
        note: i === last && !D.drag ? 'height ' + p.height.toFixed(2) : ''}));
    });
    if (D.drag && D.drag.name === name && D.drag.peak) {
      var p = D.drag.peak;
      layer.appendChild(peakShape(area, p, {live: true,
        note: 'width ' + p.width.toFixed(2) + ' · height ' + p.height.toFixed(2)}));
    }
    if (D.focused === name) {
      var cx = area.l + D.cursor.u * area.w, cy = area.t + (1 - D.cursor.v) * area.h;
      var cross = svgEl('g', {class: 'draw-cursor'});
      cross.appendChild(svgEl('path', {d: 'M' + (cx - 12) + ' ' + cy + 'H' + (cx + 12) +
        'M' + cx + ' ' + (cy - 12) + 'V' + (cy + 12)}));
      var tip = svgEl('text', {x: cx, y: cy - 18, class: 'peak-note', 'text-anchor': 'middle'});
      tip.textContent = 'Enter: place a peak';
      cross.appendChild(tip);
      layer.appendChild(cross);
    }
    if (!D.peaks.length && !D.drag && D.focused !== name) {
      var hint = svgEl('text', {x: area.l + area.w / 2, y: area.t + area.h / 2,
        class: 'draw-empty', 'text-anchor': 'middle'});
      hint.textContent = 'Click to place a peak';
      svg.appendChild(hint);
    }
  }

  function renderAll() {
    panels().forEach(render);
  }

  var flashTimer = 0;

  function flash(text) {
    var hint = el('draw-hint');
    if (!hint) return;
    if (!hint.__text) hint.__text = hint.innerHTML;
    hint.textContent = text;
    hint.classList.add('flash');
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () {
      hint.innerHTML = hint.__text;
      hint.classList.remove('flash');
    }, 3500);
  }

  // ------------------------------------------------------------------ pointer drawing

  function surfaceOf(target) {
    return target && target.closest ? target.closest('.draw-surface') : null;
  }

  function local(box, e) {
    var rect = box.getBoundingClientRect();
    return {x: e.clientX - rect.left, y: e.clientY - rect.top};
  }

  document.addEventListener('pointerdown', function (e) {
    var box = surfaceOf(e.target);
    if (!box || e.button !== 0 || !drawing()) return;
    var name = box.getAttribute('data-strategy');
    var area = plotArea(name);
    if (!area) return;
    var at = local(box, e);
    var c = toUnit(area, at.x, at.y);
    if (c.u < 0 || c.u > 1 || c.v < 0 || c.v > 1) return; // on the axes, not the square
    e.preventDefault();
    if (D.peaks.length >= maxPeaks()) {
      flash(maxPeaks() + ' peaks is the most: Undo or Clear to draw another.');
      return;
    }
    D.drag = {name: name, box: box, area: area, x0: at.x, y0: at.y, moved: false,
      peak: {u: clamp(c.u, 0, 1), v: clamp(c.v, 0, 1), height: D.height, width: DEFAULT_WIDTH}};
    try {
      box.setPointerCapture(e.pointerId);
    } catch (err) {
      /* older browsers: the document still gets the moves */
    }
    render(name);
  });

  document.addEventListener('pointermove', function (e) {
    var d = D.drag;
    if (!d) return;
    var at = local(d.box, e);
    var dx = at.x - d.x0, dy = at.y - d.y0;
    if (!d.moved && Math.sqrt(dx * dx + dy * dy) < CLICK_PX) return;
    d.moved = true;
    var du = dx / d.area.w, dv = dy / d.area.h;
    d.peak.width = clamp(Math.sqrt(du * du + dv * dv), WIDTH[0], WIDTH[1]);
    render(d.name);
  });

  function endDrag(e, cancelled) {
    var d = D.drag;
    if (!d) return;
    D.drag = null;
    try {
      d.box.releasePointerCapture(e.pointerId);
    } catch (err) {
      /* not captured */
    }
    if (cancelled || !drawing()) {
      render(d.name);
      return;
    }
    var p = d.peak;
    commit(D.peaks.concat([{u: Number(p.u.toFixed(3)), v: Number(p.v.toFixed(3)),
      height: Number(p.height.toFixed(3)), width: Number(p.width.toFixed(3))}]));
  }

  document.addEventListener('pointerup', function (e) {
    endDrag(e, false);
  });
  document.addEventListener('pointercancel', function (e) {
    endDrag(e, true);
  });

  // ------------------------------------------------------------------ keyboard drawing

  // Arrows move the cross (Shift: finer), Enter or Space places a peak there, + and −
  // widen or narrow the newest peak, Backspace or Delete removes it. The keys stay here:
  // Space and → do not also run or step the race.
  document.addEventListener('focusin', function (e) {
    var box = surfaceOf(e.target);
    if (!box) return;
    D.focused = box.getAttribute('data-strategy');
    render(D.focused);
  });

  document.addEventListener('focusout', function (e) {
    var box = surfaceOf(e.target);
    if (!box) return;
    var name = D.focused;
    D.focused = null;
    if (name) render(name);
  });

  function onKey(e) {
    var box = surfaceOf(e.target);
    if (!box || !drawing() || e.ctrlKey || e.metaKey || e.altKey) return;
    var step = e.shiftKey ? 0.01 : 0.05;
    var c = D.cursor;
    var peaks = D.peaks.slice();
    var last = peaks.length - 1;
    var handled = true;
    if (e.key === 'ArrowLeft') c.u = clamp(c.u - step, 0, 1);
    else if (e.key === 'ArrowRight') c.u = clamp(c.u + step, 0, 1);
    else if (e.key === 'ArrowUp') c.v = clamp(c.v + step, 0, 1);
    else if (e.key === 'ArrowDown') c.v = clamp(c.v - step, 0, 1);
    else if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') {
      if (peaks.length >= maxPeaks()) {
        flash(maxPeaks() + ' peaks is the most: Undo or Clear to draw another.');
      } else {
        commit(peaks.concat([{u: Number(c.u.toFixed(3)), v: Number(c.v.toFixed(3)),
          height: Number(D.height.toFixed(3)), width: DEFAULT_WIDTH}]));
      }
    } else if ((e.key === '+' || e.key === '=' || e.key === '-' || e.key === '−') && last >= 0) {
      var grow = e.key === '+' || e.key === '=' ? 0.02 : -0.02;
      peaks[last] = Object.assign({}, peaks[last], {
        width: Number(clamp(peaks[last].width + grow, WIDTH[0], WIDTH[1]).toFixed(3))});
      commit(peaks);
    } else if ((e.key === 'Backspace' || e.key === 'Delete') && last >= 0) {
      commit(peaks.slice(0, -1));
    } else handled = false;
    if (!handled) return;
    e.preventDefault();
    e.stopPropagation();
    render(box.getAttribute('data-strategy'));
  }

  document.addEventListener('keydown', onKey, true);

  // Panels change size (window, the fourth panel): the peaks follow their plot areas.
  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(renderAll, 120);
  });

  function hookLandscapes() {
    var pending = 0;
    panels().forEach(function (name) {
      var host = el('landscape-' + name);
      var g = host && host.querySelector('.js-plotly-plot');
      if (!g || typeof g.on !== 'function') {
        pending++;
        return;
      }
      if (g.__drawHooked) return;
      g.__drawHooked = true;
      g.on('plotly_afterplot', function () {
        if (D.landscape === CUSTOM) render(name);
      });
      // the graph may have drawn before this hook was attached: draw the peaks now
      if (D.landscape === CUSTOM) render(name);
    });
    return pending;
  }

  (function waitForGraphs() {
    var tries = 0;
    var timer = setInterval(function () {
      tries++;
      if (hookLandscapes() === 0 || tries > 600) clearInterval(timer);
    }, 150);
  })();

  D.renderAll = renderAll;
  D.CUSTOM = CUSTOM;

  // ------------------------------------------------------------------ Dash entry points

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoDraw = window.dash_clientside.hpoDraw || {};
  Object.assign(window.dash_clientside.hpoDraw, {
    // Undo, Clear, the height slider; on page load, peaks and the racers from a link.
    edit: function (search, undo, clear, height, text, racers) {
      var nu = noUpdate();
      var trig = window.dash_clientside.callback_context.triggered;
      var id = trig.length ? trig[0].prop_id.split('.')[0] : '';
      if (id === '') id = 'url'; // the initial call: the page address
      var h = Number(height);
      if (isFinite(h) && h > 0) D.height = clamp(h, 0.1, 1);
      var shown = el('draw-height-value');
      if (shown) shown.textContent = D.height.toFixed(2);
      var peaks = parse(text);
      if (id === 'url') {
        // the one link codec (_codec.js); what it cannot use is in the page's notice
        var out = [nu, nu];
        var link = window.hpoCodec.parse(search || '');
        if (link.given.peaks) {
          out[0] = link.settings.peaks;
          D.peaks = parse(link.settings.peaks);
          D.text = link.settings.peaks;
        }
        if (link.given.strategies) out[1] = link.settings.strategies;
        return out;
      }
      if (id === 'draw-undo') peaks = peaks.slice(0, -1);
      else if (id === 'draw-clear') peaks = [];
      else if (id === 'draw-height') {
        if (!peaks.length) return [nu, nu];
        peaks[peaks.length - 1].height = Number(D.height.toFixed(3));
      }
      D.peaks = peaks;
      D.text = encode(peaks);
      return [D.text, nu];
    },

    // The peaks changed: the count, Undo/Clear and the drawing.
    peaks: function (text) {
      D.text = typeof text === 'string' ? text : '';
      D.peaks = parse(D.text);
      renderAll();
      var n = D.peaks.length;
      return [n + ' / ' + maxPeaks() + (n === 1 ? ' peak' : ' peaks'), n === 0, n === 0];
    },
  });
})();
