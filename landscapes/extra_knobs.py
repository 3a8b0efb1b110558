"""Knobs beyond the two on the axes: how a 2-knob landscape becomes a d-knob one (d = 2 … 6).

Bergstra & Bengio (2012) found that of many hyperparameters only a few matter for a given
model and data set (a low *effective dimension*). The d-knob form of a landscape says so:

    f_d(θ) = floor + (f₂(θ₁, θ₂) − floor) · Π_{k=3..d} (1 − wₖ·(θₖ − cₖ)²)

where f₂ is the landscape's own 2-knob score on the first two knobs (unchanged, still the
axes), floor its untrained score (0.1), and each extra knob k scales the gain above the floor
by a factor that is 1 at its best value cₖ and falls quadratically away from it. The weights
are ``WEIGHTS`` = (0.5, 0.1, 0.05, 0.03) for knobs 3, 4, 5, 6: the third knob matters a bit
(up to ~30 % of the gain lost at the far end of its range), the others barely (≤ 6 %, 3 %,
2 %). Every factor lies in (0, 1], so

    f_d* = f₂*  at  θ* = (θ₁*, θ₂*, c₃, …, c_d)

exactly: the optimum of the 2-knob landscape, extended by the extra knobs' best values
(``Landscape.optimum`` still checks it numerically). The cₖ are drawn uniformly in
[0.2, 0.8] from ``default_rng([landscape seed, salt, 505])``, four at once, so the d-knob
landscape's first extra knobs are the same for every d ≥ 3 and its first two knobs are the
2-knob landscape's for every d. At d = 2 nothing changes: the 2-knob landscape itself.

The extra knobs are the first d − 2 of ``POOL`` that the landscape does not already have on
its axes (one-knob's second knob is dropout, so it starts at batch size).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from hpo_race.landscapes.base import Knob, Landscape

MIN_DIMS, MAX_DIMS = 2, 6
#: Importance of extra knobs 3, 4, 5, 6 (the curvature wₖ of their factor).
WEIGHTS = (0.5, 0.1, 0.05, 0.03)
#: Where the extra knobs' best values may lie (unit coordinates).
CENTRE_RANGE = (0.2, 0.8)

DROPOUT = Knob("dropout", 0.0, 0.5, log=False, short="dropout")
BATCH_SIZE = Knob("batch size", 16.0, 512.0, log=True, short="batch")
WARMUP = Knob("warm-up steps", 0.0, 2000.0, log=False, short="warm-up")
LABEL_SMOOTHING = Knob("label smoothing", 0.0, 0.2, log=False, short="smoothing")
MOMENTUM = Knob("momentum", 0.5, 0.99, log=False, short="momentum")
#: Extra knobs in the order a landscape takes them.
POOL = (DROPOUT, BATCH_SIZE, WARMUP, LABEL_SMOOTHING, MOMENTUM)


def check_dims(dims: Any) -> int:
    """``dims`` as an int in 2 … 6, or a ValueError saying what it may be."""
    if isinstance(dims, bool) or not isinstance(dims, int | np.integer):
        raise ValueError(f"dims must be a whole number from {MIN_DIMS} to {MAX_DIMS}, got {dims!r}")
    if not MIN_DIMS <= int(dims) <= MAX_DIMS:
        raise ValueError(f"dims must be a whole number from {MIN_DIMS} to {MAX_DIMS}, got {dims!r}")
    return int(dims)


def only_two_knobs(name: str, dims: Any, why: str) -> None:
    """Refuse dims ≠ 2 for a landscape that has no d-knob form (measured or drawn)."""
    if check_dims(dims) != MIN_DIMS:
        raise ValueError(
            f"the {name} landscape has only 2 knobs ({why}); it has no {dims}-knob form, use dims=2"
        )


def extra_centres(seed: int, salt: int) -> np.ndarray:
    """Best unit values c₃ … c₆ of the extra knobs for a landscape seed (see module docstring)."""
    return np.random.default_rng([seed, salt, 505]).uniform(*CENTRE_RANGE, size=len(WEIGHTS))


def extra_knobs(axes: tuple[Knob, ...], count: int) -> tuple[Knob, ...]:
    """The first ``count`` knobs of ``POOL`` not already on the axes."""
    names = {k.name for k in axes}
    return tuple(k for k in POOL if k.name not in names)[:count]


def extend(plane: Landscape, dims: int, salt: int) -> Landscape:
    """The d-knob form of a 2-knob landscape (``plane`` itself at d = 2)."""
    dims = check_dims(dims)
    if dims == MIN_DIMS:
        return plane
    count = dims - MIN_DIMS
    centres = extra_centres(plane.seed, salt)[:count]
    weights = np.array(WEIGHTS[:count])
    floor, score2 = plane.floor, plane.score_fn

    def score(X: np.ndarray) -> np.ndarray:
        factor = np.prod(1.0 - weights * np.square(X[:, MIN_DIMS:] - centres), axis=1)
        return floor + (score2(X[:, :MIN_DIMS]) - floor) * factor

    extra = {
        **plane.extra,
        "plane": plane,
        "extra_knobs": [
            {"centre": float(c), "weight": float(w)} for c, w in zip(centres, weights, strict=True)
        ],
    }
    return dataclasses.replace(
        plane,
        knobs=(*plane.knobs, *extra_knobs(plane.knobs, count)),
        score_fn=score,
        extra=extra,
    )
