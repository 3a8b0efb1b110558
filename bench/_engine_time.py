"""Engine time per race, as bench_dims.py and bench_workers.py print it: one default race
(grid, random, bayes; smooth, budget 800) and every racer alone, at each value of a setting
(knobs or GPUs), median wall and CPU seconds over a few seeds after a warm-up race."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hpo_race.strategies.race import DEFAULT_BUDGET, DEFAULT_STRATEGIES, run  # noqa: E402


def engine_seconds(strategies: list[str], seeds: int = 5, **setting: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of one race on smooth at budget 800, after a warm-up."""
    run("smooth", strategies, DEFAULT_BUDGET, seed=0, **setting)
    wall, cpu = [], []
    for seed in range(1, seeds + 1):
        w, c = time.perf_counter(), time.process_time()
        run("smooth", strategies, DEFAULT_BUDGET, seed=seed, **setting)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def print_engine_table(key: str, symbol: str, values: Sequence[int], racers: Sequence[str]) -> None:
    """The markdown table: a row per lineup, a column per value of ``key`` (``dims`` or
    ``workers``), headed ``symbol = value``."""
    print("## Engine time per race (smooth, budget 800; median of 5 seeds, wall / CPU)\n")
    print("| race | " + " | ".join(f"{symbol} = {v}" for v in values) + " |")
    print("|---|" + "---|" * len(values))
    for label, lineup in [("default (grid, random, bayes)", list(DEFAULT_STRATEGIES))] + [
        (name, [name]) for name in racers
    ]:
        times = [engine_seconds(lineup, **{key: v}) for v in values]
        print(f"| {label} | " + " | ".join(f"{w:.3f} s / {c:.3f} s" for w, c in times) + " |")
