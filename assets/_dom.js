/*
 * DOM helpers shared by every hpo-race script. Dash loads assets in alphabetical order, so this
 * file (leading underscore) runs before classroom.js, draw.js, many.js, model.js and race.js.
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

  window.hpoDom = {el: el, gd: gd, uidIndex: uidIndex, root: root};
})();
