"""The race runner: where strategies meet the landscape, the cost model and the clock.

Rules (each one tested):
- Every strategy races on its own k workers (``workers``, 1 … 32; GPUs), all free at
  wall-clock minute 0. An event-driven simulation: the next trial goes to the worker that is
  free earliest (the lowest index among workers free at that same minute), after every trial
  that has ended by then has been told to the strategy (``Strategy.tell``, earlier ends
  first, equal ends in start order); the strategy is asked (``ask``), told the point is
  pending (``start``) and the trial runs for its cost in minutes. When ``ask`` has nothing
  to start while trials run, the worker idles until the next one ends.
- The budget is GPU minutes summed over the workers. A trial starts only if its (already
  drawn) cost fits in what is left of the budget once every started trial's whole cost is
  counted (committed), so it can never be exceeded; the first trial that does not fit ends
  that strategy's race: nothing more starts, and the trials still running finish and are
  told. ``MAX_TRIALS`` bounds the trials started.
- The trace lists trials in the order their results came in (= the order of ``tell``).
  ``clock`` is the GPU minutes committed when the result came in (every trial started
  before that moment, whole; the budget bar's reading then), ``best`` the best score known
  at that moment: both non-decreasing down the list, so best-so-far against GPU minutes is
  ``(clock, best)``. With k > 1 each trial also records ``start`` and ``end`` (wall-clock
  minutes) and ``worker`` (0 … k−1), so best-so-far against the wall clock is ``(end,
  best)``. A budget of ``clock`` would have been enough for the same race to get that
  result at the same minute (every trial started before it still fits).
- With one worker each trial starts when the previous ends, ``end`` equals ``clock``, and
  the fields are left out: a one-worker trace is byte-identical to one from before workers
  existed (tests/test_workers.py compares with traces recorded then).
- Each strategy draws from its own random streams, seeded by (race seed, strategy name):
  changing one strategy's settings, or which strategies race, never changes another's race.
- The trace is plain JSON-serialisable data and the same settings give a bit-identical trace.
- A strategy may ask for a partial run (``Strategy.fidelity()`` = r < 1): the trial is scored
  by ``Landscape.observe_at`` at r, costs r × its drawn full cost, and records ``fidelity``
  (only when r < 1, so full-run traces are unchanged). ``best`` is the best score observed at
  any fidelity; strategies with ``multi_fidelity`` also record ``best_full``, the best score
  among full runs only (null before the first one).
"""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from hpo_race.landscapes import CUSTOM, Landscape, get_landscape
from hpo_race.landscapes.custom import encode_peaks
from hpo_race.landscapes.fidelity import check_fidelity
from hpo_race.strategies import STRATEGIES
from hpo_race.strategies.registry import DEFAULT_RACERS
from hpo_race.strategies.settings import BUDGET, DIMS, REPEATS, SEED, WORKERS, check_race
from hpo_race.strategies.summary import summarise

#: 2: θ has one unit coordinate per knob (2 … 6; ``settings["dims"]`` when not 2). A 2-knob
#: trace is exactly version 1's but for this number.
TRACE_VERSION = 2
DEFAULT_STRATEGIES = DEFAULT_RACERS
DEFAULT_BUDGET = BUDGET.default
MIN_BUDGET = BUDGET.low
MAX_BUDGET = BUDGET.high
MAX_SEED = SEED.high
MAX_TRIALS = 500
THETA_DIGITS = 6
SCORE_DIGITS = 6


def strategy_streams(seed: int, name: str) -> tuple[np.random.Generator, np.random.Generator]:
    """Two independent generators for one strategy: its own proposals, and its trials' jitter."""
    seq = np.random.SeedSequence([seed, zlib.crc32(name.encode())])
    own, trials = seq.spawn(2)
    return np.random.default_rng(own), np.random.default_rng(trials)


