"""``bumpy``: many local peaks and a narrow, tall global peak a coarse lattice steps over.

    f(θ) = 0.1 + 0.25·exp(−|θ − g|² / 2·0.3²) + 0.5·exp(−|θ − g|² / 2·0.05²)
               + Σᵢ hᵢ·exp(−|θ − cᵢ|² / 2·wᵢ²),   i = 1..8

A broad, low rise and a narrow spike share the centre g; eight local peaks cᵢ with
heights hᵢ ∈ [0.3, 0.45] and widths wᵢ ∈ [0.05, 0.08] sit at least 0.2 from g.
Canonical layout (seed 0): g = (0.71, 0.33). f* ≈ 0.858 at θ* ≈ (0.710, 0.329) (a local
peak's tail can move it slightly; the exact value is found numerically, see
``Landscape.optimum``).
Other seeds draw g uniformly in [0.15, 0.85]² and the local peaks around it.

With d = 3 … 6 knobs (``landscapes.extra_knobs``) the extra knobs are dropout (matters a bit:
weight 0.5), batch size, warm-up steps and label smoothing (barely: 0.1, 0.05, 0.03):

    f_d(θ) = 0.1 + (f(θ₁, θ₂) − 0.1) · Π_{k≥3} (1 − wₖ·(θₖ − cₖ)²),

so f_d* = f* at θ* = (θ₁*, θ₂*, c₃, …, c_d)
(seed 0: c₃ … c₆ ≈ 0.594, 0.302, 0.423, 0.724 — the values
``extra_centres(0, 202)`` draws).
"""

from __future__ import annotations

import numpy as np

from hpo_race.landscapes._shapes import bump, spread_points
from hpo_race.landscapes.base import Landscape
from hpo_race.landscapes.smooth import WEIGHT_DECAY, learning_rate_landscape

N_LOCAL = 8


#: The landscape's words on the page: its name, title, one-line description and lesson.
WORDS = {
    "name": "bumpy",
    "title": "Bumpy",
    "description": "Many local peaks and one narrow, tall global peak.",
    "lesson": "A coarse lattice steps over a narrow peak; a model can home in on it.",
}


def build(seed: int = 0, noise: float = 0.0, dims: int = 2) -> Landscape:
    """The bumpy landscape for a landscape seed (0 = canonical layout) and 2 … 6 knobs."""
    rng = np.random.default_rng([seed, 202])
    g = np.array([0.71, 0.33]) if seed == 0 else rng.uniform(0.15, 0.85, size=2)
    centres = spread_points(rng, N_LOCAL, 0.05, 0.95, 0.18, avoid=[g], avoid_gap=0.2)
    heights = rng.uniform(0.3, 0.45, size=N_LOCAL)
    widths = rng.uniform(0.05, 0.08, size=N_LOCAL)

    def score(X: np.ndarray) -> np.ndarray:
        f = 0.1 + 0.25 * bump(X, g, 0.3) + 0.5 * bump(X, g, 0.05)
        for c, h, w in zip(centres, heights, widths, strict=True):
            f = f + h * bump(X, c, w)
        return f

    return learning_rate_landscape(
        score, WEIGHT_DECAY, seed=seed, noise=noise, dims=dims, salt=202, **WORDS
    )
