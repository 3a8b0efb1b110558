"""TPE, the Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl, "Algorithms
for Hyper-Parameter Optimization", NeurIPS 2011), as implemented by Optuna's ``TPESampler``
(Akiba, Sano, Yanase, Ohta & Koyama, "Optuna: A Next-generation Hyperparameter Optimization
Framework", KDD 2019), driven through Optuna's ask-and-tell interface.

Where a GP models the score p(y | θ), TPE models the knobs given the score. After n trials
it splits them by score into the γ best ("good") and the rest ("bad") and fits two Parzen
(kernel density) estimators on the unit square, one per side:

    l(θ) = p(θ | y among the γ best)        g(θ) = p(θ | y among the others)

It then draws ``n_ei_candidates`` (24) points from l and proposes the one maximising
l(θ) / g(θ), which Bergstra et al. show is the θ of highest expected improvement under this
model. γ is a count, not a fraction: Optuna's default is γ(n) = min(⌈0.1·n⌉, 25) — the best
10 % of the trials, at most 25 (``optuna.samplers._tpe.sampler.default_gamma``). Ties in
score are broken as Optuna sorts: a stable sort by score, so the earlier trial counts as good.

Options (``OPTIONS``; validated by ``Strategy.__init__``):

    n_startup=10        Optuna's ``n_startup_trials``: independent uniform draws (Optuna's
                        ``RandomSampler``) before the first split; its default.
    multivariate=True   one joint Parzen estimator over both knobs (Falkner, Klein & Hutter,
                        ICML 2018), which sees their interaction; off: one per knob, as in
                        Bergstra et al. 2011. Optuna's default is on for one objective.

Everything else is Optuna's default (prior weight 1, magic clip, 24 EI candidates, and the
constant liar, on by default in Optuna 5).

Several workers (issue 16): a started trial stays RUNNING in the study until its ``tell``,
and Optuna's constant liar (``TPESampler(constant_liar=True)``, its default) puts every
running trial among the bad ones when it splits, i.e. lies that it scored the worst, so
TPE's density l(θ) / g(θ) drops where workers are already busy. ``good`` still lists
completed trials only (running ones are never good), and ``explain_next`` adds
``pending``. Optuna is asked lazily, at the first ``ask`` after a start or tell, so the
proposal knows every result in by then; with one worker nothing else changes.

Determinism. The sampler is seeded from the strategy's own generator
(``int(rng.integers(2**31))``), the study lives in memory, so the same race seed gives a
bit-identical race. Optuna's INFO logging (a line per trial) is lowered to WARNING when
this module is imported, and Optuna's ``ExperimentalWarning`` category — and only it — is
ignored (a narrow filter; a ``catch_warnings`` block would swap every filter of the process
for its duration and is not thread-safe).

θ faithfulness. The runner rounds θ to 6 digits (``strategies.race.THETA_DIGITS``) before it
evaluates it, so what Optuna stores for a trial must be that rounded θ, or the model would
learn from points that were never scored. The proposal is therefore rounded at its source:
the study's sampler is ``TPESampler`` wrapped in ``_Rounded``, which passes every call
through and rounds what ``sample_relative`` / ``sample_independent`` return to 6 digits, so
``study.ask`` stores (and ``ask()`` returns) exactly the θ the runner evaluates — rounding is
idempotent, so the runner's own rounding leaves it unchanged — and ``study.tell`` completes
that same trial. TPE's random draws are untouched (the wrapper consumes no randomness); the
only change is the ≤ 5·10⁻⁷ move of each proposal, far below any Parzen bandwidth. If a
caller tells a θ other than the one asked, the asked trial is told FAIL (TPE ignores failed
trials) and a completed trial with the told θ is added (``study.add_trial``), so the study
always holds exactly the (θ, score) pairs that were told.

Trace facts (structured, no sentences): ``explain_next()`` is ``{"kind": "startup"}`` while
the proposal is a startup draw, else ``{"kind": "model", "n_good": k, "n_bad": m}``;
``trial_info()`` records ``good``: the 0-based indices of the race's earlier trials that TPE
counted as good when it proposed this one (empty during startup), computed as Optuna's
``_split_trials`` does (checked against it in tests/test_tpe.py).

Cost: about 2 ms per trial, nearly all of it inside Optuna's sampler (the two estimators and
the truncated-normal draws); ~105 ms for a race on smooth at budget 800 (~48 trials), against
~350 ms for ``bayes`` (``bench/bench_tpe.py``).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import optuna
from optuna.distributions import FloatDistribution
from optuna.samplers import BaseSampler, TPESampler
from optuna.trial import TrialState, create_trial

from hpo_race.strategies.base import Strategy
from hpo_race.strategies.schema import Setting

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

#: The digits the runner rounds θ to (``strategies.race.THETA_DIGITS``; a test keeps them equal).
THETA_DIGITS = 6
#: The unit square, as Optuna sees it: θ₁ is "x", θ₂ is "y".
#: Optuna's names for the knobs: x and y on the axes (as always), then k3 … k6.
PARAM_NAMES = ("x", "y", "k3", "k4", "k5", "k6")


def distributions(dims: int) -> dict[str, FloatDistribution]:
    """One uniform [0, 1] distribution per knob, in knob order (Optuna samples by name)."""
    return {name: FloatDistribution(0.0, 1.0) for name in PARAM_NAMES[:dims]}


DEFAULT_STARTUP = 10
MAX_STARTUP = 100


def gamma(n: int) -> int:
    """How many of n trials TPE counts as good: Optuna's default, min(⌈0.1·n⌉, 25)."""
    return min(math.ceil(0.1 * n), 25)


