/*
 * Many seeds, more knobs (issue 15): "every knob count" repeats the many-seeds run with 2, 3,
 * 4 and 6 knobs (the same seeds each time), and the table gets a small plot per racer of its
 * median final regret against the number of knobs. Above the table, a head-to-head line
 * says in how many of the races random search ended closer to the optimum than grid search
 * (counted by the server: app/many_data.py, strategies/summary.py's head_to_head): the share
 * behind "with more knobs, random beats grid", for the settings on screen. many.js calls
 * plan, record and decorate.
 */
(function () {
  'use strict';

  //: The knob counts of a sweep (their regret plot's x axis).
  var SWEEP = [2, 3, 4, 6];

  function two(landscape) {
    var T = window.hpoCodec && window.hpoCodec.table();
    return !!(T && (T.two_knobs_only || []).indexOf(landscape) >= 0);
  }

  // The knob counts a run goes through: the sweep when it is asked for and the landscape has
  // more than two knobs, else just the settings' own.
  function plan(asked, settings) {
    var on = Array.isArray(asked) && asked.indexOf('on') >= 0;
    return on && !two(settings.landscape) ? SWEEP.slice() : null;
  }

  // A finished run at one knob count: what the sweep's plot and sentence need.
  function record(run, summary) {
    var facts = {dims: Number(run.settings.dims) || 2, regret: {}, h2h: run.h2h || null};
    Object.keys(summary).forEach(function (name) {
      facts.regret[name] = summary[name].median_final_regret;
    });
    run.byDims = run.byDims || [];
    run.byDims.push(facts);
  }

  function pct(h) {
    return Math.round((100 * h.second) / h.races) + '%';
  }

  function knobsWord(d) {
    return d + (d === 1 ? ' knob' : ' knobs');
  }

  // The head-to-head line of the races shown (and of every knob count of a sweep).
  function sentence(run, label) {
    var h = run.h2h;
    if (!h || !h.races) return '';
    var d = Number(run.settings.dims) || 2;
    var text = label('random') + ' ended closer to the optimum than ' + label('grid') + ' in ' +
      h.second + ' of ' + h.races + (h.races === 1 ? ' race' : ' races') + ' (' + pct(h) +
      ') with ' + knobsWord(d) + (h.ties ? '; ' + h.ties + ' tied' : '') + '.';
    var done = (run.byDims || []).filter(function (f) {
      return f.h2h;
    });
    if (done.length > 1) {
      text += ' By knobs: ' + done.map(function (f) {
        return pct(f.h2h) + ' with ' + f.dims;
      }).join(', ') + '.';
    }
    return text;
  }

  // One racer's regret-vs-knobs plot: a line over the knob counts done, on a scale shared by
  // every racer (0 at the bottom, the largest median regret at the top).
  function sparkline(points, top, colour) {
    var NS = 'http://www.w3.org/2000/svg';
    var W = 64, H = 18, P = 2;
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('class', 'knob-spark');
    var xs = function (d) {
      return P + ((d - SWEEP[0]) / (SWEEP[SWEEP.length - 1] - SWEEP[0])) * (W - 2 * P);
    };
    var ys = function (v) {
      return H - P - (top > 0 ? v / top : 0) * (H - 2 * P);
    };
    var line = document.createElementNS(NS, 'polyline');
    line.setAttribute('points', points.map(function (p) {
      return xs(p[0]).toFixed(1) + ',' + ys(p[1]).toFixed(1);
    }).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', colour);
    line.setAttribute('stroke-width', '1.8');
    svg.appendChild(line);
    points.forEach(function (p) {
      var dot = document.createElementNS(NS, 'circle');
      dot.setAttribute('cx', xs(p[0]).toFixed(1));
      dot.setAttribute('cy', ys(p[1]).toFixed(1));
      dot.setAttribute('r', '1.8');
      dot.setAttribute('fill', colour);
      svg.appendChild(dot);
    });
    return svg;
  }

  // After many.js drew its table: the head-to-head line, and with a sweep the plot column.
  function decorate(run, summary, box, style) {
    var label = function (name) {
      return style(name).label;
    };
    var line = document.createElement('p');
    line.className = 'many-h2h';
    line.textContent = sentence(run, label);
    if (run.h2h) line.setAttribute('data-h2h', JSON.stringify(run.h2h));
    if (line.textContent) box.insertBefore(line, box.firstChild); // read before the table
    var done = run.byDims || [];
    if (!run.sweep || !done.length) return;
    var table = box.querySelector('table');
    var head = table && table.querySelector('thead tr');
    if (!head) return;
    var th = document.createElement('th');
    th.className = 'knob-trend';
    th.textContent = 'regret by knobs';
    th.title = 'Median final regret (optimum − best found) with ' +
      SWEEP.join(', ') + ' knobs, the same seeds each time; lower is better';
    head.appendChild(th);
    var top = 0;
    done.forEach(function (f) {
      Object.keys(f.regret).forEach(function (n) {
        top = Math.max(top, f.regret[n]);
      });
    });
    table.querySelectorAll('tbody tr').forEach(function (tr) {
      var name = tr.getAttribute('data-strategy');
      var points = done.map(function (f) {
        return [f.dims, f.regret[name]];
      });
      var td = document.createElement('td');
      td.className = 'knob-trend';
      td.setAttribute('data-regrets', JSON.stringify(points));
      td.title = label(name) + ', median final regret: ' + points.map(function (p) {
        return knobsWord(p[0]) + ' ' + p[1].toFixed(4);
      }).join(', ');
      td.appendChild(sparkline(points, top, style(name).colour));
      tr.appendChild(td);
    });
  }

  window.hpoManyKnobs = {plan: plan, record: record, decorate: decorate, knobsWord: knobsWord};
})();
