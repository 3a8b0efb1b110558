"""The Bayesian racer keeps off the edges, over many seeds, and finds optima as well or better.

Issue 13's measurement: a plain GP with EI (fixed ξ) put about a third of its model-chosen
trials within 2 % of an edge of the square; with log EI and a settling ξ a plain GP still puts
8–32 % there (one-knob, smooth, bumpy). With the edge prior (``edge_prior.BoundaryPrior``) the share
must stay at most 0.15 on every landscape, and the search must reach the optimum at least as
often as the plain GP measured in the same run, and hold the median regret, reach and edge
share recorded for it (tests/data/bayes_baseline.json). Each run is 50 trials (5 initial), 30
seeds, landscape layout = seed, as ``bench/bench_peers.py`` does at layout 0.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from hpo_race.landscapes import get_landscape
from hpo_race.strategies.bayes import BayesStrategy

pytestmark = pytest.mark.slow  # 30 seeds × 3 landscapes × 2 models (tests/conftest.py)

SEEDS = range(30)
TRIALS, INITIAL, EDGE = 50, 5, 0.02
LANDSCAPES = ("smooth", "bumpy", "one-knob")
#: The racer's figures when its current form was settled; ``python tests/test_bayes_edges.py``
#: records them again (only when an issue deliberately changes the Bayesian racer; say so).
BASELINE = Path(__file__).resolve().parent / "data" / "bayes_baseline.json"
#: Slack for another CPU's BLAS: regrets may differ in the last digits, not in kind.
REGRET_SLACK = 1e-4


@cache
def runs(landscape: str, edge_prior: bool, peaks: str | None = None) -> tuple[tuple, ...]:
    """(points, best-so-far regrets) per seed: each run once, shared by the tests."""
    out = []
    with threadpool_limits(1):
        for seed in SEEDS:
            land = get_landscape(landscape, seed, peaks=peaks)
            optimum = land.optimum.score
            s = BayesStrategy(np.random.default_rng(seed), 1e12, None, edge_prior=edge_prior)
            points, best = [], -np.inf
            regrets = []
            for _ in range(TRIALS):
                theta = s.ask()
                score = float(land.score(theta[None, :])[0])
                s.tell(theta, score)
                best = max(best, score)
                points.append(theta)
                regrets.append(optimum - best)
            out.append((np.array(points), np.array(regrets)))
    return tuple(out)


def edge_share(results: tuple) -> float:
    chosen = np.vstack([points[INITIAL:] for points, _ in results])
    return float(np.mean(np.any((chosen < EDGE) | (chosen > 1 - EDGE), axis=1)))


def hit_share(results: tuple, within: float = 0.01) -> float:
    return float(np.mean([regrets[-1] <= within for _, regrets in results]))


@pytest.mark.parametrize("landscape", LANDSCAPES)
def test_model_chosen_trials_keep_off_the_edges(landscape: str) -> None:
    ours = edge_share(runs(landscape, True))
    assert ours <= 0.15
    # and the plain GP, which the prior corrects, lands there several times as often (so the
    # check can fail): measured 0.20, 0.32, 0.08 against 0.001, 0.0, 0.01
    assert edge_share(runs(landscape, False)) > max(0.05, 3 * ours)


@pytest.mark.parametrize("landscape", LANDSCAPES)
def test_the_prior_reaches_the_optimum_at_least_as_often_as_a_plain_gp(landscape: str) -> None:
    ours, plain = runs(landscape, True), runs(landscape, False)
    assert hit_share(ours) >= hit_share(plain)
    for at in (24, TRIALS - 1):
        mine = float(np.median([r[at] for _, r in ours]))
        theirs = float(np.median([r[at] for _, r in plain]))
        assert mine <= theirs + 1e-3, (landscape, at + 1, mine, theirs)


def test_an_optimum_in_a_corner_is_still_found() -> None:
    """A prior, not a wall: with the peak at (0.99, 0.99) the search still climbs it."""
    corner = runs("custom", True, "0.990,0.990,0.900,0.150")
    assert hit_share(corner, within=0.03) >= 0.9


def figures(landscape: str) -> dict[str, float]:
    """Median regret after 25 and 50 trials, share within 0.01 of the optimum, edge share."""
    ours = runs(landscape, True)
    return {
        "regret25": float(np.median([r[24] for _, r in ours])),
        "regret50": float(np.median([r[TRIALS - 1] for _, r in ours])),
        "hit": hit_share(ours),
        "edge": edge_share(ours),
    }


@pytest.mark.parametrize("landscape", LANDSCAPES)
def test_the_racer_is_no_worse_than_its_recorded_baseline(landscape: str) -> None:
    """Over the 30 seeds, regret, reach and edge share hold the figures recorded for it."""
    want = json.loads(BASELINE.read_text())[landscape]
    got = figures(landscape)
    assert got["regret25"] <= want["regret25"] + REGRET_SLACK, (got, want)
    assert got["regret50"] <= want["regret50"] + REGRET_SLACK, (got, want)
    assert got["hit"] >= want["hit"] - 1 / len(SEEDS), (got, want)
    assert got["edge"] <= want["edge"] + 0.02, (got, want)


if __name__ == "__main__":
    BASELINE.write_text(
        json.dumps({name: figures(name) for name in LANDSCAPES}, indent=1, sort_keys=True) + "\n"
    )
    sys.stdout.write(f"recorded the Bayesian racer's figures into {BASELINE}\n")
