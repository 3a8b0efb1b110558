"""Many-seeds mode in chunks: chunks are the same races as one run_many, summaries match."""

from __future__ import annotations

import copy
import json

import pytest

from hpo_race.app.model_data import MAX_REPEATS, chunk_limit
from hpo_race.strategies.many import run_chunk
from hpo_race.strategies.race import run_many
from hpo_race.strategies.summary import (
    AXIS_POINTS,
    compact_race,
    head_to_head,
    summarise,
    summarise_compact,
)

SETTINGS = {"landscape": "bumpy", "strategies": ["grid", "random", "bayes"], "budget": 300.0}


@pytest.fixture(scope="module")
def many():
    return run_many(**SETTINGS, seed=7, repeats=7)


@pytest.fixture(scope="module")
def chunks():
    return [
        run_chunk(**SETTINGS, seed=7, start=start, count=count)
        for start, count in ((0, 3), (3, 3), (6, 1))
    ]


@pytest.mark.slow  # a 30-race run_many: seconds
def test_chunks_are_the_races_of_one_run_many(many, chunks):
    records = [r for chunk in chunks for r in chunk]
    assert [r["index"] for r in records] == list(range(7))
    for i, (record, race) in enumerate(zip(records, many["races"], strict=True)):
        assert record == {"index": i, **compact_race(race)}
        assert record["seed"] == 7 + i and record["landscape_seed"] == 0
    # a chunk out of order, alone, gives the same records
    assert run_chunk(**SETTINGS, seed=7, start=4, count=2) == records[4:6]


def test_summary_of_chunks_equals_run_many_summary_exactly(many, chunks):
    records = [r for chunk in chunks for r in chunk]
    assert summarise_compact(records) == many["summary"]
    # ... in any order, and after a trip through JSON (what a browser sends back)
    shuffled = json.loads(json.dumps(records[::-1]))
    assert summarise_compact(shuffled) == many["summary"]
    # a partial summary is the summary of the first races
    partial = run_many(**SETTINGS, seed=7, repeats=3)
    assert summarise_compact(records[:3]) == partial["summary"]


def test_record_shape_and_meaning(chunks):
    record = chunks[0][0]
    assert set(record) == {"index", "seed", "landscape_seed", "budget", "optimum", "strategies"}
    for row in record["strategies"].values():
        assert set(row) == {"curve", "reach", "final", "final_regret", "trials"}
        assert len(row["curve"]) == AXIS_POINTS
        assert row["curve"][0] is None  # no trial has finished at minute 0
        assert row["curve"][-1] == row["final"]
        assert row["final_regret"] == pytest.approx(record["optimum"] - row["final"])
        assert set(row["reach"]) == {"0.9", "0.95", "0.99"}
        reach = [row["reach"][k] for k in ("0.9", "0.95", "0.99")]
        finite = [m for m in reach if m is not None]
        assert finite == sorted(finite) and all(0 < m <= record["budget"] for m in finite)
    assert len(json.dumps(chunks[0])) < 12_000  # compact: a few KB per race


def test_varying_landscape_chunks_and_relative_summary():
    settings = {**SETTINGS, "budget": 200.0, "strategies": ["random", "bayes"]}
    many = run_many(**settings, seed=2, repeats=4, landscape_seed=10, vary_landscape=True)
    records = run_chunk(
        **settings, seed=2, start=0, count=2, landscape_seed=10, vary_landscape=True
    )
    records += run_chunk(
        **settings, seed=2, start=2, count=2, landscape_seed=10, vary_landscape=True
    )
    assert [r["landscape_seed"] for r in records] == [10, 11, 12, 13]
    assert summarise_compact(records) == many["summary"]
    assert many["summary"]["bayes"]["relative"] is True


def test_custom_landscape_and_options_in_chunks():
    peaks = "0.3,0.7,0.8,0.1;0.8,0.2,0.5,0.2"
    options = {"bayes": {"acquisition": "ucb", "kappa": 3.0}}
    settings = {"strategies": ["bayes"], "budget": 150.0, "options": options, "peaks": peaks}
    many = run_many("custom", **settings, seed=1, repeats=2)
    records = run_chunk("custom", **settings, seed=1, start=0, count=2)
    assert summarise_compact(records) == many["summary"]


