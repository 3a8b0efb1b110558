"""Browser data: a landscape or a race trace as plain lists the page animates (no figures).

Nothing here computes scores: the landscape grid and the race come from the engine
(``landscapes`` and ``strategies.race``); this module converts unit coordinates to real knob
values, orders trials on the clock and writes their hover text. Every array is a plain list
(never numpy), because plotly 7 would otherwise encode it as base64.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from hpo_race.app.lessons import missing_sentence, race_check_sentence, summary_sentence
from hpo_race.app.narration import format_knob as narration_knob
from hpo_race.app.narration import why_text
from hpo_race.app.theme import STRATEGY_STYLE
from hpo_race.strategies.lessons import claim_for, in_race, missing_racers
from hpo_race.strategies.summary import wall_clock

#: Cells per side of the landscape heatmap: enough to read the shape, light on the wire.
HEATMAP_RESOLUTION = 60
#: A curve "gets there" once its best score reaches this share of the optimum.
TARGET_SHARE = 0.95
#: Probe marker size (px) of a full training run; Hyperband's early-stopped runs are smaller.
FULL_SIZE = 12.0


# ---------------------------------------------------------------- formatting helpers


def format_knob(value: float, log: bool) -> str:
    """A knob value for hover text, one digit finer than the narration's: 3.2e-3, 0.25, 38."""
    return narration_knob(value, log, digits=2)


def fidelity_label(fidelity: float) -> str:
    """A share of full training as a teacher says it: 1/27, 1/9, 1/3 (or a percentage)."""
    if fidelity > 0:
        inverse = 1.0 / fidelity
        if abs(inverse - round(inverse)) < 1e-6 and round(inverse) > 1:
            return f"1/{round(inverse)}"
    return f"{100 * fidelity:.0f}%"


def fidelity_size(fidelity: float) -> float:
    """Marker size of a run trained to this fidelity: 12 px in full, 2 px less per third."""
    if fidelity >= 1:
        return FULL_SIZE
    return round(max(5.0, FULL_SIZE + 2.0 * math.log(max(fidelity, 1e-9), 3)), 2)


def _round(values: Iterable[float], digits: int) -> list[float]:
    return [round(float(v), digits) for v in values]


def _real(knob: Any, units: Sequence[float]) -> list[float]:
    """Unit coordinates -> real knob values, 6 significant digits, as a plain list."""
    if len(units) == 0:
        return []
    reals = np.atleast_1d(knob.to_real(np.asarray(units, dtype=float)))
    return [float(f"{v:.6g}") for v in reals.tolist()]


# ---------------------------------------------------------------- browser data


def landscape_view(landscape: Any, resolution: int = HEATMAP_RESOLUTION) -> dict[str, Any]:
    """What the panels need about a landscape: knobs, a real-unit heatmap, the optimum."""
    u_axis, v_axis, z = landscape.grid(resolution)
    edges = np.linspace(0.0, 1.0, resolution + 1)
    ku, kv = landscape.knobs[:2]
    optimum = landscape.optimum
    z_list = [_round(row, 4) for row in np.asarray(z).tolist()]
    return {
        "name": landscape.name,
        "title": landscape.title,
        "description": landscape.description,
        "lesson": landscape.lesson,
        "seed": int(landscape.seed),
        "knobs": [k.as_dict() for k in landscape.knobs],
        "x_edges": _real(ku, edges),
        "y_edges": _real(kv, edges),
        "z": z_list,
        "zmin": round(float(np.min(z)), 4),
        "zmax": round(float(optimum.score), 4),
        "optimum": {
            "x": _real(ku, [optimum.theta[0]])[0],
            "y": _real(kv, [optimum.theta[1]])[0],
            "score": round(float(optimum.score), 4),
        },
    }


def _running_best_index(scores: Sequence[float]) -> list[int]:
    """Index of the best trial among the first i+1 (the earliest one on ties)."""
    out: list[int] = []
    best = 0
    for i, score in enumerate(scores):
        if score > scores[best]:
            best = i
        out.append(best)
    return out


