"""The race in words: one short line per trial saying what a strategy did and why.

The engine reports facts (``why``: the Bayesian strategy's mode, acquisition and distances,
TPE's good/bad split, the rungs of successive halving and Hyperband); this module writes the
sentences. Nothing is canned per race: each one is assembled from the trial's θ (in the
knobs' real units), its score against the best so far and those facts.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hpo_race.strategies.acquisition import TITLES

SCORE_DIGITS = 3
#: How far a recorded fidelity (6 decimals) may be from the fraction it stands for.
ROUNDING = 5.01e-7


def format_knob(value: float, log: bool, digits: int = 1) -> str:
    """Real knob value as a person writes it: 3e-4 on log knobs, 0.25 on linear ones, and a
    whole number from 10 up on log knobs (a batch size of 38, not 4e1).

    ``digits`` significant digits on log knobs, one more on linear ones.
    """
    if log and value >= 10:
        return f"{value:.0f}"
    if log:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.{digits + 1}g}"


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


def share_of_run(fidelity: float | None) -> str:
    """A trial's fidelity in words: "1/27 of a run", "a full run" (None or 1 is a full run).

    Fidelities are recorded to 6 decimals (0.037037 for 1/27); a fraction that rounds to the
    recorded value is written (1/η^k first, as successive halving's rungs are), anything
    else as a percentage.
    """
    if fidelity is None or fidelity >= 1.0:
        return "a full run"
    if fidelity > 0:
        whole = round(1 / fidelity)  # successive halving's rungs are all 1/η^k
        if abs(1 / whole - fidelity) <= ROUNDING:
            return f"1/{whole} of a run"
    share = Fraction(fidelity).limit_denominator(100)
    if abs(float(share) - fidelity) <= ROUNDING:
        return f"{share.numerator}/{share.denominator} of a run"
    return f"{fidelity:.1%} of a run"


def _still_training(count: int) -> str:
    return f"{count} trial{'' if count == 1 else 's'} still training"


def bayes_reason(why: dict[str, Any], index: int, n_initial: int) -> str:
    """The Bayesian strategy's reason for its ``index``-th initial point (counted from 0) or
    for a model's choice, from the facts it recorded. On several GPUs: the points it spread
    out while its random starts all ran, and the trials it counted at their predicted
    scores (the kriging believer, strategies/bayes.py)."""
    pending = int(why.get("pending") or 0)
    if why["kind"] == "initial" and why.get("fill") == "farthest":
        return (
            f"no result in yet and its {n_initial} random starts all running: the point "
            f"farthest from the {_still_training(pending)}"
        )
    if why["kind"] == "initial":
        return f"initial random point {index + 1} of {n_initial}, before any model"
    acq = TITLES[why["acquisition"]]
    if why["mode"] == "exploit":
        near = why["distance_to_best"] < 0.1
        where = "near the best so far" if near else "where the predicted score is high"
        text = f"{acq} was highest here, exploiting {where}"
    else:
        text = f"{acq} was highest here, exploring where the model is unsure"
    if pending:
        text += f", with the {_still_training(pending)} counted at their predicted scores"
    return text


def _bayes_reason_of(result: dict[str, Any], index: int) -> str:
    """``bayes_reason`` for trial ``index`` of a result: initial points are numbered among
    the initial points before it (on several GPUs results come in out of order)."""
    trials = result["trials"]

    def initial(t: dict[str, Any]) -> bool:
        why = t.get("why") or {}
        return why.get("kind") == "initial" and not why.get("fill")

    ordinal = sum(1 for t in trials[:index] if initial(t))
    return bayes_reason(trials[index]["why"], ordinal, result["n_initial"])


def why_text(name: str, result: dict[str, Any], index: int) -> str | None:
    """The sentence a trial's ``why`` stands for, where the trace carries one as text."""
    why = result["trials"][index].get("why")
    if name != "bayes" or not why:
        return None
    return _bayes_reason_of(result, index)


def with_reasons(trace: dict[str, Any]) -> dict[str, Any]:
    """The trace with the sentence of each Bayesian ``why`` added as its ``text`` (in place).

    The page's exports and ``hpo-race simulate`` carry these sentences, as they always did.
    """
    for result in [trace, *trace.get("races", [])]:
        bayes = result.get("strategies", {}).get("bayes")
        for index, trial in enumerate(bayes["trials"] if bayes else []):
            if trial.get("why"):
                trial["why"]["text"] = why_text("bayes", bayes, index)
    return trace


def _tpe_reason(result: dict[str, Any], index: int) -> str:
    why = result["trials"][index]["why"]
    if why["kind"] == "startup":
        n = result.get("n_startup") or index + 1
        return f"random start {index + 1} of {n}, before TPE splits the trials into good and bad"
    k, n = why["n_good"], why["n_good"] + why["n_bad"]
    return f"TPE chose θ where good trials (top {k} of {n}) are dense and bad ones sparse"


def _halving_reason(result: dict[str, Any], index: int) -> str:
    why = result["trials"][index]["why"]
    run = share_of_run(why["fidelity"])
    if why["kind"] == "candidate":
        return (
            f"new candidate {why['position']} of {why['of']} in {run}, "
            "to weed out poor settings cheaply"
        )
    rungs = result.get("rungs") or []
    below = share_of_run(rungs[why["rung"] - 1][0]) if 0 < why["rung"] <= len(rungs) else None
    earlier = f"it scored {why['previous_score']:.{SCORE_DIGITS}f}"
    if below:
        earlier += f" in {below}"
    if why["kind"] == "full":
        return (
            f"a full run for finalist {why['position']} of {why['of']}, the only runs it "
            f"trains in full ({earlier})"
        )
    return (
        f"promoted to {run}: ranked {why['position']} of the {why['of']} kept from the rung "
        f"below ({earlier})"
    )


def _hyperband_reason(result: dict[str, Any], index: int) -> str:
    trials = result["trials"]
    trial = trials[index]
    run = share_of_run(trial.get("fidelity"))
    bracket = trial.get("bracket")
    where = f"bracket {bracket + 1}: " if bracket is not None else ""
    if trial.get("rung", 0) == 0:
        if run == "a full run":
            return f"{where}a new random candidate in a full run (this bracket never stops early)"
        return f"{where}a new random candidate in {run}, to weed out poor settings cheaply"
    # The same θ in the same bracket one rung down is the run it was promoted from.
    earlier = next(
        (
            t
            for t in reversed(trials[:index])
            if t.get("bracket") == bracket
            and t.get("rung") == trial["rung"] - 1
            and t["theta"] == trial["theta"]
        ),
        None,
    )
    said = ""
    if earlier is not None:
        said = (
            f" (it scored {earlier['score']:.{SCORE_DIGITS}f} in "
            f"{share_of_run(earlier.get('fidelity'))})"
        )
    return f"{where}promoted to {run} as one of its rung's best{said}"


def _reason(name: str, result: dict[str, Any], index: int) -> str:
    trial = result["trials"][index]
    why = trial.get("why")
    if name == "bayes" and why:
        return _bayes_reason_of(result, index)
    if name == "tpe" and why:
        return _tpe_reason(result, index)
    if name == "halving" and why:
        return _halving_reason(result, index)
    if name == "hyperband" and "rung" in trial:
        return _hyperband_reason(result, index)
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
        return f"a short run, {share_of_run(trial['fidelity'])}, to weed out poor settings cheaply"
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
