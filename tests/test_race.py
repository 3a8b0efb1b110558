"""The race runner: budget accounting, determinism, stream independence, trace schema."""

import json

import numpy as np
import pytest
from conftest import rerun

from hpo_race.landscapes import LANDSCAPES
from hpo_race.strategies import STRATEGIES
from hpo_race.strategies.race import MAX_BUDGET, run, run_many
from hpo_race.strategies.schema import SettingError

ALL = list(STRATEGIES)


@pytest.mark.parametrize("landscape", list(LANDSCAPES))
@pytest.mark.parametrize("budget", [20.0, 137.5, 800.0])
def test_no_strategy_ever_overspends(landscape, budget):
    trace = run(landscape, ALL, budget, seed=4, landscape_seed=2)
    for name, result in trace["strategies"].items():
        clocks = [t["clock"] for t in result["trials"]]
        costs = [t["cost"] for t in result["trials"]]
        assert result["spent"] <= budget, name
        assert all(c <= budget for c in clocks)
        # each cost is rounded to 4 decimals, so their sum drifts by at most n × 0.5e-4
        drift = max(1e-3, 0.5e-4 * len(costs))
        np.testing.assert_allclose(np.cumsum(costs), clocks, atol=drift)
        assert np.all(np.diff(clocks) > 0)


def test_the_same_settings_give_a_bit_identical_trace():
    # every racer, past each one's start-up trials (tests/test_recorded_races.py holds longer
    # races of every racer to their recorded digests)
    a = json.dumps(run("bumpy", ALL, 300, seed=9, landscape_seed=3), sort_keys=True)
    b = json.dumps(run("bumpy", ALL, 300, seed=9, landscape_seed=3), sort_keys=True)
    assert a == b
    c = json.dumps(run("bumpy", ALL, 300, seed=10, landscape_seed=3), sort_keys=True)
    assert a != c


def test_one_strategy_race_does_not_depend_on_who_else_races():
    together = run("smooth", ALL, 800, seed=5)["strategies"]["random"]
    alone = run("smooth", ["random"], 800, seed=5)["strategies"]["random"]
    assert together == alone


def test_trace_is_json_and_has_the_documented_keys():
    trace = json.loads(json.dumps(run("one-knob", ALL, 800, seed=1), allow_nan=False))
    assert set(trace["settings"]) >= {"landscape", "landscape_seed", "budget", "seed", "strategies"}
    land = trace["landscape"]
    assert land["name"] == "one-knob" and len(land["optimum"]["theta"]) == 2
    assert [set(k) >= {"name", "low", "high", "log"} for k in land["knobs"]] == [True, True]
    for result in trace["strategies"].values():
        best = -np.inf
        for t in result["trials"]:
            assert set(t) >= {"theta", "score", "cost", "clock", "best"}
            best = max(best, t["score"])
            assert t["best"] == pytest.approx(best)
    assert isinstance(trace["strategies"]["grid"]["unreached"], list)


def test_trace_replays_from_its_own_settings():
    trace = run("bumpy", ALL, 300, seed=2, landscape_seed=8)  # every racer past its start-up
    assert rerun(trace["settings"]) == trace


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"budget": -5}, "budget", "budget must be a number from 20 to 3000 GPU minutes"),
        ({"budget": MAX_BUDGET + 1}, "budget", "from 20 to 3000"),
        ({"budget": float("nan")}, "budget", "from 20 to 3000"),
        ({"seed": -1}, "seed", "seed must be a whole number from 0 to 2147483647"),
        ({"seed": 2.5}, "seed", "whole number"),
        ({"strategies": ["grid", "psychic"]}, "strategies", "different names from grid, random"),
        ({"strategies": []}, "strategies", "racers must be 1 to"),
        ({"strategies": ["grid", "grid"]}, "strategies", "different names"),
        ({"landscape": "everest"}, "landscape", "landscape must be one of smooth, bumpy"),
        ({"options": {"bayes": {"xi": 99}}}, "bayes.xi", "ξ must be a number from 0 to 10"),
        ({"options": {"nobody": {}}}, "nobody", "not racing"),
    ],
)
def test_bad_settings_are_refused_with_one_error_naming_the_field(kwargs, field, message):
    args = {"landscape": "smooth", "strategies": ALL, "budget": 800, "seed": 0, **kwargs}
    with pytest.raises(SettingError, match=message) as caught:
        run(**args)
    assert caught.value.field == field


def test_run_many_summarises_seed_range_with_ordered_quartiles():
    many = run_many("smooth", ["grid", "random"], 400, seed=3, repeats=6)
    assert [r["settings"]["seed"] for r in many["races"]] == list(range(3, 9))
    for summary in many["summary"].values():
        q1, med, q3 = (np.array(summary[k], dtype=float) for k in ("q1", "median", "q3"))
        ok = ~np.isnan(q1)
        assert np.all(q1[ok] <= med[ok] + 1e-12) and np.all(med[ok] <= q3[ok] + 1e-12)
        assert np.all(np.diff(med[~np.isnan(med)]) >= -1e-12)
        assert np.all(np.isnan(q1[np.isnan(med)]))
        assert 0 <= summary["reach"]["0.95"]["share"] <= 1
    with pytest.raises(ValueError, match="number of races must be a whole number from 1 to 100"):
        run_many("smooth", ["grid"], 400, repeats=0)


def test_the_race_caps_noise_and_seeds_with_the_settings_table():
    """The landscapes refuse only what cannot be built; a race's caps are the table's."""
    from hpo_race.strategies.settings import LANDSCAPE_SEED, NOISE

    with pytest.raises(SettingError, match="noise must be a number from 0 to 0.2") as caught:
        run("smooth", ["random"], 100, 0, noise=NOISE.high * 2)
    assert caught.value.field == "noise"
    with pytest.raises(SettingError) as caught:
        run("smooth", ["random"], 100, 0, landscape_seed=LANDSCAPE_SEED.high + 1)
    assert caught.value.field == "landscape_seed"
