"""Statistics over many races: best-so-far on a common GPU-minute axis, and time to a target.

One race can be luck; these are what the app's lessons and the tests rest on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

#: Fractions of the optimum whose reaching time is reported.
TARGETS = (0.9, 0.95, 0.99)
AXIS_POINTS = 101
_NOT_STARTED = -1e9


def best_curve(trials: Sequence[dict[str, Any]], minutes: np.ndarray) -> np.ndarray:
    """Best score so far at each minute on the axis (NaN before the first trial finishes)."""
    clocks = np.array([t["clock"] for t in trials], dtype=float)
    bests = np.array([t["best"] for t in trials], dtype=float)
    idx = np.searchsorted(clocks, minutes, side="right") - 1
    return np.where(idx >= 0, bests[np.maximum(idx, 0)] if len(bests) else np.nan, np.nan)


def minutes_to_reach(trials: Sequence[dict[str, Any]], target: float) -> float:
    """GPU minutes until the best score first reached ``target`` (inf if it never did)."""
    for trial in trials:
        if trial["best"] >= target:
            return float(trial["clock"])
    return float("inf")


def _quantiles(values: np.ndarray) -> tuple[list, list, list]:
    """Per-column quartiles; a race with no finished trial yet counts as the lowest score.

    That keeps each quartile curve non-decreasing (as every race's own curve is); a quartile
    that still falls on a not-yet-started race is reported as null.
    """
    filled = np.where(np.isnan(values), _NOT_STARTED, values)
    out = []
    for q in (25, 50, 75):
        col = np.percentile(filled, q, axis=0)
        out.append([None if x < _NOT_STARTED / 2 else round(float(x), 6) for x in col])
    return out[0], out[1], out[2]


def summarise(races: Sequence[dict[str, Any]], budget: float) -> dict[str, Any]:
    """Median and quartiles of best-so-far, and reach times, per strategy across races.

    Scores are taken as a fraction of each race's own optimum when the landscape seed varies
    (so races on different layouts are comparable); ``relative`` says which is used.
    """
    optima = [r["landscape"]["optimum"]["score"] for r in races]
    relative = len(set(optima)) > 1
    minutes = np.linspace(0.0, budget, AXIS_POINTS)
    summary: dict[str, Any] = {}
    for name in races[0]["strategies"]:
        curves, reach, regrets = [], {t: [] for t in TARGETS}, []
        for race, opt in zip(races, optima, strict=True):
            trials = race["strategies"][name]["trials"]
            curve = best_curve(trials, minutes)
            curves.append(curve / opt if relative else curve)
            for t in TARGETS:
                reach[t].append(minutes_to_reach(trials, t * opt))
            regrets.append(opt - trials[-1]["best"] if trials else opt)
        q1, median, q3 = _quantiles(np.array(curves))
        summary[name] = {
            "minutes": [round(float(m), 4) for m in minutes],
            "median": median,
            "q1": q1,
            "q3": q3,
            "relative": relative,
            "reach": {
                f"{t:g}": {
                    "median_minutes": _finite_or_none(np.median(reach[t])),
                    "share": round(float(np.mean(np.isfinite(reach[t]))), 4),
                }
                for t in TARGETS
            },
            "median_final_regret": round(float(np.median(regrets)), 6),
        }
    return summary


def _finite_or_none(x: float) -> float | None:
    return round(float(x), 4) if np.isfinite(x) else None
