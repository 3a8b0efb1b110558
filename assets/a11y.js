/*
 * Accessibility fixes for Dash 4's controls: its RadioItems / Checklist render role="listbox"
 * with role="option" labels around real inputs (nested interactive controls, no group name),
 * its sliders' thumbs have no name and its Dropdown keeps an aria-hidden focus proxy. They
 * become named radio groups / groups, named sliders and named proxies, on a one-second scan
 * and whenever a list changes.
 */
(function () {
  'use strict';

  var GROUP_NAMES = {
    'speed-select': 'Animation speed',
    'reveal-toggle': 'Reveal landscape',
    'bayes-view': 'What the Bayesian panel shows',
    'side-tab': 'Side card',
    'bayes-acq': 'Acquisition function',
    'bayes-kernel': 'Kernel',
    'bayes-edges': 'Edge prior',
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

  // New lists and dropdowns (a fourth panel, a re-rendered control): a light scan.
  setInterval(function () {
    patchA11y();
    watchLists();
  }, 1000);
  window.hpoDom.whenRoot(function () {
    patchA11y();
    watchLists();
  });
})();
