/*
 * The phone's racer tabs: a phone shows one racer's panel at a time (screens.css); its tab
 * picks which (click, tap, or ← → Home End on the tab strip). Only the racing racers have a
 * tab: when the picked one stops racing, the first racer's panel shows. The panel that shows
 * carries data-tab-shown="true"; Plotly measures it again when it appears.
 */
(function () {
  'use strict';

  var el = window.hpoDom.el;
  var root = window.hpoDom.root;

  function tabs() {
    var strip = el('racer-tabs');
    return strip ? Array.prototype.slice.call(strip.querySelectorAll('.racer-tab')) : [];
  }

  function racing() {
    var r = root();
    var list = r ? (r.getAttribute('data-strategies') || '') : '';
    return list ? list.split(',') : [];
  }

  function show(name, focus) {
    var on = racing();
    if (on.indexOf(name) < 0) name = on[0];
    if (!name) return;
    var changed = false;
    tabs().forEach(function (t) {
      var n = t.getAttribute('data-tab');
      var picked = n === name;
      t.setAttribute('data-racing', on.indexOf(n) >= 0 ? 'true' : 'false');
      if (t.getAttribute('aria-selected') !== String(picked)) changed = true;
      t.setAttribute('aria-selected', picked ? 'true' : 'false');
      t.tabIndex = picked ? 0 : -1;
      if (picked && focus) t.focus();
    });
    document.querySelectorAll('.panel').forEach(function (p) {
      var want = p.classList.contains('panel-' + name) ? 'true' : 'false';
      if (p.getAttribute('data-tab-shown') !== want) changed = true;
      p.setAttribute('data-tab-shown', want);
    });
    // the panel that appeared has its width now: let Plotly and the overlays measure again
    if (changed) {
      setTimeout(function () {
        window.dispatchEvent(new Event('resize'));
      }, 0);
    }
  }

  function current() {
    var t = document.querySelector('.racer-tab[aria-selected="true"]');
    return t ? t.getAttribute('data-tab') : null;
  }

  document.addEventListener('click', function (e) {
    var t = e.target && e.target.closest ? e.target.closest('.racer-tab') : null;
    if (t) show(t.getAttribute('data-tab'), false);
  });

  document.addEventListener('keydown', function (e) {
    var t = e.target && e.target.closest ? e.target.closest('.racer-tab') : null;
    if (!t) return;
    var shown = tabs().filter(function (b) {
      return b.getAttribute('data-racing') === 'true';
    });
    var i = shown.indexOf(t);
    var next = null;
    if (e.key === 'ArrowRight') next = shown[(i + 1) % shown.length];
    else if (e.key === 'ArrowLeft') next = shown[(i - 1 + shown.length) % shown.length];
    else if (e.key === 'Home') next = shown[0];
    else if (e.key === 'End') next = shown[shown.length - 1];
    if (!next) return;
    e.preventDefault();
    e.stopPropagation(); // not keys.js's Step / Reset keys
    show(next.getAttribute('data-tab'), true);
  }, true);

  // the racer picker changes who races (root data-strategies): the tabs follow
  window.hpoDom.whenRoot(function (r) {
    show(current(), false);
    new MutationObserver(function () {
      show(current(), false);
    }).observe(r, {attributes: true, attributeFilter: ['data-strategies']});
  });
})();
