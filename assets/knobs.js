/*
 * More than two knobs (the race's view has dims > 2): under each panel, one strip per knob off
 * the axes with a tick per trial at the value it tried (the best trial so far in white), and
 * how many different values that is: a grid in 4 knobs tries 2 or 3 values of each, random
 * search a new one every trial. The Bayesian panel adds, while a model view is shown, the
 * point its slice is held at (a line on each strip) and the length scale it fitted per knob
 * (from the model's frames, app/model_data.py). Follows the clock through hpoModel.plugins.
 */
(function () {
  'use strict';

  var M = window.hpoModel;

  function knobName(knob) {
    return knob.short || knob.name;
  }

  // A real knob value -> its place on the strip, 0 … 1 (geometric on log knobs).
  function unit(knob, value) {
    var u = knob.log ? Math.log(value / knob.low) / Math.log(knob.high / knob.low)
      : (value - knob.low) / (knob.high - knob.low);
    return Math.max(0, Math.min(1, u));
  }

  function fmt(knob, value) {
    if (knob.log && value >= 10) return value.toFixed(0);
    if (knob.log) return value.toExponential(1).replace('e-', 'e−');
    return String(Number(value.toPrecision(2)));
  }

  function make(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The box's skeleton for this race: a caption and one strip per extra knob.
  function build(box, view) {
    box.textContent = '';
    var caption = make('p', 'strips-caption');
    caption.title = 'The panel shows ' + view.knobs.slice(0, 2).map(function (k) {
      return k.name;
    }).join(' × ') + ': every trial is projected onto it, so trials that differ only in the ' +
      'other knobs land on one point (×N). The landscape drawn is its slice at the other ' +
      'knobs’ best values. The strips show the values each trial tried of the other knobs.';
    box.appendChild(caption);
    view.knobs.slice(2).forEach(function (knob, k) {
      var row = make('div', 'strip');
      row.setAttribute('data-knob', knob.name);
      row.title = knob.name + ' from ' + fmt(knob, knob.low) + ' to ' + fmt(knob, knob.high) +
        (knob.log ? ' (log scale)' : '') + ': one tick per trial, the best so far in white';
      row.appendChild(make('span', 'strip-name', knobName(knob)));
      var track = make('span', 'strip-track');
      track.setAttribute('data-index', String(k));
      var slice = make('i', 'strip-slice');
      slice.hidden = true;
      track.appendChild(slice);
      row.appendChild(track);
      row.appendChild(make('span', 'strip-count'));
      box.appendChild(row);
    });
    if (box.id === 'strips-bayes') box.appendChild(make('div', 'length-scales'));
  }

  // How many different (knob 1, knob 2) points the first n trials tried: what the panel shows.
  function drawCaption(box, view, s, n) {
    var distinct = window.hpoRace.pointCounts(s, n).first.length;
    var axes = '(' + view.knobs.slice(0, 2).map(knobName).join(', ') + ')';
    var said = n ? distinct + ' distinct ' + axes + (distinct === 1 ? ' point' : ' points') +
      ' in ' + n + (n === 1 ? ' trial' : ' trials') + ' · the other knobs:'
      : 'The panel shows ' + axes + '; the other knobs:';
    var caption = box.querySelector('.strips-caption');
    if (caption.textContent !== said) caption.textContent = said;
    box.setAttribute('data-distinct', String(distinct));
  }

  // Ticks of the first n trials (added as the clock moves on, removed on a rewind).
  function drawStrips(box, view, s, n) {
    var rows = box.querySelectorAll('.strip');
    var best = n > 0 ? s.best_index[n - 1] : -1;
    for (var k = 0; k < rows.length; k++) {
      var knob = view.knobs[k + 2];
      var values = s.extra[k];
      var track = rows[k].querySelector('.strip-track');
      var ticks = track.querySelectorAll('.tick');
      for (var j = ticks.length - 1; j >= n; j--) track.removeChild(ticks[j]);
      for (var i = ticks.length; i < n; i++) {
        var tick = make('i', 'tick');
        tick.style.left = (100 * unit(knob, values[i])).toFixed(2) + '%';
        track.appendChild(tick);
      }
      var all = track.querySelectorAll('.tick');
      for (var t = 0; t < all.length; t++) all[t].classList.toggle('best', t === best);
      var distinct = {};
      var count = 0;
      for (var v = 0; v < n; v++) {
        if (!distinct[values[v]]) {
          distinct[values[v]] = true;
          count += 1;
        }
      }
      var said = n ? count + (count === 1 ? ' value' : ' values') : '';
      var cell = rows[k].querySelector('.strip-count');
      if (cell.textContent !== said) cell.textContent = said;
      rows[k].setAttribute('data-distinct', String(count));
    }
  }

  // The Bayesian panel with a model view on: the slice its view is held at, and the length
  // scale it fitted per knob after k trials (short: the score changes fast along it).
  function drawModelFacts(box, view, k) {
    var model = M.model;
    var on = M.view && M.view !== 'probes' && model && model.slice && model.length_scale &&
      model.slice[k] && model.length_scale[k];
    var rows = box.querySelectorAll('.strip');
    for (var r = 0; r < rows.length; r++) {
      var line = rows[r].querySelector('.strip-slice');
      line.hidden = !on;
      if (on) line.style.left = (100 * model.slice[k][r]).toFixed(2) + '%';
    }
    var scales = box.querySelector('.length-scales');
    if (!scales) return;
    if (!on) {
      var hint = view.workers > 1
        ? 'The length scales the model fitted show with one GPU (its view replays one trial ' +
          'after another).'
        : 'Show the GP mean, std or acquisition (the menu above) to see the length ' +
          'scale the model fitted per knob, and the slice its view is held at.';
      if (scales.getAttribute('data-step') !== 'hint' || scales.__hint !== hint) {
        scales.__hint = hint;
        scales.textContent = '';
        scales.appendChild(make('p', 'ls-hint', hint));
        scales.setAttribute('data-step', 'hint');
      }
      return;
    }
    if (scales.getAttribute('data-step') === String(k) && scales.__model === model) return;
    scales.__model = model;
    scales.setAttribute('data-step', String(k));
    scales.textContent = '';
    var held = view.knobs.slice(2).map(function (knob, i) {
      var u = model.slice[k][i];
      var real = knob.log ? knob.low * Math.pow(knob.high / knob.low, u)
        : knob.low + u * (knob.high - knob.low);
      return knobName(knob) + ' ' + fmt(knob, real);
    }).join(', ');
    scales.appendChild(make('p', 'ls-caption', 'The model view above is a slice at ' +
      (k > 0 ? 'the best point so far' : 'the middle of each range (no trial yet)') + ': ' +
      held + '. Length scales fitted after ' + k + (k === 1 ? ' trial' : ' trials') +
      ' (short: the score changes fast along that knob, so it matters):'));
    var ls = model.length_scale[k];
    var shortest = Math.min.apply(null, ls);
    view.knobs.forEach(function (knob, i) {
      var row = make('div', 'ls-row');
      row.setAttribute('data-knob', knob.name);
      row.setAttribute('data-length-scale', String(ls[i]));
      row.appendChild(make('span', 'ls-name', knobName(knob)));
      var bar = make('span', 'ls-bar');
      var fill = make('i');
      // relevance: the shortest length scale fills the bar, a 10× longer one a tenth of it
      fill.style.width = (100 * shortest / ls[i]).toFixed(1) + '%';
      bar.appendChild(fill);
      row.appendChild(bar);
      row.appendChild(make('span', 'ls-value', 'ℓ ' + String(Number(ls[i].toPrecision(2)))));
      scales.appendChild(row);
    });
  }

  function follow(R) {
    var view = R.view;
    window.hpoDom.eachPanelBox('knob-strips', 'strips-', view, function () {
      return view.dims > 2;
    }, function (box) {
      build(box, view);
    }, function (box, s, name) {
      var n = Math.min(R.shown[name] || 0, s.clock.length);
      drawCaption(box, view, s, n);
      drawStrips(box, view, s, n);
      if (name === 'bayes') drawModelFacts(box, view, n);
    });
  }

  M.plugins.push(follow);
})();