def good_split(scores: list[float], n_startup: int) -> list[int]:
    """Indices of the trials TPE counts as good before the next proposal ([] in startup).

    As Optuna's ``_split_trials`` for one maximised objective: the trials in order, sorted by
    score descending with a stable sort (equal scores: the earlier trial first), the first
    γ(n) of them; returned in trial order.
    """
    n = len(scores)
    if n < n_startup:
        return []
    ranked = sorted(range(n), key=lambda i: scores[i], reverse=True)  # stable under reverse
    return sorted(ranked[: min(gamma(n), n)])


def _round(value: float) -> float:
    return float(np.round(np.float64(value), THETA_DIGITS))


class _Rounded(BaseSampler):
    """``TPESampler`` with its proposals rounded to ``THETA_DIGITS`` before Optuna stores them."""

    def __init__(self, sampler: TPESampler) -> None:
        self.sampler = sampler

    def infer_relative_search_space(self, study: Any, trial: Any) -> dict[str, Any]:
        return self.sampler.infer_relative_search_space(study, trial)

    def sample_relative(self, study: Any, trial: Any, search_space: dict) -> dict[str, Any]:
        params = self.sampler.sample_relative(study, trial, search_space)
        return {name: _round(value) for name, value in params.items()}

    def sample_independent(self, study: Any, trial: Any, name: str, distribution: Any) -> Any:
        return _round(self.sampler.sample_independent(study, trial, name, distribution))

    def before_trial(self, study: Any, trial: Any) -> None:
        self.sampler.before_trial(study, trial)

    def after_trial(self, study: Any, trial: Any, state: Any, values: Any) -> None:
        self.sampler.after_trial(study, trial, state, values)

    def reseed_rng(self) -> None:
        self.sampler.reseed_rng()


