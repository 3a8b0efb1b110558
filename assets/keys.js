/*
 * Keyboard shortcuts. The page's: ? help, 1–9 landscape, F full screen, P presenter, T theme,
 * Esc closes, Tab stays inside an open dialog. The race's (and presentation clickers', which
 * send arrows / PageDown / Space): Space = Run/Pause, → or PageDown = Step, R or Home = Reset.
 * Nothing fires while typing in a box or with Ctrl/Alt/⌘ held.
 */
(function () {
  'use strict';

  var C = window.hpoClassroom;
  var T = C.tools;
  var el = window.hpoDom.el;
  var root = window.hpoDom.root;
  var config = T.config;
  var setProps = T.setProps;
  var announce = T.announce;

  function typing(target) {
    var tag = target && target.tagName ? target.tagName.toLowerCase() : '';
    if (tag === 'input' || tag === 'textarea' || tag === 'select') return true;
    if (target && target.isContentEditable) return true;
    return !!(target && target.closest && target.closest('[role="listbox"], .dash-dropdown-wrapper'));
  }

  document.addEventListener('keydown', function (e) {
    var open = C.openDialogId();
    if (e.key === 'Escape') {
      if (open || document.querySelector('details.tool-menu[open]') ||
          (el('share-fallback') && !el('share-fallback').hidden)) {
        e.preventDefault();
        C.closeAll(null);
        if (open) C.closeDialog(open);
      }
      return;
    }
    if (open && e.key === 'Tab') {
      var list = C.focusables(el(open));
      if (!list.length) return;
      var i = list.indexOf(document.activeElement);
      if (e.shiftKey && i <= 0) {
        e.preventDefault();
        list[list.length - 1].focus();
      } else if (!e.shiftKey && i === list.length - 1) {
        e.preventDefault();
        list[0].focus();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var key = e.key;
    if (key === '?') {
      e.preventDefault();
      if (open === 'shortcuts-dialog') C.closeDialog(open);
      else C.openDialog('shortcuts-dialog');
      return;
    }
    if (open) return; // a dialog is up: its own buttons only
    var lower = key && key.length === 1 ? key.toLowerCase() : key;
    if (/^[1-9]$/.test(key)) {
      var cfg = config();
      var name = cfg && cfg.landscapes[Number(key) - 1];
      if (!name || C.hidden.landscape) return;
      e.preventDefault();
      setProps('landscape-select', {value: name});
      announce('Landscape: ' + (cfg.titles[name] || name) + '.');
    } else if (lower === 'f') {
      e.preventDefault();
      C.toggleFullscreen();
    } else if (lower === 'p' && !C.hidden.presenter) {
      e.preventDefault();
      C.togglePresenter();
    } else if (lower === 't' && !C.hidden.theme) {
      e.preventDefault();
      C.toggleTheme();
    }
  });

  function state() {
    var r = root();
    return r ? r.getAttribute('data-state') : 'idle';
  }

  // Keyboard (and presentation clickers, which send arrows / PageDown / Space):
  // Space = Run/Pause, → or PageDown = Step, R or Home = Reset. Ignored while typing.
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var tag = t && t.tagName ? t.tagName.toLowerCase() : '';
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || (t && t.isContentEditable)) {
      return;
    }
    if (t && t.closest && t.closest('[role="listbox"], .dash-dropdown-wrapper, [role="dialog"], ' +
        '[role="slider"]')) {
      return; // a menu, a dialog (dialogs.js) or a slider (its Home / End / arrows) has the keys
    }
    var onButton = tag === 'button' || tag === 'label';
    if (onButton && (e.key === ' ' || e.key === 'Enter')) return; // the browser presses it
    var id = null;
    if (e.key === ' ' || e.key === 'Spacebar') {
      id = state() === 'playing' ? 'pause-button' : 'run-button';
    } else if (e.key === 'ArrowRight' || e.key === 'PageDown') {
      id = 'step-button';
    } else if (e.key === 'r' || e.key === 'R' || e.key === 'Home') {
      id = 'reset-button';
    }
    if (!id || !el(id)) return;
    e.preventDefault();
    el(id).click();
  });
})();
