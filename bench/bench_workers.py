"""Many GPUs at once (issue 16): engine time per race and the lesson, at k = 1, 4, 16 workers.

    .venv/bin/python bench/bench_workers.py [--seeds 30] [--workers 1,4,16]
                                            [--landscapes smooth,bumpy]
                                            [--racers grid,random,bayes] [--engine-only]

- engine time of one default race (grid, random, bayes; smooth, budget 800) at each k, and
  of every racer alone: median over 5 seeds after a warm-up race (on a shared machine compare
  ratios, not absolute times; the target is k = 16 under 0.5 s);
- over N seeds (race seed s, landscape seed 100 + s, s = 1 … N, as the lessons), at each k:
  each racer's median wall-clock minutes / median GPU minutes to 95 % of the optimum (∞
  unless at least half the races got there) and the share of races that did, then the
  share of races in which the Bayesian racer got there before random search on the wall
  clock, and the other way round (``strategies.parallel_lessons``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _engine_time import print_engine_table  # noqa: E402

from hpo_race.strategies.parallel_lessons import first_share, reach_facts  # noqa: E402
from hpo_race.strategies.race import DEFAULT_STRATEGIES  # noqa: E402
from hpo_race.strategies.registry import RACERS  # noqa: E402


def shown(x: float | None) -> str:
    return "∞" if x is None else f"{x:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--workers", default="1,4,16")
    parser.add_argument("--landscapes", default="smooth,bumpy")
    parser.add_argument("--racers", default=",".join(DEFAULT_STRATEGIES))
    parser.add_argument("--engine-only", action="store_true")
    args = parser.parse_args()
    ks = [int(k) for k in args.workers.split(",")]
    racers = args.racers.split(",")

    print_engine_table("workers", "k", ks, RACERS)
    if args.engine_only:
        return

    seeds = range(1, args.seeds + 1)
    start = time.perf_counter()
    for landscape in args.landscapes.split(","):
        print(
            f"\n## {landscape}: median wall-clock / GPU minutes to 95 % of the optimum (share "
            f"of races reaching it), {args.seeds} seeds, budget 800\n"
        )
        print("| racer | " + " | ".join(f"k = {k}" for k in ks) + " |")
        print("|---|" + "---|" * len(ks))
        facts = reach_facts(landscape, racers, ks, seeds)
        for racer in racers:
            cells = [
                f"{shown(f['median_wall'])} / {shown(f['median_gpu'])} ({f['share']:.0%})"
                for f in (facts[racer][k] for k in ks)
            ]
            print(f"| {racer} | " + " | ".join(cells) + " |", flush=True)
        if {"bayes", "random"} <= set(racers):
            for a, b in (("bayes", "random"), ("random", "bayes")):
                firsts = [first_share(landscape, a, b, k, seeds) for k in ks]
                print(
                    f"\nraces in which {a} got there before {b} on the wall clock: "
                    + ", ".join(f"k = {k}: {f:.0%}" for k, f in zip(ks, firsts, strict=True))
                )
    print(f"\n({time.perf_counter() - start:.0f} s for the sweeps)")


if __name__ == "__main__":
    main()
