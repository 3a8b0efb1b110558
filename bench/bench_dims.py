"""More knobs than two (issue 15): engine time per race and the lesson, measured at d = 2 … 6.

    .venv/bin/python bench/bench_dims.py [--seeds 30] [--dims 2,3,4,6]
                                         [--landscapes smooth,bumpy,one-knob]
                                         [--racers grid,random,bayes,...] [--engine-only]

- engine time of one default race (grid, random, bayes; smooth, budget 800) at each d, and of
  every racer alone, median over a few seeds after a warm-up race; d = 2 is the reference
  measured in the same run (on a shared machine compare ratios, not absolute times);
- over N seeds (race seed s, landscape seed 100 + s, s = 1 … N, as tests/test_lessons.py), at
  each d: each racer's median final regret (optimum − best score found) and median GPU minutes
  to 95 % of the optimum (∞ unless more than half the races got there; the share that did in
  brackets), and grid's values per knob. Bergstra & Bengio (2012): with more knobs the grid
  tries fewer values of each knob that matters, while random search tries a new one every trial.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _engine_time import print_engine_table  # noqa: E402

from hpo_race.strategies.race import DEFAULT_BUDGET, run  # noqa: E402
from hpo_race.strategies.registry import RACERS  # noqa: E402
from hpo_race.strategies.summary import minutes_to_reach  # noqa: E402


def sweep(landscape: str, racer: str, dims: int, seeds: int) -> dict[str, list[float]]:
    """One racer over the lesson seeds: final regret, minutes to 95 %, grid shape."""
    out: dict[str, list] = {"regret": [], "t95": [], "shape": []}
    for s in range(1, seeds + 1):
        trace = run(landscape, [racer], DEFAULT_BUDGET, s, landscape_seed=100 + s, dims=dims)
        opt = trace["landscape"]["optimum"]["score"]
        result = trace["strategies"][racer]
        out["regret"].append(opt - result["trials"][-1]["best"])
        out["t95"].append(minutes_to_reach(result["trials"], 0.95 * opt))
        out["shape"].append(tuple(result.get("shape", ())))
    return out


def cell(stats: dict[str, list[float]]) -> str:
    """``regret / minutes (share)`` for one racer at one d."""
    t95 = np.array(stats["t95"])
    share = float(np.mean(np.isfinite(t95)))
    minutes = float(np.median(t95))
    shown = "∞" if not math.isfinite(minutes) else f"{minutes:.0f}"
    return f"{np.median(stats['regret']):.4f} / {shown} ({share:.0%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--dims", default="2,3,4,6")
    parser.add_argument("--landscapes", default="smooth,bumpy,one-knob")
    parser.add_argument("--racers", default=",".join(RACERS))
    parser.add_argument("--engine-only", action="store_true")
    args = parser.parse_args()
    dims = [int(d) for d in args.dims.split(",")]
    racers = args.racers.split(",")

    print_engine_table("dims", "d", dims, racers)
    if args.engine_only:
        return

    start = time.perf_counter()
    for landscape in args.landscapes.split(","):
        print(
            f"\n## {landscape}: median final regret / median GPU minutes to 95 % (share "
            f"reaching it), {args.seeds} seeds, budget 800\n"
        )
        print("| racer | " + " | ".join(f"d = {d}" for d in dims) + " |")
        print("|---|" + "---|" * len(dims))
        shapes = {}
        for racer in racers:
            row = []
            for d in dims:
                stats = sweep(landscape, racer, d, args.seeds)
                row.append(cell(stats))
                if racer == "grid":
                    shapes[d] = statistics.mode(stats["shape"])
            print(f"| {racer} | " + " | ".join(row) + " |", flush=True)
        if shapes:
            print(
                "\ngrid's usual lattice: "
                + ", ".join(f"d = {d}: {'×'.join(map(str, s))}" for d, s in shapes.items())
            )
    print(f"\n({time.perf_counter() - start:.0f} s for the sweeps)")


if __name__ == "__main__":
    main()
