/*
 * The live summary: a polite live region that tells a screen reader how the race goes — its
 * start, pause, end (first to 95%, best final score, the prediction's verdict) and reset,
 * each strategy reaching 95% of the optimum, each trial a Step shows. Follows race-player.js
 * through window.hpoRacePlugins and #app-root's data-state.
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

  function bestLine(R) {
    var v = R.view;
    return v.order.map(function (name) {
      var n = R.shown[name] || 0;
      var s = v.strategies[name];
      return shortName(name) + ' ' + (n ? s.best[n - 1].toFixed(3) : 'none yet');
    }).join(', ');
  }

  function finishText(R) {
    var v = R.view;
    var w = winner(v);
    var top = null;
    v.order.forEach(function (name) {
      var s = v.strategies[name];
      var fin = s.best.length ? s.best[s.best.length - 1] : -Infinity;
      if (!top || fin > top.best) top = {name: name, best: fin};
    });
    var text = 'Race finished. ';
    text += w ? 'First to 95% of the optimum: ' + shortName(w.name) + ', at minute ' + fmt(w.at) +
      '. ' : 'Nobody reached 95% of the optimum. ';
    if (top) text += 'Best final score: ' + shortName(top.name) + ', ' + top.best.toFixed(3) + '.';
    return text;
  }

  function onState(state) {
    var R = T.race();
    var prev = C.lastState;
    C.lastState = state;
    if (state === prev) return;
    var v = R && R.view;
    if (state === 'playing' && v) {
      if (R.t < 1e-6) {
        var banner = el('predict-result');
        if (banner) banner.hidden = true;
        var cfg = T.config();
        var title = cfg && cfg.titles[v.landscape] ? cfg.titles[v.landscape] : v.landscape;
        announce('Race started on ' + title + ': ' + fmt(v.budget) + ' GPU minutes each.');
      } else {
        announce('Resumed at minute ' + fmt(R.t) + '.');
      }
    } else if (state === 'paused' && v && prev === 'playing') {
      announce('Paused at minute ' + fmt(R.t) + '. Best so far: ' + bestLine(R) + '.');
    } else if (state === 'finished' && v) {
      var result = C.judge(R);
      announce(finishText(R) + (result ? ' ' + result : ''));
    } else if (state === 'idle' && (prev === 'playing' || prev === 'paused' ||
        prev === 'finished')) {
      C.clearResult();
      announce('Reset: ready to race.');
    }
    C.lockPredictions(state);
  }

  // Per render (race-renderer.js plugin): a strategy reaching 95% of the optimum; a Step's trial.
  function follow(R, force) {
    if (!R.view) {
      C.hits = {};
      C.lastShown = {};
      C.lastT = 0;
      return;
    }
    if (R.t < C.lastT - 1e-9) C.hits = {}; // the clock went back: milestones count again
    var v = R.view;
    var news = [];
    v.order.forEach(function (name) {
      var s = v.strategies[name];
      var n = R.shown[name] || 0;
      if (s.hit !== null && s.hit !== undefined && n > s.hit && !C.hits[name] && !R.finished) {
        C.hits[name] = true;
        news.push(strategyName(name) + ' reached 95% of the optimum at minute ' +
          fmt(s.clock[s.hit]) + '.');
      }
    });
    var stepped = force && !R.playing && !R.finished && R.t > C.lastT + 1e-9;
    if (stepped) {
      var trials = [];
      v.order.forEach(function (name) {
        var n = R.shown[name] || 0;
        var before = C.lastShown[name] || 0;
        if (n === before + 1) {
          var s = v.strategies[name];
          trials.push(shortName(name) + ' trial ' + n + ' scored ' + s.score[n - 1].toFixed(3));
        }
      });
      if (trials.length) news.unshift('Minute ' + fmt(R.t) + ': ' + trials.join('; ') + '.');
    }
    if (news.length) announce(news.join(' '));
    C.lastT = R.t;
    C.lastShown = Object.assign({}, R.shown);
  }

  window.hpoRacePlugins = window.hpoRacePlugins || [];
  window.hpoRacePlugins.push(follow);

  // The state machine of the race (race-player.js sets data-state on #app-root).
  window.hpoDom.whenRoot(function (r) {
    new MutationObserver(function () {
      onState(r.getAttribute('data-state') || 'idle');
    }).observe(r, {attributes: true, attributeFilter: ['data-state']});
  });
})();
