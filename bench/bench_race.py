"""Engine benchmark: prints the race-engine figures the race-engine issue asks for, in one run.

    .venv/bin/python bench/bench_race.py [--seeds 30] [--skopt-seeds 10] [--racer-seeds 5]
                                         [--engine-only]

- time to compute one default race (3 strategies, budget 800 GPU minutes ≈ 50 trials each),
  and next to it the engine time of a race of every racer in the registry alone (smooth,
  budget 800, median over a few seeds);
- time per Bayesian step at 10, 25, 50 and 100 observations;
- median final regret and median GPU minutes to 95 % of the optimum over N seeds, for each
  strategy and landscape (race seed and landscape seed both vary);
- the same regret for scikit-optimize's gp_minimize (EI) at equal trial counts, with its
  per-step time, and our/their ratios measured in this run (needs `pip install -e .[bench]`;
  skipped with a note when scikit-optimize is not installed).

``--engine-only`` prints the timings (races and Bayesian steps) and stops.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hpo_race.landscapes import LANDSCAPES, get_landscape  # noqa: E402
from hpo_race.strategies.race import DEFAULT_STRATEGIES, run  # noqa: E402
from hpo_race.strategies.registry import RACERS  # noqa: E402
from hpo_race.strategies.summary import minutes_to_reach  # noqa: E402


def time_default_race(repeats: int = 7) -> float:
    """Median wall time of one default race (after one warm-up race)."""
    run("smooth", DEFAULT_STRATEGIES, 800.0, seed=0)
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        run("smooth", DEFAULT_STRATEGIES, 800.0, seed=i + 1)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_each_racer(seeds: int = 5, budget: float = 800.0) -> dict[str, dict[str, float]]:
    """Every racer in the registry raced alone on smooth: median engine ms and trial count.

    One warm-up race per racer first (imports, caches), then seeds 1..``seeds``.
    """
    out: dict[str, dict[str, float]] = {}
    for name in RACERS:
        run("smooth", [name], budget, seed=0)
        times, trials = [], []
        for seed in range(1, seeds + 1):
            start = time.perf_counter()
            trace = run("smooth", [name], budget, seed=seed)
            times.append(time.perf_counter() - start)
            trials.append(len(trace["strategies"][name]["trials"]))
        out[name] = {
            "ms": statistics.median(times) * 1000,
            "max_ms": max(times) * 1000,
            "trials": statistics.median(trials),
        }
    return out


def race_statistics(seeds: int) -> dict[str, dict[str, dict[str, float]]]:
    """Median final regret, minutes to 95 % and trial count per landscape and strategy."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in LANDSCAPES:
        per: dict[str, dict[str, list[float]]] = {}
        for s in range(1, seeds + 1):
            trace = run(name, DEFAULT_STRATEGIES, 800.0, seed=s, landscape_seed=s)
            opt = trace["landscape"]["optimum"]["score"]
            for strat, result in trace["strategies"].items():
                rec = per.setdefault(strat, {"regret": [], "t95": [], "trials": []})
                rec["regret"].append(opt - result["trials"][-1]["best"])
                rec["t95"].append(minutes_to_reach(result["trials"], 0.95 * opt))
                rec["trials"].append(len(result["trials"]))
        out[name] = {
            strat: {
                "regret": float(np.median(rec["regret"])),
                "t95": float(np.median(rec["t95"])),
                "reached95": float(np.mean(np.isfinite(rec["t95"]))),
                "trials": float(np.median(rec["trials"])),
            }
            for strat, rec in per.items()
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--skopt-seeds", type=int, default=10)
    parser.add_argument("--racer-seeds", type=int, default=5)
    parser.add_argument("--engine-only", action="store_true", help="timings only")
    args = parser.parse_args()

    from bench_bayes import skopt_per_step_seconds, time_bayes_steps

    race_s = time_default_race()
    line_up = "+".join(DEFAULT_STRATEGIES)
    print(f"default race ({line_up}, 800 GPU min): {race_s * 1000:.0f} ms (target < 300 ms)")
    each = time_each_racer(args.racer_seeds)
    print(
        f"each racer alone (smooth, 800 GPU min, median of seeds 1..{args.racer_seeds}; "
        "engine time per race):"
    )
    for name, r in each.items():
        print(
            f"  {name:<10} {r['ms']:>7.1f} ms  (max {r['max_ms']:>6.1f} ms, "
            f"{r['trials']:>4.0f} trials)"
        )
    print(
        f"  {'sum':<10} {sum(r['ms'] for r in each.values()):>7.1f} ms  (sum of the racers alone)"
    )

    steps = time_bayes_steps((10, 25, 50, 100))
    for n, sec in steps.items():
        print(f"bayes step at n={n:>3}: {sec * 1000:.2f} ms")
    if args.engine_only:
        return

    stats = race_statistics(args.seeds)
    print(f"\nover {args.seeds} seeds (race seed = landscape seed = 1..{args.seeds}), budget 800:")
    header = ("landscape", "strategy", "trials", "regret", "min→95%", "reached")
    print(f"{header[0]:<10} {header[1]:<8} " + " ".join(f"{h:>8}" for h in header[2:]))
    for land, per in stats.items():
        for strat, r in per.items():
            print(
                f"{land:<10} {strat:<8} {r['trials']:>6.0f} {r['regret']:>8.4f} "
                f"{r['t95']:>8.0f} {r['reached95']:>8.0%}"
            )

    try:
        import skopt  # noqa: F401
    except ImportError:
        print("\nscikit-optimize is not installed (pip install -e .[bench]): comparison skipped")
        return
    print(
        f"\nscikit-optimize gp_minimize (EI), {args.skopt_seeds} seeds, same trial counts as bayes:"
    )
    for land in ("smooth", "bumpy"):
        n_calls = int(stats[land]["bayes"]["trials"])
        regrets, ours, per_step = [], [], []
        for s in range(1, args.skopt_seeds + 1):
            landscape = get_landscape(land, s)
            opt = landscape.optimum.score
            sec, bests = skopt_per_step_seconds(
                lambda x, L=landscape: float(L.score(np.asarray(x)[None, :])[0]), n_calls, seed=s
            )
            per_step.append(sec)
            regrets.append(opt - bests[-1])
            trace = run(land, ["bayes"], 800.0, seed=s, landscape_seed=s)
            trials = trace["strategies"]["bayes"]["trials"][:n_calls]
            ours.append(opt - trials[-1]["best"])
        their_step = statistics.median(per_step)
        print(
            f"{land:<8} n_calls={n_calls}: regret ours {np.median(ours):.4f} vs gp_minimize "
            f"{np.median(regrets):.4f}; step ours(n=50) {steps[50] * 1000:.2f} ms vs theirs "
            f"{their_step * 1000:.0f} ms per call → ratio {steps[50] / their_step:.3f}"
        )


if __name__ == "__main__":
    main()
