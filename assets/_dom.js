/*
 * Helpers shared by every hpo-race script: finding elements and graphs, the root's panel
 * list, Dash's no_update / set_props, canonical JSON and waiting for the page's root.
 * Dash loads assets in alphabetical order (a leading underscore first), so this file runs
 * before every script that uses window.hpoDom.
 */
(function () {
  'use strict';

  function el(id) {
    return document.getElementById(id);
  }

  // The Plotly graph div inside a dcc.Graph host, once Plotly has drawn it.
  function gd(id) {
    var host = el(id);
    if (!host) return null;
    var g = host.classList.contains('js-plotly-plot') ? host : host.querySelector('.js-plotly-plot');
    return g && g._fullLayout && Array.isArray(g.data) ? g : null;
  }

  // trace uid -> index in g.data, so restyles address traces by name, not position.
  function uidIndex(g) {
    var map = {};
    for (var i = 0; i < g.data.length; i++) map[g.data[i].uid] = i;
    return map;
  }

  function root() {
    return el('app-root');
  }

  // Every registered racer's panel, in order (the root's data-panels, from the registry).
  function panels() {
    var r = root();
    var list = r ? (r.getAttribute('data-panels') || '') : '';
    return list ? list.split(',') : [];
  }

  // A count of GPU minutes as the page writes it: whole, with thousands separators.
  function minutes(m) {
    return Math.round(m).toLocaleString('en-US');
  }

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  function setProps(id, props) {
    window.dash_clientside.set_props(id, props);
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

  // Call fn(root) once #app-root exists (checked every 50 ms, for 30 s at the most).
  function whenRoot(fn) {
    var tries = 0;
    var timer = setInterval(function () {
      var r = root();
      tries++;
      if (!r && tries < 600) return;
      clearInterval(timer);
      if (r) fn(r);
    }, 50);
  }

  // The boxes under the panels (class cls, id prefix + racer) for a race view: build(box, s)
  // once per view for each racer that shows (when(s) is true), draw(box, s, name) every
  // time; the others are hidden and emptied.
  function eachPanelBox(cls, prefix, view, when, build, draw) {
    var boxes = document.querySelectorAll('.' + cls);
    for (var b = 0; b < boxes.length; b++) {
      var box = boxes[b];
      var name = box.id.replace(prefix, '');
      var s = view && view.strategies[name];
      s = s && when(s) ? s : null;
      box.hidden = !s;
      if (!s) {
        if (box.__view) {
          box.textContent = '';
          box.__view = null;
        }
        continue;
      }
      if (box.__view !== view) {
        build(box, s);
        box.__view = view;
      }
      draw(box, s, name);
    }
  }

  window.hpoDom = {el: el, gd: gd, uidIndex: uidIndex, root: root, panels: panels,
    minutes: minutes, noUpdate: noUpdate, setProps: setProps, stableJson: stableJson,
    whenRoot: whenRoot, eachPanelBox: eachPanelBox};
})();
