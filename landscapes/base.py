"""What a score landscape is: a pure, vectorised f(X[n,d]) -> scores[n] on the unit cube.

Every landscape maps θ ∈ [0,1]^d to a score that is *maximised* (think validation
accuracy). The unit coordinates stand for real knobs (e.g. learning rate on a log axis);
``Knob`` converts between them so the UI can label axes in real units. The first two knobs
are the axes the page draws; a d-knob landscape (d = 3 … 6) adds extra knobs
(``landscapes.extra_knobs``), and at d = 2 it is exactly the 2-knob landscape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize

from hpo_race.landscapes.cost import CostModel
from hpo_race.landscapes.fidelity import check_fidelity, expected_score, noise_sd

#: Side of the dense lattice used to locate (and test) each landscape's optimum.
OPTIMUM_GRID = 400
#: Score of an untrained model unless a landscape says otherwise (``extra["floor"]``): the
#: toy landscapes are all 0.1 + bumps, so 0.1 is their "nothing learned" level.
DEFAULT_FLOOR = 0.1


@dataclass(frozen=True)
class Knob:
    """One hyperparameter axis: unit coordinate 0..1 maps to ``low``..``high``."""

    name: str
    low: float
    high: float
    log: bool = False
    short: str = ""

    def to_real(self, unit: np.ndarray | float) -> np.ndarray | float:
        """Unit coordinate -> the knob's real value (geometric on log knobs)."""
        unit = np.asarray(unit, dtype=float)
        if self.log:
            return 10 ** (np.log10(self.low) + unit * (np.log10(self.high) - np.log10(self.low)))
        return self.low + unit * (self.high - self.low)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "low": self.low,
            "high": self.high,
            "log": self.log,
            "short": self.short or self.name,
        }


@dataclass(frozen=True)
class Optimum:
    """Where the landscape peaks: θ in the unit cube (one coordinate per knob) and the score."""

    theta: tuple[float, ...]
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"theta": [float(t) for t in self.theta], "score": float(self.score)}