def check_settings(
    landscape: Landscape | str,
    strategies: Sequence[str],
    budget: float,
    seed: int,
    options: Mapping[str, Mapping[str, Any]],
    *,
    landscape_seed: int = 0,
    noise: float = 0.0,
    peaks: Any = None,
    dims: int = 2,
    workers: int = 1,
) -> None:
    """Refuse settings the runner cannot honour: one ``SettingError`` naming the field."""
    if isinstance(landscape, Landscape):
        name, landscape_seed, noise = landscape.name, landscape.seed, landscape.noise
        dims = landscape.dims
        peaks = landscape.extra.get("peaks") if name == CUSTOM else None
    else:
        name = landscape
        if name == CUSTOM and peaks is not None and not isinstance(peaks, str):
            peaks = encode_peaks(peaks)
    check_race(
        {
            "landscape": name,
            "landscape_seed": landscape_seed,
            "budget": budget,
            "seed": seed,
            "noise": noise,
            "peaks": peaks,
            "strategies": list(strategies),
            "options": options,
            "dims": dims,
            "workers": workers,
        }
    )


def race_one(
    landscape: Landscape,
    name: str,
    budget: float,
    seed: int,
    options: Mapping[str, Any],
    workers: int = 1,
) -> dict[str, Any]:
    """Run one strategy on ``workers`` workers until a trial would overspend (or it is done).

    An event-driven simulation of the wall clock (module docstring): the next trial goes to
    the worker free earliest (lowest index among equals), after every result in by then has
    been told to the strategy.
    """
    own_rng, trial_rng = strategy_streams(seed, name)
    strategy = STRATEGIES[name](
        own_rng, budget, landscape.cost_model, dims=landscape.dims, **options
    )
    parallel = workers > 1
    trials: list[dict[str, Any]] = []
    free_at = [0.0] * workers  # when each worker is next free, wall-clock minutes
    running: list[tuple[float, int, int, dict[str, Any]]] = []  # heap of (end, n, worker, …)
    committed, best, best_full = 0.0, -np.inf, None
    started, stopped = 0, None

    def deliver() -> None:
        """The earliest-ending running trial ends: tell the strategy, record the trial."""
        nonlocal best, best_full
        end, _, worker, run_ = heapq.heappop(running)
        strategy.tell(run_["theta"], run_["score"])
        score, fidelity = run_["score"], run_["fidelity"]
        best = max(best, score)
        if fidelity == 1.0:
            best_full = score if best_full is None else max(best_full, score)
        trial = {
            "theta": [float(t) for t in run_["theta"]],
            "score": score,
            "cost": round(run_["cost"], 4),
            "clock": round(committed, 4),
            "best": round(best, 6),
        }
        if parallel:
            trial.update(start=round(run_["start"], 4), end=round(end, 4), worker=worker)
        if fidelity < 1.0:
            trial["fidelity"] = round(fidelity, 6)
        if strategy.multi_fidelity:
            trial["best_full"] = None if best_full is None else round(best_full, 6)
        if run_["info"]:
            trial.update(run_["info"])
        if run_["why"]:
            trial["why"] = run_["why"]
        trials.append(trial)

    while stopped is None:
        worker = min(range(workers), key=lambda w: (free_at[w], w))
        now = free_at[worker]
        while running and running[0][0] <= now:
            deliver()
        if started >= MAX_TRIALS:
            stopped = "trial limit"
            break
        theta = strategy.ask()
        if theta is None:
            if not running:
                stopped = "exhausted"
                break
            free_at[worker] = running[0][0]  # idle until the next result is in
            continue
        # Round θ and the score to what the trace records *before* anyone uses them, so the
        # trace is exactly what the strategy saw and replaying it rebuilds the same model.
        theta = np.round(np.clip(np.asarray(theta, dtype=float), 0.0, 1.0), THETA_DIGITS)
        fidelity = check_fidelity(strategy.fidelity())
        info = strategy.trial_info()
        cost = float(landscape.cost_model.sample(theta[None, :], trial_rng)[0])
        if fidelity < 1.0:
            cost *= fidelity
        if committed + cost > budget:
            stopped = "budget"
            break
        # The score is drawn now (the same stream order as one worker's) and told at the end.
        observed = landscape.observe_at(theta[None, :], fidelity, trial_rng)[0]
        why = strategy.explain_next() if hasattr(strategy, "explain_next") else None
        strategy.start(theta)
        committed += cost
        run_ = {
            "theta": theta,
            "score": round(float(observed), SCORE_DIGITS),
            "fidelity": fidelity,
            "cost": cost,
            "start": now,
            "info": info,
            "why": why,
        }
        heapq.heappush(running, (now + cost, started, worker, run_))
        free_at[worker] = now + cost
        started += 1
    while running:  # no more starts: the running trials still finish and are told
        deliver()
    return {
        "title": strategy.title,
        "trials": trials,
        "spent": round(committed, 4),
        "stopped": stopped,
        **strategy.state(),
    }


