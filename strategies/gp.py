"""A small exact Gaussian process for Bayesian optimisation on the unit square.

Plain numpy/scipy so the app has no scikit-learn dependency at runtime and one step stays in
the millisecond range.  Scores are standardised internally (like scikit-learn's
``normalize_y=True``), so every public input and output is in ORIGINAL score units.

NOTATION (shapes; n training points, m test points, d input dimensions, p hyperparameters)
    X      (n, d)  training inputs θ₁..θₙ
    y      (n,)    training scores, standardised: y = (scores − ȳ) / s_y   (s_y = 1 if constant)
    ℓ      (d,)    length scales, one per input dimension (ARD); a fixed float means ℓ₁ = … = ℓ_d
    σ_f²   ()      signal variance
    σ_n²   ()      noise (nugget) variance, bounded below by a noise floor
    C      (n, n)  kernel correlation matrix, C_ij = c(x_i, x_j; ℓ), c(x, x) = 1
    K      (n, n)  K = σ_f² C + σ_n² I
    L      (n, n)  lower Cholesky factor, K = L Lᵀ
    α      (n,)    α = K⁻¹ y = Lᵀ \\ (L \\ y)
    X*     (m, d)  test inputs
    k*     (n, m)  cross-covariances σ_f² c(X, X*)
    v      (n, m)  v = L \\ k*
    μ*     (m,)    posterior mean k*ᵀ α
    σ*²    (m,)    posterior variance σ_f² − Σ_i v_i²   (latent f; add σ_n² for a noisy y)
    θ_h    (p,)    log hyperparameters [log ℓ₁ … log ℓ_d, log σ_f², log σ_n²]
    r      (n, m)  scaled distance  r = ‖(x − x′) / ℓ‖
    m(x), s(x)     the prior's mean and amplitude (``BoundaryPrior``; m = 0, s = 1 without one):
                   f(x) = m(x) + s(x)·g(x) on the standardised scale, g ~ GP(0, k); the
                   GP algebra below is done on g, whose targets are (y − m(X)) / s(X)

Kernels (unit signal variance): Matérn 5/2  c = (1 + √5 r + 5r²/3) exp(−√5 r),
RBF  c = exp(−r²/2).  Hyperparameters maximise the log marginal likelihood
(R&W eq. 2.30) with analytic gradients (R&W eq. 5.9) by L-BFGS-B on θ_h.

Reference: C. E. Rasmussen & C. K. I. Williams (2006), Gaussian Processes for Machine
Learning, MIT Press ("R&W").  The boundary prior: ``strategies/edge_prior.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.linalg import lapack, solve_triangular
from scipy.optimize import minimize

from hpo_race.strategies.edge_prior import BoundaryPrior

KERNELS = ("matern52", "rbf")
_SQRT5 = math.sqrt(5.0)
_LOG_2PI = math.log(2.0 * math.pi)
PREDICT_BLOCK = 32768  # elements of k* per prediction block
FIT_FTOL, FIT_GTOL = 1e-6, 1e-3  # loose: θ_h need not be precise (measured: ~10% faster step)


class GPNumericalError(np.linalg.LinAlgError):
    """The kernel matrix stayed non-positive-definite even after jitter escalation."""


def kernel_parts(
    A: np.ndarray, B: np.ndarray, length_scale: np.ndarray, kind: str, grad: bool = True
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Correlation c(A, B) plus the pieces every derivative needs, computed once.

    Returns (c, g, diff) with diff[k] = (a_k − b_k)/ℓ_k of shape (d, len(A), len(B)) and g
    such that ∂c/∂log ℓ_k = g · diff[k]²  and  ∂c/∂a_k = −g · diff[k] / ℓ_k  (both kernels);
    g is None unless ``grad``.  One (n, m) array per axis: far faster than a (n, m, d) array.
    """
    diff = np.stack([(A[:, k, None] - B[None, :, k]) / length_scale[k] for k in range(A.shape[1])])
    r2 = diff[0] * diff[0]
    for k in range(1, len(diff)):
        r2 += diff[k] * diff[k]
    g = None
    if kind == "matern52":
        s5r = np.sqrt(5.0 * r2)
        e = np.exp(-s5r)
        if grad:
            g = (5.0 / 3.0) * (1.0 + s5r) * e
        c = (1.0 + s5r + (5.0 / 3.0) * r2) * e
    else:
        c = np.exp(-0.5 * r2)
        g = c if grad else None
    return c, g, diff


