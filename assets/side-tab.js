/*
 * The side card's tab (guide | many seeds) on the root's data-side, which the CSS follows
 * (the many-seeds plot replaces the race plot while its tab is open).
 */
(function () {
  'use strict';

  var root = window.hpoDom.root;

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoModel = window.dash_clientside.hpoModel || {};
  window.dash_clientside.hpoModel.side = function (value) {
    var r = root();
    if (r) r.setAttribute('data-side', value || 'guide');
    return window.hpoDom.noUpdate();
  };
})();
