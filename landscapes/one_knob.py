"""``one-knob``: the score depends almost only on the learning rate.

    f(θ) = 0.1 + 0.8·exp(−(u − c)² / 2·0.06²) · (1 − 0.04·(v − 0.5)²)

with θ = (u, v), u the learning rate and v the dropout rate. Canonical layout (seed 0):
c = 0.37, so f* = 0.9 at θ* = (0.37, 0.5). Other seeds draw c uniformly in [0.15, 0.85].

This is Bergstra & Bengio's (2012) case: a k×k grid tries only k distinct learning rates,
while k² random trials try k² of them, so random search finds the ridge more precisely.
"""

from __future__ import annotations

import numpy as np

from hpo_race.landscapes.base import Knob, Landscape
from hpo_race.landscapes.smooth import LEARNING_RATE, LR_COST

DROPOUT = Knob("dropout", 0.0, 0.5, log=False, short="dropout")


def build(seed: int = 0, noise: float = 0.0) -> Landscape:
    """The one-knob landscape for a landscape seed (0 = canonical layout)."""
    c = 0.37 if seed == 0 else float(np.random.default_rng([seed, 303]).uniform(0.15, 0.85))

    def score(X: np.ndarray) -> np.ndarray:
        u, v = X[:, 0], X[:, 1]
        return 0.1 + 0.8 * np.exp(-0.5 * ((u - c) / 0.06) ** 2) * (1 - 0.04 * (v - 0.5) ** 2)

    return Landscape(
        name="one-knob",
        title="One knob matters",
        description="Only the learning rate matters; dropout barely moves the score.",
        knobs=(LEARNING_RATE, DROPOUT),
        score_fn=score,
        cost_model=LR_COST,
        seed=seed,
        noise=noise,
        lesson="When one knob matters, random search tries more distinct values of it than a grid.",
    )