def _knob_text(knob: Any, unit: float) -> str:
    return f"{knob.short or knob.name} = {format_knob(float(knob.to_real(unit)), knob.log)}"


def _hover(
    label: str, index: int, trial: Mapping[str, Any], knobs: Sequence[Any], why: str | None
) -> str:
    theta = trial["theta"]
    axes = " · ".join(_knob_text(k, u) for k, u in zip(knobs[:2], theta[:2], strict=True))
    text = f"<b>{label}</b> · trial {index + 1}<br>{axes}<br>"
    if len(knobs) > 2:  # the knobs off the axes, on a line of their own
        extra = zip(knobs[2:], theta[2:], strict=True)
        text += " · ".join(_knob_text(k, u) for k, u in extra) + "<br>"
    text += f"f(θ) = {trial['score']:.3f} · took {trial['cost']:.0f} GPU min"
    fidelity = trial.get("fidelity")
    if isinstance(fidelity, int | float) and fidelity < 1:  # Hyperband stopped it early
        text += f"<br>stopped early: {fidelity_label(float(fidelity))} of full training"
    if why:  # the Bayesian strategy explains each choice
        text += f"<br><i>{why[:160]}</i>"
    return text


def first_to_target(
    trace: Mapping[str, Any], order: Sequence[str], *, wall: bool = False
) -> dict[str, Any] | None:
    """The race's one rule for who wins: the first racer whose best so far reaches
    ``TARGET_SHARE`` of the optimum on the shared GPU-minute clock (cost), or with ``wall``
    on the wall clock (time to a result: when that trial's result came in, ``wall_clock``).

    The earliest minute wins and a tie goes to the earlier panel; None if nobody got there.
    The page's summary, its prediction, its live region and the exports all read this.
    With one worker per racer both clocks agree.
    """
    target = TARGET_SHARE * float(trace["landscape"]["optimum"]["score"])
    first: dict[str, Any] | None = None
    for name in order:
        result = trace["strategies"].get(name)
        if not result:
            continue
        for trial in result["trials"]:
            if float(trial["best"]) >= target:
                minute = wall_clock(trial) if wall else float(trial["clock"])
                if first is None or minute < first["minute"]:
                    first = {"strategy": name, "minute": minute}
                break
    return first


def best_found(trace: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any] | None:
    """Who ended with the highest best score (the earlier panel on a tie), and that score."""
    top: dict[str, Any] | None = None
    for name in order:
        trials = trace["strategies"].get(name, {}).get("trials") or []
        if trials and (top is None or float(trials[-1]["best"]) > top["best"]):
            top = {"strategy": name, "best": float(trials[-1]["best"])}
    return top


def distinct_pairs(trials: Sequence[Mapping[str, Any]]) -> int:
    """How many different (knob 1, knob 2) points the trials tried: what the panel's
    projection shows (a grid in 4 knobs stacks many trials on each of a few points)."""
    return len({(t["theta"][0], t["theta"][1]) for t in trials})


