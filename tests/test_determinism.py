"""One seed makes one race, in this process, in a fresh process, whatever the hash seed."""

import json
import os
import subprocess
import sys

import pytest

from hpo_race.app.cache import BoundedCache
from hpo_race.strategies.race import run

ARGS = ["--landscape", "bumpy", "--budget", "500", "--seed", "17", "--landscape-seed", "5"]


def simulate_in_new_process(hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-m", "hpo_race.strategies.cli", *ARGS],
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.mark.slow
def test_fresh_processes_print_byte_identical_races():
    first = simulate_in_new_process("1")
    assert first == simulate_in_new_process("2")
    here = run("bumpy", ["grid", "random", "bayes"], 500.0, 17, landscape_seed=5)
    assert json.loads(first) == json.loads(json.dumps(here))


def test_cache_is_bounded_and_returns_what_was_computed():
    cache = BoundedCache(maxsize=3)
    calls = []

    def compute(i):
        calls.append(i)
        return {"race": i}

    for i in range(10):
        assert cache.get_or_compute({"seed": i}, lambda i=i: compute(i)) == {"race": i}
    assert len(cache) == 3
    got = cache.get_or_compute({"seed": 9}, lambda: compute(-1))
    assert got == {"race": 9} and calls[-1] == 9
    got["race"] = "edited"
    assert cache.get_or_compute({"seed": 9}, lambda: compute(-1)) == {"race": 9}
    cache.get_or_compute({"seed": 0}, lambda: compute(0))
    assert calls[-1] == 0
