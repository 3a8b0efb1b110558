"""The Bayesian racer's prior belief that the optimum is not on the edge of the square.

One job: the mean m(x) and amplitude s(x) the GP (``strategies/gp.py``) puts under its
stationary kernel, with their gradients, so EI stops over-exploring edges and corners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BoundaryPrior:
    """A prior that the optimum is unlikely to sit on the edge of the square.

    On the standardised score scale, f(x) = m(x) + s(x)·g(x) with g ~ GP(0, k) and, with
    t_k = 2x_k − 1 ∈ [−1, 1] (0 at the centre, ±1 on an edge),

        m(x) = −β Σ_k t_k⁴            (a flat-bottomed bowl: about 0 in the middle half,
                                        −β on an edge, −2β in a corner)
        s(x) = Π_k (1 − γ t_k⁴)       (the prior's spread shrinks to 1 − γ on an edge)

    Why: a stationary GP is most uncertain on the boundary, where a point has neighbours on
    one side only, so EI and UCB over-explore edges and corners (Siivola, Vehtari, Vanhatalo
    & González, "Correcting boundary over-exploration deficiencies in Bayesian optimization
    with virtual derivative sign observations", 2018). They encode the same belief (search
    ranges are chosen conservatively, so the optimum is rarely on them) with virtual
    derivative observations; we encode it with an informative mean and a non-stationary
    amplitude (as in Eduardo & Gutmann, "Bayesian optimization with informative
    covariance", TMLR 2023), which keeps the GP exact and costs O(n + m). It is a prior, not
    a wall: where the data say the scores are high at an edge, the posterior follows them.
    """

    beta: float = 1.0
    gamma: float = 0.5

    def mean(self, X: np.ndarray) -> np.ndarray:
        """m(x) for each row of X (standardised score units)."""
        return -self.beta * np.sum((2.0 * X - 1.0) ** 4, axis=1)

    def mean_grad(self, X: np.ndarray) -> np.ndarray:
        """∂m/∂x, shape (m, d): −8β t_k³."""
        return -8.0 * self.beta * (2.0 * X - 1.0) ** 3

    def amplitude(self, X: np.ndarray) -> np.ndarray:
        """s(x) for each row of X (between (1 − γ)^d and 1)."""
        return np.prod(1.0 - self.gamma * (2.0 * X - 1.0) ** 4, axis=1)

    def amplitude_grad(self, X: np.ndarray) -> np.ndarray:
        """∂s/∂x, shape (m, d): s(x) · (−8γ t_k³) / (1 − γ t_k⁴)."""
        t = 2.0 * X - 1.0
        factors = 1.0 - self.gamma * t**4
        return np.prod(factors, axis=1)[:, None] / factors * (-8.0 * self.gamma * t**3)
