"""Issue 16's lesson, measured: what more workers buy each racer, on both clocks.

Over many races (race seed s on landscape layout 100 + s, as the other lessons), for each
number of workers k and each racer: the median wall-clock minutes and the median GPU
minutes until the best score first reached a fraction (95 %) of the optimum, the share of
races that got there, and per race who got there first on the wall clock. Facts only: the
lessons test (tests/test_lessons_workers.py) and bench/bench_workers.py decide what they
show. A race that never reaches the target counts as infinitely slow, so a median is None
when fewer than half the races got there (as ``strategies.summary`` reports it).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from hpo_race.strategies.race import DEFAULT_BUDGET, run
from hpo_race.strategies.summary import minutes_to_reach, wall_minutes_to_reach

#: The numbers of workers the lesson compares.
LESSON_WORKERS = (1, 4, 16)
#: The lessons' seeds: race seed s and landscape seed 100 + s (tests/conftest.py).
LESSON_SEEDS = tuple(range(1, 31))
TARGET = 0.95


@functools.cache
def reach_times(
    landscape: str,
    racer: str,
    workers: int,
    seeds: tuple[int, ...] = LESSON_SEEDS,
    budget: float = DEFAULT_BUDGET,
    target: float = TARGET,
) -> dict[str, tuple[float, ...]]:
    """Per seed, in seed order: ``wall`` and ``gpu`` minutes to ``target`` × the optimum
    (inf if never). Cached: a racer's race does not depend on who else races."""
    wall, gpu = [], []
    for s in seeds:
        trace = run(landscape, [racer], budget, s, landscape_seed=100 + s, workers=workers)
        goal = target * float(trace["landscape"]["optimum"]["score"])
        trials = trace["strategies"][racer]["trials"]
        wall.append(wall_minutes_to_reach(trials, goal))
        gpu.append(minutes_to_reach(trials, goal))
    return {"wall": tuple(wall), "gpu": tuple(gpu)}


def _median(values: Sequence[float]) -> float | None:
    m = float(np.median(values))
    return round(m, 4) if np.isfinite(m) else None


def reach_facts(
    landscape: str,
    racers: Sequence[str],
    workers: Sequence[int] = LESSON_WORKERS,
    seeds: Sequence[int] = LESSON_SEEDS,
    budget: float = DEFAULT_BUDGET,
) -> dict[str, dict[int, dict[str, Any]]]:
    """{racer: {k: {median_wall, median_gpu, share}}}: the lesson's table (module docstring)."""
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for racer in racers:
        out[racer] = {}
        for k in workers:
            times = reach_times(landscape, racer, k, tuple(seeds), float(budget))
            out[racer][k] = {
                "median_wall": _median(times["wall"]),
                "median_gpu": _median(times["gpu"]),
                "share": round(float(np.mean(np.isfinite(times["wall"]))), 4),
            }
    return out


def first_share(
    landscape: str,
    racer: str,
    other: str,
    workers: int,
    seeds: Sequence[int] = LESSON_SEEDS,
    budget: float = DEFAULT_BUDGET,
) -> float:
    """Share of the races in which ``racer`` reached the target strictly before ``other`` on
    the wall clock (a race neither reached counts for neither)."""
    mine = np.array(reach_times(landscape, racer, workers, tuple(seeds), float(budget))["wall"])
    theirs = np.array(reach_times(landscape, other, workers, tuple(seeds), float(budget))["wall"])
    return float(np.mean(mine < theirs))
