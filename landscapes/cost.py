"""The trial-cost model: how many GPU minutes one simulated training run takes.

The one formula, used by every landscape and by the grid strategy's sizing:

    cost(θ) = base · (1 + spread · s(θ)²) · ε,     ε = exp(σ·z − σ²/2),  z ~ N(0, 1)

where s(θ) ∈ [0, 1] is the *pricey knob*: θ[knob] if trials get dearer towards the knob's
high end, or 1 − θ[knob] if towards its low end (a small learning rate needs more epochs
before early stopping ends the run; a wider model costs more per epoch). ε is a seeded
lognormal jitter with E[ε] = 1, so the mean cost is base · (1 + spread · s²) and the
cheapest trial region costs ``base`` on average while the dearest costs ``base·(1+spread)``.

A landscape measured on real training runs (``svm-digits``) uses ``MeasuredCostModel``
instead: the same jitter, around a measured mean rather than the formula,

    cost(θ) = scale · t(θ) · ε,

where t(θ) is the measured fit time in seconds (interpolated) and ``scale`` converts seconds
to GPU minutes. Both models answer ``mean(X)``, ``sample(X, rng)``, ``expected()`` and
``describe()``, which is all the race runner and the strategies use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np


@dataclass(frozen=True)
class CostModel:
    """GPU minutes per trial as a function of θ, with seeded jitter (see module docstring)."""

    base: float = 10.0
    spread: float = 2.0
    knob: int = 0
    pricey_end: Literal["low", "high"] = "low"
    sigma: float = 0.25

    def _s(self, X: np.ndarray) -> np.ndarray:
        t = np.atleast_2d(np.asarray(X, dtype=float))[:, self.knob]
        return 1.0 - t if self.pricey_end == "low" else t

    def mean(self, X: np.ndarray) -> np.ndarray:
        """Expected minutes at each row of X: what a planner can know before running."""
        return self.base * (1.0 + self.spread * self._s(X) ** 2)

    def sample(self, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Actual minutes at each row of X: the mean times a seeded lognormal factor."""
        mean = self.mean(X)
        z = rng.standard_normal(mean.shape)
        return mean * np.exp(self.sigma * z - 0.5 * self.sigma**2)

    def expected(self) -> float:
        """Mean cost of a trial at a uniformly random θ: base · (1 + spread/3)."""
        return self.base * (1.0 + self.spread / 3.0)

    def describe(self) -> dict[str, Any]:
        return {
            "formula": "base * (1 + spread * s^2) * lognormal(sigma), E[lognormal]=1",
            "base": self.base,
            "spread": self.spread,
            "knob": self.knob,
            "pricey_end": self.pricey_end,
            "sigma": self.sigma,
        }


@dataclass(frozen=True)
class MeasuredCostModel(CostModel):
    """GPU minutes from measured run times: ``scale · seconds(θ) · ε`` (see module docstring).

    ``seconds`` maps rows of θ to measured (interpolated) seconds; ``average`` is the mean of
    ``mean(θ)`` over a uniform θ, computed by whoever measured the times (it is what
    ``expected()`` returns). The formula fields inherited from ``CostModel`` (base, spread,
    knob, pricey_end) are unused; ``sigma`` is the same seeded lognormal jitter.
    """

    seconds: Callable[[np.ndarray], np.ndarray] | None = field(default=None, compare=False)
    scale: float = 1.0
    average: float = 0.0
    source: str = ""

    def __post_init__(self) -> None:
        if self.seconds is None or not self.scale > 0 or not self.average > 0:
            raise ValueError("MeasuredCostModel needs seconds(X), scale > 0 and average > 0")

    def mean(self, X: np.ndarray) -> np.ndarray:
        """Expected minutes at each row of X: scale × measured seconds there."""
        return self.scale * self.seconds(np.atleast_2d(np.asarray(X, dtype=float)))

    def expected(self) -> float:
        """Mean cost of a trial at a uniformly random θ (precomputed: ``average``)."""
        return self.average

    def describe(self) -> dict[str, Any]:
        return {
            "formula": "scale * measured_seconds(theta) * lognormal(sigma), E[lognormal]=1",
            "scale": self.scale,
            "expected": self.average,
            "sigma": self.sigma,
            "source": self.source,
        }
