"""``one-knob``: the score depends almost only on the learning rate.

    f(θ) = 0.1 + 0.8·exp(−(u − c)² / 2·0.06²) · (1 − 0.04·(v − 0.5)²)

with θ = (u, v), u the learning rate and v the dropout rate. Canonical layout (seed 0):
c = 0.37, so f* = 0.9 at θ* = (0.37, 0.5). Other seeds draw c uniformly in [0.15, 0.85].

This is Bergstra & Bengio's (2012) case: a k×k grid tries only k distinct learning rates,
while k² random trials try k² of them, so random search finds the ridge more precisely.

With d = 3 … 6 knobs (``landscapes.extra_knobs``) the extra knobs are batch size (matters a
bit: weight 0.5), warm-up steps, label smoothing and momentum (barely: 0.1, 0.05, 0.03):

    f_d(θ) = 0.1 + (f(θ₁, θ₂) − 0.1) · Π_{k≥3} (1 − wₖ·(θₖ − cₖ)²),

so f_d* = 0.9 at θ* = (c, 0.5, c₃, …, c_d)
(seed 0: c₃ … c₆ ≈ 0.326, 0.566, 0.797, 0.261 — the values
``extra_centres(0, 303)`` draws). Grid's k values per knob fall to 2–3 at d = 4, so it tries
2–3 learning rates where random search tries one per trial.
"""

from __future__ import annotations

import numpy as np

from hpo_race.landscapes.base import Landscape
from hpo_race.landscapes.extra_knobs import DROPOUT
from hpo_race.landscapes.smooth import learning_rate_landscape

__all__ = ["DROPOUT", "build"]


#: The landscape's words on the page: its name, title, one-line description and lesson.
WORDS = {
    "name": "one-knob",
    "title": "One knob matters",
    "description": "Only the learning rate matters; dropout barely moves the score.",
    "lesson": "When one knob matters, random search tries more distinct values of it than a grid.",
}


def build(seed: int = 0, noise: float = 0.0, dims: int = 2) -> Landscape:
    """The one-knob landscape for a landscape seed (0 = canonical layout) and 2 … 6 knobs."""
    c = 0.37 if seed == 0 else float(np.random.default_rng([seed, 303]).uniform(0.15, 0.85))

    def score(X: np.ndarray) -> np.ndarray:
        u, v = X[:, 0], X[:, 1]
        return 0.1 + 0.8 * np.exp(-0.5 * ((u - c) / 0.06) ** 2) * (1 - 0.04 * (v - 0.5) ** 2)

    return learning_rate_landscape(
        score, DROPOUT, seed=seed, noise=noise, dims=dims, salt=303, **WORDS
    )
