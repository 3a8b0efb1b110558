"""One short line per trial saying what a strategy just did and why, derived from the trace.

Nothing here is canned per race: each sentence is assembled from the trial's θ (in the
knobs' real units), its score against the best so far, and the strategy's own account of
its choice (the Bayesian strategy's ``why``, grid's lattice position, random's draw count).
"""

from __future__ import annotations

from typing import Any

SCORE_DIGITS = 3


def format_knob(value: float, log: bool) -> str:
    """Real knob value as a person writes it: 3e-4 on log knobs, 0.25 on linear ones."""
    if log:
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.2g}"


def knob_point(theta: list[float], knobs: list[dict[str, Any]]) -> str:
    """θ in the unit square as '(lr 3e-4, wd 1e-2)'."""
    parts = []
    for unit, knob in zip(theta, knobs, strict=True):
        if knob["log"]:
            lo, hi = knob["low"], knob["high"]
            value = lo * (hi / lo) ** unit
        else:
            value = knob["low"] + unit * (knob["high"] - knob["low"])
        parts.append(f"{knob.get('short') or knob['name']} {format_knob(value, knob['log'])}")
    return "(" + ", ".join(parts) + ")"


def _outcome(trials: list[dict[str, Any]], index: int) -> str:
    score = trials[index]["score"]
    before = trials[index - 1]["best"] if index > 0 else None
    if before is None:
        return f"scored {score:.{SCORE_DIGITS}f}, its first result"
    now, was = f"{score:.{SCORE_DIGITS}f}", f"{before:.{SCORE_DIGITS}f}"
    if score > before:
        return f"scored {now}, a new best" + (" by a hair" if now == was else f" (was {was})")
    if now == was:
        return f"scored {now}, a hair below its best"
    return f"scored {now}, below its best {was}"


def _reason(name: str, result: dict[str, Any], index: int) -> str:
    trial = result["trials"][index]
    why = trial.get("why")
    if why and why.get("text"):
        return why["text"]
    if name == "grid":
        shape = result.get("shape") or [0, 0]
        total = shape[0] * shape[1]
        return f"lattice point {index + 1} of {total}, in its fixed order whatever the scores"
    if name == "random":
        if index == 0:
            return "a uniform random draw"
        seen = "its 1 earlier result" if index == 1 else f"its {index} earlier results"
        return f"a uniform random draw, ignoring {seen}"
    if "fidelity" in trial:
        return f"a {trial['fidelity']:.2g} × shortened run to weed out poor settings cheaply"
    return "its next proposal"


def narrate_trial(trace: dict[str, Any], name: str, index: int) -> str:
    """What strategy ``name`` did at trial ``index`` and why, in one line."""
    result = trace["strategies"][name]
    trial = result["trials"][index]
    where = knob_point(trial["theta"], trace["landscape"]["knobs"])
    return f"probed {where}: {_reason(name, result, index)}; {_outcome(result['trials'], index)}"


def narrate_end(trace: dict[str, Any], name: str) -> str:
    """How strategy ``name``'s race ended: why it stopped and with what left over."""
    result = trace["strategies"][name]
    budget = trace["settings"]["budget"]
    left = budget - result["spent"]
    n = len(result["trials"])
    best = f"best {result['trials'][-1]['best']:.{SCORE_DIGITS}f}" if n else "no result"
    if result["stopped"] == "exhausted":
        why = f"finished its plan with {left:.0f} GPU minutes unused"
    elif result["stopped"] == "budget":
        why = f"stopped: the next trial would not fit in the last {left:.0f} GPU minutes"
    else:
        why = "stopped at the trial limit"
    unreached = len(result.get("unreached") or [])
    if unreached:
        why += f" ({unreached} lattice points never reached)"
    return f"{n} trials, {best}; {why}"


def narrate_trace(trace: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every line for every strategy: {name: {"trials": [line per trial], "end": line}}."""
    return {
        name: {
            "trials": [narrate_trial(trace, name, i) for i in range(len(result["trials"]))],
            "end": narrate_end(trace, name),
        }
        for name, result in trace["strategies"].items()
    }
