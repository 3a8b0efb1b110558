"""Many-seeds mode in chunks: a few races per call, each reduced to a compact record.

``run_many(..., repeats=N)`` runs races i = 0 … N−1 with race seed ``seed + i`` (and
landscape seed ``landscape_seed + i`` if ``vary_landscape``) and summarises them. A browser
cannot wait for 100 races in one request, so ``run_chunk(..., start, count)`` runs races
``start … start + count − 1`` of that same sequence and returns one compact record per race
(``strategies.summary.compact_race`` plus its ``index``): a few KB instead of a full trace.
``summarise_compact`` (re-exported here) turns any set of records into exactly the summary
``run_many`` gives, so a page can show a growing summary while chunks arrive.

Record of one race::

    {index, seed, landscape_seed, budget, optimum,
     strategies: {name: {curve:  [101 × best-so-far | None] on np.linspace(0, budget, 101),
                         reach:  {"0.9" | "0.95" | "0.99": minutes | None},
                         final:  last best score | None,
                         final_regret: optimum − final,
                         trials: how many ran}}}

A chunk of ``CHUNK_SIZE`` (5) default races takes well under 2 s on this kind of machine
(``bench/bench_many.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hpo_race.landscapes import Landscape, get_landscape
from hpo_race.strategies.race import (
    DEFAULT_BUDGET,
    DEFAULT_STRATEGIES,
    MAX_REPEATS,
    MAX_SEED,
    check_settings,
    run,
)
from hpo_race.strategies.summary import compact_race, summarise_compact

#: Races per chunk the UI is expected to ask for (≈ 0.6–1.2 s of server time at budget 800).
CHUNK_SIZE = 5


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return value


def run_chunk(
    landscape: str | Landscape,
    strategies: Sequence[str] = DEFAULT_STRATEGIES,
    budget: float = DEFAULT_BUDGET,
    seed: int = 0,
    start: int = 0,
    count: int = CHUNK_SIZE,
    *,
    landscape_seed: int = 0,
    vary_landscape: bool = False,
    noise: float = 0.0,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    peaks: Any = None,
    dims: int = 2,
    workers: int = 1,
) -> list[dict[str, Any]]:
    """Compact records of races ``start … start+count−1`` of ``run_many``'s sequence.

    Equal, race for race, to ``compact_race`` of ``run_many(..., repeats=R)["races"][i]``
    for any R > i (plus ``"index": i``). ``start + count`` may not exceed ``MAX_REPEATS``.
    ``workers``: as ``run``'s (the records' minutes stay GPU minutes).
    """
    start = _whole("start", start, 0, MAX_REPEATS - 1)
    count = _whole("count", count, 1, MAX_REPEATS - start)
    if not isinstance(vary_landscape, bool):
        raise ValueError("vary_landscape must be true or false")
    options = dict(options or {})
    check_settings(
        landscape,
        list(strategies),
        budget,
        seed,
        options,
        landscape_seed=landscape_seed,
        noise=noise,
        peaks=peaks,
        dims=dims,
        workers=workers,
    )
    last = start + count - 1
    if seed + last > MAX_SEED or (
        vary_landscape and isinstance(landscape_seed, int) and landscape_seed + last > MAX_SEED
    ):
        raise ValueError("seed plus repeats runs past the largest seed")
    fixed = None
    if isinstance(landscape, str) and not vary_landscape:
        fixed = get_landscape(landscape, landscape_seed, noise, peaks=peaks, dims=dims)
    records = []
    for i in range(start, start + count):
        race = run(
            fixed if fixed is not None else landscape,
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
        records.append({"index": i, **compact_race(race, float(budget))})
    return records


__all__ = ["CHUNK_SIZE", "compact_race", "run_chunk", "summarise_compact"]
