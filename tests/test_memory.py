"""400 races with varied settings in one process must not grow memory by 25 MB or more.

Every cache on the race path (landscape optima, the race cache) is bounded; this is the test
that they really are, and that nothing else accumulates per race: a leak of 64 kB a race
(a trace kept, a GP's matrices) fails it. (It ran 1,000 races against 50 MB until the CI
run had to shrink: the same bound per race, at 40 % of the minutes.)
"""

import gc

import numpy as np
import pytest

from hpo_race.app.cache import BoundedCache
from hpo_race.landscapes import LANDSCAPES
from hpo_race.strategies.race import run

pytestmark = pytest.mark.slow  # tests/conftest.py: run by plain `pytest` and `-m slow`

RACES = 400
LIMIT_MB = 25


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def varied_settings(i: int, rng: np.random.Generator) -> dict:
    names = list(LANDSCAPES)
    return {
        "landscape": names[i % len(names)],
        "landscape_seed": int(rng.integers(0, 10_000)),
        "budget": float(rng.uniform(20, 250)),
        "seed": int(rng.integers(0, 2**31 - 1)),
    }


def race(cache: BoundedCache, settings: dict) -> dict:
    return cache.get_or_compute(
        settings,
        lambda: run(
            settings["landscape"],
            ["grid", "random", "bayes"],
            settings["budget"],
            settings["seed"],
            landscape_seed=settings["landscape_seed"],
        ),
    )


def test_hundreds_of_varied_races_keep_memory_flat():
    rng = np.random.default_rng(2024)
    cache = BoundedCache(maxsize=64)
    for i in range(100):  # warm-up: imports, allocator pools, caches filling to their bound
        race(cache, varied_settings(i, rng))
    gc.collect()
    before = rss_mb()
    for i in range(RACES):
        trace = race(cache, varied_settings(i, rng))
        assert trace["strategies"]["grid"]["spent"] <= trace["settings"]["budget"]
    gc.collect()
    grown = rss_mb() - before
    assert len(cache) == 64
    assert grown < LIMIT_MB, f"resident memory grew by {grown:.1f} MB over {RACES} races"
