/*
 * Layers: what is on top and when it goes. One popover at a time (the toolbar's menus, the
 * racer picker, the Bayesian settings ⚙): opening one folds the others; ⚙ folds on Esc, on
 * a click outside it and when a race starts, like the menus. The prediction's verdict banner
 * gives way when the user scrubs the timeline or opens a menu. (The menus' z-index puts them
 * over the banners: toolbar.css, bayes.css.)
 */
(function () {
  'use strict';

  var el = window.hpoDom.el;
  var root = window.hpoDom.root;

  var POPOVERS = 'details.tool-menu, details.bayes-settings';

  function openPopovers() {
    return Array.prototype.slice.call(document.querySelectorAll(
      'details.tool-menu[open], details.bayes-settings[open]'));
  }

  function dismissBanner() {
    var banner = el('predict-result');
    if (banner && !banner.hidden) banner.hidden = true;
  }

  function fold(except) {
    openPopovers().forEach(function (d) {
      if (d !== except) d.open = false;
    });
  }

  // a popover opened: the others fold, the banner gives way
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (!d || !d.matches || !d.matches(POPOVERS) || !d.open) return;
    fold(d);
    dismissBanner();
  }, true);

  // Esc folds ⚙ (keys.js folds the toolbar's menus) and gives the focus back to its button
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var gear = document.querySelector('details.bayes-settings[open]');
    if (!gear) return;
    var inside = gear.contains(document.activeElement);
    gear.open = false;
    if (inside) {
      var summary = gear.querySelector('summary');
      if (summary) summary.focus({preventScroll: true});
    }
  });

  // a press (mouse, pen or touch) outside ⚙ folds it; a script's click() on a button does not
  document.addEventListener('pointerdown', function (e) {
    var gear = document.querySelector('details.bayes-settings[open]');
    var t = e.target;
    if (!gear || !t || !t.closest) return;
    if (gear.contains(t)) return;
    // Dash's dropdowns open their lists in a portal outside the panel
    if (t.closest('.dash-dropdown-content, .dash-dropdown-options')) return;
    gear.open = false;
  });

  // scrubbing the timeline: the verdict banner gives way to the race
  document.addEventListener('pointerdown', function (e) {
    if (e.target && e.target.closest && e.target.closest('#scrubber')) dismissBanner();
  }, true);
  document.addEventListener('keydown', function (e) {
    if (e.target && e.target.closest && e.target.closest('#scrubber') &&
        /^(Arrow|Page|Home|End)/.test(e.key)) {
      dismissBanner();
    }
  }, true);

  // a race starts (Run, Step or a key): every popover folds
  window.hpoDom.whenRoot(function (r) {
    var last = r.getAttribute('data-state');
    new MutationObserver(function () {
      var state = r.getAttribute('data-state');
      if (state === last) return;
      last = state;
      if (state === 'playing' || state === 'loading') fold(null);
    }).observe(r, {attributes: true, attributeFilter: ['data-state']});
  });

  // nothing scrolls sideways to show a focused control (screens.css clips; this catches
  // a scroll container that is not clipped)
  document.addEventListener('focusin', function () {
    var r = root();
    if (window.scrollX) window.scrollTo(0, window.scrollY);
    if (r && r.scrollLeft) r.scrollLeft = 0;
  });
})();
