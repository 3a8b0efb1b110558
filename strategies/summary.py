"""Statistics over many races: best-so-far on a common GPU-minute axis, and time to a target
(in GPU minutes, or on the wall clock when racers have several workers).

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


def wall_clock(trial: dict[str, Any]) -> float:
    """Wall-clock minute a trial's result came in: its ``end``, or with one worker (no
    ``end`` recorded) its ``clock``, as each trial then starts when the previous ends."""
    return float(trial.get("end", trial["clock"]))


def wall_minutes_to_reach(trials: Sequence[dict[str, Any]], target: float) -> float:
    """Wall-clock minutes until the best score first reached ``target`` (inf if never):
    time to a result, where ``minutes_to_reach`` is its cost in GPU minutes."""
    for trial in trials:  # listed in the order results came in: ``end`` never decreases
        if trial["best"] >= target:
            return wall_clock(trial)
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
        # Interpolating between a not-started race (−1e9) and a real score lands anywhere
        # from −1e9 to about −1e6 (weights are multiples of 1/(4·(n−1)), n ≤ 100): any such
        # value means the quartile still rests partly on a race that has not started.
        out.append([None if x < _NOT_STARTED / 1000 else round(float(x), 6) for x in col])
    return out[0], out[1], out[2]


def axis(budget: float) -> np.ndarray:
    """The common GPU-minute axis every race is sampled on: ``AXIS_POINTS`` from 0 to budget."""
    return np.linspace(0.0, float(budget), AXIS_POINTS)


def _reach(trials: Sequence[dict[str, Any]], optimum: float, clock: Any) -> dict[str, Any]:
    """Minutes (by ``clock``) until the best reached each target fraction (None if never)."""
    out = {}
    for t in TARGETS:
        at = clock(trials, t * optimum)
        out[f"{t:g}"] = at if np.isfinite(at) else None
    return out


def compact_strategy(
    trials: Sequence[dict[str, Any]], minutes: np.ndarray, optimum: float, *, wall: bool = False
) -> dict:
    """One strategy's race reduced to what a summary needs (JSON-able, exact floats).

    ``curve``: best-so-far at each minute of the axis (None before the first trial ends);
    ``reach``: minutes until the best reached each target fraction of ``optimum`` (None if
    never); ``final``: the last best score (None without trials); ``final_regret``:
    optimum − final (optimum without trials); ``trials``: how many ran. With ``wall`` (a
    race on several workers) also ``reach_wall``: the same on the wall clock.
    """
    curve = best_curve(trials, minutes)
    final = float(trials[-1]["best"]) if trials else None
    out = {
        "curve": [None if np.isnan(x) else float(x) for x in curve.tolist()],
        "reach": _reach(trials, optimum, minutes_to_reach),
        "final": final,
        "final_regret": optimum - final if trials else optimum,
        "trials": len(trials),
    }
    if wall:
        out["reach_wall"] = _reach(trials, optimum, wall_minutes_to_reach)
    return out


def compact_race(race: dict[str, Any], budget: float | None = None) -> dict[str, Any]:
    """A full race trace reduced to the compact form ``summarise_compact`` reads.

    ``{seed, landscape_seed, budget, optimum, strategies: {name: compact_strategy(...)}}``;
    ``budget`` defaults to the race's own. A race on several workers also gets wall-clock
    reach times (``reach_wall``).
    """
    budget = float(race["settings"]["budget"] if budget is None else budget)
    optimum = float(race["landscape"]["optimum"]["score"])
    minutes = axis(budget)
    wall = race["settings"].get("workers", 1) > 1
    return {
        "seed": race["settings"]["seed"],
        "landscape_seed": race["settings"]["landscape_seed"],
        "budget": budget,
        "optimum": optimum,
        "strategies": {
            name: compact_strategy(result["trials"], minutes, optimum, wall=wall)
            for name, result in race["strategies"].items()
        },
    }


def summarise(races: Sequence[dict[str, Any]], budget: float) -> dict[str, Any]:
    """Median and quartiles of best-so-far, and reach times, per strategy across races.

    Scores are taken as a fraction of each race's own optimum when the landscape seed varies
    (so races on different layouts are comparable); ``relative`` says which is used.
    Computed from ``compact_race`` of every race, exactly as ``summarise_compact`` does.
    """
    return summarise_compact([compact_race(r, budget) for r in races])


def summarise_compact(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``summarise`` from compact races (``compact_race`` or ``strategies.many.run_chunk``).

    The results may have come back from a browser: they are checked first (``check_compact``,
    ValueError if malformed). Gives exactly the numbers ``summarise`` gives for the same races.
    """
    check_compact(results)
    budget = float(results[0]["budget"])
    optima = [float(r["optimum"]) for r in results]
    relative = len(set(optima)) > 1
    minutes = axis(budget)
    summary: dict[str, Any] = {}
    for name in results[0]["strategies"]:
        rows = [r["strategies"][name] for r in results]
        curves = np.array([row["curve"] for row in rows], dtype=float)  # None -> NaN
        if relative:
            curves = curves / np.array(optima)[:, None]
        regrets = [float(row["final_regret"]) for row in rows]
        q1, median, q3 = _quantiles(curves)
        summary[name] = {
            "minutes": [round(float(m), 4) for m in minutes],
            "median": median,
            "q1": q1,
            "q3": q3,
            "relative": relative,
            "reach": _reach_summary([row["reach"] for row in rows]),
            "median_final_regret": round(float(np.median(regrets)), 6),
        }
        if "reach_wall" in rows[0]:  # races on several workers (check_compact: all or none)
            summary[name]["reach_wall"] = _reach_summary([row["reach_wall"] for row in rows])
    return summary


