"""Bayesian optimisation: a GP surrogate plus an acquisition function decides where to look.

Ask/tell like the other strategies; all the work (GP refit, acquisition maximisation) happens
in ``tell`` so ``ask`` is free and repeatable.  Options (all validated, ValueError if bad):

    n_initial=5            Latin-hypercube random points (from the strategy's rng) before the GP
    acquisition="ei"       "ei" | "pi" | "ucb"
    xi=0.03                EI/PI margin, in units of the observed scores' std (scale-free),
                           shrinking as the model settles (below)
    kappa=2.0              UCB exploration weight
    kernel="matern52"      "matern52" | "rbf"
    length_scale=None      None: fitted per knob (ARD); a float: fixed on every knob (UI slider)
    edge_prior=True        the GP's prior says the optimum is unlikely on an edge
                           (``edge_prior.BoundaryPrior``): without it 8–32 % of the model's
                           trials land within 2 % of an edge (a third with the former fixed-ξ
                           EI); with it 0–1 % (tests/test_bayes_edges.py, bench/bench_peers.py)

With d knobs (2 … 6) the GP has one ARD length scale per knob: a knob that barely matters
gets a long one (the model learns the score hardly changes along it), which ``state()``
reports as ``length_scale`` (one per knob, in unit coordinates).

Hyperparameter refit schedule.  The GP is re-conditioned on every observation, but its
hyperparameters (length scales, signal and noise variance) are re-fitted by ML-II at every
tell only while there are at most ``REFIT_EVERY_STEP_UNTIL`` (30) points; after that, once
the data have grown by ``REFIT_FRACTION`` (10 %) since the last fit, i.e. every 4th point at
n = 40 and every 9th at n = 90 (see ``refit_due``).  Fitting less often as n grows is common
practice (e.g. GPyOpt's ``model_update_interval``): with dozens of points one more point
barely moves the ML-II optimum, and each fit warm-starts from the previous one anyway.
Measured over 100 seeds per landscape (``bayes`` alone, budget 800, landscape seed = race
seed): the same share of races reaching 95 % / 99 % of the optimum and the same median
regret as refitting every step (bumpy 0.91 vs 0.90 at 95 %), while svm-digits, whose cheap
ridge gives Bayes ~90 trials, spends ~25 % less time per race.

Several workers (issue 16): ``ask`` may be called for a free worker while other trials are
still running (pending, ``Strategy.start``). The choice then conditions on them with the
kriging believer (Ginsbourger, Le Riche & Carraro, "Kriging is well-suited to parallelize
optimization", in *Computational Intelligence in Expensive Optimization Problems*, Springer
2010): each pending point is given the GP's posterior mean there as a fantasy observation,
the GP is re-conditioned with its fitted hyperparameters (never fitted on fantasies), and
the acquisition is maximised as usual; the fantasies count as observations throughout
(the incumbent, the local candidates, ``MIN_GAP``, ``why``'s ``distance_to_best``), so a
pending point is never proposed again, and its fantasy's near-zero std makes its
neighbourhood unattractive. The initial design goes out first (one Latin-hypercube point
per worker while they last); if every initial point is pending and no result is in yet, a
free worker gets the Sobol candidate farthest from the pending points. With one worker
nothing is pending at a ``tell`` and every choice is exactly the sequential one.

Choosing with EI (issue 13).  The racer maximises log EI, not EI: the same maximiser, but EI
underflows to 0 (and its gradient with it) a few posterior std below the incumbent, where
log EI still ranks the candidates and can be climbed (LogEI: Ament, Daulton, Eriksson,
Balandat & Bakshy, "Unexpected Improvements to Expected Improvement for Bayesian
Optimization", NeurIPS 2023; ``acquisition.log_expected_improvement``). The margin ξ shrinks
as the model settles: it is ``xi`` × the scores' std × ``_settled``, the square of the GP's
mean posterior std over the Sobol candidates / its prior std (1 before the data; after 25
trials ~0.02 once a smooth peak is pinned down, ~0.1–0.25 while a bumpy square still hides
peaks). A fixed ξ explores well but cannot refine, or refines but sticks on bumpy's second
peak; measured with 50 seeds × 50 trials in bench/bench_peers.py's set-up (median regret
after 25 / 50 trials, share within 0.01 of the optimum on bumpy):

    fixed ξ = 0.01 (EI, before)     smooth 2e-4 / 1e-4    bumpy 0.04 / 4e-4, 1.00
    log EI, ξ = 0.003 × settled    smooth 6e-6 / 1e-6    bumpy 0.07 / 8e-5, 0.96
    log EI, ξ = 0.01 × settled     smooth 2e-5 / 2e-6    bumpy 0.01 / 3e-4, 1.00
    log EI, ξ = 0.03 × settled²    smooth 7e-6 / 1e-6    bumpy 0.003 / 2e-4, 0.98

The figures the app shows (``posterior_on``, ``why``'s ``value``) are EI itself with the same ξ.

Cost of a step (≈ 2.8 ms at n = 30–100 without a refit, 7.3 ms with one, on a busy shared
2-core machine where the former L-BFGS-B polish took 5.0 and 10.5 ms; it was quoted at
1–1.3 ms idle): the 1,024 Sobol candidates are scored through
``GaussianProcess.predict_fixed``, which extends k* and L⁻¹k* by one row per new point
between refits instead of re-solving; the top ``N_REFINE`` candidates are polished together
by ``POLISH_ITERATIONS`` (3) steps of projected gradient ascent on log EI
(``polish.polish``: one vectorised call per step, no scipy overhead), which land a median
4e-3 from where 200 steps would (the 64 local candidates around the incumbent do the fine
work near it); refits screen ``N_RESTARTS`` (4) random hyperparameter starts.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
from scipy.stats import qmc
from threadpoolctl import ThreadpoolController

from hpo_race.strategies.acquisition import (
    ACQUISITIONS,
    TITLES,
    acquire,
    log_expected_improvement,
    log_expected_improvement_and_grad,
)
from hpo_race.strategies.base import Strategy
from hpo_race.strategies.edge_prior import BoundaryPrior
from hpo_race.strategies.gp import KERNELS, GaussianProcess
from hpo_race.strategies.polish import polish
from hpo_race.strategies.schema import Setting

N_CANDIDATES = 1024  # scrambled Sobol points, fixed per strategy instance
N_LOCAL = 64  # extra candidates around the best point so far, redrawn each step
LOCAL_SCALE = 0.05
N_REFINE = 3  # best candidates polished (``polish.polish``)
POLISH_ITERATIONS = 3
N_RESTARTS = 4  # random hyperparameter starts screened per refit ...
RESTART_MAX_N = 30  # ... only while that is cheap
REFIT_EVERY_STEP_UNTIL = 30  # hyperparameters re-fitted at every tell up to this many points,
REFIT_FRACTION = 0.1  # then once the data have grown by this fraction since the last fit
SETTLE_POWER = 2  # ξ's factor is (mean posterior std / prior std)², see the module docstring
MIN_GAP = 1e-6  # never propose a point closer than this to an observed one
MAX_INITIAL = 100

_controller: ThreadpoolController | None = None


def _one_blas_thread() -> Any:
    """BLAS threads make small GP algebra ~15x slower on 2 cores; the controller is cached
    because a fresh ``threadpool_limits`` costs ~0.2 ms per call."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def refit_due(n: int, last: int) -> bool:
    """Whether the GP hyperparameters are re-fitted at n points (last fitted at ``last``).

    Every step while n ≤ ``REFIT_EVERY_STEP_UNTIL``, then once n has grown by
    ``REFIT_FRACTION`` of itself (every 4th point at n = 40, every 9th at n = 90).
    """
    return n <= REFIT_EVERY_STEP_UNTIL or n - last >= max(1, int(REFIT_FRACTION * n))


