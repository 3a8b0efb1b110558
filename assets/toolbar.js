/*
 * The toolbar's buttons and menus: what a click on each does (presenter, theme, shortcuts,
 * predict, Copy link, the export menu, a notice's or a banner's close), Copy link itself
 * (the clipboard, or a box to copy from on plain http), and a click elsewhere folding the
 * open menu.
 */
(function () {
  'use strict';

  var C = window.hpoClassroom;
  var el = window.hpoDom.el;
  var announce = C.tools.announce;

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
    var link = C.fullLink();
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

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    if (t.closest('#presenter-toggle')) return C.togglePresenter();
    if (t.closest('#theme-toggle')) return C.toggleTheme();
    if (t.closest('#shortcuts-button')) return C.openDialog('shortcuts-dialog');
    if (t.closest('#predict-button')) return C.openDialog('predict-dialog');
    var btn = t.closest('#copy-link');
    if (btn) return copyLink(btn);
    var choice = t.closest('.choice');
    if (choice && !choice.disabled) return C.choose(choice.getAttribute('data-choice'));
    var close = t.closest('[data-close]');
    if (close) return C.closeDialog(close.getAttribute('data-close'));
    if (t.classList.contains('overlay')) return C.closeDialog(t.id); // the backdrop
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
    // (Dash's dropdowns open their lists in a portal: a pick there stays in the knobs menu)
    if (menu && !t.closest('details.tool-menu, .dash-dropdown-content, .dash-dropdown-options')) {
      menu.open = false;
    }
    var fb = el('share-fallback');
    if (fb && !fb.hidden && !t.closest('.share')) fb.hidden = true;
  });
})();
