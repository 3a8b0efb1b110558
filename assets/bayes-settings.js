/*
 * The Bayesian settings panel (⚙ Model): acquisition, ξ or κ, kernel, length scale (fitted or
 * fixed), the edge prior, initial trials, checked against the Bayesian options' table (strategies/bayes.py,
 * shipped with the settings table) into the bayes-store the next Run sends; ↺ Defaults.
 */
(function () {
  'use strict';

  var M = window.hpoModel;
  var ACQ_TITLE = M.acqTitle;
  var ACQ_LONG = M.acqLong;
  var el = window.hpoDom.el;
  var stableJson = window.hpoDom.stableJson;
  var noUpdate = window.hpoDom.noUpdate;

  // The Bayesian options' table (strategies/bayes.py, shipped with the settings table).
  function options() {
    var spec = window.hpoCodec && window.hpoCodec.table() ? window.hpoCodec.racer('bayes') : null;
    var out = {};
    (spec ? spec.options : []).forEach(function (o) {
      out[o.name] = o;
    });
    return out;
  }

  function numberOrNull(v) {
    if (v === null || v === undefined || v === '') return null;
    var n = Number(v);
    return isFinite(n) ? n : v;
  }

  // The first option the panel holds no valid value for, in the table's own words.
  function problem(b) {
    var O = options();
    var check = function (name) {
      var o = O[name];
      var v = b[name];
      var ok = typeof v === 'number' && isFinite(v) && v >= o.low && v <= o.high &&
        (o.kind !== 'int' || Math.round(v) === v);
      return ok ? '' : o.label + ' must be ' + o.allowed + '.';
    };
    if (!O.xi) return '';
    return (b.acquisition !== 'ucb' ? check('xi') : check('kappa')) || check('n_initial');
  }

  function defaults() {
    var O = options();
    var out = {};
    Object.keys(O).forEach(function (k) {
      out[k] = O[k].default;
    });
    return out;
  }

  function describeBayes(b) {
    var parts = [ACQ_TITLE[b.acquisition] || b.acquisition];
    parts.push(b.acquisition === 'ucb' ? 'κ ' + b.kappa : 'ξ ' + b.xi);
    parts.push(b.kernel === 'rbf' ? 'RBF' : 'Matérn 5/2');
    parts.push(b.length_scale === null ? 'ℓ fitted' : 'ℓ ' + b.length_scale);
    parts.push(b.n_initial + ' random starts');
    if (!b.edge_prior) parts.push('plain GP at the edges');
    return parts.join(', ');
  }

  // The slider holds log10(ℓ). A value a link set (a short decimal such as 0.0512) comes back
  // exactly, so the link replays the same race; a dragged one is read to 2 significant digits.
  function lengthScale(logValue) {
    var v = Math.pow(10, Number(logValue));
    var exact = Number(v.toPrecision(12));
    var digits = String(exact).replace(/e.*$/, '').replace(/^[0.]+|\./g, '');
    return digits.length <= 6 ? exact : Number(v.toPrecision(2));
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoModel = window.dash_clientside.hpoModel || {};
  Object.assign(window.dash_clientside.hpoModel, {
    // Any Bayesian setting: the store the next Run sends (the server checks it again).
    bayesSettings: function (acq, xi, kappa, kernel, lsMode, lsLog, nInit, edges, viewOptions) {
      var fixed = lsMode === 'fixed';
      var bayes = {
        acquisition: acq,
        xi: numberOrNull(xi),
        kappa: numberOrNull(kappa),
        kernel: kernel,
        length_scale: fixed ? lengthScale(lsLog) : null,
        n_initial: numberOrNull(nInit),
        edge_prior: edges !== 'off',
      };
      // the engine takes only the parameter of the chosen acquisition: keep the other valid
      var D = defaults();
      if (acq === 'ucb' && problem({acquisition: 'ei', xi: bayes.xi, n_initial: 1})) {
        bayes.xi = D.xi;
      }
      if (acq !== 'ucb' && problem({acquisition: 'ucb', kappa: bayes.kappa, n_initial: 1})) {
        bayes.kappa = D.kappa;
      }
      var panel = el('bayes-settings');
      if (panel) {
        panel.setAttribute('data-acq', acq);
        panel.setAttribute('data-ls', fixed ? 'fixed' : 'fitted');
        // a dot on ⚙ while the Bayesian race is not the default one
        var custom = stableJson(bayes) !== stableJson(D);
        panel.setAttribute('data-custom', custom ? 'true' : 'false');
        var summary = panel.querySelector('summary');
        if (summary) {
          summary.title = custom
            ? 'Bayesian settings (changed: ' + describeBayes(bayes) + ')'
            : 'Bayesian settings: acquisition, kernel, length scale, initial trials';
        }
      }
      var options = (viewOptions || []).map(function (o) {
        if (o.value !== 'acquisition') return o;
        return {value: o.value, label: {type: 'Span', namespace: 'dash_html_components',
          props: {children: ACQ_TITLE[acq] || 'EI',
            title: 'The acquisition function (' + ACQ_LONG[acq] + '): the model probes ' +
              'where it is highest'}}};
      });
      var message = problem(bayes);
      var alert = noUpdate();
      if (message) {
        alert = 'Bayesian settings: ' + message;
        M.bayesAlert = true;
      } else if (M.bayesAlert) {
        alert = '';
        M.bayesAlert = false;
      }
      var lsText = fixed ? 'ℓ = ' + bayes.length_scale : 'ℓ fitted';
      return [bayes, lsText, options, alert];
    },

    // ↺ Defaults: the table's defaults (the slider keeps its place; "Fitted" disables it).
    defaults: function () {
      var D = defaults();
      return [D.acquisition, D.xi, D.kappa, D.kernel,
        D.length_scale === null ? 'fitted' : 'fixed', noUpdate(), D.n_initial,
        D.edge_prior ? 'on' : 'off'];
    },

    // A fitted length scale is not the user's to set: the slider is disabled, not just dimmed,
    // so the keyboard cannot change it either.
    lengthScaleDisabled: function (mode) {
      return mode !== 'fixed';
    },
  });
})();