def _sobol(n: int, rng: np.random.Generator, dims: int = 2) -> np.ndarray:
    seed = int(rng.integers(2**32))
    try:
        engine = qmc.Sobol(dims, scramble=True, rng=np.random.default_rng(seed))
    except TypeError:  # scipy < 1.15 spells it ``seed``
        engine = qmc.Sobol(dims, scramble=True, seed=np.random.default_rng(seed))
    return engine.random(n)


def _r(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


class BayesStrategy(Strategy):
    """GP (Matérn 5/2 or RBF, ARD length scales fitted by ML-II) + EI / PI / UCB."""

    name = "bayes"
    title = "Bayesian optimisation"

    OPTIONS = (
        Setting(
            "n_initial",
            "int",
            5,
            "Initial random trials",
            "Latin-hypercube random trials before the model chooses",
            url="init",
            low=1,
            high=MAX_INITIAL,
            step=1,
            cli="init",
        ),
        Setting(
            "acquisition",
            "choice",
            "ei",
            "The acquisition function",
            "How the model scores a candidate: expected or probable improvement, or an "
            "optimistic bound",
            url="acq",
            choices=ACQUISITIONS,
            choice_labels=tuple(TITLES[a] for a in ACQUISITIONS),
        ),
        Setting(
            "xi",
            "float",
            0.03,
            "The EI/PI margin ξ",
            "How much better than the best so far a point must promise, in units of the "
            "scores' spread, shrinking as the model grows sure (larger explores more)",
            url="xi",
            low=0.0,
            high=10.0,
            step=0.01,
        ),
        Setting(
            "kappa",
            "float",
            2.0,
            "The UCB exploration weight κ",
            "mean + κ·std: larger explores more",
            url="kappa",
            low=0.0,
            high=100.0,
            step=0.1,
        ),
        Setting(
            "kernel",
            "choice",
            "matern52",
            "The kernel",
            "The GP's idea of smoothness",
            url="kernel",
            choices=KERNELS,
            choice_labels=("Matérn 5/2", "RBF"),
        ),
        Setting(
            "length_scale",
            "float",
            None,
            "A fixed length scale ℓ",
            "How far one observation informs its neighbours (fitted: learned from the data)",
            url="ls",
            low=GaussianProcess.LENGTH_BOUNDS[0],
            high=GaussianProcess.LENGTH_BOUNDS[1],
            none="fitted",
            log=True,
        ),
        Setting(
            "edge_prior",
            "flag",
            True,
            "The edge prior",
            "The model's prior belief that the best setting is not on the edge of a knob's "
            "range (off: a plain GP, which spends many trials on edges and corners)",
            url="edges",
        ),
    )

    def __init__(
        self, rng: np.random.Generator, budget: float, cost_model: Any, **options: Any
    ) -> None:
        super().__init__(rng, budget, cost_model, **options)
        opts = self.options
        n_initial, kernel, length_scale = opts["n_initial"], opts["kernel"], opts["length_scale"]
        self.n_initial = n_initial
        self.acquisition = opts["acquisition"]
        self.xi = opts["xi"]
        self.kappa = opts["kappa"]
        self.kernel = kernel
        self.edge_prior = opts["edge_prior"]
        prior = BoundaryPrior() if self.edge_prior else None
        d = self.dims
        self.gp = GaussianProcess(kernel, length_scale, dim=d, prior=prior)
        # Everything random is drawn here or in tell, from this strategy's own rng only.
        cols = [rng.permutation(n_initial) for _ in range(d)]
        self._initial = (np.column_stack(cols) + rng.random((n_initial, d))) / n_initial
        self._candidates = _sobol(N_CANDIDATES, rng, d)
        self._fit_rng = np.random.default_rng(int(rng.integers(2**63)))
        self._X = np.zeros((0, d))
        self._y = np.zeros(0)
        self._last_refit = 0  # number of points at the last hyperparameter fit
        self._settled = 1.0  # (mean posterior std over the square / prior std)² (``_propose``)
        self._next = self._initial[0].copy()
        self._why = self._initial_why()
        self._stale = False  # a start moved past _next: the next ask chooses again

    # -- ask / start / tell ------------------------------------------------------------------
    def ask(self) -> np.ndarray | None:
        """The point chosen for the next trial (a copy): the same until the next start/tell.

        Chosen in ``tell``; after a ``start`` (another worker took the last point) the first
        ``ask`` chooses again, conditioning on the pending points, and caches the choice.
        """
        self._refresh()
        return self._next.copy()

    def _started(self, theta: np.ndarray) -> None:
        self._stale = True

    def _refresh(self) -> None:
        if self._stale:
            self._next, self._why = self._choose()
            self._stale = False

    def tell(self, theta: np.ndarray, score: float) -> None:
        """Refit the GP (warm-started) and choose the next point, so ask/explain stay cheap."""
        theta = np.asarray(theta, float).reshape(self.dims)
        score = float(score)
        if not (np.all(np.isfinite(theta)) and math.isfinite(score)):
            raise ValueError(f"theta and score must be finite, got {theta}, {score}")
        self._finish(theta)
        self._X = np.vstack([self._X, theta])
        self._y = np.append(self._y, score)
        n = len(self._y)
        with _one_blas_thread():
            refit = refit_due(n, self._last_refit)
            restarts = N_RESTARTS if n <= RESTART_MAX_N else 0
            self.gp.fit(self._X, self._y, optimize=refit, n_restarts=restarts, rng=self._fit_rng)
            if refit:
                self._last_refit = n
        # With trials still pending the next ask chooses, knowing every result in by then.
        self._stale = True
        if not self.pending:
            self._refresh()

    def _choose(self) -> tuple[np.ndarray, dict[str, Any]]:
        """The next point given the observations and the pending points (module docstring)."""
        pending = self.pending_points()
        index = len(self._y) + len(pending)
        if index < self.n_initial:
            self._next = self._initial[index].copy()
            return self._next.copy(), self._initial_why()
        if len(self._y) == 0:
            return self._farthest(pending)
        with _one_blas_thread():
            if len(pending) == 0:
                return self._propose()
            return self._believe(pending)

    def _farthest(self, pending: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """No result in yet and the initial design all running: the Sobol candidate farthest
        from every pending point (a space-filling extra initial point; no randomness)."""
        d2 = np.square(self._candidates[:, None, :] - pending[None, :, :]).sum(axis=2)
        self._next = self._candidates[int(np.argmax(d2.min(axis=1)))].copy()
        why = {**self._initial_why(), "fill": "farthest", "pending": len(pending)}
        return self._next.copy(), why

    def _believe(self, pending: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """Kriging believer: propose as if every pending point had scored the GP's posterior
        mean there (fitted hyperparameters kept), so the acquisition drops around them and
        the proposal keeps ``MIN_GAP`` from each of them as from observations."""
        fantasy, _ = self.gp.predict(pending)
        real = self.gp, self._X, self._y
        believer = copy.copy(self.gp)
        believer._fixed = None  # its own predict_fixed cache: never touch the real one's
        X, y = np.vstack([self._X, pending]), np.append(self._y, fantasy)
        believer.fit(X, y, optimize=False)
        self.gp, self._X, self._y = believer, X, y
        try:
            point, why = self._propose()
        finally:
            self.gp, self._X, self._y = real
        return point, {**why, "pending": len(pending)}

    def state(self) -> dict[str, Any]:
        """Settings and fitted hyperparameters (variances in score units²) for the trace."""
        gp = self.gp
        return {
            "kernel": self.kernel,
            "acquisition": self.acquisition,
            "xi": self.xi,
            "kappa": self.kappa,
            "n_initial": self.n_initial,
            "edge_prior": self.edge_prior,
            "length_scale_fitted": gp.fit_length_scale,
            "length_scale": [_r(v) for v in gp.length_scale],
            "signal_var": _r(gp.signal_var * gp.y_std**2),
            "noise_var": _r(gp.noise_var * gp.y_std**2),
        }

    # -- proposing ---------------------------------------------------------------------------
    def _acq(self, mean: np.ndarray, std: np.ndarray, grad: bool = False) -> Any:
        best = float(self._y.max())
        return acquire(self.acquisition, mean, std, best, self._margin(), self.kappa, grad)

    def _margin(self) -> float:
        """ξ in score units: the option times the scores' std times ``_settled``."""
        return self.xi * self.gp.y_std * self._settled

    def _rank(self, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
        """What the racer maximises: log EI for EI (the same maximiser, never underflowing,
        ``acquisition.log_expected_improvement``), else the acquisition itself."""
        if self.acquisition != "ei":
            return self._acq(mean, std)
        return log_expected_improvement(mean, std, float(self._y.max()), self._margin())

    def _rank_and_grad(self, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``_rank`` at the rows of P and its gradient in x (chain rule through μ and σ)."""
        mu, sd, dmu, dsd = self.gp.predict_with_grad(P)
        if self.acquisition == "ei":
            best = float(self._y.max())
            a, da_dmu, da_dsd = log_expected_improvement_and_grad(mu, sd, best, self._margin())
        else:
            a, da_dmu, da_dsd = self._acq(mu, sd, grad=True)
        return a, da_dmu[:, None] * dmu + da_dsd[:, None] * dsd

    def _too_close(self, P: np.ndarray) -> np.ndarray:
        X = self._X
        d2 = np.square(np.subtract.outer(P[:, 0], X[:, 0]))
        for k in range(1, X.shape[1]):
            d2 += np.square(np.subtract.outer(P[:, k], X[:, k]))
        return d2.min(axis=1) < MIN_GAP**2

    def _propose(self) -> tuple[np.ndarray, dict[str, Any]]:
        """argmax of the acquisition: dense candidates, then a gradient polish of the top few."""
        gp, n_sobol = self.gp, len(self._candidates)
        x_best = self._X[int(np.argmax(self._y))]
        local = x_best + LOCAL_SCALE * self.rng.standard_normal((N_LOCAL, self.dims))
        local = np.clip(local, 0.0, 1.0)
        cands = np.vstack([self._candidates, local])
        # The Sobol set is the same every step: its k* and L⁻¹k* grow by a row per point.
        mean_s, std_s = gp.predict_fixed(self._candidates)
        mean_l, std_l = gp.predict(local)
        mean, std = np.concatenate([mean_s, mean_l]), np.concatenate([std_s, std_l])
        prior_std = gp.y_std * math.sqrt(gp.signal_var)
        self._settled = min(1.0, float(np.mean(std_s)) / prior_std) ** SETTLE_POWER
        acq = self._rank(mean, std)
        flat = not float(np.ptp(acq)) > 1e-200  # e.g. PI underflowed: go where the model is unsure
        if flat:
            acq = std.copy()
        # Observed points have near-zero std so they rarely rank high: check only the leaders.
        order = np.argsort(-acq)[: 4 * N_REFINE + len(self._y)]
        top = order[~self._too_close(cands[order])][:N_REFINE]
        if len(top) == 0:  # pathological pile-up (e.g. local points clipped onto a corner)
            order = np.argsort(-acq)
            top = order[~self._too_close(cands[order])][:N_REFINE]
        point, p_mean, p_std = cands[top[0]], mean[top[0]], std[top[0]]
        if not flat:
            refined, r_acq = polish(self._rank_and_grad, cands[top], POLISH_ITERATIONS)
            r_acq[self._too_close(refined)] = -np.inf
            if np.max(r_acq) > acq[top[0]]:
                point = refined[int(np.argmax(r_acq))]
                (p_mean,), (p_std,) = gp.predict(point[None, :])
        p_mean, p_std = float(p_mean), float(p_std)
        value = float(self._acq(np.array([p_mean]), np.array([p_std]))[0])
        m_sobol, s_sobol = mean[:n_sobol], std[:n_sobol]
        why = self._model_why(
            point,
            p_mean,
            p_std,
            value,
            float(np.mean(m_sobol < p_mean)),
            float(np.mean(s_sobol < p_std)),
            float(np.linalg.norm(point - x_best)),
        )
        return point.copy(), why

    # -- explaining --------------------------------------------------------------------------
    def _initial_why(self) -> dict[str, Any]:
        return {
            "kind": "initial",
            "mode": "initial",
            "theta": [_r(v, 6) for v in self._next],
        }

    def _model_why(
        self,
        point: np.ndarray,
        mean: float,
        std: float,
        value: float,
        mean_rank: float,
        std_rank: float,
        dist: float,
    ) -> dict[str, Any]:
        exploit = mean_rank >= std_rank
        return {
            "kind": "model",
            "mode": "exploit" if exploit else "explore",
            "theta": [_r(v, 6) for v in point],
            "acquisition": self.acquisition,
            "value": _r(value),
            "mean": _r(mean),
            "std": _r(std),
            "mean_rank": round(mean_rank, 3),
            "std_rank": round(std_rank, 3),
            "distance_to_best": _r(dist, 3),
        }

    def explain_next(self) -> dict[str, Any]:
        """Why ``ask`` proposes what it does, as facts (computed in ``tell``); the app words
        them (``app.narration``). With trials pending, ``pending`` says how many points the
        choice conditioned on; an extra space-filling initial point (no result in yet, the
        initial design all running) has ``fill: "farthest"``.

        ``mean_rank`` / ``std_rank`` are the fractions of the candidate set with a lower
        posterior mean / std than the proposal; ``mode`` is "exploit" when its mean stands out
        at least as much as its uncertainty, else "explore" ("initial" before the model).
        """
        self._refresh()
        return dict(self._why)

    # -- what the model believes ------------------------------------------------------------
    def posterior_on(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Posterior mean, std (score units) and acquisition at arbitrary points, as arrays.

        What the model believes right now, for views that draw it (zeros of acquisition
        before the first observation, when there is nothing to improve on).
        """
        points = np.asarray(points, float).reshape(-1, self.dims)
        with _one_blas_thread():
            mean, std = self.gp.predict(points)
            acq = self._acq(mean, std) if len(self._y) else np.zeros(len(points))
        return mean, std, acq
