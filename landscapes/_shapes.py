"""Small vectorised building blocks the landscapes are summed from."""

from __future__ import annotations

import numpy as np


def bump(X: np.ndarray, centre: np.ndarray, width: float | np.ndarray) -> np.ndarray:
    """Isotropic Gaussian bump exp(−|x − c|² / 2w²), 1 at its centre."""
    d2 = np.sum((X - np.asarray(centre, dtype=float)) ** 2, axis=1)
    return np.exp(-0.5 * d2 / np.square(width))


def spread_points(
    rng: np.random.Generator,
    n: int,
    low: float,
    high: float,
    min_gap: float,
    avoid: list[np.ndarray] | None = None,
    avoid_gap: float = 0.0,
) -> np.ndarray:
    """n seeded points in [low, high]² at least ``min_gap`` apart (best effort, bounded)."""
    points: list[np.ndarray] = []
    avoid = avoid or []
    for _ in range(2000):
        if len(points) == n:
            break
        p = rng.uniform(low, high, size=2)
        if all(np.linalg.norm(p - q) >= min_gap for q in points) and all(
            np.linalg.norm(p - a) >= avoid_gap for a in avoid
        ):
            points.append(p)
    while len(points) < n:  # crowded square: accept the rest without the gap rule
        points.append(rng.uniform(low, high, size=2))
    return np.array(points)
