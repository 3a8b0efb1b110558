/*
 * Which race the controls ask for: the page's race request (the controls' values: bayes from
 * bayes-settings.js's bayes-store; peaks from draw.js, only for landscape "custom"; racers
 * from the picker; other racers' options from a link; dims, the number of knobs; workers,
 * the GPUs each racer has) and its key, which a loaded race must
 * match (the view echoes all of them). As app/race_request.py on the server.
 */
(function () {
  'use strict';

  var R = window.hpoRace;
  var stableJson = window.hpoDom.stableJson;

  function pageSettings(landscape, lseed, budget, seed, bayes, peaks, racers, options, dims,
    workers) {
    return {landscape: landscape, landscape_seed: lseed, budget: budget, seed: seed,
      bayes: bayes, peaks: landscape === 'custom' ? peaks : null,
      racers: Array.isArray(racers) ? racers.slice() : racers, options: options || {},
      dims: dims === undefined || dims === null ? 2 : dims,
      workers: workers === undefined || workers === null || workers === '' ? 1 : workers};
  }

  // Options of the racers that race (the server ignores the rest), so a change to a racer
  // that is not racing does not invalidate the loaded race.
  function racingOptions(s) {
    var out = {};
    var codec = window.hpoCodec;
    (Array.isArray(s.racers) ? s.racers : []).forEach(function (name) {
      if (name === 'bayes') {
        if (s.bayes) out.bayes = s.bayes;
        return;
      }
      var spec = codec && codec.table() ? codec.racer(name) : null;
      if (!spec || !spec.options.length) return;
      var given = (s.options || {})[name] || {};
      var full = {};
      spec.options.forEach(function (o) {
        full[o.name] = given[o.name] !== undefined ? given[o.name] : o.default;
      });
      out[name] = full;
    });
    return out;
  }

  function settingsKey(s) {
    return [s.landscape, Number(s.landscape_seed), Number(s.budget), Number(s.seed),
      stableJson(racingOptions(s)), s.landscape === 'custom' ? String(s.peaks || '') : '',
      (Array.isArray(s.racers) ? s.racers : []).join(','), Number(s.dims),
      Number(s.workers)].join('|');
  }

  // The race settings a view echoes, as a request (app/race_request.py check_request).
  function viewSettings(v) {
    var options = Object.assign({}, v.options || {});
    return {landscape: v.landscape, landscape_seed: v.landscape_seed, budget: v.budget,
      seed: v.seed, bayes: options.bayes, peaks: v.peaks, racers: v.order, options: options,
      dims: v.dims, workers: v.workers};
  }

  function viewKey(v) {
    return settingsKey(viewSettings(v));
  }

  R.request = {pageSettings: pageSettings, racingOptions: racingOptions, settingsKey: settingsKey,
    viewSettings: viewSettings, viewKey: viewKey};
})();