class TPEStrategy(Strategy):
    """Optuna's TPESampler through ask-and-tell: the next trial is asked in ``tell``."""

    name = "tpe"
    title = "TPE (Optuna)"
    good_split = True
    OPTIONS = (
        Setting(
            "n_startup",
            "int",
            DEFAULT_STARTUP,
            "TPE's startup random trials",
            "Uniform random trials before TPE splits the trials into good and bad",
            url="tpe_init",
            low=1,
            high=MAX_STARTUP,
            step=1,
        ),
        Setting(
            "multivariate",
            "flag",
            True,
            "Multivariate TPE",
            "One density over both knobs together, so it sees how they interact (off: one "
            "per knob)",
            url="tpe_multi",
        ),
    )

    def __init__(self, rng, budget, cost_model, **options: Any) -> None:  # noqa: ANN001
        super().__init__(rng, budget, cost_model, **options)
        self.n_startup = self.options["n_startup"]
        self.multivariate = self.options["multivariate"]
        self.sampler = TPESampler(
            n_startup_trials=self.n_startup,
            multivariate=self.multivariate,
            seed=int(self.rng.integers(2**31)),
        )
        self.study = optuna.create_study(direction="maximize", sampler=_Rounded(self.sampler))
        self.distributions = distributions(self.dims)
        #: Optuna trial number of each told trial, in race order (the race's trial i).
        self.numbers: list[int] = []
        self._scores: list[float] = []
        self._ask_optuna()

    def _ask_optuna(self) -> None:
        """Ask Optuna for the next trial; note the split TPE proposes it from."""
        self._good = good_split(self._scores, self.n_startup)
        self._trial = self.study.ask(self.distributions)
        params = self._trial.params
        self._next = np.array([params[name] for name in self.distributions], dtype=float)

    def _asked(self) -> None:
        """Ask Optuna only when the next proposal is wanted, knowing every result in by then."""
        if self._trial is None:
            self._ask_optuna()

    # -- ask / start / tell ------------------------------------------------------------------
    def ask(self) -> np.ndarray | None:
        """The trial asked of Optuna (a copy): free, and the same until the next start/tell."""
        self._asked()
        return self._next.copy()

    def _started(self, theta: np.ndarray) -> tuple[Any, np.ndarray]:
        """The asked trial stays RUNNING in the study (Optuna's constant liar sees it); the
        next ``ask`` asks Optuna for a new one."""
        self._asked()
        token = (self._trial, self._next)
        self._trial = None
        return token

    def tell(self, theta: np.ndarray, score: float) -> None:
        """Complete the trial started at θ with ``score`` (see the module docstring)."""
        theta = np.asarray(theta, dtype=float).reshape(self.dims)
        score = float(score)
        if not (np.all(np.isfinite(theta)) and math.isfinite(score)):
            raise ValueError(f"theta and score must be finite, got {theta}, {score}")
        trial, asked = self._finish(theta)
        if np.array_equal(theta, asked):
            self.study.tell(trial, score)
            number = trial.number
        else:
            self.study.tell(trial, state=TrialState.FAIL)
            params = {name: float(t) for name, t in zip(self.distributions, theta, strict=True)}
            told = create_trial(params=params, distributions=self.distributions, value=score)
            self.study.add_trial(told)
            number = self.study.trials[-1].number
        self.numbers.append(number)
        self._scores.append(score)

    # -- explaining --------------------------------------------------------------------------
    def explain_next(self) -> dict[str, Any]:
        """``{"kind": "startup"}`` or ``{"kind": "model", "n_good": k, "n_bad": m}``; with
        trials running, ``pending``: how many the constant liar counted as bad."""
        self._asked()
        pending = {"pending": len(self.pending)} if self.pending else {}
        if len(self._scores) < self.n_startup:
            return {"kind": "startup", **pending}
        k = len(self._good)
        return {"kind": "model", "n_good": k, "n_bad": len(self._scores) - k, **pending}

    def trial_info(self) -> dict[str, Any]:
        """``good``: indices of the earlier trials TPE counted as good for this proposal."""
        self._asked()
        return {"good": list(self._good)}

    def state(self) -> dict[str, Any]:
        return {"n_startup": self.n_startup, "multivariate": self.multivariate}