#: Final regrets closer than this are a tie (scores are recorded to 6 decimals).
TIE = 1e-9


def head_to_head(results: Sequence[dict[str, Any]], first: str, second: str) -> dict[str, int]:
    """In how many of the (compact) races each of two racers ended closer to the optimum.

    A race is won by the lower final regret (``optimum − final best``); regrets within
    ``TIE`` are a tie. ``{"first": wins, "second": wins, "ties": n, "races": n}``: the share
    behind a lesson such as "random search beats grid search with more knobs" is
    ``second / races``, for the settings those races were run with.
    """
    check_compact(results)
    out = {"first": 0, "second": 0, "ties": 0, "races": len(results)}
    for race in results:
        a = float(race["strategies"][first]["final_regret"])
        b = float(race["strategies"][second]["final_regret"])
        out["ties" if abs(a - b) <= TIE else "first" if a < b else "second"] += 1
    return out


def first_to_reach(
    results: Sequence[dict[str, Any]],
    first: str,
    second: str,
    target: str = "0.95",
    *,
    wall: bool = False,
) -> dict[str, int]:
    """In how many (compact) races each of two racers reached ``target`` of the optimum
    first, in GPU minutes or with ``wall`` on the wall clock (races on several workers).

    A racer that got there wins against one that never did; equal minutes are a tie; races
    where neither got there are counted apart. ``{"first", "second", "ties", "neither",
    "races"}``: on k GPUs, the share behind "the Bayesian racer still gets a result first".
    """
    check_compact(results)
    key = "reach_wall" if wall else "reach"
    out = {"first": 0, "second": 0, "ties": 0, "neither": 0, "races": len(results)}
    for race in results:
        a = _inf_if_none(race["strategies"][first][key][target])
        b = _inf_if_none(race["strategies"][second][key][target])
        if a == b:
            out["neither" if np.isinf(a) else "ties"] += 1
        else:
            out["first" if a < b else "second"] += 1
    return out


def _reach_summary(reaches: Sequence[dict[str, float | None]]) -> dict[str, dict[str, Any]]:
    """Median minutes to each target over the races (None if under half got there), share."""
    out = {}
    for t in TARGETS:
        times = [_inf_if_none(r[f"{t:g}"]) for r in reaches]
        out[f"{t:g}"] = {
            "median_minutes": _finite_or_none(np.median(times)),
            "share": round(float(np.mean(np.isfinite(times))), 4),
        }
    return out


#: At most this many races in one summary (the runner's repeat limit).
MAX_RACES = 100


def _number(x: Any, what: str, *, none: bool = False, low: float = -np.inf) -> None:
    if x is None and none:
        return
    if isinstance(x, bool) or not isinstance(x, int | float) or not np.isfinite(x) or x < low:
        raise ValueError(f"compact race: {what} must be a finite number, got {x!r}"[:200])


def check_compact(results: Any) -> None:
    """Refuse anything that is not a list of compact races of one shape (ValueError).

    Checks types, finiteness, the curve length, the reach targets, one budget and one set of
    strategies, and at most ``MAX_RACES`` races: enough that forged data cannot crash or
    stall ``summarise_compact``.
    """
    if not isinstance(results, list | tuple) or not 1 <= len(results) <= MAX_RACES:
        raise ValueError(f"need a list of 1 to {MAX_RACES} compact races")
    targets = {f"{t:g}" for t in TARGETS}
    first = results[0]
    if not isinstance(first, dict) or not isinstance(first.get("strategies"), dict):
        raise ValueError("compact race: needs budget, optimum and strategies")
    names = list(first["strategies"])
    if not names or not all(isinstance(n, str) for n in names):
        raise ValueError("compact race: needs at least one strategy")
    for i, race in enumerate(results):
        if not isinstance(race, dict) or not isinstance(race.get("strategies"), dict):
            raise ValueError(f"compact race {i}: needs budget, optimum and strategies")
        _number(race.get("budget"), "budget", low=0.0)
        if race["budget"] != first["budget"]:
            raise ValueError("compact races must share one budget")
        _number(race.get("optimum"), "optimum")
        if list(race["strategies"]) != names:
            raise ValueError("compact races must have the same strategies")
        for name, row in race["strategies"].items():
            if not isinstance(row, dict):
                raise ValueError(f"compact race {i}: {name} is not a record")
            curve = row.get("curve")
            if not isinstance(curve, list) or len(curve) != AXIS_POINTS:
                raise ValueError(f"compact race {i}: {name} curve needs {AXIS_POINTS} points")
            for x in curve:
                _number(x, "a curve point", none=True)
            if ("reach_wall" in row) != ("reach_wall" in first["strategies"][names[0]]):
                raise ValueError("compact races must all have wall-clock reach times or none")
            for key in ("reach", "reach_wall"):
                if key == "reach_wall" and key not in row:
                    continue
                reach = row.get(key)
                if not isinstance(reach, dict) or set(reach) != targets:
                    raise ValueError(f"compact race {i}: {name} {key} needs {sorted(targets)}")
                for x in reach.values():
                    _number(x, "a reach time", none=True, low=0.0)
            _number(row.get("final_regret"), "final_regret")


def _inf_if_none(x: float | None) -> float:
    return float("inf") if x is None else float(x)


def _finite_or_none(x: float) -> float | None:
    return round(float(x), 4) if np.isfinite(x) else None
