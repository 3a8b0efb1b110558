"""Grid search: a lattice sized up front so its expected cost fits the budget.

Lattice: n₁ × … × n_d cell centres, θₖ ∈ {(i + ½)/nₖ}, so no trial is wasted on the cube's
edges. The shape is the largest one whose *expected* cost (``CostModel.mean`` summed over the
lattice) fits in the budget among those with every nₖ ∈ {k, k + 1} (not all k + 1: that is
the next k's k × … × k) for k = 1, 2, …, with at least 2 values on each of the two knobs on
the axes. Ties in size go to the knobs listed first, the second before the first (with 2 knobs
that is k × (k+1) before (k+1) × k, as this grid always did). So the lattice has about
budget^(1/d) values per knob: with 2 knobs and ~48 trials 7 × 7; with 4 knobs 3 × 2 × 2 × 2
… 3 × 3 × 2 × 2; with 6 knobs some knobs get a single value (the middle of their range) —
Bergstra & Bengio's (2012) point: the grid spends its budget on repeats of the same few
values of each knob that matters. ``state()`` reports ``shape`` (values per knob) and, with
more than 2 knobs, ``distinct_pairs``: how many different (first, second) knob pairs the
lattice tries (n₁ · n₂, the points the page's square can show).

Visiting order: nested loops with the first knob outermost, exactly as ``for lr in lrs:
for wd in wds: …`` in a tuning script. Actual costs are jittered, so the budget may run out
before the lattice ends; the points never reached are reported in ``state()["unreached"]``
and drawn as ghosts by the UI.

With several workers the grid is embarrassingly parallel: each free worker takes the next
lattice point (``start``), whatever the scores; ``unreached`` holds the points never started.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from hpo_race.strategies.base import Strategy

MAX_SIDE = 40
#: The two knobs on the axes always get at least this many values.
MIN_AXIS_VALUES = 2


def lattice(*shape: int) -> np.ndarray:
    """Cell centres of an n₁ × … × n_d lattice in visiting order (first knob outermost)."""
    axes = [(np.arange(n) + 0.5) / n for n in shape]
    grids = np.meshgrid(*axes, indexing="ij")
    return np.column_stack([g.ravel() for g in grids])


def candidate_shapes(k: int, dims: int) -> list[tuple[int, ...]]:
    """Shapes with every side k or k + 1 (not all k + 1), ≥ 2 values on the axes' knobs."""
    shapes = [s for s in itertools.product((k, k + 1), repeat=dims) if min(s) == k]
    return [s for s in shapes if min(s[:2]) >= MIN_AXIS_VALUES]


def _preference(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Bigger first; ties to the second knob, then the first, then the extra knobs in order."""
    return (int(np.prod(shape)), shape[1], shape[0], *shape[2:])


class GridStrategy(Strategy):
    """Probes a lattice in a fixed order; it never learns from the scores."""

    name = "grid"
    title = "Grid search"

    def __init__(self, rng, budget, cost_model, **options: Any) -> None:  # noqa: ANN001
        super().__init__(rng, budget, cost_model, **options)
        self.shape = self._fit_shape()
        self.lattice = lattice(*self.shape)
        self.next_index = 0

    def _fit_shape(self) -> tuple[int, ...]:
        """Largest near-cubic lattice whose expected cost fits in the budget."""
        dims = self.dims
        best = (MIN_AXIS_VALUES,) * 2 + (1,) * (dims - 2)
        for k in range(1, MAX_SIDE + 1):
            shapes = candidate_shapes(k, dims)
            if not shapes:
                continue
            fits = [s for s in shapes if self.cost_model.mean(lattice(*s)).sum() <= self.budget]
            if not fits:
                break
            best = max(fits, key=_preference)
        return best

    def ask(self) -> np.ndarray | None:
        if self.next_index >= len(self.lattice):
            return None
        return self.lattice[self.next_index].copy()

    def _started(self, theta: np.ndarray) -> None:
        self.next_index += 1  # every free worker takes the next lattice point

    def tell(self, theta: np.ndarray, score: float) -> None:
        self._finish(theta)

    def state(self) -> dict[str, Any]:
        facts = {
            "shape": list(self.shape),
            "lattice": self.lattice.round(6).tolist(),
            "unreached": self.lattice[self.next_index :].round(6).tolist(),
        }
        if self.dims > 2:
            facts["distinct_pairs"] = int(self.shape[0] * self.shape[1])
        return facts
