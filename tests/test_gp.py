"""The numpy GP against scikit-learn, finite differences, and numerical edge cases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, Matern, WhiteKernel
from sklearn.gaussian_process.kernels import ConstantKernel as C

from hpo_race.strategies.edge_prior import BoundaryPrior
from hpo_race.strategies.gp import GaussianProcess, GPNumericalError, cholesky

LS, SF2, SN2 = [0.3, 0.55], 1.7, 1e-3


def data(n=20, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 2))
    y = 3.0 + 2.0 * np.sin(5 * X[:, 0]) + X[:, 1] ** 2  # off-centre, non-unit scale
    return X, y, rng.random((60, 2))


def base_kernel(kind):
    return Matern(length_scale=LS, nu=2.5) if kind == "matern52" else RBF(length_scale=LS)


def ours(kind, X, y):
    gp = GaussianProcess(kind, length_scale=LS, signal_var=SF2, noise_var=SN2)
    return gp.fit(X, y, optimize=False)


@pytest.mark.parametrize("kind", ["matern52", "rbf"])
def test_matches_sklearn_with_fixed_hyperparameters(kind):
    X, y, Xs = data()
    kernel = base_kernel(kind) * C(SF2) + WhiteKernel(SN2)
    sk = GaussianProcessRegressor(kernel, optimizer=None, normalize_y=True, alpha=0.0).fit(X, y)
    gp = ours(kind, X, y)
    sk_mean, sk_std = sk.predict(Xs, return_std=True)
    mean, std = gp.predict(Xs, include_noise=True)  # sklearn's std includes the WhiteKernel
    np.testing.assert_allclose(mean, sk_mean, atol=1e-6, rtol=0)
    np.testing.assert_allclose(std, sk_std, atol=1e-6, rtol=0)
    lml, grad = gp.log_marginal_likelihood(eval_gradient=True)
    sk_lml, sk_grad = sk.log_marginal_likelihood(sk.kernel_.theta, eval_gradient=True)
    assert lml == pytest.approx(sk_lml, abs=1e-6)
    np.testing.assert_allclose(grad, sk_grad, atol=1e-6)  # same θ_h order: ℓ₁, ℓ₂, σ_f², σ_n²


@pytest.mark.parametrize("kind", ["matern52", "rbf"])
def test_latent_std_matches_sklearn_alpha_nugget(kind):
    X, y, Xs = data(seed=1)
    kernel = base_kernel(kind) * C(SF2)
    sk = GaussianProcessRegressor(kernel, optimizer=None, normalize_y=True, alpha=SN2).fit(X, y)
    sk_mean, sk_std = sk.predict(Xs, return_std=True)
    mean, std = ours(kind, X, y).predict(Xs)
    np.testing.assert_allclose(mean, sk_mean, atol=1e-6, rtol=0)
    np.testing.assert_allclose(std, sk_std, atol=1e-6, rtol=0)


@pytest.mark.parametrize("kind", ["matern52", "rbf"])
def test_lml_gradient_matches_finite_differences(kind):
    X, y, _ = data(15, seed=2)
    gp = ours(kind, X, y)
    theta = gp.theta.copy()
    _, grad = gp.log_marginal_likelihood(theta, eval_gradient=True)
    h = 1e-6
    for j in range(len(theta)):
        e = np.zeros_like(theta)
        e[j] = h
        fd = (gp.log_marginal_likelihood(theta + e) - gp.log_marginal_likelihood(theta - e)) / (
            2 * h
        )
        assert grad[j] == pytest.approx(fd, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("kind", ["matern52", "rbf"])
def test_prediction_gradients_match_finite_differences(kind):
    X, y, Xs = data(12, seed=3)
    gp = ours(kind, X, y)
    P = Xs[:5]
    mean, std, d_mean, d_std = gp.predict_with_grad(P)
    m0, s0 = gp.predict(P)
    np.testing.assert_allclose(mean, m0, atol=1e-12)
    np.testing.assert_allclose(std, s0, atol=1e-12)
    h = 1e-6
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        (mp, sp), (mm, sm) = gp.predict(P + e), gp.predict(P - e)
        np.testing.assert_allclose(d_mean[:, k], (mp - mm) / (2 * h), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(d_std[:, k], (sp - sm) / (2 * h), rtol=1e-5, atol=1e-6)


def test_interpolates_training_points_with_small_noise():
    X, y, _ = data(25, seed=4)
    gp = GaussianProcess("matern52", length_scale=0.3, noise_var=1e-8, noise_floor=1e-8)
    mean, std = gp.fit(X, y, optimize=False).predict(X)
    np.testing.assert_allclose(mean, y, atol=1e-4 * np.ptp(y))
    assert np.all(std < 1e-3 * np.std(y))


def test_fitting_raises_the_marginal_likelihood_and_respects_bounds():
    X, y, _ = data(30, seed=5)
    gp = GaussianProcess("matern52")
    start = gp.fit(X, y, optimize=False).log_marginal_likelihood()
    gp.fit(X, y, n_restarts=4, rng=np.random.default_rng(0))
    assert gp.log_marginal_likelihood() > start
    lo, hi = np.array(gp.bounds()).T
    assert np.all(gp.theta >= lo) and np.all(gp.theta <= hi)
    assert gp.noise_var >= gp.noise_floor * (1 - 1e-12)


def test_fixed_length_scale_stays_fixed():
    X, y, _ = data(30, seed=6)
    gp = GaussianProcess("rbf", length_scale=0.25).fit(X, y)
    np.testing.assert_allclose(gp.length_scale, [0.25, 0.25])
    assert gp.signal_var != 1.0  # the other hyperparameters were still fitted


@pytest.mark.parametrize(
    ("X", "y"),
    [
        (np.array([[0.5, 0.5]]), np.array([0.7])),  # a single point
        (np.random.default_rng(0).random((6, 2)), np.full(6, 0.42)),  # constant scores
        (np.array([[0.2, 0.3]] * 4 + [[0.8, 0.1]]), np.array([1.0, 1.1, 0.9, 1.0, 0.2])),  # dupes
        (np.array([[0.2, 0.3]] * 5), np.full(5, 2.0)),  # everything identical
    ],
)
@pytest.mark.parametrize("kind", ["matern52", "rbf"])
def test_edge_cases_give_finite_output(X, y, kind):
    Xs = np.random.default_rng(1).random((50, 2))
    gp = GaussianProcess(kind).fit(X, y, n_restarts=3, rng=np.random.default_rng(0))
    mean, std = gp.predict(Xs)
    assert np.all(np.isfinite(mean)) and np.all(np.isfinite(std)) and np.all(std > 0)
    out = gp.predict_with_grad(Xs[:3])
    assert all(np.all(np.isfinite(a)) for a in out)
    assert np.isfinite(gp.log_marginal_likelihood())


def test_prior_before_any_data():
    mean, std = GaussianProcess().predict(np.zeros((3, 2)))
    np.testing.assert_allclose(mean, 0.0)
    np.testing.assert_allclose(std, 1.0)


def test_jitter_rescues_exact_duplicates_without_noise():
    X = np.array([[0.1, 0.1], [0.1, 0.1], [0.9, 0.4]])
    gp = GaussianProcess(length_scale=0.3, noise_var=0.0, noise_floor=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gp.fit(X, np.array([0.0, 0.0, 1.0]), optimize=False)
    assert gp.jitter > 0
    assert np.all(np.isfinite(gp.predict(X)[0]))


def test_cholesky_failure_raises_a_linalg_error_with_a_hint():
    bad = np.array([[1.0, 2.0], [2.0, 1.0]])  # indefinite: no jitter makes it PD
    with pytest.raises(np.linalg.LinAlgError, match="raise the noise floor"):
        cholesky(bad)
    with pytest.raises(GPNumericalError, match="duplicate"):
        cholesky(np.ones((3, 3)) - 1e-3 * np.eye(3))  # like duplicates with a negative nugget
    with pytest.raises(GPNumericalError, match="finite"):
        cholesky(np.full((2, 2), np.nan))


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="kernel"):
        GaussianProcess("matern32")
    with pytest.raises(ValueError, match="length_scale"):
        GaussianProcess(length_scale=-1.0)
    with pytest.raises(ValueError, match="finite"):
        GaussianProcess().fit(np.zeros((2, 2)), np.array([0.0, np.nan]))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["matern52", "rbf"])
def test_predict_fixed_matches_predict_as_data_grow_and_refits_happen(kind):
    rng = np.random.default_rng(7)
    S = rng.random((300, 2))
    gp = GaussianProcess(kind)
    X = rng.random((2, 2))
    for n in range(3, 60):
        X = np.vstack([X, rng.random((1, 2))])
        y = np.sin(6 * X[:, 0]) * X[:, 1]
        gp.fit(X, y, optimize=n < 8 or n % 9 == 0)  # some steps refit θ_h, most only condition
        mean, std = gp.predict_fixed(S)
        want_mean, want_std = gp.predict(S)
        np.testing.assert_allclose(mean, want_mean, atol=1e-8, rtol=0)
        np.testing.assert_allclose(std, want_std, atol=1e-8, rtol=0)
    # a different array (even with equal values) or a refit rebuilds rather than extends
    fresh = S.copy()
    np.testing.assert_allclose(gp.predict_fixed(fresh)[1], gp.predict(S)[1], atol=1e-8)
    assert gp._fixed["Xs"] is fresh


# ---------------------------------------------------------------- the boundary prior


def with_prior(kind, X, y):
    gp = GaussianProcess(
        kind, length_scale=LS, signal_var=SF2, noise_var=SN2, prior=BoundaryPrior()
    )
    return gp.fit(X, y, optimize=False)


def test_boundary_prior_gradients_match_finite_differences():
    prior = BoundaryPrior(beta=1.3, gamma=0.6)
    P = np.random.default_rng(4).random((7, 2))
    h = 1e-6
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        fd_mean = (prior.mean(P + e) - prior.mean(P - e)) / (2 * h)
        fd_amp = (prior.amplitude(P + e) - prior.amplitude(P - e)) / (2 * h)
        np.testing.assert_allclose(prior.mean_grad(P)[:, k], fd_mean, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(prior.amplitude_grad(P)[:, k], fd_amp, rtol=1e-6, atol=1e-8)


def test_boundary_prior_is_flat_inside_and_lower_and_surer_on_the_edges():
    prior = BoundaryPrior(beta=1.0, gamma=0.5)
    centre, edge, corner = np.array([[0.5, 0.5]]), np.array([[0.0, 0.5]]), np.array([[1.0, 1.0]])
    assert prior.mean(centre)[0] == 0 and prior.amplitude(centre)[0] == 1
    assert prior.mean(edge)[0] == pytest.approx(-1.0) and prior.mean(corner)[0] == -2.0
    assert prior.amplitude(edge)[0] == pytest.approx(0.5)
    assert prior.amplitude(corner)[0] == pytest.approx(0.25)
    # before any data the GP's prior is exactly m(x) and s(x) (unit signal variance)
    mean, std = GaussianProcess(prior=prior).predict(np.vstack([centre, edge, corner]))
    np.testing.assert_allclose(mean, [0.0, -1.0, -2.0])
    np.testing.assert_allclose(std, [1.0, 0.5, 0.25])


@pytest.mark.parametrize("kind", ["matern52", "rbf"])
def test_boundary_prior_posterior_still_interpolates_and_its_gradients_hold(kind):
    X, y, Xs = data(12, seed=3)
    gp = with_prior(kind, X, y)
    mean, std = gp.predict(X)
    np.testing.assert_allclose(mean, y, atol=0.05)  # it follows the data, wherever they are
    P = np.vstack([Xs[:5], [[0.01, 0.5], [0.99, 0.98]]])
    m, s, dm, ds = gp.predict_with_grad(P)
    m0, s0 = gp.predict(P)
    np.testing.assert_allclose(m, m0, atol=1e-12)
    np.testing.assert_allclose(s, s0, atol=1e-12)
    np.testing.assert_allclose(gp.predict_fixed(P)[0], m0, atol=1e-9)
    h = 1e-6
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        (mp, sp), (mm, sm) = gp.predict(P + e), gp.predict(P - e)
        np.testing.assert_allclose(dm[:, k], (mp - mm) / (2 * h), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ds[:, k], (sp - sm) / (2 * h), rtol=1e-5, atol=1e-6)
