"""TPE against random search and Bayesian optimisation, over the lessons' fixed seeds.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/bench_tpe.py [--seeds 30] [--timing-races 5]

Race seed s and landscape seed 100 + s for s = 1..N (as tests/test_lessons.py), budget 800,
landscapes smooth, bumpy, one-knob and svm-digits. For each strategy: median GPU minutes to
reach 95 % of the optimum (∞ when fewer than half the races reach it), the share of races
that reach it and the median final regret (optimum − best score). Then the engine time per
race of each strategy alone on smooth (mean over a few races after a warm-up) and of the
four-racer race grid + random + bayes + tpe.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hpo_race.strategies.race import run  # noqa: E402
from hpo_race.strategies.summary import minutes_to_reach  # noqa: E402

LANDSCAPES = ("smooth", "bumpy", "one-knob", "svm-digits")
RIVALS = ("tpe", "random", "bayes")
BUDGET = 800.0


def outcomes(seeds: int) -> dict[str, dict[str, dict[str, list[float]]]]:
    """landscape -> strategy -> {"t95": [...], "regret": [...], "trials": [...]} per seed."""
    out: dict[str, dict[str, dict[str, list[float]]]] = {}
    for land in LANDSCAPES:
        per = {name: {"t95": [], "regret": [], "trials": []} for name in RIVALS}
        for s in range(1, seeds + 1):
            trace = run(land, list(RIVALS), BUDGET, seed=s, landscape_seed=100 + s)
            opt = trace["landscape"]["optimum"]["score"]
            for name, result in trace["strategies"].items():
                per[name]["t95"].append(minutes_to_reach(result["trials"], 0.95 * opt))
                per[name]["regret"].append(opt - result["trials"][-1]["best"])
                per[name]["trials"].append(len(result["trials"]))
        out[land] = per
    return out


def summary(rec: dict[str, list[float]]) -> dict[str, float]:
    t95 = np.asarray(rec["t95"], float)
    share = float(np.mean(np.isfinite(t95)))
    return {
        "t95": float(np.median(t95)) if share >= 0.5 else float("inf"),
        "reached": share,
        "regret": float(np.median(rec["regret"])),
        "trials": float(np.median(rec["trials"])),
    }


def ms_per_race(names: list[str], races: int) -> float:
    """Mean wall time of one race on smooth (budget 800) after one warm-up race."""
    run("smooth", names, BUDGET, seed=0)
    start = time.perf_counter()
    for s in range(1, races + 1):
        run("smooth", names, BUDGET, seed=s)
    return (time.perf_counter() - start) / races * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--timing-races", type=int, default=5)
    args = parser.parse_args()

    stats = outcomes(args.seeds)
    print(f"over {args.seeds} seeds (race seed s, landscape seed 100 + s), budget {BUDGET:g}:")
    print(f"{'landscape':<11}{'strategy':<8}{'trials':>7}{'min→95%':>9}{'reached':>9}{'regret':>9}")
    for land, per in stats.items():
        for name, rec in per.items():
            r = summary(rec)
            print(
                f"{land:<11}{name:<8}{r['trials']:>7.0f}{r['t95']:>9.0f}"
                f"{r['reached']:>9.0%}{r['regret']:>9.4f}"
            )

    print(f"\nengine time per race on smooth, mean of {args.timing_races} races:")
    for name in ("grid", "random", "bayes", "tpe"):
        print(f"  {name:<7} alone {ms_per_race([name], args.timing_races):>6.0f} ms")
    four = ["grid", "random", "bayes", "tpe"]
    print(f"  {'+'.join(four)} {ms_per_race(four, args.timing_races):.0f} ms")


if __name__ == "__main__":
    main()