def squared_differences(X: np.ndarray) -> np.ndarray:
    """D2[k, i, j] = (X[i, k] − X[j, k])², shape (d, n, n): what every θ_h shares in a fit."""
    return np.stack([np.square(np.subtract.outer(X[:, k], X[:, k])) for k in range(X.shape[1])])


def correlation(A: np.ndarray, B: np.ndarray, length_scale: np.ndarray, kind: str) -> np.ndarray:
    """c(A, B) only, built in place: fresh (n, m) temporaries cost page faults that made this
    ~4x slower than the arithmetic itself (measured at n=100, m=1088)."""
    r2 = np.subtract.outer(A[:, 0], B[:, 0])
    r2 /= length_scale[0]
    np.square(r2, out=r2)
    tmp = np.empty_like(r2)
    for k in range(1, A.shape[1]):
        np.subtract.outer(A[:, k], B[:, k], out=tmp)
        tmp /= length_scale[k]
        np.square(tmp, out=tmp)
        r2 += tmp
    if kind == "rbf":
        r2 *= -0.5
        return np.exp(r2, out=r2)
    s5r = np.multiply(r2, 5.0, out=tmp)
    np.sqrt(s5r, out=s5r)
    r2 *= 5.0 / 3.0
    r2 += s5r
    r2 += 1.0
    np.negative(s5r, out=s5r)
    r2 *= np.exp(s5r, out=s5r)  # (1 + √5 r + 5r²/3) · exp(−√5 r)
    return r2


def cholesky(K: np.ndarray, max_jitter: float = 1e-4) -> tuple[np.ndarray, float]:
    """Lower Cholesky factor with jitter escalation, so near-duplicates don't crash a race.

    Tries K, then K + εI with ε = 1e-10, 1e-8, … up to ``max_jitter`` (relative to the mean
    diagonal).  Returns (L, ε used).  Raises GPNumericalError with a hint if all fail.
    """
    # The sum is finite iff every entry is (kernel entries are far from overflowing): one
    # reduction instead of an (n, n) boolean array, in a fit's innermost loop.
    if not math.isfinite(float(K.sum())):
        raise GPNumericalError(
            "GP kernel matrix has NaN/inf entries. Hint: check that scores, inputs and "
            "hyperparameters (length scales, variances) are finite."
        )
    jitter, rel, scale = 0.0, 1e-10, 0.0
    while True:
        Kj = K if jitter == 0.0 else K + jitter * np.eye(len(K))
        # R&W Algorithm 2.1, line 2: L := cholesky(K + σ_n² I)  (σ_n² is already inside K).
        L, info = lapack.dpotrf(Kj, lower=1, clean=1, overwrite_a=0)
        if info == 0:
            return L, jitter
        if rel > max_jitter * (1 + 1e-9):
            break
        if not scale:  # the mean diagonal, needed only once K itself has failed
            scale = float(np.mean(np.diag(K))) if K.size else 1.0
            scale = scale if scale > 0 else 1.0
        jitter, rel = scale * rel, rel * 100.0
    raise GPNumericalError(
        f"Cholesky of the {len(K)}x{len(K)} GP kernel matrix failed even with jitter "
        f"{jitter:.1e}. Hint: duplicate (or nearly identical) points with a tiny noise level; "
        "raise the noise floor, or check the length scales are not huge."
    )