def run(
    landscape: str | Landscape,
    strategies: Sequence[str] = DEFAULT_STRATEGIES,
    budget: float = DEFAULT_BUDGET,
    seed: int = 0,
    *,
    landscape_seed: int = 0,
    noise: float = 0.0,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    peaks: Any = None,
    dims: int = 2,
    workers: int = 1,
) -> dict[str, Any]:
    """Race the strategies on one landscape and return the JSON-serialisable trace.

    ``peaks`` (list of {u, v, height, width} or the string form) builds the ``custom``
    landscape; the trace then records ``settings["peaks"]`` (the string form), which with
    the other settings replays the race. ``dims`` (2 … 6) is how many knobs θ has; the
    trace records ``settings["dims"]`` only when it is not 2, so 2-knob traces keep their
    old form (bar ``version``). ``workers`` (1 … 32) is how many trials each racer runs
    at once; recorded as ``settings["workers"]`` only when it is not 1, and with 1 the trace
    is exactly what it was before workers existed.
    """
    options = dict(options or {})
    strategies = list(strategies)
    check_settings(
        landscape,
        strategies,
        budget,
        seed,
        options,
        landscape_seed=landscape_seed,
        noise=noise,
        peaks=peaks,
        dims=dims,
        workers=workers,
    )
    if isinstance(landscape, str):
        landscape = get_landscape(landscape, landscape_seed, noise, peaks=peaks, dims=dims)
    settings = {
        "landscape": landscape.name,
        "landscape_seed": landscape.seed,
        "noise": landscape.noise,
        "budget": float(budget),
        "seed": seed,
        "strategies": strategies,
        "options": {k: dict(v) for k, v in options.items()},
    }
    if landscape.name == CUSTOM:
        settings["peaks"] = landscape.extra["peaks"]
    if landscape.dims != DIMS.default:
        settings["dims"] = landscape.dims
    if workers != WORKERS.default:
        settings["workers"] = workers
    with threadpool_limits(1):
        results = {
            name: race_one(landscape, name, float(budget), seed, options.get(name, {}), workers)
            for name in strategies
        }
    return {
        "version": TRACE_VERSION,
        "settings": settings,
        "landscape": landscape.describe(),
        "strategies": results,
    }


MAX_REPEATS = REPEATS.high


def run_many(
    landscape: str,
    strategies: Sequence[str] = DEFAULT_STRATEGIES,
    budget: float = DEFAULT_BUDGET,
    seed: int = 0,
    repeats: int = 30,
    *,
    landscape_seed: int = 0,
    vary_landscape: bool = False,
    noise: float = 0.0,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    peaks: Any = None,
    dims: int = 2,
    workers: int = 1,
) -> dict[str, Any]:
    """Races with seeds seed…seed+repeats−1 (and landscape seeds too if asked), summarised."""
    repeats = REPEATS.check(repeats)
    if seed + repeats - 1 > MAX_SEED or landscape_seed + repeats - 1 > MAX_SEED:
        raise ValueError("seed plus repeats runs past the largest seed")
    races = [
        run(
            landscape,
            strategies,
            budget,
            seed + i,
            landscape_seed=landscape_seed + i if vary_landscape else landscape_seed,
            noise=noise,
            options=options,
            peaks=peaks,
            dims=dims,
            workers=workers,
        )
        for i in range(repeats)
    ]
    first = races[0]
    settings = {
        **first["settings"],
        "repeats": repeats,
        "vary_landscape": vary_landscape,
        "landscape_seed": landscape_seed,
    }
    return {
        "version": TRACE_VERSION,
        "settings": settings,
        "landscape": first["landscape"],
        "summary": summarise(races, float(budget)),
        "races": races,
    }