def test_summarise_is_summarise_compact_of_compact_races(many):
    assert summarise(many["races"], SETTINGS["budget"]) == summarise_compact(
        [compact_race(r) for r in many["races"]]
    )


@pytest.mark.slow  # several run_many sweeps: seconds
def test_the_apps_chunk_sizes_split_run_many_exactly():
    # every chunk size a many-seeds request may ask for at this budget (app.model_data), over
    # enough races for at least two full chunks and a short last one
    settings = {"landscape": "bumpy", "strategies": ["grid", "random"], "budget": 2000.0}
    limit = chunk_limit(settings["budget"])
    total = min(2 * limit + 1, MAX_REPEATS)
    many = run_many(**settings, seed=3, repeats=total)
    want = [{"index": i, **compact_race(race)} for i, race in enumerate(many["races"])]
    for size in range(1, limit + 1):
        chunks = [
            run_chunk(**settings, seed=3, start=start, count=min(size, total - start))
            for start in range(0, total, size)
        ]
        assert [len(c) for c in chunks[:-1]] == [size] * (len(chunks) - 1)
        records = [r for chunk in chunks for r in chunk]
        assert records == want
        assert summarise_compact(records) == many["summary"]


def test_bad_chunks_are_refused():
    for start, count in ((-1, 2), (0, 0), (99, 2), (0, 101), (1.5, 2), (0, True)):
        with pytest.raises(ValueError, match="start|count"):
            run_chunk("smooth", ["grid"], 100.0, start=start, count=count)
    with pytest.raises(ValueError, match="largest seed"):
        run_chunk("smooth", ["grid"], 100.0, seed=2**31 - 2, start=0, count=3)
    with pytest.raises(ValueError, match="racers must be .* from grid, random"):
        run_chunk("smooth", ["nope"], 100.0)
    with pytest.raises(ValueError, match="vary_landscape"):
        run_chunk("smooth", ["grid"], 100.0, vary_landscape="yes")


def test_forged_compact_records_are_refused(chunks):
    good = chunks[0]
    assert summarise_compact(copy.deepcopy(good))

    def forged(edit):
        bad = copy.deepcopy(good)
        edit(bad)
        return bad

    cases = [
        [],
        "races",
        [good[0]] * 101,
        forged(lambda b: b[0].pop("optimum")),
        forged(lambda b: b[0].update(optimum=float("nan"))),
        forged(lambda b: b[1].update(budget=999.0)),
        forged(lambda b: b[0]["strategies"].pop("grid")),
        forged(lambda b: b[0]["strategies"]["grid"].update(curve=[0.5] * 3)),
        forged(lambda b: b[0]["strategies"]["grid"]["curve"].__setitem__(5, "x")),
        forged(lambda b: b[0]["strategies"]["grid"]["curve"].__setitem__(5, True)),
        forged(lambda b: b[0]["strategies"]["grid"]["reach"].pop("0.9")),
        forged(lambda b: b[0]["strategies"]["grid"]["reach"].update({"0.9": -1.0})),
        forged(lambda b: b[0]["strategies"]["grid"].update(final_regret=None)),
        forged(lambda b: b[0]["strategies"].update(grid=[1, 2])),
    ]
    for bad in cases:
        with pytest.raises(ValueError):
            summarise_compact(bad)


def test_head_to_head_counts_who_ended_closer_to_the_optimum(chunks):
    """Each race goes to the racer with the lower final regret; equal regrets are a tie."""
    records = [copy.deepcopy(r) for chunk in chunks for r in chunk]
    regrets = [(0.1, 0.2), (0.3, 0.05), (0.2, 0.2 + 1e-12), (0.4, 0.1), (0.0, 0.5)]
    for record, (grid, rand) in zip(records, regrets, strict=False):
        record["strategies"]["grid"]["final_regret"] = grid
        record["strategies"]["random"]["final_regret"] = rand
    got = head_to_head(records[: len(regrets)], "grid", "random")
    assert got == {"first": 2, "second": 2, "ties": 1, "races": 5}
    swapped = head_to_head(records[: len(regrets)], "random", "grid")
    assert swapped == {"first": 2, "second": 2, "ties": 1, "races": 5}
    with pytest.raises(ValueError):
        head_to_head([], "grid", "random")
