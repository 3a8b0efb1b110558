"""What a request will cost, estimated from its settings before any work starts.

Every setting is bounded by the settings table, but their product is what the server pays:
a race at 3,000 GPU minutes on svm-digits with five racers, or its Bayesian model view, takes
seconds of one core. The estimate, in seconds of one core of the 2-core machine the README's
figures come from, is

    trials  ≈ min(500, budget / typical trial cost), typical = √(cheapest · average) minutes
    race    ≈ Σ racers: Bayes 8 ms·n + 15 µs·n², TPE 1 ms·n + 20 µs·n², others 0.3 ms·n
              (Hyperband and halving run up to 2.5× more, cheaper, trials)
    model   ≈ 45 µs · n · resolution²   (n Bayesian trials, the view's cells per side)
    chunk   ≈ count · race

(coefficients fitted by hand to races timed one at a time on that machine; they over- rather
than under-estimate). A request estimated above ``MAX_REQUEST_SECONDS`` is refused with a
sentence saying what would fit; one at ``app.heavy.HEAVY_SECONDS`` or more is heavy
(``app.heavy``).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from hpo_race.landscapes import CUSTOM, get_landscape
from hpo_race.strategies.race import MAX_TRIALS
from hpo_race.strategies.schema import SettingError
from hpo_race.strategies.settings import BUDGET

#: The most estimated seconds one request may cost (above every race the page can ask for).
MAX_REQUEST_SECONDS = 12.0
#: Seconds per trial (linear, quadratic) of each racer's own work, fitted to timed races.
_PER_TRIAL = {
    "bayes": (8e-3, 1.5e-5),
    "tpe": (1e-3, 2e-5),
}
_CHEAP_RACER = (3e-4, 0.0)
#: Racers that run many low-fidelity trials for the same budget.
_MANY_TRIALS = {"hyperband": 2.5, "halving": 2.5}
_MODEL_PER_CELL = 4.5e-5


@functools.lru_cache(maxsize=64)
def typical_cost(landscape: str, dims: int, peaks: str | None) -> float:
    """GPU minutes of a typical trial: the geometric mean of the cheapest and the average."""
    scape = get_landscape(landscape, 0, peaks=peaks if landscape == CUSTOM else None, dims=dims)
    probes = np.random.default_rng(0).random((2000, len(scape.knobs)))
    cheapest = float(np.min(scape.cost_model.mean(probes)))
    return math.sqrt(max(cheapest, 1e-3) * scape.cost_model.expected())


def trials(settings: dict[str, Any], racer: str = "bayes") -> int:
    """Estimated trials one racer runs in a race with these (checked) settings."""
    cost = typical_cost(settings["landscape"], settings["dims"], settings.get("peaks"))
    n = settings["budget"] / cost * _MANY_TRIALS.get(racer, 1.0)
    return int(min(MAX_TRIALS, max(1.0, n)))


def race_seconds(settings: dict[str, Any]) -> float:
    """Estimated seconds of one race with these (checked) settings."""
    total = 0.0
    for racer in settings["strategies"]:
        n = trials(settings, racer)
        linear, square = _PER_TRIAL.get(racer, _CHEAP_RACER)
        total += linear * n + square * n * n
    return total


def model_seconds(n_trials: int, resolution: int) -> float:
    """Estimated seconds of the Bayesian model's frames for a race of ``n_trials`` trials."""
    return _MODEL_PER_CELL * n_trials * resolution * resolution


def _fitting_budget(settings: dict[str, Any], cost: Any, cap: float) -> float | None:
    """The largest budget (a multiple of 10) at which ``cost(settings)`` fits ``cap``."""
    low, high = BUDGET.low, settings["budget"]
    if cost({**settings, "budget": low}) > cap:
        return None
    for _ in range(30):
        middle = (low + high) / 2
        if cost({**settings, "budget": middle}) <= cap:
            low = middle
        else:
            high = middle
    return max(BUDGET.low, math.floor(low / 10) * 10)


def check_cost(what: str, seconds: float, settings: dict[str, Any], cost: Any) -> float:
    """``seconds`` if it fits ``MAX_REQUEST_SECONDS``, else a ``SettingError`` that says what
    would fit (``cost(settings)`` re-estimates the request at another budget)."""
    if seconds <= MAX_REQUEST_SECONDS:
        return seconds
    head = (
        f"{what} would take about {math.ceil(seconds)} s of server time, more than the "
        f"{MAX_REQUEST_SECONDS:g} s one request may take"
    )
    budget = _fitting_budget(settings, cost, MAX_REQUEST_SECONDS)
    if budget is not None:
        hint = f"lower the budget to {budget:g} GPU minutes or race fewer racers"
    else:
        hint = "race fewer racers or fewer knobs"
    raise SettingError("budget", f"{head}; {hint}.")
