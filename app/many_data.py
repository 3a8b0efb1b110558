"""A many-seeds run's answer to the page: a chunk of races, and the summary of the run so far.

The page asks for a run chunk by chunk (assets/many.js). Each answer computes one chunk
(``app.model_data.many_chunk``) and then summarises every race of the run up to it, read
from the machine's shared cache: the median and quartile bands and the reach table
(``strategies.summary.summarise_compact``), grid against random (``head_to_head``, the share
behind "with more knobs, random beats grid"), Bayesian against random on several GPUs
(``first_to_reach``), and on the last chunk the landscape's lesson. Every number the panel
shows is computed here, once, in Python; the page only draws it.

A race the cache no longer holds (evicted, or never computed because a forged request
skipped ahead) is never computed to fill the summary: the answer says how many leading
races are in (``done``) and the page asks again from there, so one request's work stays
bounded by its own chunk. Races past the chunk that are already cached (another student's
identical run, or an earlier and longer one) count too, so the page skips them.
"""

from __future__ import annotations

from typing import Any

from hpo_race.app.lesson_data import run_lesson
from hpo_race.app.model_data import cached_row, many_chunk
from hpo_race.strategies.summary import first_to_reach, head_to_head, summarise_compact

#: The head-to-head pairs the panel states (first, second): grid vs random, Bayes vs random.
GRID_RANDOM = ("grid", "random")
BAYES_RANDOM = ("bayes", "random")


def leading_rows(
    settings: dict[str, Any], chunk: dict[str, Any], upto: int
) -> list[dict[str, Any]]:
    """Races 0 … upto−1 of the run while every one of them is at hand (the chunk's own, or
    in the cache): the races the summary may count, without computing any."""
    first = chunk["start"]
    rows: list[dict[str, Any]] = []
    for i in range(upto):
        if first <= i < first + chunk["count"]:
            row = chunk["races"][i - first]
        else:
            row = cached_row(settings, i)
        if row is None:
            break
        rows.append(row)
    return rows


def run_facts(settings: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary of these leading races and the head-to-head counts the panel states."""
    if not rows:
        return {"summary": None, "optimum": None, "h2h": None, "gpus": None}
    racing = set(rows[0]["strategies"])
    h2h = head_to_head(rows, *GRID_RANDOM) if set(GRID_RANDOM) <= racing else None
    gpus = None
    if settings["workers"] > 1 and set(BAYES_RANDOM) <= racing:
        gpus = {
            "wall": first_to_reach(rows, *BAYES_RANDOM, "0.95", wall=True),
            "gpu": first_to_reach(rows, *BAYES_RANDOM, "0.95"),
        }
    return {
        "summary": summarise_compact(rows),
        "optimum": float(rows[0]["optimum"]),
        "h2h": h2h,
        "gpus": gpus,
    }


def many_answer(settings: dict[str, Any]) -> dict[str, Any]:
    """One chunk of a many-seeds run (``check_many_request``'s settings), answered with the
    summary of the run's leading races at hand (this chunk's, and any before or after it in
    the cache): ``done`` of them are counted, and the page asks for the next chunk from
    there; the answer that completes the run also carries the lesson."""
    chunk = many_chunk(settings)
    rows = leading_rows(settings, chunk, settings["total"])
    done = len(rows)
    answer = {
        "start": chunk["start"],
        "count": chunk["count"],
        "total": chunk["total"],
        "done": done,
        "minutes": chunk["minutes"],
        "seconds": chunk["seconds"],
        "next_count": chunk["next_count"],
        **run_facts(settings, rows),
    }
    if done == settings["total"]:
        answer["lesson"] = run_lesson(settings)
    return answer
