/*
 * hpo-race: many-seeds mode. "Repeat × N seeds" races every strategy N times (seeds seed …
 * seed+N−1; optionally a new landscape layout per race too) and shows the median best-so-far
 * with an interquartile band per strategy, and a table of median GPU minutes to reach 90%,
 * 95% and 99% of the optimum with the share of races that got there.
 *
 * The server computes chunks of a few races and answers each with the summary of the run so
 * far (app/many_data.py: strategies/summary.py's numbers, computed once, in Python); the
 * browser asks for one chunk after another, shows "12/30 races" as they arrive, and only
 * draws what the server summarised.
 */
(function () {
  'use strict';

  var TARGETS = ['0.9', '0.95', '0.99'];
  var PLOT = 'many-plot';

  var MY = {run: null, summary: null};
  window.hpoMany = MY;

  var el = window.hpoDom.el;
  var gd = window.hpoDom.gd;

  var noUpdate = window.hpoDom.noUpdate;
  var panelOrder = window.hpoDom.panels;

  function setState(state) {
    var r = el('app-root');
    if (r) r.setAttribute('data-many', state);
  }

  // ------------------------------------------------------------------ drawing

  function style(name) {
    var panel = document.querySelector('.panel-' + name);
    var h2 = panel ? panel.querySelector('h2') : null;
    var short = h2 ? h2.querySelector('.label-short') : null;
    var glyph = panel ? panel.querySelector('.panel-glyph') : null;
    return {
      label: short ? short.textContent : h2 ? h2.textContent : name,
      glyph: glyph ? glyph.textContent : '',
      colour: panel ? getComputedStyle(panel).getPropertyValue('--accent').trim() : '#333',
    };
  }


  function drawPlot(run, summary) {
    var g = gd(PLOT);
    if (!g) return;
    var idx = {};
    g.data.forEach(function (t, i) {
      idx[t.uid] = i;
    });
    var xs = [], ys = [], traces = [];
    var low = Infinity, optimum = null;
    var relative = false;
    var names = summary ? racers(summary) : g.data.filter(function (t) {
      return t.uid.indexOf('median-') === 0;
    }).map(function (t) {
      return t.uid.slice(7);
    });
    for (var k = 0; k < names.length; k++) {
      var name = names[k];
      var s = summary && summary[name];
      var parts = [['q1-', 'q1'], ['q3-', 'q3'], ['median-', 'median']];
      for (var p = 0; p < parts.length; p++) {
        var uid = parts[p][0] + name;
        if (idx[uid] === undefined) continue;
        var y = s ? s[parts[p][1]] : [];
        xs.push(s ? s.minutes : []);
        ys.push(y);
        traces.push(idx[uid]);
        y.forEach(function (v) {
          if (v !== null && v < low) low = v;
        });
      }
      if (s) relative = s.relative;
    }
    if (run && run.optimum !== null && run.optimum !== undefined) {
      optimum = relative ? 1 : run.optimum;
    }
    var layout = {};
    if (optimum !== null) {
      var top = optimum;
      if (!isFinite(low)) low = 0;
      var pad = 0.06 * Math.max(1e-6, top - low);
      var n = run.received;
      layout = {
        'xaxis.range': [0, run.budget],
        'yaxis.range': [low - pad, top + pad],
        'yaxis.title.text': relative ? 'median best ÷ optimum' : 'median best f(θ)',
        'shapes[0].y0': top,
        'shapes[0].y1': top,
        'shapes[1].y0': 0.95 * top,
        'shapes[1].y1': 0.95 * top,
        'annotations[0].text': relative ? 'optimum' : 'optimum ' + top.toFixed(3),
        'annotations[0].y': top,
        'annotations[1].text': relative ? '95%' : '95% · ' + (0.95 * top).toFixed(3),
        'annotations[1].y': 0.95 * top,
        'annotations[2].text': 'median of ' + n + (n === 1 ? ' race' : ' races') +
          ' · band: middle 50%',
        'annotations[2].x': 1,
        'annotations[2].xanchor': 'right',
        'annotations[2].y': 1,
        'annotations[2].yanchor': 'bottom',
        'annotations[2].font.size': 12.5,
      };
    }
    Plotly.update(g, {x: xs, y: ys}, layout, traces);
  }

  // The summary's strategies in panel order.
  function racers(summary) {
    var names = Object.keys(summary);
    var ORDER = panelOrder();
    return ORDER.filter(function (n) {
      return names.indexOf(n) >= 0;
    }).concat(names.filter(function (n) {
      return ORDER.indexOf(n) < 0;
    }));
  }

  function cell(tag, text, cls) {
    var c = document.createElement(tag);
    if (text !== undefined && text !== null) c.textContent = text;
    if (cls) c.className = cls;
    return c;
  }

  function drawTable(run, summary) {
    var box = el('many-table');
    if (!box) return;
    box.textContent = '';
    if (!summary) return;
    var table = cell('table');
    var head = cell('tr');
    head.appendChild(cell('th', 'minutes to reach'));
    TARGETS.forEach(function (t) {
      head.appendChild(cell('th', Math.round(Number(t) * 100) + '% of opt.'));
    });
    var thead = cell('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    var body = cell('tbody');
    var best = null;
    racers(summary).forEach(function (name) {
      var s = summary[name];
      var st = style(name);
      var tr = cell('tr');
      tr.setAttribute('data-strategy', name);
      var first = cell('td');
      var glyph = cell('span', st.glyph, 'glyph-cell');
      glyph.style.color = st.colour;
      first.appendChild(glyph);
      first.appendChild(document.createTextNode(st.label));
      tr.appendChild(first);
      TARGETS.forEach(function (t) {
        var r = s.reach[t];
        var td = cell('td');
        td.setAttribute('data-target', t);
        td.setAttribute('data-minutes', r.median_minutes === null ? '' : String(r.median_minutes));
        td.setAttribute('data-share', String(r.share));
        if (r.median_minutes === null) {
          td.className = 'never';
          td.appendChild(document.createTextNode('—'));
          td.title = 'Fewer than half of the races got there';
        } else {
          td.appendChild(document.createTextNode(Math.round(r.median_minutes) + ' min'));
        }
        td.appendChild(cell('span', Math.round(100 * r.share) + '%', 'share'));
        var w = s.reach_wall && s.reach_wall[t];
        if (w) { // several GPUs: the wall-clock minutes under the GPU minutes
          td.setAttribute('data-wall', w.median_minutes === null ? '' : String(w.median_minutes));
          td.appendChild(cell('span', w.median_minutes === null ? '— wall'
            : Math.round(w.median_minutes) + ' wall', 'wall'));
        }
        tr.appendChild(td);
        if (t === '0.95' && r.median_minutes !== null &&
            (!best || r.median_minutes < best.minutes)) {
          best = {name: st.label, minutes: r.median_minutes, share: r.share};
        }
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    var gpus = Number(run.settings.workers) || 1;
    table.appendChild(cell('caption', 'Median GPU minutes until the best so far reached that ' +
      'share of the optimum; grey %: share of races that got there at all' +
      (gpus > 1 ? '; "wall": median wall-clock minutes with ' + gpus + ' GPUs per racer.'
        : '.')));
    box.appendChild(table);
    if (run.lesson && !run.sweep) { // the server's count of the lesson over these races
      var lesson = cell('p', 'Lesson: ' + run.lesson.sentence, 'many-h2h many-lesson');
      lesson.setAttribute('data-tally', JSON.stringify(run.lesson.tally));
      box.insertBefore(lesson, box.firstChild);
    }
    if (window.hpoManyKnobs) window.hpoManyKnobs.decorate(run, summary, box, style);
    if (window.hpoManyGpus) window.hpoManyGpus.decorate(run, summary, box, style);
    MY.verdict = best
      ? 'fastest to 95%: ' + best.name + ', ' + Math.round(best.minutes) + ' min'
      : 'none reached 95% in most races';
  }

  function drawProgress(run, text, tip) {
    var box = el('many-progress');
    if (!box) return;
    var fill = box.querySelector('.mp-fill');
    var label = box.querySelector('.mp-text');
    var pct = run ? (100 * run.received) / run.total : 0;
    if (fill) fill.style.width = pct.toFixed(1) + '%';
    if (label) {
      label.textContent = text;
      label.title = tip || text;
    }
    box.setAttribute('data-done', run ? String(run.received) : '0');
    box.setAttribute('data-total', run ? String(run.total) : '0');
  }

  function runLabel(text, glyph) {
    var b = el('many-run');
    if (!b) return;
    var label = b.querySelector('.mr');
    var g = b.querySelector('.glyph');
    if (label) label.textContent = text;
    if (g) g.textContent = glyph;
  }

  function describe(run) {
    var s = run.settings;
    var seeds = 'seeds ' + s.seed + '–' + (s.seed + run.total - 1);
    var layout = s.vary ? 'layouts #' + s.landscape_seed + '–' + (s.landscape_seed + run.total - 1)
      : 'layout #' + s.landscape_seed;
    var knobs = run.sweep ? run.sweep.join(', ') + ' knobs'
      : window.hpoManyKnobs.knobsWord(Number(s.dims) || 2);
    return run.total + ' races each: ' + seeds + ', ' + layout + ' of ' + s.landscape + ', ' +
      knobs + ', ' + s.budget + ' GPU min; computed in ' + run.seconds.toFixed(1) + ' s';
  }

  function draw(run) {
    MY.summary = run.summary || null;
    drawPlot(run, MY.summary);
    drawTable(run, MY.summary);
  }

  function progressText(run) {
    var knobs = run.sweep ? window.hpoManyKnobs.knobsWord(run.settings.dims) + ': ' : '';
    return knobs + run.received + '/' + run.total + ' races…';
  }

  // Ask for the next chunk. set_props, not a callback's output: Dash does not re-fire a
  // chain that loops back (many-request -> many-chunk -> many-request).
  function ask(run, start, count) {
    var request = Object.assign({}, run.settings, {
      total: run.total,
      start: start,
      count: count,
      nonce: run.nonce,
    });
    setTimeout(function () {
      if (MY.run === run && run.active) {
        window.dash_clientside.set_props('many-request', {data: request});
      }
    }, 0);
  }

  function chunkSize(budget) {
    var b = Number(budget);
    if (!isFinite(b) || b <= 0) return 1;
    return Math.max(1, Math.min(5, Math.round(4000 / b)));
  }

  // ------------------------------------------------------------------ Dash entry points

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoMany = {
    // Run × N (or Stop while running): the first chunk request.
    // peaks: a drawn landscape (draw.js); racers, options: the picker and other racers' options
    start: function (clicks, n, vary, sweep, landscape, lseed, budget, seed, bayes, peaks,
      racers, options, dims, workers) {
      if (MY.run && MY.run.active) {
        MY.run.active = false;
        setState('stopped');
        runLabel('Run', '▷');
        drawProgress(MY.run, 'Stopped at ' + MY.run.received + '/' + MY.run.total + ' races.');
        return noUpdate();
      }
      var total = Number(n);
      var settings = {
        landscape: landscape,
        landscape_seed: lseed,
        budget: budget,
        seed: seed,
        bayes: bayes,
        peaks: landscape === 'custom' ? peaks : null,
        racers: racers,
        options: options || {},
        dims: dims,
        workers: workers,
        vary: Array.isArray(vary) && vary.indexOf('on') >= 0,
      };
      var run = {
        nonce: Date.now(),
        settings: settings,
        total: isFinite(total) && total >= 1 ? Math.floor(total) : 1,
        budget: Number(budget),
        received: 0, // leading races the server has summarised
        summary: null, // the server's summary of them (app/many_data.py)
        optimum: null,
        h2h: null,
        gpus: null,
        started: performance.now(),
        seconds: null,
        active: true,
        // "every knob count": the same seeds with 2, 3, 4 and 6 knobs, one after another
        sweep: window.hpoManyKnobs.plan(sweep, settings),
        byDims: [],
      };
      if (run.sweep) settings.dims = run.sweep[0];
      MY.run = run;
      MY.summary = null;
      drawPlot(null, null);
      drawTable(run, null);
      setState('running');
      runLabel('Stop', '■');
      drawProgress(run, progressText(run));
      var request = Object.assign({}, settings, {
        total: n === null || n === undefined || n === '' ? null : total,
        start: 0,
        count: Math.min(chunkSize(budget), run.total),
        nonce: run.nonce,
      });
      return request;
    },

    // A chunk arrived: show it, and ask for the next one.
    chunk: function (data) {
      var run = MY.run;
      if (!data || !run || data.nonce !== run.nonce || !run.active) return noUpdate();
      if (!data.ok) {
        run.active = false;
        setState('error');
        runLabel('Run', '▷');
        drawProgress(run, 'Could not race: ' + (data.error || 'unknown error'));
        return noUpdate();
      }
      if (data.lesson !== undefined) run.lesson = data.lesson; // the last chunk: the lesson
      ['summary', 'optimum', 'h2h', 'gpus'].forEach(function (key) {
        run[key] = data[key];
      });
      run.received = data.done;
      draw(run);
      if (run.received >= run.total && run.sweep && run.byDims.length < run.sweep.length - 1) {
        // one knob count done: the same seeds with the next
        window.hpoManyKnobs.record(run, MY.summary);
        run.settings.dims = run.sweep[run.byDims.length];
        run.received = 0;
        run.summary = null;
        drawProgress(run, progressText(run));
        ask(run, 0, chunkSize(run.budget));
        return noUpdate();
      }
      if (run.received >= run.total) {
        if (run.sweep) window.hpoManyKnobs.record(run, MY.summary);
        draw(run);
        run.active = false;
        run.seconds = (performance.now() - run.started) / 1000;
        setState('done');
        runLabel('Run', '▷');
        drawProgress(run, run.total + ' races · ' + MY.verdict, describe(run));
        return noUpdate();
      }
      drawProgress(run, progressText(run));
      // from the first race the server did not count (the next, unless the cache lost some)
      var next = data.done;
      ask(run, next, Math.max(1, Math.min(data.next_count || 1, run.total - next)));
      return noUpdate();
    },

    // The N box: the button says how many races it will run.
    count: function (n) {
      if (!(MY.run && MY.run.active)) {
        var v = Number(n);
        runLabel('Run', '▷');
      }
      return noUpdate();
    },
  };

})();
