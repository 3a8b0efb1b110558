"""``smooth``: one broad hill and a gentler second one.

    f(θ) = 0.1 + 0.8·exp(−|θ − c₁|² / 2·0.16²) + 0.45·exp(−|θ − c₂|² / 2·0.22²)

Canonical layout (seed 0): c₁ = (0.62, 0.58), c₂ = (0.22, 0.25). The optimum sits on the
main hill, f* ≈ 0.930 at θ* ≈ (0.612, 0.573): the second hill's tail lifts it and pulls it
slightly towards c₂. (Exact values are found numerically, see ``Landscape.optimum``.)
Other seeds place c₁ uniformly in [0.2, 0.8]² and c₂ at least 0.45 away from it.

With d = 3 … 6 knobs (``landscapes.extra_knobs``) the extra knobs are dropout (matters a bit:
weight 0.5), batch size, warm-up steps and label smoothing (barely: 0.1, 0.05, 0.03):

    f_d(θ) = 0.1 + (f(θ₁, θ₂) − 0.1) · Π_{k≥3} (1 − wₖ·(θₖ − cₖ)²),

so f_d* = f* at θ* = (θ₁*, θ₂*, c₃, …, c_d)
(seed 0: c₃ … c₆ ≈ 0.707, 0.556, 0.743, 0.498 — the values
``extra_centres(0, 101)`` draws).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from hpo_race.landscapes._shapes import bump, spread_points
from hpo_race.landscapes.base import Knob, Landscape
from hpo_race.landscapes.cost import CostModel
from hpo_race.landscapes.extra_knobs import extend

LEARNING_RATE = Knob("learning rate", 1e-5, 1e-1, log=True, short="lr")
WEIGHT_DECAY = Knob("weight decay", 1e-6, 1e-1, log=True, short="wd")
#: Small learning rates need more epochs before early stopping ends a run.
LR_COST = CostModel(base=10.0, spread=2.0, knob=0, pricey_end="low")


#: The landscape's words on the page: its name, title, one-line description and lesson.
WORDS = {
    "name": "smooth",
    "title": "Smooth",
    "description": "One broad hill and a gentler second one.",
    "lesson": "A smooth hill rewards a model that learns where to look next.",
}


def learning_rate_landscape(
    score: Callable[[np.ndarray], np.ndarray],
    second: Knob,
    *,
    seed: int,
    noise: float,
    dims: int,
    salt: int,
    **text: str,
) -> Landscape:
    """A toy landscape over the learning rate and a ``second`` knob, priced by ``LR_COST``
    and extended to ``dims`` knobs (``extend`` with this landscape's ``salt``): the frame
    smooth, bumpy and one-knob share. ``text``: its ``WORDS`` (name, title, description, lesson)."""
    plane = Landscape(
        knobs=(LEARNING_RATE, second),
        score_fn=score,
        cost_model=LR_COST,
        seed=seed,
        noise=noise,
        **text,
    )
    return extend(plane, dims, salt=salt)


def build(seed: int = 0, noise: float = 0.0, dims: int = 2) -> Landscape:
    """The smooth landscape for a landscape seed (0 = canonical layout) and 2 … 6 knobs."""
    if seed == 0:
        c1, c2 = np.array([0.62, 0.58]), np.array([0.22, 0.25])
    else:
        rng = np.random.default_rng([seed, 101])
        c1 = rng.uniform(0.2, 0.8, size=2)
        c2 = spread_points(rng, 1, 0.1, 0.9, 0.0, avoid=[c1], avoid_gap=0.45)[0]

    def score(X: np.ndarray) -> np.ndarray:
        return 0.1 + 0.8 * bump(X, c1, 0.16) + 0.45 * bump(X, c2, 0.22)

    return learning_rate_landscape(
        score, WEIGHT_DECAY, seed=seed, noise=noise, dims=dims, salt=101, **WORDS
    )