class GaussianProcess:
    """Exact GP regression with a Matérn 5/2 or RBF kernel and ARD length scales.

    ``length_scale=None`` fits one length scale per axis (ARD); a float (or a sequence of d
    floats) fixes them, and only σ_f², σ_n² are fitted.  ``signal_var`` and ``noise_var``
    are starting values (fixed if ``fit(..., optimize=False)``).  Refits warm-start from the
    previous optimum, which is what keeps a BO step cheap.
    """

    LENGTH_BOUNDS = (0.03, 10.0)  # ~ the narrowest feature a few hundred trials can resolve
    SIGNAL_BOUNDS = (1e-2, 1e2)
    NOISE_MAX = 1.0

    def __init__(
        self,
        kernel: str = "matern52",
        length_scale: float | Sequence[float] | None = None,
        signal_var: float = 1.0,
        noise_var: float = 1e-4,
        noise_floor: float = 1e-6,
        dim: int = 2,
        prior: BoundaryPrior | None = None,
    ) -> None:
        if kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
        self.kernel = kernel
        self.dim = dim
        self.fit_length_scale = length_scale is None
        ls = np.broadcast_to(np.asarray(0.2 if length_scale is None else length_scale, float), dim)
        if not np.all(np.isfinite(ls)) or np.any(ls <= 0):
            raise ValueError(f"length_scale must be positive and finite, got {length_scale!r}")
        if not (noise_floor >= 0 and signal_var > 0 and noise_var >= 0):
            raise ValueError("need signal_var > 0, noise_var >= 0 and noise_floor >= 0")
        self.noise_floor = float(noise_floor)
        self.prior = prior
        self.theta = np.concatenate(
            [np.log(ls), [math.log(signal_var), math.log(max(noise_var, noise_floor, 1e-300))]]
        )
        self.X = np.zeros((0, dim))
        self.y = np.zeros(0)
        self.y_mean, self.y_std = 0.0, 1.0
        self._fixed: dict | None = None  # predict_fixed's cache

    # -- hyperparameters -------------------------------------------------------------------
    @property
    def length_scale(self) -> np.ndarray:
        return np.exp(self.theta[: self.dim])

    @property
    def signal_var(self) -> float:
        return float(np.exp(self.theta[self.dim]))

    @property
    def noise_var(self) -> float:
        return float(np.exp(self.theta[self.dim + 1]))

    def bounds(self) -> list[tuple[float, float]]:
        """Log-space bounds; fixed length scales get a zero-width box at their value."""
        lo, hi = self.LENGTH_BOUNDS
        ls = [(math.log(lo), math.log(hi))] * self.dim
        if not self.fit_length_scale:
            ls = [(t, t) for t in self.theta[: self.dim]]
        floor = math.log(max(self.noise_floor, 1e-12))
        return [
            *ls,
            (math.log(self.SIGNAL_BOUNDS[0]), math.log(self.SIGNAL_BOUNDS[1])),
            (floor, max(floor, math.log(self.NOISE_MAX))),
        ]

    # -- fitting ---------------------------------------------------------------------------
    def log_marginal_likelihood(
        self, theta: np.ndarray | None = None, eval_gradient: bool = False
    ) -> float | tuple[float, np.ndarray]:
        """log p(y | X, θ_h) on the standardised scores; the quantity hyperparameters maximise.

        R&W Algorithm 2.1 line 7 for the value, eq. 5.9 for ∂/∂θ_h (w.r.t. LOG parameters,
        matching scikit-learn's ``log_marginal_likelihood(theta, eval_gradient=True)``).
        """
        theta = self.theta if theta is None else np.asarray(theta, float)
        return self._lml(theta, squared_differences(self.X), eval_gradient)

    def _lml(
        self, theta: np.ndarray, D2: np.ndarray, eval_gradient: bool
    ) -> float | tuple[float, np.ndarray]:
        """``log_marginal_likelihood`` given D2[k] = (x_ik − x_jk)², which a fit computes once.

        With diff[k]² = D2[k] / ℓ_k², r² = Σ_k diff[k]² and ∂c/∂log ℓ_k = g · diff[k]², so the
        ℓ-gradient is one (d, n²) @ (n²,) product instead of d passes over (n, n) arrays.
        """
        d, n, y = self.dim, len(self.y), self.y
        inv_ls2, sf2, sn2 = np.exp(-2.0 * theta[:d]), math.exp(theta[d]), math.exp(theta[d + 1])
        r2 = inv_ls2 @ D2.reshape(d, -1)
        if self.kernel == "matern52":
            s5r = np.sqrt(5.0 * r2)
            e = np.exp(-s5r)
            C = (1.0 + s5r + (5.0 / 3.0) * r2) * e
            g = (5.0 / 3.0) * (1.0 + s5r) * e if eval_gradient else None
        else:
            C = np.exp(-0.5 * r2)
            g = C
        C = C.reshape(n, n)
        K = sf2 * C
        K.flat[:: n + 1] += sn2
        L, _ = cholesky(K)
        # R&W Algorithm 2.1 line 3: α := Lᵀ \ (L \ y)
        alpha, _ = lapack.dpotrs(L, y, lower=1)
        # R&W Algorithm 2.1 line 7: log p(y|X) = −½ yᵀα − Σ log L_ii − (n/2) log 2π
        lml = -0.5 * float(y @ alpha) - float(np.log(L.diagonal()).sum()) - 0.5 * n * _LOG_2PI
        if not eval_gradient:
            return lml
        Kinv, _ = lapack.dpotri(L, lower=1)  # K⁻¹ from L: lower triangle; upper stays 0
        Kinv += Kinv.T
        Kinv.flat[:: n + 1] *= 0.5
        W = np.outer(alpha, alpha)
        W -= Kinv  # R&W eq. 5.9: ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j)
        w = W.ravel()
        grad = np.empty(d + 2)
        grad[:d] = (0.5 * sf2) * (D2.reshape(d, -1) @ (w * g)) * inv_ls2
        grad[d] = 0.5 * sf2 * float(w @ C.ravel())
        grad[d + 1] = 0.5 * sn2 * float(W.trace())
        return lml, grad

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        optimize: bool = True,
        n_restarts: int = 0,
        rng: np.random.Generator | None = None,
        maxiter: int = 60,
    ) -> GaussianProcess:
        """Condition on (X, y), optionally re-fitting θ_h by warm-started L-BFGS-B.

        ``n_restarts`` random θ_h (from ``rng``) are screened by LML; the best gets its own
        L-BFGS-B run only if it beats the warm start, so restarts cost little when unneeded.

        Fewer than 3 points carry no information about length scales, so they keep θ_h.
        """
        X = np.atleast_2d(np.asarray(X, float))
        y = np.asarray(y, float).ravel()
        if len(X) != len(y) or X.shape[1] != self.dim:
            raise ValueError(f"X must be (n, {self.dim}) and y (n,), got {X.shape}, {y.shape}")
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
            raise ValueError("X and y must be finite")
        self.X = X
        self.y_mean = float(y.mean()) if len(y) else 0.0
        std = float(y.std()) if len(y) else 1.0
        self.y_std = std if std > 10 * np.finfo(float).eps * max(1.0, abs(self.y_mean)) else 1.0
        self.y = (y - self.y_mean) / self.y_std
        if self.prior is not None:
            # g's targets: (y − m(X)) / s(X). The map's Jacobian does not depend on θ_h, so
            # maximising g's marginal likelihood fits the same θ_h as f's would.
            self.y = (self.y - self.prior.mean(X)) / self.prior.amplitude(X)
        if optimize and len(y) >= 3:
            self._optimize(n_restarts, rng, maxiter)
        self._condition()
        return self

    def _optimize(self, n_restarts: int, rng: np.random.Generator | None, maxiter: int) -> None:
        bounds = self.bounds()
        lo, hi = np.array(bounds).T
        D2 = squared_differences(self.X)

        def neg(t: np.ndarray) -> tuple[float, np.ndarray]:
            try:
                lml, grad = self._lml(t, D2, eval_gradient=True)
            except GPNumericalError:
                return 1e25, np.zeros_like(t)
            return -lml, -grad

        def value(t: np.ndarray) -> float:
            try:
                return -self._lml(t, D2, eval_gradient=False)
            except GPNumericalError:
                return 1e25

        def run(t0: np.ndarray) -> tuple[float, np.ndarray]:
            res = minimize(
                neg,
                t0,
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": maxiter, "ftol": FIT_FTOL, "gtol": FIT_GTOL},
            )
            return float(res.fun), res.x

        best_f, best_t = run(np.clip(self.theta, lo, hi))
        if n_restarts and rng is not None:
            # Seeded restarts, kept cheap: screen random θ_h by their LML (no gradient) and
            # run L-BFGS-B from the best one only if it already beats the warm-started optimum.
            seeds = rng.uniform(lo, hi, size=(n_restarts, len(lo)))
            values = [value(t) for t in seeds]
            i = int(np.argmin(values))
            if values[i] < best_f:
                f, t = run(seeds[i])
                if f < best_f:
                    best_f, best_t = f, t
        self.theta = np.clip(best_t, lo, hi)

    def _condition(self) -> None:
        ls, sf2, sn2 = self.length_scale, self.signal_var, self.noise_var
        C = correlation(self.X, self.X, ls, self.kernel)
        K = sf2 * C
        K[np.diag_indices_from(K)] += sn2
        self.L, self.jitter = cholesky(K)  # R&W Algorithm 2.1 line 2
        self.alpha, _ = lapack.dpotrs(self.L, self.y, lower=1)  # line 3

    # -- prediction ------------------------------------------------------------------------
    def predict(self, Xs: np.ndarray, include_noise: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and std at Xs in original score units (latent f unless include_noise)."""
        Xs = np.atleast_2d(np.asarray(Xs, float))
        sf2 = self.signal_var
        extra = self.noise_var + self.jitter if include_noise else 0.0
        if len(self.y) == 0:
            return self._to_scores(Xs, np.zeros(len(Xs)), np.full(len(Xs), math.sqrt(sf2 + extra)))
        mean, var = np.empty(len(Xs)), np.empty(len(Xs))
        step = max(
            64, PREDICT_BLOCK // len(self.y)
        )  # bounded temporaries stay cache- and fault-friendly
        for i in range(0, len(Xs), step):
            ks = correlation(self.X, Xs[i : i + step], self.length_scale, self.kernel)
            ks *= sf2  # k*  (n, m)
            mean[i : i + step] = ks.T @ self.alpha  # R&W Algorithm 2.1 line 4: f̄* = k*ᵀ α
            v = solve_triangular(self.L, ks, lower=True, check_finite=False, overwrite_b=True)
            var[i : i + step] = np.einsum("ij,ij->j", v, v)  # line 5 v := L \ k*; line 6
        var = np.maximum(sf2 + extra - var, 1e-12 * sf2)
        return self._to_scores(Xs, mean, np.sqrt(var))

    def _to_scores(
        self, Xs: np.ndarray, mean: np.ndarray, std: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """g's posterior mean and std at Xs → f's, in original score units."""
        if self.prior is not None:
            amp = self.prior.amplitude(Xs)
            mean, std = self.prior.mean(Xs) + amp * mean, amp * std
        return self.y_mean + self.y_std * mean, self.y_std * std

    def predict_fixed(self, Xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``predict(Xs)`` for one set of points that is asked about again after every fit.

        A BO step scores the same ~1k candidates after each new observation.  While θ_h and
        the jitter are unchanged and the training inputs only grew, k* = k(X, Xs) and
        v = L⁻¹ k* are extended by the new rows (R&W Algorithm 2.1 line 5, one forward-
        substitution row per point: O(n·m) instead of O(n²·m)); otherwise they are rebuilt.
        The same values as ``predict`` up to rounding.  The cache holds on to ``Xs`` by
        identity: pass the same, never-modified array each time.
        """
        n, sf2 = len(self.y), self.signal_var
        c = self._fixed
        if n == 0:
            return self.predict(Xs)
        if not (
            c is not None
            and c["Xs"] is Xs
            and c["jitter"] == self.jitter
            and c["n"] <= n
            and np.array_equal(c["theta"], self.theta)
            and np.array_equal(c["X"], self.X[: c["n"]])
        ):
            cap = n + 32
            ks = np.empty((cap, len(Xs)))
            V = np.empty((cap, len(Xs)))
            ks[:n] = correlation(self.X, Xs, self.length_scale, self.kernel)
            ks[:n] *= sf2
            V[:n] = solve_triangular(self.L, ks[:n], lower=True, check_finite=False)
            vsq = np.einsum("ij,ij->j", V[:n], V[:n])
            c = {"Xs": Xs, "theta": self.theta.copy(), "jitter": self.jitter, "ks": ks, "V": V}
        elif c["n"] < n:
            n0, ks, V, vsq = c["n"], c["ks"], c["V"], c["vsq"]
            if n > len(ks):  # grow the buffers geometrically (×1.5)
                extra = np.empty((n + len(ks) // 2 - len(ks), ks.shape[1]))
                ks, V = np.concatenate([ks, extra]), np.concatenate([V, extra])
                c["ks"], c["V"] = ks, V
            ks[n0:n] = correlation(self.X[n0:], Xs, self.length_scale, self.kernel)
            ks[n0:n] *= sf2
            L = self.L
            for i in range(n0, n):  # v_i = (k*_i − L[i, :i] v[:i]) / L_ii
                row = ks[i] - L[i, :i] @ V[:i]
                row /= L[i, i]
                V[i] = row
                vsq = vsq + row * row
        else:
            vsq = c["vsq"]
        c.update(n=n, X=self.X.copy(), vsq=vsq)
        self._fixed = c
        mean = c["ks"][:n].T @ self.alpha
        var = np.maximum(sf2 - vsq, 1e-12 * sf2)
        return self._to_scores(Xs, mean, np.sqrt(var))

    def predict_with_grad(
        self, Xs: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Mean, std and their gradients w.r.t. each test point, for refining acquisitions.

        Returns (μ, σ, ∂μ/∂x*, ∂σ/∂x*) with shapes (m,), (m,), (m, d), (m, d), original units.
        """
        Xs = np.atleast_2d(np.asarray(Xs, float))
        sf2, ls = self.signal_var, self.length_scale
        c, g, diff = kernel_parts(Xs, self.X, ls, self.kernel)  # (m, n); diff (d, m, n)
        ks = sf2 * c  # k*ᵀ  (m, n)
        dks = -sf2 * g * diff / ls[:, None, None]  # ∂k*ᵀ/∂x*  (d, m, n)
        mean = ks @ self.alpha
        dmean = (dks @ self.alpha).T
        w, _ = lapack.dpotrs(self.L, ks.T, lower=1)  # K⁻¹ k*  (n, m)
        var = sf2 - np.einsum("mn,nm->m", ks, w)
        floor = 1e-12 * sf2
        std = np.sqrt(np.maximum(var, floor))
        dvar = -2.0 * np.einsum("dmn,nm->md", dks, w)
        dstd = np.where((var > floor)[:, None], dvar / (2.0 * std[:, None]), 0.0)
        if self.prior is not None:  # f = m + s·g: the product rule on each
            amp, damp = self.prior.amplitude(Xs), self.prior.amplitude_grad(Xs)
            dmean = self.prior.mean_grad(Xs) + damp * mean[:, None] + amp[:, None] * dmean
            dstd = damp * std[:, None] + amp[:, None] * dstd
            mean, std = self.prior.mean(Xs) + amp * mean, amp * std
        s = self.y_std
        return self.y_mean + s * mean, s * std, s * dmean, s * dstd
