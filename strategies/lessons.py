"""Each landscape's lesson as a claim that races can check, and how often races bear it out.

A lesson such as "a smooth hill rewards a model that learns where to look next" is a claim
about two racers, and one race can go either way. ``CLAIMS`` names, per landscape, which two
racers the claim compares and how:

- ``"first"``: the winner reached 95 % of the optimum sooner, in GPU minutes
  (``summary.first_to_reach``; a racer that got there beats one that never did);
- ``"closer"``: the winner ended closer to the optimum (``summary.head_to_head``).

``tally`` counts, over compact races (``summary.compact_race`` or ``many.run_chunk``, the
records Many seeds is built from), the races that bore the claim out and those that went
against it; ``in_race`` is the same count for one race. The engine returns these facts only;
the app writes the sentences. The lesson's races are the Many seeds run with the page's
default seed and number of races (``LESSON_SEEDS``): the settings on screen, with seeds
0 … 29 whatever the race's own seed, so a whole lecture hall shares one computation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from hpo_race.strategies.settings import REPEATS, SEED
from hpo_race.strategies.summary import compact_race, first_to_reach, head_to_head

#: The seeds of a lesson's races: Many seeds from the default seed, the default count.
LESSON_SEEDS = range(SEED.default, SEED.default + REPEATS.default)
#: The share of the optimum a "first" claim races to (a key of the compact ``reach``).
TARGET = "0.95"


@dataclass(frozen=True)
class Claim:
    """``winner`` beats ``loser`` by ``kind`` ("first" to 95 %, or "closer" at the end)."""

    kind: Literal["first", "closer"]
    winner: str
    loser: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "winner": self.winner, "loser": self.loser}


#: The claim behind each landscape's lesson (landscapes without one state facts only).
CLAIMS: dict[str, Claim] = {
    "smooth": Claim("first", "bayes", "random"),
    "bumpy": Claim("closer", "bayes", "grid"),
    "one-knob": Claim("closer", "random", "grid"),
}


def claim_for(landscape: str) -> Claim | None:
    """The landscape's claim, or None for a landscape whose lesson is a plain fact."""
    return CLAIMS.get(landscape)


def missing_racers(claim: Claim, racers: Iterable[str]) -> list[str]:
    """The claim's racers that are not in this race (its lesson can't be checked without)."""
    present = set(racers)
    return [name for name in (claim.winner, claim.loser) if name not in present]


def tally(claim: Claim, records: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many of the compact races bore the claim out (``holds``) or went against it
    (``against``), with ``ties``, ``neither`` (no one reached the target: "first" only) and
    ``races``. The share behind the lesson is ``holds / races``."""
    records = list(records)
    if claim.kind == "first":
        count = first_to_reach(records, claim.winner, claim.loser, TARGET)
    else:
        count = {**head_to_head(records, claim.winner, claim.loser), "neither": 0}
    return {
        "holds": count["first"],
        "against": count["second"],
        "ties": count["ties"],
        "neither": count["neither"],
        "races": count["races"],
    }


def in_race(claim: Claim, trace: Mapping[str, Any]) -> dict[str, Any]:
    """What one race (a full trace) says of the claim: ``outcome`` is "holds", "against",
    "tie" or "neither", with each racer's minutes to the target (None if never) and final
    regret, so the app can say what happened on this seed."""
    record = compact_race(dict(trace))
    count = tally(claim, [record])
    outcome = next(
        word
        for key, word in (
            ("holds", "holds"),
            ("against", "against"),
            ("ties", "tie"),
            ("neither", "neither"),
        )
        if count[key]
    )
    facts = {
        name: {
            "minute": record["strategies"][name]["reach"][TARGET],
            "final_regret": record["strategies"][name]["final_regret"],
        }
        for name in (claim.winner, claim.loser)
    }
    return {**claim.as_dict(), "outcome": outcome, "racers": facts}
