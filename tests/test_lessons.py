"""The lessons the app teaches, checked over many fixed seeds (never one lucky seed).

Race seed s and landscape seed 100 + s for s = 1..30, default budget (≈ 45 trials each).
"""

import math

import numpy as np
import pytest

from strategies.race import DEFAULT_BUDGET, DEFAULT_STRATEGIES, run
from strategies.summary import minutes_to_reach

SEEDS = range(1, 31)


@pytest.fixture(scope="module")
def outcomes():
    """landscape -> strategy -> {"t95": [...], "regret": [...]} over all seeds."""
    out = {}
    for landscape in ("smooth", "bumpy", "one-knob"):
        per = {s: {"t95": [], "regret": []} for s in DEFAULT_STRATEGIES}
        for s in SEEDS:
            trace = run(
                landscape, DEFAULT_STRATEGIES, DEFAULT_BUDGET, seed=s, landscape_seed=100 + s
            )
            opt = trace["landscape"]["optimum"]["score"]
            for name, result in trace["strategies"].items():
                per[name]["t95"].append(minutes_to_reach(result["trials"], 0.95 * opt))
                per[name]["regret"].append(opt - result["trials"][-1]["best"])
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
