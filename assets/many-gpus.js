/*
 * Many seeds on several GPUs (issue 16): above the table, in how many of the races the
 * Bayesian racer reached 95% of the optimum before random search on the wall clock, and in
 * GPU minutes (as strategies/summary.py's first_to_reach counts them): the share behind "is
 * Bayesian optimisation still worth it on k GPUs?", for the settings on screen. many.js
 * calls decorate after drawing its table.
 */
(function () {
  'use strict';

  // As strategies.summary.first_to_reach.
  function firstToReach(races, first, second, target, wall) {
    var key = wall ? 'reach_wall' : 'reach';
    var out = {first: 0, second: 0, ties: 0, neither: 0, races: races.length};
    var at = function (v) {
      return v === null || v === undefined ? Infinity : v;
    };
    races.forEach(function (r) {
      var a = at(r.strategies[first][key][target]), b = at(r.strategies[second][key][target]);
      if (a === b) {
        if (isFinite(a)) out.ties += 1;
        else out.neither += 1;
      } else if (a < b) {
        out.first += 1;
      } else {
        out.second += 1;
      }
    });
    return out;
  }

  function decorate(run, summary, box, style) {
    var gpus = Number(run.settings.workers) || 1;
    var races = run.races.filter(Boolean);
    if (gpus < 2 || !races.length || !summary.bayes || !summary.random) return;
    if (!races[0].strategies.bayes.reach_wall) return;
    var wall = firstToReach(races, 'bayes', 'random', '0.95', true);
    var cost = firstToReach(races, 'bayes', 'random', '0.95', false);
    var n = races.length;
    var line = document.createElement('p');
    line.className = 'many-h2h many-gpus';
    line.setAttribute('data-wall', JSON.stringify(wall));
    line.setAttribute('data-gpu', JSON.stringify(cost));
    line.textContent = 'With ' + gpus + ' GPUs each, ' + style('bayes').label +
      ' reached 95% before ' + style('random').label + ' in ' + wall.first + ' of ' + n +
      (n === 1 ? ' race' : ' races') + ' on the wall clock, and in ' + cost.first + ' in GPU ' +
      'minutes' + (wall.second ? '; ' + style('random').label + ' was first in ' + wall.second
        : '') + '.';
    box.insertBefore(line, box.firstChild);
  }

  window.hpoManyGpus = {decorate: decorate, firstToReach: firstToReach};
})();
