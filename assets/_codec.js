/*
 * hpo-race: the page's one link codec, driven by the settings table the server ships
 * (strategies/settings.py table_spec, in #classroom-config's data-config as "table").
 *
 * It mirrors strategies.schema.Setting.decode / encode and strategies.settings.from_query /
 * to_query setting by setting, so a link reads the same in the browser as on the server:
 *   hpoCodec.parse(search) -> {settings, given, problems}   (settings checked, defaults filled)
 *   hpoCodec.query(settings) -> [[key, text], ...]           (every race setting written out)
 * tests/test_browser_links.py compares both with Python's for a sample of links.
 * Loads first (assets load in name order); it reads the table on first use.
 */
(function () {
  'use strict';

  var NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;
  var WHOLE = /^\s*\d{1,10}\s*$/;
  var PEAK_NUMBER = /^[+-]?\d{1,3}(\.\d{1,9})?$/;

  var K = {table: null, parsed: {}};

  function table() {
    if (K.table) return K.table;
    var node = document.getElementById('classroom-config');
    if (!node) return null;
    try {
      K.table = JSON.parse(node.getAttribute('data-config')).table;
    } catch (err) {
      K.table = null;
    }
    return K.table;
  }

  function formatNumber(v) {
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    return String(v);
  }

  // The canonical peaks string, or {error} saying what is wrong (landscapes/custom.py rules).
  function canonicalPeaks(text, rules) {
    var parts = String(text).trim().split(';');
    if (parts.length > rules.max) {
      return {error: 'draw between 1 and ' + rules.max + ' peaks (got ' + parts.length + ')'};
    }
    var keys = ['u', 'v', 'height', 'width'];
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      var fields = parts[i].split(',').map(function (f) {
        return f.trim();
      });
      if (fields.length !== 4 || !fields.every(function (f) {
        return PEAK_NUMBER.test(f);
      })) {
        return {error: 'peak ' + (i + 1) + " must be four decimal numbers 'u,v,height,width'"};
      }
      for (var k = 0; k < 4; k++) {
        var r = rules.ranges[keys[k]];
        var x = Number(fields[k]);
        if (!(x >= r[0] && x <= r[1])) {
          return {error: 'peak ' + (i + 1) + ' ' + keys[k] + ' must be between ' + r[0] +
            ' and ' + r[1]};
        }
        fields[k] = x.toFixed(rules.decimals);
      }
      out.push(fields.join(','));
    }
    return {value: out.join(';')};
  }

  // One setting's value from its text: {value} or {error} (as Setting.decode).
  function decode(s, text) {
    var t = String(text);
    var bad = {error: 'must be ' + s.allowed};
    if (s.none && t.trim().toLowerCase() === s.none) return {value: null};
    if (s.kind === 'int' || s.kind === 'float') {
      if (!(s.kind === 'int' ? WHOLE : NUMBER).test(t)) return bad;
      var n = Number(t);
      if (!isFinite(n) || n < s.low || n > s.high) return bad;
      return {value: n};
    }
    if (s.kind === 'choice') {
      var word = t.trim().toLowerCase();
      if (s.choices.indexOf(word) >= 0) return {value: word};
      return s.choices.indexOf(t) >= 0 ? {value: t} : bad;
    }
    if (s.kind === 'flag') {
      var f = t.trim().toLowerCase();
      if (f === '1') return {value: true};
      if (f === '0') return {value: false};
      return bad;
    }
    if (s.kind === 'list') {
      var items = t.split(',').map(function (x) {
        return x.trim();
      }).filter(function (x) {
        return x;
      });
      var unique = items.filter(function (x, i) {
        return items.indexOf(x) === i;
      });
      if (unique.length !== items.length || items.length < s.low || items.length > s.high ||
        !items.every(function (x) {
          return s.choices.indexOf(x) >= 0;
        })) return bad;
      return {value: items};
    }
    // text: the drawn peaks
    if (t.length > s.max_length) {
      return {error: 'could not be read: it is too long (at most ' + s.max_length + ' characters)'};
    }
    var peaks = canonicalPeaks(t, table().peaks);
    return peaks.error ? {error: 'could not be read: ' + peaks.error} : peaks;
  }

  function encode(s, value) {
    if (value === null || value === undefined) return s.none || '';
    if (s.kind === 'flag') return value ? '1' : '0';
    if (s.kind === 'list') return value.join(',');
    if (s.kind === 'int' || s.kind === 'float') return formatNumber(Number(value));
    return String(value);
  }

  function byName(list) {
    var out = {};
    list.forEach(function (s) {
      out[s.name] = s;
    });
    return out;
  }

  function racer(name) {
    var list = table().racers;
    for (var i = 0; i < list.length; i++) if (list[i].name === name) return list[i];
    return null;
  }

  function defaults(s) {
    return s.kind === 'list' ? s.default.slice() : s.default;
  }

  // A link's race settings, as strategies.settings.from_query reads them.
  function parse(search) {
    var key = String(search || '');
    if (K.parsed[key]) return K.parsed[key];
    var T = table();
    var q = new URLSearchParams(search || '');
    var race = byName(T.race);
    var problems = [];
    var given = {};
    var problem = function (param, why, fallback) {
      problems.push({param: param, value: q.get(param), why: why, fallback: fallback});
    };
    var raw = {};
    T.race.forEach(function (s) {
      if (!q.has(s.url)) return;
      var got = decode(s, q.get(s.url));
      if (got.error && s.kind === 'list') got.error = 'must be ' + T.racers_allowed;
      if (got.error) {
        problem(s.url, got.error, s.kind === 'text' ? null : encode(s, s.default));
      } else {
        raw[s.name] = got.value;
        given[s.name] = true;
      }
    });
    var alias = T.hyperband_alias;
    var racersSetting = race.strategies;
    var defaultRacers = racersSetting.default.slice();
    var low = T.page_racers[0], high = T.page_racers[1];
    var racers = raw.strategies || defaultRacers;
    if (racers.length < low || racers.length > high) {
      problem(racersSetting.url, 'must be ' + T.racers_allowed, defaultRacers.join(','));
      racers = defaultRacers;
      delete given.strategies;
    }
    if (q.has(alias.url)) { // old links: add Hyperband to the line-up
      var on = decode(alias, q.get(alias.url));
      if (on.error) problem(alias.url, on.error, '0');
      else if (on.value && racers.indexOf('hyperband') < 0) {
        if (racers.length < high) {
          racers = racers.concat(['hyperband']);
          given.strategies = true;
        } else {
          problem(alias.url, 'cannot add a racer to ' + high + ' racers', '0');
        }
      }
    }
    racers = T.racers.map(function (r) {
      return r.name;
    }).filter(function (n) {
      return racers.indexOf(n) >= 0;
    }); // panel order
    raw.strategies = racers;
    var landscape = raw.landscape !== undefined ? raw.landscape : race.landscape.default;
    if (landscape !== T.custom && raw.peaks !== undefined) {
      problem(race.peaks.url, 'is only used with landscape=' + T.custom, null);
      delete raw.peaks;
      delete given.peaks;
    }
    if (T.unseeded.indexOf(landscape) >= 0 && (raw.landscape_seed || 0) !== 0) {
      var what = landscape === T.custom ? 'your drawn landscape'
        : landscape + ' is measured data,';
      problem(race.landscape_seed.url, 'does not apply: ' + what + ' with one layout', '0');
      raw.landscape_seed = 0;
    }
    var knobs = race.dims;
    if ((T.two_knobs_only || []).indexOf(landscape) >= 0 && raw.dims !== undefined &&
      raw.dims !== knobs.default) {
      var which = landscape === T.custom ? 'your drawn landscape'
        : landscape + ' is measured data';
      problem(knobs.url, 'does not apply: ' + which + ' with ' + knobs.default + ' knobs only',
        encode(knobs, knobs.default));
      raw.dims = knobs.default;
      delete given.dims;
    }
    var options = {};
    T.racers.forEach(function (r) {
      r.options.forEach(function (s) {
        if (!q.has(s.url)) return;
        var got = decode(s, q.get(s.url));
        if (got.error) {
          problem(s.url, '(' + s.label + ') ' + got.error, encode(s, s.default));
          return;
        }
        if (racers.indexOf(r.name) >= 0) {
          options[r.name] = options[r.name] || {};
          options[r.name][s.name] = got.value;
        }
      });
    });
    var settings = {};
    T.race.forEach(function (s) {
      settings[s.name] = raw[s.name] !== undefined ? raw[s.name] : defaults(s);
    });
    // settings no link carries yet (ENGINE_ONLY): their defaults, as check_race fills them
    (T.engine_only || []).forEach(function (s) {
      settings[s.name] = defaults(s);
    });
    settings.strategies = racers.slice();
    settings.options = {};
    racers.forEach(function (name) {
      var full = {};
      racer(name).options.forEach(function (s) {
        var mine = options[name] || {};
        full[s.name] = mine[s.name] !== undefined ? mine[s.name] : s.default;
      });
      settings.options[name] = full;
    });
    var out = {settings: settings, given: given, options: options, problems: problems};
    K.parsed[key] = out;
    return out;
  }

  // The query of settings (strategies.settings.to_query): [[key, text], …] in table order.
  function query(settings) {
    var T = table();
    var pairs = [];
    T.race.forEach(function (s) {
      var v = settings[s.name];
      if (v === undefined) v = s.default;
      if ((v === null || v === '') && !s.none) return;
      pairs.push([s.url, encode(s, v)]);
    });
    (settings.strategies || []).forEach(function (name) {
      var r = racer(name);
      if (!r) return;
      var mine = (settings.options || {})[name] || {};
      r.options.forEach(function (s) {
        pairs.push([s.url, encode(s, mine[s.name] !== undefined ? mine[s.name] : s.default)]);
      });
    });
    return pairs;
  }

  // Every query key the codec owns (race settings, every racer's options, the old alias).
  function keys() {
    var T = table();
    var out = T.race.map(function (s) {
      return s.url;
    });
    T.racers.forEach(function (r) {
      r.options.forEach(function (s) {
        out.push(s.url);
      });
    });
    out.push(T.hyperband_alias.url);
    return out;
  }

  // The page's race request (race.js: landscape, landscape_seed, budget, seed, bayes, peaks,
  // racers, options, dims, workers) as codec settings.
  function fromRequest(req) {
    var T = table();
    var options = Object.assign({}, req.options || {});
    if (req.bayes) options.bayes = req.bayes;
    var racers = Array.isArray(req.racers) && req.racers.length ? req.racers
      : byName(T.race).strategies.default;
    return {
      landscape: req.landscape,
      landscape_seed: req.landscape_seed,
      budget: req.budget,
      seed: req.seed,
      dims: req.dims,
      workers: req.workers,
      peaks: req.landscape === T.custom ? req.peaks : null,
      strategies: racers,
      options: options,
    };
  }

  // Write settings into the address bar (replaceState): every codec key is set from them or
  // removed; other parameters (view, theme, hidden controls) stay. A value that is not
  // valid (a budget typed out of range, a half-typed seed) is never written: the address
  // keeps the last valid one.
  function write(settings) {
    try {
      var T = table();
      var specs = {};
      T.race.forEach(function (s) {
        specs[s.url] = s;
      });
      T.racers.forEach(function (r) {
        r.options.forEach(function (s) {
          specs[s.url] = s;
        });
      });
      var q = new URLSearchParams(window.location.search);
      var pairs = query(settings);
      var mine = {};
      // a race setting the page holds no valid value for (a cleared budget box) keeps its key
      T.race.forEach(function (s) {
        if (s.kind !== 'text') mine[s.url] = true;
      });
      pairs.forEach(function (p) {
        mine[p[0]] = true;
        var spec = specs[p[0]];
        if (spec && decode(spec, p[1]).error) return;
        q.set(p[0], p[1]);
      });
      keys().forEach(function (k) {
        if (!mine[k]) q.delete(k);
      });
      var text = q.toString();
      var url = window.location.pathname + (text ? '?' + text : '');
      if (url !== window.location.pathname + window.location.search) {
        window.history.replaceState(null, '', url);
      }
    } catch (err) {
      /* a sandboxed frame may refuse; the app works without it */
    }
  }

  window.hpoCodec = {
    fromRequest: fromRequest,
    write: write,
    table: table,
    decode: decode,
    encode: encode,
    parse: parse,
    query: query,
    keys: keys,
    racer: racer,
  };
})();
