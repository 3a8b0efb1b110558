"""Grid search: a lattice sized up front so its expected cost fits the budget.

Lattice: a × b cell centres, u ∈ {(i + ½)/a}, v ∈ {(j + ½)/b}, so no trial is wasted on the
square's edges. The shape is the largest of k×k, k×(k+1) and (k+1)×k (at least 2×2) whose
*expected* cost (``CostModel.mean`` summed over the lattice) fits in the budget.

Visiting order: nested loops with the first knob outer, exactly as ``for lr in lrs:
for wd in wds:`` in a tuning script: (u₀,v₀), (u₀,v₁), …, (u₁,v₀), … Actual costs are
jittered, so the budget may run out before the lattice ends; the points never reached are
reported in ``state()["unreached"]`` and drawn as ghosts by the UI.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hpo_race.strategies.base import Strategy

MAX_SIDE = 40


def lattice(a: int, b: int) -> np.ndarray:
    """Cell centres of an a×b lattice in visiting order (first knob outer)."""
    uu, vv = np.meshgrid((np.arange(a) + 0.5) / a, (np.arange(b) + 0.5) / b, indexing="ij")
    return np.column_stack([uu.ravel(), vv.ravel()])


class GridStrategy(Strategy):
    """Probes a lattice in a fixed order; it never learns from the scores."""

    name = "grid"
    title = "Grid search"

    def __init__(self, rng, budget, cost_model, **options: Any) -> None:  # noqa: ANN001
        super().__init__(rng, budget, cost_model, **options)
        self.shape = self._fit_shape()
        self.lattice = lattice(*self.shape)
        self.next_index = 0

    def _fit_shape(self) -> tuple[int, int]:
        """Largest near-square lattice whose expected cost fits in the budget."""
        best = (2, 2)
        for k in range(2, MAX_SIDE + 1):
            fits = [
                shape
                for shape in ((k, k), (k, k + 1), (k + 1, k))
                if self.cost_model.mean(lattice(*shape)).sum() <= self.budget
            ]
            if not fits:
                break
            best = max(fits, key=lambda s: (s[0] * s[1], s[1]))
        return best

    def ask(self) -> np.ndarray | None:
        if self.next_index >= len(self.lattice):
            return None
        return self.lattice[self.next_index].copy()

    def tell(self, theta: np.ndarray, score: float) -> None:
        self.next_index += 1

    def state(self) -> dict[str, Any]:
        return {
            "shape": list(self.shape),
            "lattice": self.lattice.round(6).tolist(),
            "unreached": self.lattice[self.next_index :].round(6).tolist(),
        }
