"""Races with 3 to 6 knobs: the dims setting, the trace (version 2), grid's lattice,
determinism and the CLI."""

import json

import numpy as np
import pytest
from conftest import rerun
from test_cli import simulate_here

from hpo_race.landscapes import get_landscape
from hpo_race.strategies import STRATEGIES
from hpo_race.strategies.internals import bayes_internals
from hpo_race.strategies.many import run_chunk
from hpo_race.strategies.race import TRACE_VERSION, run, run_many
from hpo_race.strategies.registry import RACERS
from hpo_race.strategies.schema import SettingError
from hpo_race.strategies.settings import DIMS, check_race, decode_settings, from_query, to_query
from hpo_race.strategies.summary import compact_race

ALL = list(RACERS)


@pytest.mark.parametrize("dims", [2, 3, 4, 5, 6])
def test_every_racer_races_every_number_of_knobs_and_replays_from_its_settings(dims):
    trace = run("smooth", ALL, 300.0, seed=dims, landscape_seed=dims, dims=dims)
    assert len(trace["landscape"]["knobs"]) == dims
    assert ("dims" in trace["settings"]) == (dims != 2)
    for name in ALL:
        trials = trace["strategies"][name]["trials"]
        assert trials and all(len(t["theta"]) == dims for t in trials), name
    assert len(trace["strategies"]["bayes"]["length_scale"]) == dims  # one ARD scale per knob
    again = rerun(trace["settings"])
    assert json.dumps(again) == json.dumps(trace)
    assert decode_settings(trace["settings"])["dims"] == dims


def test_many_seeds_and_their_chunks_race_more_knobs_alike():
    many = run_many("one-knob", ["grid", "random"], 300.0, seed=4, repeats=3, dims=3)
    assert all(r["settings"]["dims"] == 3 for r in many["races"])
    chunk = run_chunk("one-knob", ["grid", "random"], 300.0, seed=4, start=0, count=3, dims=3)
    assert chunk == [{"index": i, **compact_race(r)} for i, r in enumerate(many["races"])]


def test_the_trace_version_says_theta_may_have_more_than_two_coordinates():
    assert TRACE_VERSION == 2
    assert run("smooth", ["random"], 100.0)["version"] == TRACE_VERSION


@pytest.mark.parametrize(("dims", "budget"), [(2, 800.0), (3, 800.0), (4, 800.0), (6, 3000.0)])
def test_grid_has_about_budget_to_the_one_over_d_values_per_knob(dims, budget):
    land = get_landscape("smooth", dims=dims)
    grid = STRATEGIES["grid"](np.random.default_rng(0), budget, land.cost_model, dims=dims)
    shape = np.array(grid.shape)
    trials = budget / land.cost_model.expected()
    assert land.cost_model.mean(grid.lattice).sum() <= budget
    assert len(grid.lattice) == np.prod(shape) and grid.lattice.shape[1] == dims
    assert np.ptp(shape) <= 1  # near-cubic
    assert abs(np.exp(np.mean(np.log(shape))) - trials ** (1 / dims)) < 1.0
    for k in range(dims):  # every knob's values are distinct cell centres
        values = np.unique(grid.lattice[:, k])
        np.testing.assert_allclose(values, (np.arange(shape[k]) + 0.5) / shape[k])


def test_grid_reports_its_values_per_knob_and_distinct_pairs():
    trace = run("one-knob", ["grid", "random"], 800.0, dims=4)
    grid = trace["strategies"]["grid"]
    a, b = grid["shape"][:2]
    assert len(grid["shape"]) == 4 and 2 <= min(grid["shape"]) <= max(grid["shape"]) <= 3
    assert grid["distinct_pairs"] == a * b
    pairs = {tuple(t["theta"][:2]) for t in grid["trials"]}
    assert len(pairs) <= a * b < len(grid["trials"])
    # random search tries a new pair with every trial
    random = trace["strategies"]["random"]["trials"]
    assert len({tuple(t["theta"][:2]) for t in random}) == len(random)
    assert "distinct_pairs" not in run("one-knob", ["grid"], 800.0)["strategies"]["grid"]


