"""The acquisition polish: monotone, inside the box, and it climbs to a known maximum."""

from __future__ import annotations

import numpy as np

from hpo_race.strategies.polish import polish


def _bowl(peak: np.ndarray):
    """−‖x − peak‖², maximised at ``peak`` (clipped into the box)."""

    def value_and_grad(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        diff = P - peak
        return -np.sum(diff * diff, axis=1), -2.0 * diff

    return value_and_grad


def test_climbs_every_start_to_the_peak_together():
    peak = np.array([0.42, 0.61])
    starts = np.array([[0.40, 0.60], [0.30, 0.70], [0.45, 0.55]])
    calls = []
    f = _bowl(peak)

    def counted(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        calls.append(len(P))
        return f(P)

    points, values = polish(counted, starts, 40)
    np.testing.assert_allclose(points, np.tile(peak, (3, 1)), atol=1e-4)
    np.testing.assert_allclose(values, f(points)[0])
    assert calls == [3] * 41  # one vectorised call per iteration, plus the start


def test_never_worse_than_the_start_and_stays_in_the_box():
    rng = np.random.default_rng(7)
    peak = np.array([1.3, -0.2])  # outside: the best in the box is the corner (1, 0)
    starts = rng.random((20, 2))
    f = _bowl(peak)
    for iterations in (0, 1, 3, 60):
        points, values = polish(f, starts, iterations)
        assert np.all((points >= 0.0) & (points <= 1.0))
        assert np.all(values >= f(starts)[0])
    np.testing.assert_allclose(points, np.tile([1.0, 0.0], (20, 1)), atol=1e-6)


def test_a_flat_function_leaves_the_starts_alone():
    starts = np.array([[0.2, 0.3], [0.9, 0.1]])

    def flat(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(len(P)), np.zeros_like(P)

    points, _ = polish(flat, starts, 5)
    np.testing.assert_array_equal(points, starts)
