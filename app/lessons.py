"""The race's verdict and the landscape's lesson in words, from the engine's facts.

Three kinds of sentence, each true of what it describes:

- ``summary_sentence``: who reached 95 % of the optimum first and who found the best, in the
  race on screen (``app.views.race_view``'s ``winner``, ``winner_wall`` and ``top``);
- ``race_check_sentence``: whether this race bore out its landscape's lesson
  (``strategies.lessons.in_race``), said plainly when it went against it;
- ``lesson_sentence``: how often the lesson held over the lesson's races for the settings on
  screen (``strategies.lessons.tally``), with a hedge ("usually") chosen from that share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from hpo_race.app.theme import STRATEGY_STYLE
from hpo_race.strategies.lessons import LESSON_SEEDS

#: Shares from which the lesson "almost always" / "usually" / "about as often as not" holds.
ALMOST_ALWAYS, USUALLY, HALF = 0.9, 0.6, 0.4


def minutes(value: float) -> str:
    """GPU minutes as the page writes them: whole, with thousands separators (as
    ``hpoDom.minutes``: halves round up)."""
    return f"{math.floor(value + 0.5):,}"


def summary_sentence(view: Mapping[str, Any]) -> str:
    """The status line at the end of a race: first to 95 % (on both clocks when the racers
    had several GPUs) and the best score found."""
    names = view["strategies"]
    first, top = view.get("winner"), view.get("top")
    wall = view.get("winner_wall") if view.get("workers", 1) > 1 else None
    if first:
        clock = "GPU minute" if wall else "minute"
        text = f"first to 95%: {names[first['strategy']]['short']}, {clock} "
        text += minutes(first["minute"])
    else:
        text = "nobody reached 95% of the optimum"
    if first and wall:
        text += (
            f" · on the wall clock: {names[wall['strategy']]['short']}, minute "
            f"{minutes(wall['minute'])}"
        )
    if top:
        text += f" · best: {names[top['strategy']]['short']}, {top['best']:.3f}"
    return f"Finished · {text}"


def short(name: str) -> str:
    """A racer's one-word name ("Bayesian"), as its panel and the status line write it."""
    style = STRATEGY_STYLE.get(name)
    return style.short if style else name


def _titles(claim: Mapping[str, Any]) -> tuple[str, str]:
    return short(claim["winner"]), short(claim["loser"])


def _claim_phrase(kind: str, winner: str, loser: str) -> str:
    if kind == "first":
        return f"{winner} got to 95% before {loser}"
    return f"{winner} ended closer to the optimum than {loser}"


def _at(minute: float | None) -> str:
    return f"minute {minutes(minute)}" if minute is not None else "never"


def race_check_sentence(check: Mapping[str, Any]) -> str:
    """What this race says of its landscape's lesson (``strategies.lessons.in_race``), as a
    clause of the summary: "as the lesson says, …", or plainly "against the lesson: …" when
    it went the other way."""
    win, lose = _titles(check)
    facts = check["racers"]
    a, b = facts[check["winner"]], facts[check["loser"]]
    outcome = check["outcome"]
    if check["kind"] == "first":
        if outcome == "neither":
            return f"neither {win} nor {lose} got to 95%"
        if outcome == "tie":
            return f"{win} and {lose} got to 95% at the same minute"
        if outcome == "holds":
            return f"as the lesson says, {win} got to 95% before {lose}"
        return f"against the lesson: {lose} got to 95% first ({win}: {_at(a['minute'])})"
    if outcome == "tie":
        return f"{win} and {lose} ended equally close to the optimum"
    if outcome == "holds":
        return f"as the lesson says, {win} ended closer than {lose}"
    return (
        f"against the lesson: {lose} ended closer ({b['final_regret']:.4f} below the optimum; "
        f"{win} {a['final_regret']:.4f})"
    )


def missing_sentence(claim: Mapping[str, Any], missing: list[str]) -> str:
    """Why the lesson can't be checked in this race: a racer it compares is not racing."""
    win, lose = _titles(claim)
    them = " and ".join(short(name) for name in missing)
    return f"It compares {win} with {lose}: add {them} to the race to check it."


def _hedge(share: float) -> str:
    if share >= ALMOST_ALWAYS:
        return "Almost always so"
    if share >= USUALLY:
        return "Usually so"
    if share >= HALF:
        return "So about as often as not"
    return "Not usually so"


def seeds_label(seeds: range = LESSON_SEEDS) -> str:
    """Which seeds the races had, as the sentence names them ("seeds 0–29", "seed 4")."""
    if len(seeds) == 1:
        return f"seed {seeds.start}"
    return f"seeds {seeds.start}–{seeds.stop - 1}"


def lesson_sentence(
    claim: Mapping[str, Any], count: Mapping[str, int], seeds: range = LESSON_SEEDS
) -> str:
    """How often the lesson held in the lesson's races on these settings, hedged by the
    share: "Usually so: Bayesian got to 95% before Random in 26 of 30 races on these
    settings (87%, seeds 0–29)."."""
    win, lose = _titles(claim)
    races, holds = count["races"], count["holds"]
    share = holds / races if races else 0.0
    text = (
        f"{_hedge(share)}: {_claim_phrase(claim['kind'], win, lose)} in {holds} of {races} "
        f"races on these settings ({math.floor(100 * share + 0.5)}%, {seeds_label(seeds)}"
    )
    if count.get("neither"):
        text += f"; in {count['neither']} neither got there"
    if count.get("ties"):
        text += f"; {count['ties']} {'tie' if count['ties'] == 1 else 'ties'}"
    return text + ")."
