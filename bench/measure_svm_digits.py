"""Measure the svm-digits landscape and write ``landscapes/data/svm_digits.json``.

    .venv/bin/python bench/measure_svm_digits.py [--lattice 25] [--timing-repeats 3]

For every cell of a lattice over log10 C ∈ [-2, 4] × log10 γ ∈ [-6, 0] (unit coordinates
i/(n−1), edges included) it fits scikit-learn's ``SVC(C, gamma, kernel="rbf")`` on each of
the fixed 3 stratified folds of ``load_digits`` (``StratifiedKFold(3, shuffle=True,
random_state=0)``) and records the mean held-out accuracy and the fit time (per fold the
fastest of ``--timing-repeats`` fits, then the median over folds). One process, one BLAS
thread (``n_jobs`` is never used), so the timings are single-core and comparable.
Takes about 4–6 minutes on one core of a 2-core machine with the defaults.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from hpo_race.landscapes.svm_digits import (
    C_KNOB,
    DATA_FILE,
    FOLD_SEED,
    FOLDS,
    GAMMA_KNOB,
    LATTICE,
    lattice_axis,
)


def cv_data() -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """The digits data and the fixed 3-fold stratified split every cell is scored on."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import StratifiedKFold

    X, y = load_digits(return_X_y=True)
    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=FOLD_SEED).split(X, y))
    return X, y, folds


def measure_cell(
    C: float,
    gamma: float,
    data: tuple[np.ndarray, np.ndarray, list] | None = None,
    timing_repeats: int = 1,
) -> tuple[float, float]:
    """Mean CV accuracy and fit seconds of ``SVC(C, gamma)`` on the fixed folds.

    Fit seconds: for each fold the fastest of ``timing_repeats`` fits (timing spikes from a
    busy machine only ever add time), then the median over folds. The accuracy does not
    depend on the repeats: libsvm's SVC (without probability estimates) is deterministic.
    """
    from sklearn.svm import SVC

    X, y, folds = data if data is not None else cv_data()
    accuracies, seconds = [], []
    for train, test in folds:
        best = np.inf
        for _ in range(max(1, timing_repeats)):
            model = SVC(C=C, gamma=gamma, kernel="rbf")
            start = time.perf_counter()
            model.fit(X[train], y[train])
            best = min(best, time.perf_counter() - start)
        seconds.append(best)
        accuracies.append(float(np.mean(model.predict(X[test]) == y[test])))
    return float(np.mean(accuracies)), float(np.median(seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lattice", type=int, default=LATTICE)
    parser.add_argument("--timing-repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    args = parser.parse_args()

    import sklearn
    from threadpoolctl import threadpool_limits

    data = cv_data()
    axis = lattice_axis(args.lattice)
    cs, gammas = C_KNOB.to_real(axis), GAMMA_KNOB.to_real(axis)
    acc = np.zeros((args.lattice, args.lattice))
    secs = np.zeros_like(acc)
    start = time.perf_counter()
    with threadpool_limits(1):
        for i, c in enumerate(cs):
            for j, g in enumerate(gammas):
                acc[i, j], secs[i, j] = measure_cell(float(c), float(g), data, args.timing_repeats)
            print(
                f"C={c:9.3g}  acc {acc[i].min():.3f}–{acc[i].max():.3f}  "
                f"fit {secs[i].min() * 1e3:6.1f}–{secs[i].max() * 1e3:6.1f} ms  "
                f"[{time.perf_counter() - start:6.1f} s]",
                flush=True,
            )
    elapsed = time.perf_counter() - start
    machine = f"{platform.machine()} {platform.processor() or ''}"
    out = {
        "what": "3-fold CV accuracy and fit seconds of sklearn SVC(rbf) on load_digits",
        "axes": "accuracy[i][j]: C = C_values[i], gamma = gamma_values[j]; unit coord i/(n-1)",
        "C": {"low": C_KNOB.low, "high": C_KNOB.high, "log": True},
        "gamma": {"low": GAMMA_KNOB.low, "high": GAMMA_KNOB.high, "log": True},
        "C_values": [float(f"{c:.6g}") for c in cs],
        "gamma_values": [float(f"{g:.6g}") for g in gammas],
        "folds": FOLDS,
        "fold_seed": FOLD_SEED,
        "fold_split": f"StratifiedKFold({FOLDS}, shuffle=True, random_state={FOLD_SEED})",
        "timing": f"per fold fastest of {args.timing_repeats} fits, median over folds, 1 thread",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "machine": f"{machine} py{platform.python_version()}",
        "total_seconds": round(elapsed, 1),
        "accuracy": [[round(float(a), 6) for a in row] for row in acc],
        "fit_seconds": [[float(f"{s:.4g}") for s in row] for row in secs],
    }
    args.out.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1024:.1f} KB) in {elapsed:.0f} s")
    print(f"accuracy {acc.min():.4f}–{acc.max():.4f}; fit {secs.min():.4f}–{secs.max():.4f} s")


if __name__ == "__main__":
    main()
