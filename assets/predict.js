/*
 * Predict the winner: the class picks who reaches 95% of the optimum first (or nobody)
 * before the race; picks lock while it runs; at the end a banner gives the verdict.
 * live.js calls judge / clearResult / lockPredictions as the race's state changes.
 */
(function () {
  'use strict';

  var C = window.hpoClassroom;
  var T = C.tools;
  var el = window.hpoDom.el;
  var fmt = window.hpoDom.minutes;
  var announce = T.announce;
  var shortName = T.shortName;
  var strategyName = T.strategyName;
  var winner = C.winner;

  function pickLabel() {
    var label = document.querySelector('#predict-button .tool-label');
    if (!label) return;
    label.textContent = C.pick ? 'Pick: ' + (C.pick === 'nobody' ? 'nobody' : shortName(C.pick))
      : 'Predict';
    var btn = el('predict-button');
    if (btn) btn.classList.toggle('picked', !!C.pick);
  }

  function lockPredictions(state) {
    var locked = state === 'playing' || state === 'paused' || state === 'finished' ||
      state === 'loading';
    var dialog = el('predict-dialog');
    if (!dialog) return;
    dialog.classList.toggle('locked', locked);
    var hint = dialog.querySelector('.predict-hint');
    if (hint) {
      hint.textContent = locked
        ? (state === 'finished' ? 'This race is over: Reset or change a setting to predict again.'
          : 'The race is on: predictions are locked until it ends or is reset.')
        : 'Pick before ▷ Run search: the answer appears when the race ends.';
    }
    dialog.querySelectorAll('.choice').forEach(function (b) {
      b.disabled = locked;
      b.setAttribute('aria-pressed', b.getAttribute('data-choice') === C.pick ? 'true' : 'false');
    });
  }

  function choose(name) {
    C.pick = name;
    C.judged = false;
    pickLabel();
    lockPredictions(C.lastState);
    C.closeDialog('predict-dialog');
    announce('Prediction: ' + (name === 'nobody' ? 'nobody reaches 95% of the optimum.'
      : strategyName(name) + ' gets there first.'));
  }

  function judge(R) {
    if (!C.pick || !R.view) return '';
    var w = winner(R.view);
    var right = w ? C.pick === w.name : C.pick === 'nobody';
    var picked = C.pick === 'nobody' ? 'nobody' : strategyName(C.pick);
    var truth = w ? strategyName(w.name) + ' reached 95% of the optimum first, at GPU minute ' +
      fmt(w.at) + '.' : 'nobody reached 95% of the optimum within the budget.';
    var text = right ? 'You were right! ' + truth.charAt(0).toUpperCase() + truth.slice(1)
      : 'Not this time. You picked ' + picked + (w ? '; ' : ', but ') + truth;
    var box = el('predict-result');
    if (box) {
      box.querySelector('.result-mark').textContent = right ? '✓' : '✗';
      box.querySelector('.result-text').textContent = text;
      box.setAttribute('data-verdict', right ? 'right' : 'wrong');
      box.hidden = false;
    }
    C.judged = true;
    return text;
  }

  function clearResult() {
    var box = el('predict-result');
    if (box) box.hidden = true;
    if (C.judged) {
      C.pick = null;
      C.judged = false;
      pickLabel();
    }
  }

  C.judge = judge;
  C.clearResult = clearResult;
  C.lockPredictions = lockPredictions;
  C.choose = choose;
})();
