"""Bayesian-step timings, and scikit-optimize's gp_minimize timed on the same 2D problem.

    .venv/bin/python bench/bench_bayes.py

``bench/bench_race.py`` imports ``time_bayes_steps`` and ``skopt_per_step_seconds`` from here.
scikit-optimize 0.10.2 imports and runs cleanly with numpy 2.4 / scikit-learn 1.9 (checked
with ``-W error``), so no compatibility shim is needed.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hpo_race.landscapes import get_landscape  # noqa: E402
from hpo_race.strategies.bayes import BayesStrategy  # noqa: E402


def time_bayes_steps(
    ns: Sequence[int] = (10, 25, 50, 100), seeds: int = 3, window: int = 2
) -> dict[int, float]:
    """Median seconds per ``tell`` when the GP holds about n observations.

    Drives BayesStrategy (defaults) on the smooth landscape and pools the tells that bring it
    to n − window … n + window observations, over a few seeds.
    """
    landscape = get_landscape("smooth")
    top = max(ns) + window
    samples: dict[int, list[float]] = {n: [] for n in ns}
    for seed in range(seeds):
        strategy = BayesStrategy(np.random.default_rng(seed), 800.0, landscape.cost_model)
        for count in range(1, top + 1):
            theta = strategy.ask()
            score = float(landscape.score(theta[None, :])[0])
            start = time.perf_counter()
            strategy.tell(theta, score)
            elapsed = time.perf_counter() - start
            for n in ns:
                if abs(count - n) <= window:
                    samples[n].append(elapsed)
    return {n: statistics.median(v) for n, v in samples.items()}


def skopt_per_step_seconds(
    func: Callable[[Sequence[float]], float],
    n_calls: int = 50,
    seed: int = 0,
    one_thread: bool = True,
) -> tuple[float, list[float]]:
    """Seconds per call of skopt's ``gp_minimize`` (EI) maximising func on [0, 1]², and its
    best-so-far scores after each call (in func's units, higher is better).

    ``one_thread`` runs it with one BLAS thread, as our strategy runs, for a like-for-like
    comparison (with 2 threads it is slower on this 2-core machine, not faster).
    """
    from skopt import gp_minimize

    with threadpool_limits(1 if one_thread else None):
        start = time.perf_counter()
        result = gp_minimize(
            lambda x: -float(func(x)),
            [(0.0, 1.0), (0.0, 1.0)],
            n_calls=n_calls,
            acq_func="EI",
            random_state=seed,
        )
        elapsed = time.perf_counter() - start
    best = np.maximum.accumulate(-np.asarray(result.func_vals, dtype=float))
    return elapsed / n_calls, best.tolist()


def main() -> None:
    ns = (10, 25, 50, 100)
    steps = time_bayes_steps(ns)
    for n, sec in steps.items():
        print(f"bayes tell at n={n:>3}: {sec * 1000:6.2f} ms (median)")

    landscape = get_landscape("smooth")
    opt = landscape.optimum.score

    def f(x: Sequence[float]) -> float:
        return float(landscape.score(np.asarray(x, dtype=float)[None, :])[0])

    bo = BayesStrategy(np.random.default_rng(0), 800.0, None)
    for _ in range(50):
        bo.tell(bo.ask(), f(bo.ask()))
    g = np.linspace(0.0, 1.0, 40)
    gx, gy = np.meshgrid(g, g)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    times = []
    for _ in range(20):
        start = time.perf_counter()
        bo.posterior_on(grid)
        times.append(time.perf_counter() - start)
    print(f"posterior_on(40² points) at n=50: {statistics.median(times) * 1000:.2f} ms (median)")

    sec_2threads, _ = skopt_per_step_seconds(f, 50, 0, one_thread=False)
    their_times, our_times, ours_regret, theirs_regret = [], [], [], []
    for seed in range(3):
        sec, bests = skopt_per_step_seconds(f, 50, seed)
        their_times.append(sec)
        theirs_regret.append(opt - bests[-1])
        s = BayesStrategy(np.random.default_rng(seed), 800.0, None)
        best = -np.inf
        start = time.perf_counter()
        for _ in range(50):
            theta = s.ask()
            score = f(theta)
            s.tell(theta, score)
            best = max(best, score)
        our_times.append((time.perf_counter() - start) / 50)
        ours_regret.append(opt - best)
    theirs, ours = statistics.median(their_times), statistics.median(our_times)
    print(
        f"gp_minimize (EI), 50 calls on smooth, 3 seeds, 1 BLAS thread: {theirs * 1000:.0f} ms "
        f"per call (default 2 threads: {sec_2threads * 1000:.0f} ms), final regret median "
        f"{statistics.median(theirs_regret):.2e}"
    )
    print(
        f"ours, same 50 calls: {ours * 1000:.2f} ms per call (mean over the run), "
        f"final regret median {statistics.median(ours_regret):.2e}"
    )
    print(f"ours/theirs per-step time: {ours / theirs:.4f} (={theirs / ours:.0f}x faster)")
    print(f"ours at n=50 vs their per-call mean: {steps[50] / theirs:.4f}")


if __name__ == "__main__":
    main()
