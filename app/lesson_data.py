"""How often a landscape's lesson holds for the settings on screen, counted chunk by chunk.

The lesson's races are a Many seeds run (``app.model_data.many_chunk``): the race settings on
screen with the seeds ``strategies.lessons.LESSON_SEEDS`` (0 … 29) and one layout, whatever
the race's own seed. Its rows are the same cached rows Many seeds computes, so a student who
runs Many seeds from seed 0 meets them again, and a lecture hall on one link counts them once.
Each request computes at most one chunk (under the request cost cap) and says how far the
count has got; the page asks again until it is done. A request whose races another request is
computing answers at once and asks the page to come back (a hall of a hundred students on one
link never holds a hundred threads waiting for one count).
"""

from __future__ import annotations

from typing import Any

from hpo_race.app.heavy import BusyError
from hpo_race.app.lessons import lesson_sentence
from hpo_race.app.model_data import (
    WORK,
    cached_row,
    chunk_fit,
    chunk_limit,
    many_chunk,
    row_busy,
)
from hpo_race.app.work_limits import race_seconds
from hpo_race.strategies.lessons import LESSON_SEEDS, claim_for, missing_racers, tally

#: Seconds the page waits before asking again when the server was too busy to count.
RETRY_SECONDS = 2.0
#: Estimated seconds of races one lesson request computes: the count is background work,
#: so a heavy race asked for meanwhile waits at most this long for the pool.
CHUNK_SECONDS = 2.0


def lesson_run(settings: dict[str, Any]) -> dict[str, Any]:
    """The many-seeds run behind the lesson for these race settings (``check_request``)."""
    return {
        **settings,
        "seed": LESSON_SEEDS.start,
        "vary": False,
        "total": len(LESSON_SEEDS),
        "start": 0,
        "count": 1,
    }


def _counting(records: list[Any], retry: bool) -> dict[str, Any]:
    """The answer while the lesson's races are not all in; ``retry`` when the server was too
    busy to compute any now (the page asks again after ``RETRY_SECONDS``)."""
    done = sum(record is not None for record in records)
    answer = {"state": "counting", "done": done, "total": len(records)}
    return {**answer, "retry": RETRY_SECONDS} if retry else answer


def lesson_answer(settings: dict[str, Any]) -> dict[str, Any]:
    """``{"state": "none"}`` when the lesson is a plain fact or a racer it compares is not
    racing; ``{"state": "counting", "done", "total"}`` (plus ``retry`` seconds when the
    server was busy) while its races are computed; ``{"state": "done", "tally", "claim",
    "sentence"}`` once every race is in."""
    claim = claim_for(settings["landscape"])
    if claim is None or missing_racers(claim, settings["strategies"]):
        return {"state": "none"}
    run = lesson_run(settings)
    total = run["total"]
    records = [cached_row(run, i) for i in range(total)]
    missing = [i for i, record in enumerate(records) if record is None]
    if missing:
        start = missing[0]
        per_race = race_seconds(run)
        count = min(chunk_limit(run["budget"]), total - start, chunk_fit(per_race, CHUNK_SECONDS))
        if WORK.running() or any(row_busy(run, i) for i in range(start, start + count)):
            # the heavy pool is busy (a race or Many seeds someone waits for), or another
            # request counts these races: the lesson gives way, and never holds a thread
            return _counting(records, retry=True)
        try:
            chunk = many_chunk({**run, "start": start, "count": count})
        except BusyError:
            return _counting(records, retry=True)
        for k, record in enumerate(chunk["races"]):
            records[start + k] = record
        if any(record is None for record in records):
            return _counting(records, retry=False)
    count = tally(claim, records)
    return {
        "state": "done",
        "claim": claim.as_dict(),
        "tally": count,
        "sentence": lesson_sentence(claim.as_dict(), count),
    }


def run_lesson(settings: dict[str, Any]) -> dict[str, Any] | None:
    """The lesson's count over a whole Many seeds run (``check_many_request``'s settings)
    whose races are all cached, as the last chunk's answer carries it: ``{"claim", "tally",
    "sentence"}``, or None when the lesson is a fact, a racer it compares is absent, or a
    race of the run is no longer in the cache."""
    claim = claim_for(settings["landscape"])
    if claim is None or missing_racers(claim, settings["strategies"]):
        return None
    records = [cached_row(settings, i) for i in range(settings["total"])]
    if any(record is None for record in records):
        return None
    count = tally(claim, records)
    seeds = range(settings["seed"], settings["seed"] + settings["total"])
    return {
        "claim": claim.as_dict(),
        "tally": count,
        "sentence": lesson_sentence(claim.as_dict(), count, seeds),
    }
