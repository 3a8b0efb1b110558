/*
 * Narration: one line under each panel saying what its strategy just did and why (the
 * race's narration, from the server), following the player's clock through hpoModel.plugins.
 */
(function () {
  'use strict';

  var M = window.hpoModel;

  function drawNarration(R) {
    var sig = R.view ? R.view.order.map(function (n) {
      return R.shown[n] || 0;
    }).join(',') + (R.finished ? '!' : '') : '';
    if (M.narrationFor === R.view && M.narrationSig === sig) return;
    M.narrationFor = R.view;
    M.narrationSig = sig;
    var boxes = document.querySelectorAll('.narration');
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var name = box.id.replace('narration-', '');
      var text = '';
      var lines = R.view && R.view.narration && R.view.narration[name];
      var s = R.view && R.view.strategies[name];
      if (lines && s) {
        var n = R.shown[name] || 0;
        if (R.finished || n >= s.clock.length) text = 'Done: ' + lines.end;
        else if (n > 0) text = 'Trial ' + n + ': ' + lines.trials[n - 1];
        else text = 'Its first trial is still training…';
      }
      if (M.narrated[name] !== text) {
        M.narrated[name] = text;
        box.textContent = text;
        box.title = text;
      }
    }
  }

  M.plugins.push(function (R) {
    drawNarration(R);
  });
})();
