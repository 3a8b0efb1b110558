"""Successive halving against Hyperband, random and Bayesian search, over many seeds.

    .venv/bin/python bench/bench_halving.py [--seeds 30] [--budget 800]

For race seeds s = 1..N and landscape seeds 100 + s (as tests/test_lessons.py; svm-digits
ignores its seed) it races each strategy alone (a strategy's race does not depend on its
rivals) and prints, per landscape and strategy:

- t95: the median GPU minutes until the best score so far (any fidelity, the trace's
  ``best``) reached 95 % of the optimum; a race that never did counts as ∞, so the median
  is ∞ when half the races or more never reached it;
- reached: the share of races that reached it;
- regret: the median final regret, optimum − the last ``best``;
- spent: the median share of the budget spent, and trials: the median trial count;

and then each strategy's engine time per race (median wall time of ``strategies.race.run``
with that strategy alone, over every landscape and seed).
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

from hpo_race.strategies.race import run  # noqa: E402
from hpo_race.strategies.summary import minutes_to_reach  # noqa: E402

STRATEGIES = ("halving", "hyperband", "random", "bayes")
LANDSCAPES = ("smooth", "bumpy", "one-knob", "svm-digits")


def bench(seeds: int, budget: float) -> tuple[dict, dict]:
    """(landscape -> strategy -> metric -> values per seed, strategy -> seconds per race)."""
    out: dict[str, dict[str, dict[str, list[float]]]] = {}
    seconds: dict[str, list[float]] = {name: [] for name in STRATEGIES}
    for land in LANDSCAPES:
        per = {name: {"t95": [], "regret": [], "spent": [], "trials": []} for name in STRATEGIES}
        for s in range(1, seeds + 1):
            for name in STRATEGIES:
                start = time.perf_counter()
                trace = run(land, [name], budget, seed=s, landscape_seed=100 + s)
                seconds[name].append(time.perf_counter() - start)
                opt = trace["landscape"]["optimum"]["score"]
                result = trace["strategies"][name]
                rec = per[name]
                rec["t95"].append(minutes_to_reach(result["trials"], 0.95 * opt))
                rec["regret"].append(opt - result["trials"][-1]["best"])
                rec["spent"].append(result["spent"] / budget)
                rec["trials"].append(len(result["trials"]))
        out[land] = per
    return out, seconds


def row(rec: dict[str, list[float]]) -> str:
    t95 = float(np.median(rec["t95"]))
    shown = f"{t95:7.0f}" if math.isfinite(t95) else f"{'∞':>7}"
    return (
        f"{shown} {np.mean(np.isfinite(rec['t95'])):8.0%} {np.median(rec['regret']):8.4f} "
        f"{np.median(rec['spent']):6.0%} {np.median(rec['trials']):6.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--budget", type=float, default=800.0)
    args = parser.parse_args()
    run("smooth", list(STRATEGIES), args.budget, seed=0)  # warm-up (imports, caches)
    results, seconds = bench(args.seeds, args.budget)
    print(
        f"{args.seeds} seeds (race seed s, landscape seed 100 + s, s = 1..{args.seeds}), "
        f"budget {args.budget:g} GPU min; t95 = median minutes to 95 % of the optimum.\n"
    )
    print(
        f"{'landscape':<11} {'strategy':<10} {'t95':>7} {'reached':>8} {'regret':>8} "
        f"{'spent':>6} {'trials':>6}"
    )
    for land, per in results.items():
        for name, rec in per.items():
            print(f"{land:<11} {name:<10} {row(rec)}")
        print()
    print("engine time per race (median over every landscape and seed):")
    for name, values in seconds.items():
        print(f"  {name:<10} {statistics.median(values) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
