"""Multi-fidelity trials: stopping a training run early at a fraction r ∈ (0, 1] of its length.

A run stopped at fraction r of the full run reports a lower, noisier score. The expected
score follows a saturating learning curve from the landscape's *floor* (what an untrained
model scores, e.g. chance accuracy) to the full score f(θ):

    E[f_r(θ)] = floor + (f(θ) − floor) · g(r),   g(r) = (1 − exp(−k·r)) / (1 − exp(−k))

with k = ``CURVE_RATE`` = 3, so g(0) = 0, g(1) = 1, g is increasing and concave
(g(1/27) ≈ 0.11, g(1/9) ≈ 0.29, g(1/3) ≈ 0.66). Because g does not depend on θ, the curve
keeps the full-fidelity ranking *in expectation* but shrinks the gaps between
configurations by g(r); on top of the landscape's own observation noise, a short run adds
noise of standard deviation ``FIDELITY_NOISE`` · (1 − r) (= 0.03 at r → 0, none at r = 1),
so rankings made from short runs are unreliable, as in practice. A trial at fidelity r
costs r × the full trial's cost (charged by the race runner).

The floor is never above the full score: where f(θ) < floor, f(θ) itself is used as the
floor, so a short run never scores better in expectation than the full one.
"""

from __future__ import annotations

import math

import numpy as np

CURVE_RATE = 3.0
FIDELITY_NOISE = 0.03


def check_fidelity(r: float) -> float:
    """r as a float in (0, 1], or a ValueError a caller can show."""
    if isinstance(r, bool) or not isinstance(r, int | float | np.floating | np.integer):
        raise ValueError(f"fidelity must be a number in (0, 1], got {r!r}")
    r = float(r)
    if not (math.isfinite(r) and 0.0 < r <= 1.0):
        raise ValueError(f"fidelity must be in (0, 1], got {r!r}")
    return r


def progress(r: float | np.ndarray, rate: float = CURVE_RATE) -> float | np.ndarray:
    """g(r) = (1 − exp(−k r)) / (1 − exp(−k)): the share of the full gain reached at r."""
    return -np.expm1(-rate * np.asarray(r, dtype=float)) / -math.expm1(-rate)


def expected_score(
    full: np.ndarray, r: float, floor: float, rate: float = CURVE_RATE
) -> np.ndarray:
    """E[f_r] = lo + (full − lo) · g(r) with lo = min(floor, full), elementwise."""
    full = np.asarray(full, dtype=float)
    lo = np.minimum(floor, full)
    return lo + (full - lo) * progress(r, rate)


def noise_sd(r: float, scale: float = FIDELITY_NOISE) -> float:
    """Extra observation noise of a run stopped at r: scale · (1 − r)."""
    return scale * (1.0 - r)
