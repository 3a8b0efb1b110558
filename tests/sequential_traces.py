"""Digests of engine traces recorded before races had workers: with one worker (the default)
every trace must stay byte-identical (issue 16).

``python tests/sequential_traces.py`` records them into ``tests/data/sequential_traces.json``
(recorded at the commit before ``workers`` existed, and again when issue 13 changed the
Bayesian racer on purpose); ``tests/test_workers.py`` recomputes and
compares, with and without an explicit ``workers=1``. Digests are ``recorded_races.digest``
(floats to 12 significant digits: a CPU's BLAS kernels may differ in the last bits).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recorded_races import digest  # noqa: E402

RECORD = Path(__file__).resolve().parent / "data" / "sequential_traces.json"
ALL = ["grid", "random", "bayes", "hyperband", "tpe", "halving"]

#: name -> keyword arguments of ``strategies.race.run``: every racer, 2 to 4 knobs, noise.
CASES: dict[str, dict[str, Any]] = {
    "smooth-all": {"landscape": "smooth", "strategies": ALL, "budget": 800.0, "seed": 0},
    "bumpy-noisy": {
        "landscape": "bumpy",
        "strategies": ALL,
        "budget": 500.0,
        "seed": 7,
        "landscape_seed": 3,
        "noise": 0.05,
    },
    "one-knob-4d": {
        "landscape": "one-knob",
        "strategies": ALL,
        "budget": 400.0,
        "seed": 2,
        "dims": 4,
    },
    "smooth-3d-ucb": {
        "landscape": "smooth",
        "strategies": ["grid", "random", "bayes"],
        "budget": 300.0,
        "seed": 11,
        "dims": 3,
        "options": {"bayes": {"acquisition": "ucb", "n_initial": 3}},
    },
    "svm-digits": {
        "landscape": "svm-digits",
        "strategies": ["bayes", "tpe", "halving"],
        "budget": 300.0,
        "seed": 4,
    },
}


def trace_of(case: str, **extra: Any) -> dict[str, Any]:
    """The trace of one recorded case (``extra``: more ``run`` keywords, e.g. workers=1)."""
    from hpo_race.strategies.race import run

    kwargs = dict(CASES[case])
    return run(kwargs.pop("landscape"), **kwargs, **extra)


def record() -> dict[str, str]:
    return {case: digest(trace_of(case)) for case in CASES}


if __name__ == "__main__":
    RECORD.write_text(json.dumps(record(), indent=1, sort_keys=True) + "\n")
    sys.stdout.write(f"recorded {len(CASES)} traces into {RECORD}\n")
