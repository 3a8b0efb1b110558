/*
 * Dialogs (the shortcuts help, predict the winner): open with focus inside, close back to
 * the button that opened them, one at a time; closing all also folds the tool menus and
 * the link box. keys.js keeps Tab inside an open dialog and closes it on Esc.
 */
(function () {
  'use strict';

  var C = window.hpoClassroom;
  var el = window.hpoDom.el;

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
    if (id === 'predict-dialog') C.lockPredictions(C.lastState);
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

  C.focusables = focusables;
  C.openDialog = openDialog;
  C.closeDialog = closeDialog;
  C.openDialogId = openDialogId;
  C.closeAll = closeAll;
})();
