/*
 * The racer picker: the picked racers' panels show at once (root data-strategies /
 * data-count, each panel's data-racing, the predict choices and racer chips); the next Run
 * races them. Dash entry point hpoDraw.racers (app/racers.py).
 */
(function () {
  'use strict';

  var el = window.hpoDom.el;
  var root = window.hpoDom.root;
  var noUpdate = window.hpoDom.noUpdate;

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoDraw = window.dash_clientside.hpoDraw || {};
  Object.assign(window.dash_clientside.hpoDraw, {
    // The picked racers' panels show at once (others hide); the next Run races them. Fewer
    // than 2 or more than 5 keep the panels as they are (the server says what is wrong when
    // Run is pressed).
    racers: function (value) {
      var r = root();
      var names = Array.isArray(value) ? value : [];
      if (r) {
        var panels = (r.getAttribute('data-panels') || '').split(',');
        var picked = panels.filter(function (n) {
          return names.indexOf(n) >= 0;
        });
        r.setAttribute('data-strategies', picked.join(','));
        r.setAttribute('data-count', String(picked.length));
        panels.forEach(function (n) {
          var on = picked.indexOf(n) >= 0 ? 'true' : 'false';
          document.querySelectorAll('.panel-' + n).forEach(function (p) {
            p.setAttribute('data-racing', on);
          });
          var choice = el('predict-' + n);
          if (choice) choice.hidden = on !== 'true';
          document.querySelectorAll('.racer-chip-' + n).forEach(function (c) {
            c.hidden = on !== 'true';
          });
        });
      }
      // the panels changed width: let Plotly and the overlays measure again
      setTimeout(function () {
        window.dispatchEvent(new Event('resize'));
      }, 0);
      return noUpdate();
    },
  });
})();
