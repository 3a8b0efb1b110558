/*
 * The page's modes: light/dark theme (a link's, the toggle's or the system's), presenter mode
 * and hidden controls (?budget_hide=1), as attributes on <html> that the CSS follows; the
 * toggles and full screen. plot-style.js restyles the plots to match.
 */
(function () {
  'use strict';

  var C = window.hpoClassroom;
  var T = C.tools;
  var el = window.hpoDom.el;
  var config = T.config;
  var flag = T.flag;
  var writeQuery = T.writeQuery;
  var announce = T.announce;

  function applyModes() {
    var html = document.documentElement;
    html.setAttribute('data-theme', C.theme);
    html.setAttribute('data-presenter', C.presenter ? 'true' : 'false');
    html.setAttribute('data-hide', Object.keys(C.hidden).filter(function (k) {
      return C.hidden[k];
    }).join(' '));
    var p = el('presenter-toggle');
    if (p) p.setAttribute('aria-pressed', C.presenter ? 'true' : 'false');
    var t = el('theme-toggle');
    if (t) t.setAttribute('aria-pressed', C.theme === 'dark' ? 'true' : 'false');
    hideRules();
    if (C.styleAll) C.styleAll();
  }

  // One CSS rule per hideable control, from the server's list (app/classroom.py HIDEABLE).
  function hideRules() {
    var cfg = config();
    if (!cfg || el('classroom-hide-rules')) return;
    var css = Object.keys(cfg.hideable).map(function (name) {
      return cfg.hideable[name].split(',').map(function (sel) {
        return 'html[data-hide~="' + name + '"] ' + sel.trim();
      }).join(', ') + ' { display: none !important; }';
    }).join('\n');
    var style = document.createElement('style');
    style.id = 'classroom-hide-rules';
    style.textContent = css;
    document.head.appendChild(style);
  }

  function systemTheme() {
    try {
      return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    } catch (err) {
      return 'light';
    }
  }

  // Before the page renders: theme and presenter mode from the address (no flash of light).
  (function early() {
    var q = new URLSearchParams(window.location.search);
    var theme = String(q.get('theme') || '').toLowerCase();
    C.themeChosen = theme === 'light' || theme === 'dark';
    C.theme = C.themeChosen ? theme : systemTheme();
    C.presenter = flag(q.get('presenter')) === true;
    document.documentElement.setAttribute('data-theme', C.theme);
    document.documentElement.setAttribute('data-presenter', C.presenter ? 'true' : 'false');
    try {
      window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () {
        if (C.themeChosen) return;
        C.theme = systemTheme();
        applyModes();
      });
    } catch (err) {
      /* old browsers: the theme stays as it was */
    }
  })();

  function togglePresenter() {
    C.presenter = !C.presenter;
    applyModes();
    writeQuery({presenter: C.presenter ? 1 : null});
    announce(C.presenter ? 'Presenter mode on.' : 'Presenter mode off.');
  }

  function toggleTheme() {
    C.theme = C.theme === 'dark' ? 'light' : 'dark';
    C.themeChosen = true;
    applyModes();
    writeQuery({theme: C.theme});
    announce(C.theme === 'dark' ? 'Dark theme.' : 'Light theme.');
  }

  function toggleFullscreen() {
    try {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (document.documentElement.requestFullscreen) {
        var p = document.documentElement.requestFullscreen();
        if (p && p.catch) {
          p.catch(function () {
            announce('Full screen is not allowed here: use the browser\'s own (F11).');
          });
        }
      }
    } catch (err) {
      /* full screen refused (an embedding frame): nothing else to do */
    }
  }

  C.applyModes = applyModes;
  C.togglePresenter = togglePresenter;
  C.toggleTheme = toggleTheme;
  C.toggleFullscreen = toggleFullscreen;

  window.hpoDom.whenRoot(applyModes);
})();
