"""Multi-fidelity trials: the learning curve, its noise, and r = 1 being the full trial."""

import numpy as np
import pytest

from hpo_race.landscapes import get_landscape
from hpo_race.landscapes.fidelity import (
    CURVE_RATE,
    check_fidelity,
    expected_score,
    noise_sd,
    progress,
)

FIDELITIES = [1 / 27, 1 / 9, 0.2, 1 / 3, 0.5, 0.8, 1.0]


def test_progress_runs_from_zero_to_one_increasing_and_concave():
    r = np.linspace(0.0, 1.0, 1001)
    g = progress(r)
    assert g[0] == pytest.approx(0.0, abs=1e-15) and g[-1] == pytest.approx(1.0, abs=1e-15)
    assert np.all(np.diff(g) > 0) and np.all(np.diff(g, 2) < 0)
    assert progress(1 / 3) == pytest.approx(
        (1 - np.exp(-CURVE_RATE / 3)) / (1 - np.exp(-CURVE_RATE))
    )


def test_expected_score_keeps_the_ranking_and_never_beats_the_full_score():
    full = np.array([0.05, 0.1, 0.3, 0.9])
    for r in FIDELITIES:
        e = expected_score(full, r, floor=0.1)
        assert np.all(e <= full + 1e-15)
        assert np.all(np.diff(e) >= 0)
    np.testing.assert_array_equal(expected_score(full, 1.0, 0.1), full)
    assert expected_score(full, 1e-9, 0.1)[2] == pytest.approx(0.1, abs=1e-6)


@pytest.mark.parametrize("name", ["smooth", "bumpy", "svm-digits"])
@pytest.mark.parametrize("noise", [0.0, 0.05])
def test_mean_over_many_draws_increases_with_fidelity(name, noise):
    landscape = get_landscape(name, noise=noise)
    X = np.random.default_rng(0).uniform(size=(40, 2))
    X = X[landscape.score(X) > landscape.floor + 0.05]  # a point at the floor cannot rise
    draws = 4000
    means = []
    for r in FIDELITIES:
        rng = np.random.default_rng(7)
        obs = landscape.observe_at(np.repeat(X, draws, axis=0), r, rng).reshape(len(X), draws)
        means.append(obs.mean(axis=1))
    means = np.array(means)  # [fidelity, point]
    sd = np.hypot(noise, noise_sd(FIDELITIES[0])) / np.sqrt(draws)
    assert np.all(np.diff(means, axis=0) > -4 * sd)
    assert np.all(means[-1] - means[0] > 0.1 * (landscape.score(X) - landscape.floor))
    expected = np.array(
        [expected_score(landscape.score(X), r, landscape.floor) for r in FIDELITIES]
    )
    np.testing.assert_allclose(means, expected, atol=5 * sd)


def test_full_fidelity_is_exactly_observe_with_no_extra_noise():
    X = np.random.default_rng(1).uniform(size=(50, 2))
    quiet = get_landscape("bumpy", 3)
    np.testing.assert_array_equal(
        quiet.observe_at(X, 1.0, np.random.default_rng(2)), quiet.score(X)
    )
    noisy = get_landscape("bumpy", 3, noise=0.05)
    np.testing.assert_array_equal(
        noisy.observe_at(X, 1.0, np.random.default_rng(2)),
        noisy.observe(X, np.random.default_rng(2)),
    )


def test_noise_shrinks_as_fidelity_grows():
    landscape = get_landscape("smooth")
    X = np.full((20_000, 2), 0.6)
    sds = [landscape.observe_at(X, r, np.random.default_rng(3)).std() for r in FIDELITIES]
    assert np.all(np.diff(sds) < 0) and sds[-1] == pytest.approx(0.0, abs=1e-12)
    assert sds[0] == pytest.approx(noise_sd(FIDELITIES[0]), rel=0.05)


def test_partial_runs_are_seeded():
    landscape = get_landscape("smooth")
    X = np.full((5, 2), 0.4)
    a = landscape.observe_at(X, 0.25, np.random.default_rng(9))
    assert np.array_equal(a, landscape.observe_at(X, 0.25, np.random.default_rng(9)))


@pytest.mark.parametrize("bad", [0, 0.0, -0.1, 1.5, float("nan"), float("inf"), True, "0.5", None])
def test_bad_fidelities_are_refused(bad):
    with pytest.raises(ValueError, match="fidelity"):
        check_fidelity(bad)
    with pytest.raises(ValueError, match="fidelity"):
        get_landscape("smooth").observe_at(np.full((1, 2), 0.5), bad, np.random.default_rng(0))
