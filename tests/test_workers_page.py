"""The page's side of several GPUs (issue 16): requests, links and the race view carry the
workers; the view has both clocks and the first to 95% on each; many-seeds facts."""

from __future__ import annotations

import copy

import pytest

from hpo_race.app.model_data import race_entry, race_payload
from hpo_race.app.race_request import check_request
from hpo_race.app.views import first_to_target
from hpo_race.strategies.many import run_chunk
from hpo_race.strategies.schema import SettingError
from hpo_race.strategies.settings import check_race, from_query, to_query
from hpo_race.strategies.summary import first_to_reach, wall_clock

REQUEST = {"landscape": "smooth", "landscape_seed": 0, "budget": 400, "seed": 2}


def test_a_link_carries_the_gpus_and_refuses_nonsense():
    settings = check_race({"workers": 8})
    assert to_query(settings)["workers"] == "8"
    assert from_query(to_query(settings)) == (settings, [])
    for text in ("0", "33", "many", "2.5"):
        read, problems = from_query({"workers": text})
        assert read["workers"] == 1
        assert [(p["param"], p["fallback"]) for p in problems] == [("workers", "1")]


@pytest.mark.parametrize("bad", [0, 33, "8", 2.5, True, [4]])
def test_a_forged_number_of_gpus_gets_a_sentence(bad):
    with pytest.raises(SettingError, match="1 to 32"):
        check_request({**REQUEST, "workers": bad})


def test_the_view_has_both_clocks_and_the_first_to_95_on_each():
    settings = check_request({**REQUEST, "workers": 4})
    view = race_payload(settings)
    trace = race_entry(settings)["trace"]
    assert view["workers"] == 4
    for name, result in trace["strategies"].items():
        s = view["strategies"][name]
        assert s["wall"] == [wall_clock(t) for t in result["trials"]]
        assert s["start"] == [t["start"] for t in result["trials"]]
        assert s["worker"] == [t["worker"] for t in result["trials"]]
        assert s["wall"] == sorted(s["wall"]) and s["clock"] == sorted(s["clock"])
    assert view["end_wall"] == max(max(s["wall"]) for s in view["strategies"].values())
    assert view["winner"] == first_to_target(trace, view["order"])
    assert view["winner_wall"] == first_to_target(trace, view["order"], wall=True)
    # on the wall clock the first result comes sooner than on the GPU-minute clock
    assert view["winner_wall"]["minute"] < view["winner"]["minute"]


def test_one_gpu_keeps_the_view_as_it_was():
    view = race_payload(check_request(REQUEST))
    assert view["workers"] == 1
    assert "end_wall" not in view and "winner_wall" not in view
    assert all("wall" not in s for s in view["strategies"].values())


def test_first_to_reach_counts_wins_ties_and_misses():
    records = run_chunk("smooth", ["random", "bayes"], 300.0, 0, start=0, count=5, workers=4)
    times = [(10.0, 20.0), (30.0, 5.0), (None, 7.0), (8.0, 8.0), (None, None)]
    records = copy.deepcopy(records)
    for record, (a, b) in zip(records, times, strict=True):
        record["strategies"]["bayes"]["reach_wall"]["0.95"] = a
        record["strategies"]["random"]["reach_wall"]["0.95"] = b
    got = first_to_reach(records, "bayes", "random", wall=True)
    assert got == {"first": 1, "second": 2, "ties": 1, "neither": 1, "races": 5}
