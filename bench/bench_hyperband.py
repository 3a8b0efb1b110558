"""Hyperband against grid, random and Bayesian search, over many seeds, on every landscape.

    .venv/bin/python bench/bench_hyperband.py [--seeds 30] [--budget 800] [--noise 0]

For race seeds s = 1..N (landscape seed s too; svm-digits ignores it) it races all four
strategies and prints, per landscape and strategy, the median GPU minutes to reach 95 % and
99 % of the optimum (``strategies.summary.minutes_to_reach``; a race that never reaches the
target counts as ∞, so a median can be ∞) and the share of races that reached it.

Hyperband is shown twice: ``hyperband`` counts every run's score toward best-so-far (the
trace's ``best``), ``hyperband*`` counts full-fidelity runs only (the trace's
``best_full``). Its partial runs score lower in expectation, so the two rarely differ.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hpo_race.landscapes import LANDSCAPES  # noqa: E402
from hpo_race.strategies.race import run  # noqa: E402
from hpo_race.strategies.summary import minutes_to_reach  # noqa: E402

STRATEGIES = ("grid", "random", "bayes", "hyperband")
TARGETS = (0.95, 0.99)


def full_only(trials: list[dict]) -> list[dict]:
    """The trials with ``best`` replaced by the best full-fidelity score so far."""
    return [
        {"clock": t["clock"], "best": -math.inf if t["best_full"] is None else t["best_full"]}
        for t in trials
    ]


def bench(seeds: int, budget: float, noise: float) -> dict[str, dict[str, dict[float, list]]]:
    """landscape -> column -> target -> minutes per seed."""
    out: dict[str, dict[str, dict[float, list]]] = {}
    for name in LANDSCAPES:
        cols = {c: {t: [] for t in TARGETS} for c in (*STRATEGIES, "hyperband*")}
        for s in range(1, seeds + 1):
            trace = run(name, STRATEGIES, budget, seed=s, landscape_seed=s, noise=noise)
            opt = trace["landscape"]["optimum"]["score"]
            for strat, result in trace["strategies"].items():
                for t in TARGETS:
                    cols[strat][t].append(minutes_to_reach(result["trials"], t * opt))
                    if strat == "hyperband":
                        cols["hyperband*"][t].append(
                            minutes_to_reach(full_only(result["trials"]), t * opt)
                        )
        out[name] = cols
    return out


def fmt(minutes: list[float]) -> str:
    med = float(np.median(minutes))
    share = float(np.mean(np.isfinite(minutes)))
    return f"{med:7.0f} {share:5.0%}" if math.isfinite(med) else f"{'∞':>7} {share:5.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--budget", type=float, default=800.0)
    parser.add_argument("--noise", type=float, default=0.0)
    args = parser.parse_args()
    start = time.perf_counter()
    results = bench(args.seeds, args.budget, args.noise)
    print(
        f"Median GPU minutes to reach a share of the optimum (and share of races that did); "
        f"{args.seeds} seeds, budget {args.budget:g} min, noise {args.noise:g}."
    )
    print("hyperband* = only full-fidelity runs count toward best-so-far.\n")
    for t in TARGETS:
        print(f"-- {t:.0%} of the optimum --")
        header = f"{'landscape':<12}" + "".join(f"{c:>14}" for c in results[next(iter(results))])
        print(header)
        for name, cols in results.items():
            print(f"{name:<12}" + "".join(f"{fmt(cols[c][t]):>14}" for c in cols))
        print()
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
