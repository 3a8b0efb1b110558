r"""Analytic acquisition functions for MAXIMISING a score, given a Gaussian posterior.

Each takes the posterior mean μ(x) and standard deviation σ(x) (any matching shapes, same
units as the scores) and returns an array of the same shape.  They are pure and vectorised so
the strategy can score ~1k candidates at once and the UI can draw them as a heatmap.  The
``*_grad`` companions give ∂a/∂μ and ∂a/∂σ, which the strategy chains with ∂μ/∂x, ∂σ/∂x to
polish the best candidates with L-BFGS-B.

Notation: f* = best observed score, ξ ≥ 0 = margin an improvement must beat,
z = (μ − f* − ξ) / σ, Φ / φ = standard normal CDF / PDF.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

ACQUISITIONS = ("ei", "pi", "ucb")
TITLES = {"ei": "EI", "pi": "PI", "ucb": "UCB"}
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
_TINY = 1e-12


def _z(mean: np.ndarray, std: np.ndarray, best: float, xi: float) -> tuple[np.ndarray, ...]:
    mean, std = np.asarray(mean, float), np.asarray(std, float)
    u = mean - best - xi
    safe = np.maximum(std, _TINY)
    return u, safe, u / safe


def _pdf(z: np.ndarray) -> np.ndarray:
    return _INV_SQRT_2PI * np.exp(-0.5 * z * z)


def expected_improvement(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> np.ndarray:
    r"""Expected Improvement: how much, on average, x would beat the best so far.

    EI(x) = E[max(f(x) − f* − ξ, 0)] = σ · (z Φ(z) + φ(z)),  z = (μ − f* − ξ) / σ,
    which tends to max(μ − f* − ξ, 0) as σ → 0.  Balances a high mean against a wide σ;
    ξ > 0 tilts it towards exploration.
    """
    u, s, z = _z(mean, std, best, xi)
    return np.maximum(u * ndtr(z) + s * _pdf(z), 0.0)


def expected_improvement_grad(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    r"""(∂EI/∂μ, ∂EI/∂σ) = (Φ(z), φ(z))."""
    _, _, z = _z(mean, std, best, xi)
    return ndtr(z), _pdf(z)


def probability_of_improvement(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> np.ndarray:
    r"""Probability of Improvement: the chance x beats the best so far by at least ξ.

    PI(x) = P(f(x) > f* + ξ) = Φ(z),  z = (μ − f* − ξ) / σ.
    Ignores by how much, so with small ξ it creeps greedily around the incumbent.
    """
    _, _, z = _z(mean, std, best, xi)
    return ndtr(z)


def probability_of_improvement_grad(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    r"""(∂PI/∂μ, ∂PI/∂σ) = (φ(z)/σ, −z φ(z)/σ)."""
    _, s, z = _z(mean, std, best, xi)
    p = _pdf(z) / s
    return p, -z * p


def upper_confidence_bound(mean: np.ndarray, std: np.ndarray, kappa: float = 2.0) -> np.ndarray:
    r"""Upper Confidence Bound: an optimistic guess of the score at x.

    UCB(x) = μ + κ σ.  κ is the exploration knob: κ = 0 is pure exploitation (go where the
    mean is highest), large κ chases uncertainty.
    """
    return np.asarray(mean, float) + kappa * np.asarray(std, float)


def upper_confidence_bound_grad(
    mean: np.ndarray, std: np.ndarray, kappa: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    r"""(∂UCB/∂μ, ∂UCB/∂σ) = (1, κ)."""
    one = np.ones_like(np.asarray(mean, float))
    return one, kappa * one


def acquire(
    name: str,
    mean: np.ndarray,
    std: np.ndarray,
    best: float,
    xi: float = 0.0,
    kappa: float = 0.0,
    grad: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dispatch by name so callers hold one setting; with grad, also (∂a/∂μ, ∂a/∂σ).

    ``xi`` goes to EI/PI and ``kappa`` to UCB (the Bayesian racer passes its options, whose
    defaults are in its table, ``BayesStrategy.OPTIONS``).
    """
    if name == "ei" and grad:  # the same formulas as the two functions, z, Φ, φ computed once
        u, s, z = _z(mean, std, best, xi)
        cdf, pdf = ndtr(z), _pdf(z)
        return np.maximum(u * cdf + s * pdf, 0.0), cdf, pdf
    if name == "ei":
        a = expected_improvement(mean, std, best, xi)
        g = None
    elif name == "pi":
        a = probability_of_improvement(mean, std, best, xi)
        g = probability_of_improvement_grad(mean, std, best, xi) if grad else None
    elif name == "ucb":
        a = upper_confidence_bound(mean, std, kappa)
        g = upper_confidence_bound_grad(mean, std, kappa) if grad else None
    else:
        raise ValueError(f"acquisition must be one of {ACQUISITIONS}, got {name!r}")
    return (a, *g) if grad else a
