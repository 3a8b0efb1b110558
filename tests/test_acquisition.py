"""Acquisition functions: reference values, hand-computed values, limits and monotonicity."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from hpo_race.strategies.acquisition import (
    acquire,
    expected_improvement,
    expected_improvement_grad,
    log_expected_improvement,
    log_expected_improvement_and_grad,
    log_expected_improvement_grad,
    probability_of_improvement,
    probability_of_improvement_grad,
    upper_confidence_bound,
    upper_confidence_bound_grad,
)


def test_ei_reference_value():
    # z = −0.5: −0.5·Φ(−0.5) + φ(−0.5) = −0.5·0.3085375 + 0.3520653 = 0.1977966
    assert expected_improvement(np.array([-0.5]), np.array([1.0]), 0.0)[0] == pytest.approx(
        0.19780, abs=1e-5
    )


@pytest.mark.parametrize(
    ("mean", "std", "best", "xi"),
    [(-0.5, 1.0, 0.0, 0.0), (1.3, 0.4, 1.0, 0.1), (0.2, 2.0, 3.0, 0.5)],
)
def test_ei_is_the_expected_positive_part(mean, std, best, xi):
    """Independent check: integrate max(f − f* − ξ, 0) against the normal density."""
    dist = stats.norm(mean, std)
    want, _ = integrate.quad(lambda f: (f - best - xi) * dist.pdf(f), best + xi, math.inf)
    got = expected_improvement(np.array([mean]), np.array([std]), best, xi)[0]
    assert got == pytest.approx(want, rel=1e-7, abs=1e-12)


def test_pi_and_ucb_hand_computed():
    # PI: z = (1 − 0.5 − 0.1)/2 = 0.2, Φ(0.2) = 0.5792597
    assert probability_of_improvement(np.array([1.0]), np.array([2.0]), 0.5, 0.1)[0] == (
        pytest.approx(0.5792597, abs=1e-7)
    )
    # PI at the incumbent with ξ = 0 is a coin flip
    assert probability_of_improvement(np.array([0.3]), np.array([0.7]), 0.3)[0] == 0.5
    np.testing.assert_allclose(
        upper_confidence_bound(np.array([1.0, -2.0]), np.array([2.0, 0.5]), kappa=2.0), [5.0, -1.0]
    )
    assert upper_confidence_bound(np.array([1.0]), np.array([2.0]), kappa=0.0)[0] == 1.0


def test_zero_std_limits_are_finite_and_right():
    mean, std = np.array([1.0, -1.0, 0.0]), np.zeros(3)
    np.testing.assert_allclose(expected_improvement(mean, std, 0.0, 0.1), [0.9, 0.0, 0.0])
    np.testing.assert_allclose(probability_of_improvement(mean, std, 0.0, 0.1), [1.0, 0.0, 0.0])
    np.testing.assert_allclose(upper_confidence_bound(mean, std, 3.0), mean)


def test_monotonicity():
    std = np.linspace(0.01, 3.0, 50)
    mean = np.linspace(-2.0, 2.0, 50)
    # EI grows with std at fixed mean, and with mean at fixed std
    assert np.all(np.diff(expected_improvement(np.full(50, -0.3), std, 0.0, 0.01)) > 0)
    assert np.all(np.diff(expected_improvement(mean, np.full(50, 0.5), 0.0, 0.01)) > 0)
    # PI grows with mean; grows with std below the incumbent and shrinks with it above
    assert np.all(np.diff(probability_of_improvement(mean, np.full(50, 0.5), 0.0)) > 0)
    assert np.all(np.diff(probability_of_improvement(np.full(50, -0.5), std, 0.0)) > 0)
    assert np.all(np.diff(probability_of_improvement(np.full(50, 0.5), std, 0.0)) < 0)
    # UCB grows with std exactly at rate κ
    np.testing.assert_allclose(
        np.diff(upper_confidence_bound(np.zeros(50), std, 1.5)), 1.5 * np.diff(std)
    )
    # a larger ξ never makes EI or PI larger
    m, s = np.array([0.2]), np.array([0.3])
    assert expected_improvement(m, s, 0.0, 0.1) < expected_improvement(m, s, 0.0, 0.0)
    assert probability_of_improvement(m, s, 0.0, 0.1) < probability_of_improvement(m, s, 0.0, 0.0)


def test_ei_is_nonnegative_far_below_the_incumbent():
    ei = expected_improvement(np.array([-40.0, -1e3]), np.array([1.0, 1e-3]), 0.0)
    assert np.all(ei >= 0) and np.all(np.isfinite(ei))


@pytest.mark.parametrize(
    ("fn", "grad", "kw"),
    [
        (expected_improvement, expected_improvement_grad, {"best": 0.2, "xi": 0.05}),
        (log_expected_improvement, log_expected_improvement_grad, {"best": 0.2, "xi": 0.05}),
        (probability_of_improvement, probability_of_improvement_grad, {"best": 0.2, "xi": 0.05}),
        (upper_confidence_bound, upper_confidence_bound_grad, {"kappa": 1.7}),
    ],
)
def test_gradients_match_finite_differences(fn, grad, kw):
    mean, std, h = np.array([-0.4, 0.1, 0.9]), np.array([0.3, 1.2, 0.05]), 1e-6
    d_mean, d_std = grad(mean, std, **kw)
    np.testing.assert_allclose(
        d_mean, (fn(mean + h, std, **kw) - fn(mean - h, std, **kw)) / (2 * h), rtol=1e-5, atol=1e-8
    )
    np.testing.assert_allclose(
        d_std, (fn(mean, std + h, **kw) - fn(mean, std - h, **kw)) / (2 * h), rtol=1e-5, atol=1e-8
    )


def test_acquire_dispatches_and_refuses_unknown_names():
    m, s = np.array([0.1]), np.array([0.2])
    assert acquire("ei", m, s, 0.0, xi=0.01)[0] == expected_improvement(m, s, 0.0, 0.01)[0]
    assert acquire("pi", m, s, 0.0, xi=0.01)[0] == probability_of_improvement(m, s, 0.0, 0.01)[0]
    assert acquire("ucb", m, s, 0.0, kappa=3.0)[0] == upper_confidence_bound(m, s, 3.0)[0]
    a, da_dm, da_ds = acquire("ei", m, s, 0.0, xi=0.01, grad=True)
    assert a.shape == da_dm.shape == da_ds.shape == (1,)
    with pytest.raises(ValueError, match="acquisition must be one of"):
        acquire("thompson", m, s, 0.0)


def test_log_ei_is_the_log_of_ei_wherever_ei_is_representable():
    # the reference value: log 0.1977966 = −1.620571
    assert log_expected_improvement(np.array([-0.5]), np.array([1.0]), 0.0)[0] == pytest.approx(
        math.log(0.1977966), abs=1e-6
    )
    z = np.linspace(-25.0, 6.0, 311)  # both branches (z > −1 and z ≤ −1) and their seam
    want = np.log(expected_improvement(z, np.full_like(z, 0.7), 0.0))
    got = log_expected_improvement(z, np.full_like(z, 0.7), 0.0)
    np.testing.assert_allclose(got, want, rtol=1e-8)


def test_log_ei_stays_finite_and_ordered_where_ei_underflows():
    """Ament et al. 2023: far below the incumbent EI is 0, log EI still ranks the points."""
    mean = -np.array([40.0, 60.0, 1e3, 1e9])
    assert np.all(expected_improvement(mean, np.ones(4), 0.0) == 0.0)
    log_ei = log_expected_improvement(mean, np.ones(4), 0.0)
    assert np.all(np.isfinite(log_ei)) and np.all(np.diff(log_ei) < 0)
    # the asymptote −z²/2 − ½ log 2π − 2 log|z| at z = −1e9
    assert log_ei[-1] == pytest.approx(-0.5e18 - 0.5 * math.log(2 * math.pi) - 2 * math.log(1e9))
    _, d_mean, d_std = log_expected_improvement_and_grad(mean[:2], np.ones(2), 0.0)
    assert np.all(np.isfinite(d_mean)) and np.all(d_mean > 1.0)  # ≈ |z|: a slope to climb
    assert np.all(np.isfinite(d_std)) and np.all(d_std > 0.0)
