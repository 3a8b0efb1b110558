"""The Bayesian racer against the well-known libraries, on the same work, in one run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/bench_peers.py [--seeds 50] [--trials 50] [--quick]

Each optimiser maximises each landscape (layout 0) for ``--trials`` trials, the first 5 of
them its own random initial points, over ``--seeds`` seeds, with one BLAS thread:
ours (``BayesStrategy`` defaults, with and without the edge prior), scikit-optimize's
``gp_minimize`` (EI) and bayes_opt's ``BayesianOptimization`` (its default UCB). Printed per
landscape and optimiser: median regret (optimum − best so far) after 25 and 50 trials, the
share of runs within 0.01 of the optimum after the last trial, the share of model-chosen
trials (after the initial 5) within 2 % of an edge of the square, and the optimiser's own
seconds per run (the landscape's evaluations excluded). Targets (issue 13): our regret and
share at least the best peer's, edge share ≤ 0.15, overhead ≥ 30× below gp_minimize's.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from hpo_race.landscapes import get_landscape
from hpo_race.strategies.bayes import BayesStrategy

LANDSCAPES = ("smooth", "bumpy", "one-knob")
N_INITIAL = 5
EDGE = 0.02
HIT = 0.01

Objective = Callable[[np.ndarray], float]


def ours(edge_prior: bool) -> Callable[[Objective, int, int], tuple[np.ndarray, float]]:
    def optimise(f: Objective, trials: int, seed: int) -> tuple[np.ndarray, float]:
        strategy = BayesStrategy(
            np.random.default_rng(seed), 1e12, None, n_initial=N_INITIAL, edge_prior=edge_prior
        )
        points, spent = [], 0.0
        for _ in range(trials):
            theta = strategy.ask()
            score = f(theta)
            start = time.perf_counter()
            strategy.tell(theta, score)
            spent += time.perf_counter() - start
            points.append(theta)
        return np.array(points), spent

    return optimise


def gp_minimize(f: Objective, trials: int, seed: int) -> tuple[np.ndarray, float]:
    from skopt import gp_minimize as skopt_gp

    evaluating = [0.0]

    def loss(x: list[float]) -> float:
        start = time.perf_counter()
        value = -f(np.asarray(x, float))
        evaluating[0] += time.perf_counter() - start
        return value

    start = time.perf_counter()
    result = skopt_gp(
        loss,
        [(0.0, 1.0), (0.0, 1.0)],
        n_calls=trials,
        n_initial_points=N_INITIAL,
        acq_func="EI",
        random_state=seed,
    )
    return np.array(result.x_iters, float), time.perf_counter() - start - evaluating[0]


def bayes_opt(f: Objective, trials: int, seed: int) -> tuple[np.ndarray, float]:
    from bayes_opt import BayesianOptimization

    evaluating = [0.0]

    def target(u: float, v: float) -> float:
        start = time.perf_counter()
        value = f(np.array([u, v]))
        evaluating[0] += time.perf_counter() - start
        return value

    opt = BayesianOptimization(
        target, {"u": (0.0, 1.0), "v": (0.0, 1.0)}, random_state=seed, verbose=0
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt.maximize(init_points=N_INITIAL, n_iter=trials - N_INITIAL)
    points = np.array([[r["params"]["u"], r["params"]["v"]] for r in opt.res], float)
    return points, time.perf_counter() - start - evaluating[0]


OPTIMISERS = {
    "ours": ours(True),
    "ours, no edge prior": ours(False),
    "gp_minimize (EI)": gp_minimize,
    "bayes_opt (UCB)": bayes_opt,
}


def measure(name: str, landscape: str, trials: int, seeds: int) -> dict[str, float]:
    land = get_landscape(landscape, 0)
    optimum = land.optimum.score

    def f(theta: np.ndarray) -> float:
        return float(land.score(np.clip(theta, 0.0, 1.0)[None, :])[0])

    regret25, regret_end, hits, edges, seconds = [], [], [], [], []
    for seed in range(seeds):
        points, spent = OPTIMISERS[name](f, trials, seed)
        scores = land.score(np.clip(points, 0.0, 1.0))
        best = np.maximum.accumulate(scores)
        regret25.append(optimum - best[min(24, len(best) - 1)])
        regret_end.append(optimum - best[-1])
        hits.append(optimum - best[-1] <= HIT)
        chosen = points[N_INITIAL:]
        edges.append(float(np.mean(np.any((chosen < EDGE) | (chosen > 1 - EDGE), axis=1))))
        seconds.append(spent)
    return {
        "regret25": statistics.median(regret25),
        "regret50": statistics.median(regret_end),
        "hit": float(np.mean(hits)),
        "edge": float(np.mean(edges)),
        "seconds": statistics.median(seconds),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--only", nargs="*", choices=list(OPTIMISERS), default=list(OPTIMISERS))
    args = parser.parse_args(argv)
    if args.seeds < 1 or args.trials <= N_INITIAL:
        parser.error(f"need --seeds ≥ 1 and --trials > {N_INITIAL}")
    print(f"{args.trials} trials, {N_INITIAL} initial, {args.seeds} seeds, one BLAS thread")
    print(
        f"{'landscape':<10} {'optimiser':<22} {'regret@25':>10} {'regret@' + str(args.trials):>10}"
        f" {'within .01':>10} {'edge share':>10} {'s per run':>10}"
    )
    results: dict[tuple[str, str], dict[str, float]] = {}
    with threadpool_limits(1):
        for landscape in LANDSCAPES:
            for name in args.only:
                r = measure(name, landscape, args.trials, args.seeds)
                results[landscape, name] = r
                print(
                    f"{landscape:<10} {name:<22} {r['regret25']:>10.2e} {r['regret50']:>10.2e}"
                    f" {r['hit']:>10.2f} {r['edge']:>10.3f} {r['seconds']:>10.3f}",
                    flush=True,
                )
    if ("smooth", "ours") in results and ("smooth", "gp_minimize (EI)") in results:
        for landscape in LANDSCAPES:
            ratio = (
                results[landscape, "gp_minimize (EI)"]["seconds"]
                / results[landscape, "ours"]["seconds"]
            )
            print(f"overhead, gp_minimize / ours on {landscape}: {ratio:.0f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