def race_view(trace: Mapping[str, Any], landscape: Any) -> dict[str, Any]:
    """The race as the animation plays it: per strategy, trials in real units, in clock order.

    With more than two knobs the panels show the projection onto the two axis knobs:
    ``x``/``y`` are the axis knobs, ``extra`` one list of real values per further knob
    (``knobs`` names all d, axes first), ``distinct`` the number of different axis points tried.
    """
    settings = trace["settings"]
    optimum = float(trace["landscape"]["optimum"]["score"])
    target = TARGET_SHARE * optimum
    knobs = landscape.knobs
    ku, kv = knobs[:2]
    workers = int(settings.get("workers", 1))
    strategies: dict[str, Any] = {}
    for name, result in trace["strategies"].items():
        trials = result["trials"]
        style = STRATEGY_STYLE.get(name)
        label = style.label if style else result.get("title", name)
        short = style.short if style else label
        best = [float(t["best"]) for t in trials]
        hit = next((i for i, b in enumerate(best) if b >= target), None)
        unreached = result.get("unreached") or []
        strategies[name] = {
            "title": label,
            "short": short,
            "x": _real(ku, [t["theta"][0] for t in trials]),
            "y": _real(kv, [t["theta"][1] for t in trials]),
            "score": [float(t["score"]) for t in trials],
            "clock": [float(t["clock"]) for t in trials],
            "best": best,
            "best_index": _running_best_index([float(t["score"]) for t in trials]),
            "text": [
                _hover(label, i, t, knobs, why_text(name, result, i)) for i, t in enumerate(trials)
            ],
            "hit": hit,
            "spent": float(result["spent"]),
            "stopped": result.get("stopped", ""),
            "ghost_x": _real(ku, [p[0] for p in unreached]),
            "ghost_y": _real(kv, [p[1] for p in unreached]),
            "shape": result.get("shape"),
        }
        if workers > 1:  # when each trial ran, and on which GPU (the panel's Gantt strip)
            strategies[name]["wall"] = [wall_clock(t) for t in trials]
            strategies[name]["start"] = [float(t["start"]) for t in trials]
            strategies[name]["worker"] = [int(t["worker"]) for t in trials]
        if len(knobs) > 2:
            strategies[name]["extra"] = [
                _real(knob, [t["theta"][k] for t in trials])
                for k, knob in enumerate(knobs)
                if k >= 2
            ]
            strategies[name]["distinct"] = distinct_pairs(trials)
        if any("good" in t for t in trials):  # TPE: its good/bad split at each proposal
            strategies[name]["good"] = [list(t.get("good", [])) for t in trials]
        if any("fidelity" in t for t in trials):  # Hyperband: runs stopped early
            fidelity = [float(t.get("fidelity", 1.0)) for t in trials]
            strategies[name]["fidelity"] = fidelity
            strategies[name]["size"] = [fidelity_size(f) for f in fidelity]
    clocks = [s["clock"][-1] for s in strategies.values() if s["clock"]]
    walls = [max(s["wall"]) for s in strategies.values() if s.get("wall")]
    view = {
        "landscape": settings["landscape"],
        "landscape_seed": settings["landscape_seed"],
        "budget": float(settings["budget"]),
        "seed": settings["seed"],
        "dims": len(knobs),
        "workers": workers,
        "knobs": [k.as_dict() for k in knobs],
        "end": max(clocks, default=0.0),
        "optimum": round(optimum, 6),
        "target": round(target, 6),
        "lesson": trace["landscape"].get("lesson", ""),
        "order": list(strategies),
        "strategies": strategies,
        "winner": first_to_target(trace, list(strategies)),
        # several GPUs: the race on the wall clock (time to a result) as well as on cost
        **(
            {
                "end_wall": max(walls, default=0.0),
                "winner_wall": first_to_target(trace, list(strategies), wall=True),
            }
            if workers > 1
            else {}
        ),
        "top": best_found(trace, list(strategies)),
    }
    view.update(lesson_facts(trace))
    check = view["lesson_check"]
    view["summary"] = summary_sentence(view) + (f" · {check['sentence']}" if check else "")
    return view


def lesson_facts(trace: Mapping[str, Any]) -> dict[str, Any]:
    """The landscape's lesson as a claim (``strategies.lessons``) and what this race says of
    it: ``lesson_claim`` (None for a lesson that is a plain fact), ``lesson_check`` (this
    race's outcome and its sentence) or ``lesson_missing`` (a racer it compares is absent)."""
    claim = claim_for(trace["settings"]["landscape"])
    if claim is None:
        return {"lesson_claim": None, "lesson_check": None, "lesson_missing": None}
    missing = missing_racers(claim, trace["strategies"])
    if missing:
        sentence = missing_sentence(claim.as_dict(), missing)
        return {"lesson_claim": claim.as_dict(), "lesson_check": None, "lesson_missing": sentence}
    check = in_race(claim, trace)
    return {
        "lesson_claim": claim.as_dict(),
        "lesson_check": {"outcome": check["outcome"], "sentence": race_check_sentence(check)},
        "lesson_missing": None,
    }
