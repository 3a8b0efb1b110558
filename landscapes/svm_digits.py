"""``svm-digits``: a real landscape, measured rather than invented.

The score is the 3-fold cross-validated accuracy of scikit-learn's ``SVC`` (RBF kernel) on
scikit-learn's bundled ``load_digits`` data set (1,797 8×8 images of handwritten digits,
10 classes, raw pixel values 0–16, no download), over

    u = log-scaled C ∈ [1e-2, 1e4]       (regularisation: small C = a very soft margin)
    v = log-scaled γ ∈ [1e-6, 1e0]       (kernel width: large γ = each sample its own island)

It was measured once on a 25×25 lattice (unit coordinates i/24, so the lattice covers the
square's edges) by ``bench/measure_svm_digits.py`` (not part of the installed package:
scikit-learn is needed only to measure, never to race) with ``StratifiedKFold(3,
shuffle=True, random_state=0)``; the accuracies and the measured fit times of every cell are
stored in ``landscapes/data/svm_digits.json``. Between lattice points the score is a cubic
spline (``scipy.interpolate.RectBivariateSpline``, interpolating, s = 0) clipped to the range
of measured accuracies, so interpolation never invents an accuracy better (or worse) than one
that was measured. The shape is the classic one: a diagonal ridge of ≈ 0.99 accuracy where
γ ≈ 1e-3 (any C ≥ 1) bends down to small γ with large C, chance level (≈ 0.1–0.17) at small C
or large γ.

**Two knobs only**: with ``dims`` other than 2 ``build`` raises a ValueError (the data were
measured over C and γ alone). **The landscape seed is ignored**: this is one fixed data set,
so there is only one layout.
``get_landscape("svm-digits", seed)`` accepts any valid seed and always returns the same
landscape, reported with seed 0; ``extra["seeded"]`` is False so tests and the UI can tell.

Trial cost comes from the measured fit times (see ``MeasuredCostModel`` in
``landscapes/cost.py``): the log of the per-cell fit seconds is interpolated the same way,
and seconds are converted to GPU minutes by one constant chosen so that a trial at a
uniformly random θ costs ``EXPECTED_MINUTES`` (50/3 ≈ 16.7 min, the same average as the toy
landscapes' default cost model). The *shape* of the cost surface is measured; its unit is a
teaching choice (a CPU-second SVM fit stands in for a GPU training run).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.interpolate import RectBivariateSpline

from hpo_race.landscapes.base import Knob, Landscape
from hpo_race.landscapes.cost import MeasuredCostModel
from hpo_race.landscapes.extra_knobs import only_two_knobs

C_KNOB = Knob("C (regularisation)", 1e-2, 1e4, log=True, short="C")
GAMMA_KNOB = Knob("gamma (RBF kernel width)", 1e-6, 1e0, log=True, short="γ")
LATTICE = 25
FOLDS = 3
FOLD_SEED = 0
#: GPU minutes of an average trial (uniform θ): the toy landscapes' base·(1 + spread/3).
EXPECTED_MINUTES = 50.0 / 3.0
#: Chance accuracy on 10 balanced classes: what an untrained model scores (fidelity floor).
CHANCE = 0.1
DATA_FILE = Path(__file__).resolve().parent / "data" / "svm_digits.json"


def lattice_axis(n: int = LATTICE) -> np.ndarray:
    """Unit coordinates of the measured lattice along either knob: i/(n−1), edges included."""
    return np.linspace(0.0, 1.0, n)


@lru_cache(maxsize=1)
def load_table() -> dict[str, Any]:
    """The measured lattice: ``accuracy`` and ``fit_seconds`` as arrays indexed [i_C, j_γ]."""
    raw = json.loads(DATA_FILE.read_text())
    table = dict(raw)
    table["accuracy"] = np.array(raw["accuracy"], dtype=float)
    table["fit_seconds"] = np.array(raw["fit_seconds"], dtype=float)
    n = len(table["accuracy"])
    if table["accuracy"].shape != (n, n) or table["fit_seconds"].shape != (n, n):
        raise ValueError(f"{DATA_FILE.name}: expected square lattices")
    return table


@lru_cache(maxsize=1)
def _surfaces() -> tuple[RectBivariateSpline, RectBivariateSpline, float, float, float]:
    table = load_table()
    acc, secs = table["accuracy"], table["fit_seconds"]
    axis = lattice_axis(len(acc))
    acc_spline = RectBivariateSpline(axis, axis, acc, kx=3, ky=3, s=0)
    log_time = RectBivariateSpline(axis, axis, np.log(secs), kx=3, ky=3, s=0)
    # Mean interpolated fit time over a uniform θ, by the midpoint rule on 200² cells.
    mid = (np.arange(200) + 0.5) / 200
    uu, vv = np.meshgrid(mid, mid)
    mean_seconds = float(np.exp(log_time.ev(uu.ravel(), vv.ravel())).mean())
    return acc_spline, log_time, float(acc.min()), float(acc.max()), mean_seconds


def build(seed: int = 0, noise: float = 0.0, dims: int = 2) -> Landscape:
    """The svm-digits landscape; ``seed`` is accepted and ignored (one data set, one layout).

    It was measured over C and γ only, so ``dims`` must be 2 (a ValueError says so): a third
    knob would be an invented one on a measured landscape.
    """
    del seed
    only_two_knobs("svm-digits", dims, "it was measured over C and gamma")
    acc_spline, log_time, lo, hi, mean_seconds = _surfaces()
    scale = EXPECTED_MINUTES / mean_seconds

    def score(X: np.ndarray) -> np.ndarray:
        return np.clip(acc_spline.ev(X[:, 0], X[:, 1]), lo, hi)

    def seconds(X: np.ndarray) -> np.ndarray:
        X = np.clip(np.atleast_2d(np.asarray(X, dtype=float)), 0.0, 1.0)
        return np.exp(log_time.ev(X[:, 0], X[:, 1]))

    cost = MeasuredCostModel(
        seconds=seconds,
        scale=scale,
        average=EXPECTED_MINUTES,
        source="scikit-learn SVC fit seconds on digits (median of 3 folds), see svm_digits.json",
    )
    return Landscape(
        name="svm-digits",
        title="Real: SVM on digits",
        description=(
            "Measured 3-fold accuracy of an RBF support-vector machine on scikit-learn's "
            "handwritten digits, over C and gamma."
        ),
        knobs=(C_KNOB, GAMMA_KNOB),
        score_fn=score,
        cost_model=cost,
        seed=0,
        noise=noise,
        lesson="Real landscapes have ridges: the best gamma shifts with C, and over a third "
        "of the square is no better than guessing.",
        extra={"seeded": False, "floor": CHANCE, "data": DATA_FILE.name},
    )
