"""Random search: independent uniform draws from the unit cube, from its own seeded rng.

Every trial tries a new value of every knob (Bergstra & Bengio 2012), whatever the number
of knobs. With several workers each free worker gets the next draw (embarrassingly
parallel: the draws never depend on the scores).
"""

from __future__ import annotations

import numpy as np

from hpo_race.strategies.base import Strategy


class RandomStrategy(Strategy):
    """Throws darts; the next point is drawn in ``start`` so ``ask`` is repeatable."""

    name = "random"
    title = "Random search"

    def __init__(self, rng, budget, cost_model, **options) -> None:  # noqa: ANN001
        super().__init__(rng, budget, cost_model, **options)
        self._next = self.rng.uniform(0.0, 1.0, size=self.dims)

    def ask(self) -> np.ndarray | None:
        return self._next.copy()

    def _started(self, theta: np.ndarray) -> None:
        self._next = self.rng.uniform(0.0, 1.0, size=self.dims)

    def tell(self, theta: np.ndarray, score: float) -> None:
        self._finish(theta)
