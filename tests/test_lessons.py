"""The lessons the app teaches, checked over many fixed seeds (never one lucky seed).

Race seed s and landscape seed 100 + s for s = 1..30, default budget (≈ 45 trials each).
Every sentence in the app that says which strategy does better where (the landscapes'
``lesson`` lines) has a test here; so do the facts the svm-digits lesson states.
"""

import math

import numpy as np
import pytest
from conftest import lesson_sweep

from hpo_race.strategies.race import DEFAULT_STRATEGIES
from hpo_race.strategies.summary import minutes_to_reach

pytestmark = pytest.mark.slow  # tests/conftest.py: run by plain `pytest` and `-m slow`


@pytest.fixture(scope="module")
def outcomes():
    """landscape -> strategy -> {"t95", "regret", "distinct": [...]} over all seeds.

    ``distinct``: how many different values of the first knob (the one that matters on
    one-knob) a race tried.
    """
    out = {}
    for landscape in ("smooth", "bumpy", "one-knob"):
        per = {s: {"t95": [], "regret": [], "distinct": []} for s in DEFAULT_STRATEGIES}
        for name in DEFAULT_STRATEGIES:
            for race in lesson_sweep(landscape, name):
                opt, trials = race["opt"], race["result"]["trials"]
                per[name]["t95"].append(minutes_to_reach(trials, 0.95 * opt))
                per[name]["regret"].append(opt - trials[-1]["best"])
                per[name]["distinct"].append(len({t["theta"][0] for t in trials}))
        out[landscape] = per
    return out


def median(values):
    return float(np.median(values))


@pytest.mark.parametrize("landscape", ["smooth", "bumpy"])
@pytest.mark.parametrize("rival", ["grid", "random"])
def test_bayes_reaches_95_percent_in_fewer_median_minutes(outcomes, landscape, rival):
    bayes = median(outcomes[landscape]["bayes"]["t95"])
    other = median(outcomes[landscape][rival]["t95"])
    assert math.isfinite(bayes)
    assert bayes < other


def test_random_ends_with_lower_median_regret_than_grid_on_one_knob(outcomes):
    random = median(outcomes["one-knob"]["random"]["regret"])
    grid = median(outcomes["one-knob"]["grid"]["regret"])
    assert random < grid


def test_random_reaches_95_percent_more_often_than_grid_on_one_knob(outcomes):
    reached = {
        name: np.mean(np.isfinite(outcomes["one-knob"][name]["t95"])) for name in ("grid", "random")
    }
    assert reached["random"] > reached["grid"]


# bumpy: "A coarse lattice steps over a narrow peak; a model can home in on it."
def test_the_grid_steps_over_the_narrow_peak_and_the_model_homes_in(outcomes):
    reached = {
        name: np.mean(np.isfinite(outcomes["bumpy"][name]["t95"])) for name in ("grid", "bayes")
    }
    assert reached["grid"] < 0.5 < reached["bayes"]
    grid = median(outcomes["bumpy"]["grid"]["regret"])
    bayes = median(outcomes["bumpy"]["bayes"]["regret"])
    assert bayes < grid


# one-knob: "When one knob matters, random search tries more distinct values of it than a grid."
def test_random_tries_more_distinct_values_of_the_knob_that_matters(outcomes):
    random = median(outcomes["one-knob"]["random"]["distinct"])
    grid = median(outcomes["one-knob"]["grid"]["distinct"])
    assert random > 2 * grid


# svm-digits: "Real landscapes have ridges: the best gamma shifts with C, and over a third of
# the square is no better than guessing."
def test_the_svm_landscape_is_as_its_lesson_says():
    from hpo_race.landscapes import get_landscape

    land = get_landscape("svm-digits")
    _, gamma, z = land.grid(60)  # rows: gamma, columns: C
    z = np.asarray(z)
    chance = land.extra["floor"]
    assert np.mean(z < chance + 0.1) > 1 / 3
    best_gamma = np.asarray(gamma)[np.argmax(z, axis=0)]
    assert np.ptp(best_gamma) >= 0.1  # ≥ 0.6 decades of gamma between C values
