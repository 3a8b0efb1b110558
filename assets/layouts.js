/*
 * Landscapes with one layout: measured data (svm-digits) and drawn landscapes have a single
 * layout, so the 🎲 button is disabled and the layout chip says why; draw mode (root
 * data-draw) is on for "✎ Your landscape". Dash entry point hpoDraw.kind (app/draw.py).
 */
(function () {
  'use strict';

  var D = window.hpoDraw;
  var CUSTOM = D.CUSTOM;
  var el = window.hpoDom.el;
  var root = window.hpoDom.root;
  var noUpdate = window.hpoDom.noUpdate;

  var DICE_TIP = '🎲 Draw a new layout of this landscape (a new landscape seed)';
  var LAYOUT_TIP = 'Landscape seed: which layout of this landscape is hidden';

  function titleOf(options, value) {
    for (var i = 0; i < (options || []).length; i++) {
      if (options[i].value === value) return String(options[i].label || value);
    }
    return String(value);
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoDraw = window.dash_clientside.hpoDraw || {};
  Object.assign(window.dash_clientside.hpoDraw, {
    // The landscape changed: draw mode on/off; the dice and the layout chip follow its kind.
    kind: function (landscape, lseed, options) {
      var nu = noUpdate();
      D.landscape = landscape;
      var r = root();
      if (r) r.setAttribute('data-draw', landscape === CUSTOM ? 'on' : 'off');
      if (landscape === CUSTOM) setTimeout(D.renderAll, 0);
      var bar = el('draw-bar');
      var unseeded = bar ? (bar.getAttribute('data-unseeded') || '').split(',') : [CUSTOM];
      if (unseeded.indexOf(landscape) < 0) {
        var seed = Number(lseed);
        return [false, DICE_TIP, nu, 'layout #' + (isFinite(seed) ? seed : 0), LAYOUT_TIP];
      }
      var title = titleOf(options, landscape).replace(/^Real:\s*/, '');
      var dice, chip, chipTip;
      if (landscape === CUSTOM) {
        dice = 'Your landscape is the one you draw: there are no random layouts of it.';
        chip = 'your drawing';
        chipTip = 'Your landscape has one layout: the peaks you draw.';
      } else {
        dice = 'No new landscape for ' + title + ': it is measured data (one real experiment), ' +
          'so it has exactly one layout. Change the Seed to rerun the searches\' random choices.';
        chip = 'measured data';
        chipTip = title + ' was measured once on a grid of settings: one fixed layout.';
      }
      // one layout: it races as landscape seed 0, which is what its trace reports
      return [true, dice, Number(lseed) === 0 ? nu : 0, chip, chipTip];
    },
  });
})();