@dataclass(frozen=True)
class Landscape:
    """A named, seeded score function plus everything the race and the UI need about it."""

    name: str
    title: str
    description: str
    knobs: tuple[Knob, ...]
    score_fn: Callable[[np.ndarray], np.ndarray]
    cost_model: CostModel
    seed: int = 0
    noise: float = 0.0
    lesson: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def dims(self) -> int:
        """How many knobs θ has (2 … 6): one unit coordinate per knob."""
        return len(self.knobs)

    def score(self, X: np.ndarray) -> np.ndarray:
        """Noise-free f(X) for X of shape (n, d) (or (d,)), vectorised."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if X.ndim != 2 or X.shape[1] != self.dims:
            raise ValueError(f"expected points of shape (n, {self.dims}), got {X.shape}")
        return self.score_fn(X)

    def observe(self, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """What a training run reports: f(X) plus seed-to-seed jitter of sd ``noise``."""
        y = self.score(X)
        if self.noise > 0:
            y = y + self.noise * rng.standard_normal(y.shape)
        return y

    def observe_at(self, X: np.ndarray, fidelity: float, rng: np.random.Generator) -> np.ndarray:
        """What a run stopped at ``fidelity`` r ∈ (0, 1] of full training reports.

        r = 1 is exactly ``observe`` (same value, same random draws). For r < 1 the expected
        score follows the learning curve in ``landscapes.fidelity`` from ``floor`` up to
        f(X), with noise of sd sqrt(noise² + (0.03·(1 − r))²), one normal draw per row.
        """
        r = check_fidelity(fidelity)
        if r == 1.0:
            return self.observe(X, rng)
        mean = expected_score(self.score(X), r, self.floor)
        sd = float(np.hypot(self.noise, noise_sd(r)))
        return mean + sd * rng.standard_normal(mean.shape)

    @property
    def floor(self) -> float:
        """Score of an untrained model (the learning curve's start): ``extra["floor"]``."""
        return float(self.extra.get("floor", DEFAULT_FLOOR))

    @property
    def seeded(self) -> bool:
        """Whether the landscape seed changes the layout (False for measured landscapes)."""
        return bool(self.extra.get("seeded", True))

    @property
    def optimum(self) -> Optimum:
        return find_optimum(self)

    def grid(self, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cell-centre axes and scores[v, u] on a resolution² lattice, for heatmaps.

        With more than two knobs it is the slice through the optimum: the extra knobs held
        at their best values, so the heatmap's peak is the landscape's.
        """
        axis = (np.arange(resolution) + 0.5) / resolution
        uu, vv = np.meshgrid(axis, axis)
        pts = np.column_stack([uu.ravel(), vv.ravel()])
        if self.dims > 2:
            rest = np.broadcast_to(self.optimum.theta[2:], (len(pts), self.dims - 2))
            pts = np.hstack([pts, rest])
        z = self.score(pts).reshape(resolution, resolution)
        return axis, axis, z

    def describe(self) -> dict[str, Any]:
        """JSON-serialisable facts for the race trace.

        Measured landscapes add ``"seeded": false`` and custom ones their ``"peaks"`` string;
        d-knob landscapes (d > 2) list d knobs and add ``"extra_knobs"`` (each extra knob's
        best unit value ``centre`` and importance ``weight``, ``landscapes.extra_knobs``); the
        2-knob descriptions are unchanged.
        """
        facts = {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "lesson": self.lesson,
            "seed": self.seed,
            "noise": self.noise,
            "knobs": [k.as_dict() for k in self.knobs],
            "optimum": self.optimum.as_dict(),
            "cost": self.cost_model.describe(),
        }
        if not self.seeded:
            facts["seeded"] = False
        if "peaks" in self.extra:
            facts["peaks"] = self.extra["peaks"]
        if "extra_knobs" in self.extra:
            facts["extra_knobs"] = self.extra["extra_knobs"]
        return facts


_OPTIMA: dict[tuple[str, int], Optimum] = {}
_OPTIMA_MAX = 256


def find_optimum(landscape: Landscape) -> Optimum:
    """Best point on a dense lattice, polished by L-BFGS-B (so it is ≥ every lattice value).

    A d-knob landscape (d > 2) starts instead from its 2-knob plane's optimum extended by
    the extra knobs' best values (where ``landscapes.extra_knobs`` puts the optimum) and
    polishes that in d dimensions. Cached per (name, seed, dims) in a bounded dict:
    landscapes are pure, so this is safe.
    """
    key = (landscape.name, landscape.seed, landscape.extra.get("cache_key", ""))
    if landscape.dims > 2:
        key = (*key, landscape.dims)
    if key in _OPTIMA:
        return _OPTIMA[key]
    if landscape.dims > 2:
        opt = _polished(landscape)
    else:
        opt = _lattice_optimum(landscape)
    if len(_OPTIMA) >= _OPTIMA_MAX:
        _OPTIMA.pop(next(iter(_OPTIMA)))
    _OPTIMA[key] = opt
    return opt


def _polished(landscape: Landscape) -> Optimum:
    """The plane's optimum extended by the extra knobs' centres, polished in d dimensions."""
    plane = find_optimum(landscape.extra["plane"])
    centres = [k["centre"] for k in landscape.extra["extra_knobs"]]
    start = np.array([*plane.theta, *centres])
    best = float(landscape.score(start[None, :])[0])
    res = minimize(
        lambda t: -float(landscape.score(t[None, :])[0]),
        start,
        method="L-BFGS-B",
        bounds=[(0.0, 1.0)] * landscape.dims,
    )
    if res.success and -res.fun > best:
        start, best = np.clip(res.x, 0.0, 1.0), float(-res.fun)
    return Optimum(tuple(float(t) for t in start), best)


def _lattice_optimum(landscape: Landscape) -> Optimum:
    """A 2-knob landscape's optimum: the best of a dense lattice, polished by L-BFGS-B."""
    n = OPTIMUM_GRID
    axis = np.linspace(0.0, 1.0, n)
    uu, vv = np.meshgrid(axis, axis)
    pts = np.column_stack([uu.ravel(), vv.ravel()])
    z = landscape.score(pts)
    start = pts[int(np.argmax(z))]
    best_theta, best = start, float(z.max())
    res = minimize(
        lambda t: -float(landscape.score(t[None, :])[0]),
        start,
        method="L-BFGS-B",
        bounds=[(0.0, 1.0), (0.0, 1.0)],
    )
    if res.success and -res.fun > best:
        best_theta, best = np.clip(res.x, 0.0, 1.0), float(-res.fun)
    return Optimum((float(best_theta[0]), float(best_theta[1])), best)


def check_noise(noise: Any) -> float:
    """Observation noise as a float: finite and not negative (its cap is a race setting,
    ``strategies.settings.NOISE``)."""
    if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise < 1e300:
        raise ValueError(f"noise must be a number ≥ 0, got {noise!r}")
    return float(noise)
