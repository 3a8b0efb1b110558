/*
 * Many seeds on several GPUs (issue 16): above the table, in how many of the races the
 * Bayesian racer reached 95% of the optimum before random search on the wall clock, and in
 * GPU minutes (counted by the server: app/many_data.py, strategies/summary.py's
 * first_to_reach): the share behind "is Bayesian optimisation still worth it on k GPUs?",
 * for the settings on screen. many.js calls decorate after drawing its table.
 */
(function () {
  'use strict';

  function decorate(run, summary, box, style) {
    var gpus = Number(run.settings.workers) || 1;
    if (gpus < 2 || !run.gpus) return;
    var wall = run.gpus.wall;
    var cost = run.gpus.gpu;
    var n = wall.races;
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

  window.hpoManyGpus = {decorate: decorate};
})();