def test_grid_gives_a_single_middle_value_to_knobs_it_cannot_afford():
    land = get_landscape("smooth", dims=6)
    grid = STRATEGIES["grid"](np.random.default_rng(0), 800.0, land.cost_model, dims=6)
    assert min(grid.shape[:2]) >= 2 and 1 in grid.shape
    for k, n in enumerate(grid.shape):
        if n == 1:
            assert np.all(grid.lattice[:, k] == 0.5)


@pytest.mark.parametrize("bad", [1, 7, 3.5, "4", True])
def test_dims_is_validated_like_every_setting(bad):
    with pytest.raises(SettingError) as err:
        check_race({"dims": bad})
    assert err.value.field == "dims" and DIMS.label in str(err.value)


@pytest.mark.parametrize("landscape", ["svm-digits", "custom"])
def test_two_knob_landscapes_refuse_more_knobs_as_a_setting(landscape):
    raw = {"landscape": landscape, "dims": 3}
    if landscape == "custom":
        raw["peaks"] = "0.500,0.500,0.800,0.100"
    with pytest.raises(SettingError, match="2 knobs only") as err:
        check_race(raw)
    assert err.value.field == "dims"


def test_a_link_carries_the_number_of_knobs():
    settings = check_race({"dims": 4})
    query = to_query(settings)
    assert query["dims"] == "4"
    read, problems = from_query(query)
    assert read == settings and not problems


@pytest.mark.parametrize("landscape", ["svm-digits", "custom"])
def test_a_link_with_knobs_on_a_two_knob_landscape_says_so_and_races_two(landscape):
    query = {"landscape": landscape, "dims": "4"}
    if landscape == "custom":
        query["peaks"] = "0.5,0.5,0.9,0.2"
    read, problems = from_query(query)
    assert read["dims"] == 2
    (problem,) = problems
    assert problem["param"] == "dims" and problem["fallback"] == "2"
    assert "2 knobs only" in problem["why"]


@pytest.mark.parametrize("text", ["7", "1", "four", "4.5"])
def test_a_link_with_a_nonsense_number_of_knobs_falls_back_to_two(text):
    read, problems = from_query({"dims": text})
    assert read["dims"] == 2
    assert [p["param"] for p in problems] == ["dims"]


def test_simulate_races_more_knobs(capsys):
    status, out, err = simulate_here(
        capsys, "--dims", "4", "--strategies", "grid,random", "--budget", "200"
    )
    assert status == 0, err
    trace = json.loads(out)
    assert trace["settings"]["dims"] == 4 and len(trace["landscape"]["knobs"]) == 4
    assert all(len(t["theta"]) == 4 for t in trace["strategies"]["random"]["trials"])


@pytest.mark.parametrize(
    "args",
    [("--dims", "7"), ("--dims", "two"), ("--dims", "3", "--landscape", "svm-digits")],
    ids=["too-many", "not-a-number", "measured"],
)
def test_simulate_refuses_bad_dims_in_one_line(capsys, args):
    status, out, err = simulate_here(capsys, *args)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "knobs" in err.lower()


def test_the_model_view_replays_a_race_with_more_knobs_in_slices_through_the_best_point():
    trace = run("smooth", ["bayes"], 400.0, seed=3, dims=4)
    internals = bayes_internals(trace, resolution=8)
    trials = trace["strategies"]["bayes"]["trials"]
    assert internals["next"][:-1] == [t["theta"] for t in trials]
    assert internals["slice"][0] == [0.5, 0.5] and len(internals["slice"]) == len(trials) + 1
    for k in range(1, len(trials) + 1):
        best = max(trials[:k], key=lambda t: t["score"])  # the first of equals
        assert internals["slice"][k] == best["theta"][2:]
    assert all(len(f) == 64 for f in internals["frames"]["mean"])
    scales = internals["length_scale"]
    assert len(scales) == len(trials) + 1 and all(len(s) == 4 for s in scales)
    assert scales[-1] == trace["strategies"]["bayes"]["length_scale"]  # the race's last fit
    assert "slice" not in bayes_internals(run("smooth", ["bayes"], 100.0), resolution=8)
