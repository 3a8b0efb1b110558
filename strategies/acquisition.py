r"""Analytic acquisition functions for MAXIMISING a score, given a Gaussian posterior.

Each takes the posterior mean μ(x) and standard deviation σ(x) (any matching shapes, same
units as the scores) and returns an array of the same shape.  They are pure and vectorised so
the strategy can score ~1k candidates at once and the UI can draw them as a heatmap.  The
``*_grad`` companions give ∂a/∂μ and ∂a/∂σ, which the strategy chains with ∂μ/∂x, ∂σ/∂x to
polish the best candidates (``strategies/polish.py``).  The Bayesian racer maximises EI through
its logarithm (``log_expected_improvement``): the same maximiser, but finite and informative
where EI itself underflows to 0.

Notation: f* = best observed score, ξ ≥ 0 = margin an improvement must beat,
z = (μ − f* − ξ) / σ, Φ / φ = standard normal CDF / PDF.
"""

from __future__ import annotations

import numpy as np
from scipy.special import erfcx, log_ndtr, ndtr

ACQUISITIONS = ("ei", "pi", "ucb")
TITLES = {"ei": "EI", "pi": "PI", "ucb": "UCB"}
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
_TINY = 1e-12
_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_LOG_SQRT_HALF_PI = 0.5 * np.log(0.5 * np.pi)
_ASYMPTOTIC_Z = -1.0 / np.sqrt(np.finfo(float).eps)  # below it, log h(z) ≈ −z²/2 − c₁ − 2 log|z|


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


def _log1mexp(x: np.ndarray) -> np.ndarray:
    """log(1 − eˣ) for x < 0, accurate at both ends (Mächler 2012)."""
    x = np.minimum(x, -_TINY)
    near = x > -np.log(2.0)
    return np.where(near, np.log(-np.expm1(np.where(near, x, -1.0))), np.log1p(-np.exp(x)))


def _log_h(z: np.ndarray) -> np.ndarray:
    """log h(z), h(z) = φ(z) + zΦ(z), without underflow (Ament et al. 2023, eq. 9)."""
    z = np.asarray(z, float)
    mid = np.maximum(z, -1.0)
    out = np.log(np.maximum(_pdf(mid) + mid * ndtr(mid), 1e-300))
    low = z <= -1.0
    if np.any(low):
        zl = z[low]
        tail = np.maximum(zl, _ASYMPTOTIC_Z)
        lo = -0.5 * tail * tail - _LOG_SQRT_2PI
        lo += _log1mexp(np.log(erfcx(-tail / np.sqrt(2.0)) * np.abs(tail)) + _LOG_SQRT_HALF_PI)
        far = zl < _ASYMPTOTIC_Z
        lo[far] = -0.5 * zl[far] ** 2 - _LOG_SQRT_2PI - 2.0 * np.log(np.abs(zl[far]))
        out[low] = lo
    return out


def log_expected_improvement(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> np.ndarray:
    r"""log EI, computed so that it stays finite and ordered where EI underflows to 0.

    log EI(x) = log σ + log h(z),  h(z) = φ(z) + zΦ(z),  z = (μ − f* − ξ) / σ;
    for z ≤ −1, h(z) = φ(z) · (1 − |z| erfcx(−z/√2) √(π/2)), so
    log h(z) = −z²/2 − ½ log 2π + log1mexp(log(|z| erfcx(−z/√2)) + ½ log(π/2)),
    and for z < −1/√ε (ε the machine epsilon) log h(z) ≈ −z²/2 − ½ log 2π − 2 log|z|.
    Same maximiser as EI; far from the incumbent EI is below 1e-300 and its ranking (and
    gradient) is rounding noise, while log EI still prefers the more promising point.
    S. Ament, S. Daulton, D. Eriksson, M. Balandat & E. Bakshy, "Unexpected Improvements to
    Expected Improvement for Bayesian Optimization", NeurIPS 2023 (LogEI, eq. 9).
    """
    _, s, z = _z(mean, std, best, xi)
    return np.log(s) + _log_h(z)


def log_expected_improvement_grad(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    r"""(∂ log EI/∂μ, ∂ log EI/∂σ) = (Φ(z), φ(z)) / (σ h(z)), taken through logs."""
    return log_expected_improvement_and_grad(mean, std, best, xi)[1:]


def log_expected_improvement_and_grad(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(log EI, ∂ log EI/∂μ, ∂ log EI/∂σ) with log h(z) computed once (the polish's inner loop)."""
    _, s, z = _z(mean, std, best, xi)
    log_ei = np.log(s) + _log_h(z)
    return (
        log_ei,
        np.exp(log_ndtr(z) - log_ei),
        np.exp(-0.5 * z * z - _LOG_SQRT_2PI - log_ei),
    )


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
