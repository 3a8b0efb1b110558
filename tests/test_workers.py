"""Races on k workers (issue 16, the engine): the wall-clock simulation's invariants, one
worker's traces unchanged, determinism, each racer's parallel form, the setting and the CLI."""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np
import pytest
from conftest import rerun
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recorded_races import digest
from sequential_traces import CASES, RECORD, trace_of
from test_cli import simulate_here

from hpo_race.landscapes import get_landscape
from hpo_race.strategies import STRATEGIES
from hpo_race.strategies.bayes import MIN_GAP
from hpo_race.strategies.many import run_chunk
from hpo_race.strategies.race import run, run_many
from hpo_race.strategies.registry import RACERS
from hpo_race.strategies.schema import SettingError
from hpo_race.strategies.settings import (
    WORKERS,
    check_race,
    from_query,
    table_spec,
    to_query,
)
from hpo_race.strategies.summary import (
    compact_race,
    minutes_to_reach,
    summarise_compact,
    wall_minutes_to_reach,
)

ALL = list(RACERS)
ROUNDING = 1e-3  # start, end, cost and clock are each rounded to 4 decimals
HALF_STEP = 5e-5  # the most one such rounding moves a number


def summed(n: int) -> float:
    """The most rounding can move a sum of n rounded costs and a rounded total."""
    return HALF_STEP * (n + 1) + 1e-9


# ---------------------------------------------------------------- the invariants


def check_invariants(result: dict, workers: int, budget: float) -> None:
    """Everything the runner promises about one racer's trials on ``workers`` workers."""
    trials = result["trials"]
    assert trials
    costs = np.array([t["cost"] for t in trials])
    assert costs.sum() <= budget + summed(len(costs)) and result["spent"] <= budget + HALF_STEP
    assert abs(result["spent"] - costs.sum()) <= summed(len(costs))
    clocks = [t["clock"] for t in trials]
    assert clocks == sorted(clocks)
    assert [t["best"] for t in trials] == list(np.maximum.accumulate([t["score"] for t in trials]))
    if workers == 1:
        assert not any({"start", "end", "worker"} & set(t) for t in trials)
        assert clocks == pytest.approx(np.cumsum(costs), abs=summed(len(costs)))
        return
    ends = [t["end"] for t in trials]
    assert ends == sorted(ends)  # listed in the order the results came in
    by_worker = defaultdict(list)
    for t in trials:
        assert 0 <= t["worker"] < workers
        assert t["end"] - t["start"] == pytest.approx(t["cost"], abs=ROUNDING)
        by_worker[t["worker"]].append(t)
    for runs in by_worker.values():  # no worker ever runs two trials at once
        runs.sort(key=lambda t: t["start"])
        assert all(b["start"] >= a["end"] for a, b in zip(runs, runs[1:], strict=False))
    for t in trials:
        # clock: the GPU minutes committed when the result came in (every trial started
        # before that moment, whole), which the wall clock can never exceed; a start within
        # rounding of that moment may fall on either side of it
        surely = [u["cost"] for u in trials if u["start"] < t["end"] - 2 * HALF_STEP]
        maybe = [u["cost"] for u in trials if u["start"] <= t["end"] + 2 * HALF_STEP]
        tol = summed(len(maybe))
        assert sum(surely) - tol <= t["clock"] <= sum(maybe) + tol
        assert t["end"] <= t["clock"] + tol


@pytest.mark.parametrize("dims", [2, 4])
@pytest.mark.parametrize("workers", [1, 4, 16])
def test_every_racer_keeps_every_promise_on_k_workers(workers, dims):
    budget = 400.0
    trace = run(
        "bumpy", ALL, budget, seed=workers + dims, landscape_seed=3, workers=workers, dims=dims
    )
    assert trace["settings"].get("workers", 1) == workers
    assert ("workers" in trace["settings"]) == (workers != 1)
    for name in ALL:
        result = trace["strategies"][name]
        check_invariants(result, workers, budget)
        assert all(len(t["theta"]) == dims for t in result["trials"]), name


def running_together(trials: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of trials whose runs overlap in time."""
    return [
        (a, b)
        for i, a in enumerate(trials)
        for b in trials[i + 1 :]
        if a["start"] < b["end"] and b["start"] < a["end"]
    ]


@pytest.mark.parametrize("workers", [4, 16])
def test_no_racer_runs_the_same_point_twice_at_once(workers):
    trace = run("smooth", ALL, 600.0, seed=5, landscape_seed=2, workers=workers)
    for name in ALL:
        pairs = running_together(trace["strategies"][name]["trials"])
        assert pairs, name  # there is parallelism to check
        assert all(a["theta"] != b["theta"] for a, b in pairs), name


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    workers=st.integers(2, 32),
    seed=st.integers(0, 2**31 - 1),
    budget=st.floats(20.0, 900.0),
    racer=st.sampled_from(["grid", "random", "hyperband", "halving"]),
    landscape=st.sampled_from(["smooth", "bumpy", "one-knob"]),
)
def test_the_promises_hold_for_any_workers_seed_and_budget(workers, seed, budget, racer, landscape):
    trace = run(landscape, [racer], budget, seed=seed, landscape_seed=seed % 7, workers=workers)
    result = trace["strategies"][racer]
    if result["trials"]:
        check_invariants(result, workers, budget)
    else:  # the very first trial did not fit
        assert result["spent"] == 0 and result["stopped"] == "budget"


# ---------------------------------------------------------------- one worker: unchanged


@pytest.mark.parametrize("case", list(CASES))
def test_one_worker_traces_are_the_ones_recorded_before_workers_existed(case):
    trace = trace_of(case, workers=1)
    assert "workers" not in trace["settings"]
    assert digest(trace) == json.loads(RECORD.read_text())[case]


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("workers", [2, 4, 16, 32])
def test_the_same_settings_give_the_same_trace_on_any_number_of_workers(workers):
    trace = run("bumpy", ALL, 300.0, seed=9, landscape_seed=1, workers=workers, noise=0.02)
    again = rerun(trace["settings"])  # from the recorded settings alone
    assert json.dumps(again) == json.dumps(trace)


def test_more_workers_change_the_wall_clock_not_what_grid_and_random_try():
    """Grid's and random search's points never depend on the scores: on 16 workers they try
    exactly what they try on one, in the same GPU minutes, sooner."""
    one, many = (run("smooth", ["grid", "random"], 800.0, seed=4, workers=k) for k in (1, 16))
    for name in ("grid", "random"):
        a, b = one["strategies"][name]["trials"], many["strategies"][name]["trials"]
        assert sorted(t["theta"] for t in a) == sorted(t["theta"] for t in b)
        assert one["strategies"][name]["spent"] == pytest.approx(many["strategies"][name]["spent"])
        assert b[-1]["end"] < a[-1]["clock"] / 8


# ---------------------------------------------------------------- each racer's parallel form


@pytest.mark.parametrize("name", ["grid", "random", "bayes", "tpe"])
def test_grid_random_bayes_and_tpe_fill_every_free_worker_at_once(name):
    trials = run("smooth", [name], 800.0, seed=2, workers=16)["strategies"][name]["trials"]
    first = [t for t in trials if t["start"] == 0.0]
    assert sorted(t["worker"] for t in first) == list(range(16))


def drive_in_parallel(strategy, landscape, workers: int, trials: int, rng) -> list[np.ndarray]:
    """The runner's protocol without the runner: keep ``workers`` trials pending, end one at
    random each step; at each ask, check the point is not pending."""
    asked = []
    while len(asked) < trials:
        while len(strategy.pending) < workers and len(asked) < trials:
            theta = strategy.ask()
            assert np.array_equal(theta, strategy.ask())  # repeatable between state changes
            pending = strategy.pending_points()
            if len(pending):
                assert np.min(np.linalg.norm(pending - theta, axis=1)) >= MIN_GAP
            strategy.start(theta)
            asked.append(theta)
        theta, _ = strategy.pending[int(rng.integers(len(strategy.pending)))]
        strategy.tell(theta, float(landscape.score(theta)[0]))
    return asked


@pytest.mark.parametrize("dims", [2, 4])
@pytest.mark.parametrize("name", ALL)
def test_every_racer_keeps_ask_start_tell_with_trials_pending(name, dims):
    """Up to 4 trials pending, results told in a shuffled order: ask is repeatable until a
    start or a tell, a start moves it to another point (or to None: nothing to start until a
    result is in), and nothing pending is ever asked again while it is pending."""
    land = get_landscape("smooth", dims=dims)
    budget = 100.0 if name == "halving" else 300.0  # halving: a first rung of under 40
    strategy = STRATEGIES[name](np.random.default_rng(3), budget, land.cost_model, dims=dims)
    rng, told, waits = np.random.default_rng(4), 0, 0
    while told < 40:
        theta = strategy.ask()
        if theta is not None and len(strategy.pending) < 4:
            info = strategy.trial_info()
            assert np.array_equal(theta, strategy.ask()) and info == strategy.trial_info()
            assert not any(np.array_equal(theta, p) for p in strategy.pending_points())
            strategy.start(theta)
            assert not np.array_equal(theta, strategy.ask())
            continue
        if not strategy.pending:
            break  # done (grid's lattice, halving's schedule)
        waits += theta is None
        point, _ = strategy.pending[int(rng.integers(len(strategy.pending)))]
        strategy.tell(point, float(land.score(point)[0]))
        told += 1
    assert told == 40 or (strategy.ask() is None and name in ("grid", "halving"))
    if name in ("hyperband", "halving"):
        assert waits > 0  # synchronous rungs: workers wait while a rung drains


@pytest.mark.parametrize("dims", [2, 4])
def test_the_bayesian_racer_never_proposes_a_pending_point(dims):
    land = get_landscape("bumpy", dims=dims)
    bayes = STRATEGIES["bayes"](np.random.default_rng(1), 800.0, land.cost_model, dims=dims)
    asked = drive_in_parallel(bayes, land, 6, 30, np.random.default_rng(0))
    assert len({tuple(p) for p in asked}) == len(asked)


def test_the_bayesian_racer_conditions_on_pending_points_as_the_kriging_believer():
    trace = run("smooth", ["bayes"], 800.0, seed=3, workers=4)
    whys = [t["why"] for t in trace["strategies"]["bayes"]["trials"]]
    model = [w for w in whys if w["kind"] == "model"]
    assert model and all(1 <= w["pending"] <= 3 for w in model)  # 3 others still running
    sequential = run("smooth", ["bayes"], 800.0, seed=3)["strategies"]["bayes"]["trials"]
    assert not any("pending" in t["why"] for t in sequential)


def test_tpe_keeps_pending_trials_running_in_optuna_for_its_constant_liar():
    from optuna.trial import TrialState

    land = get_landscape("smooth")
    tpe = STRATEGIES["tpe"](np.random.default_rng(2), 800.0, land.cost_model, n_startup=3)
    assert tpe.sampler._constant_liar
    asked = drive_in_parallel(tpe, land, 4, 12, np.random.default_rng(1))
    states = [t.state for t in tpe.study.trials]
    assert states.count(TrialState.RUNNING) == len(tpe.pending) == 3  # one just ended
    done = [t for t in tpe.study.trials if t.state == TrialState.COMPLETE]
    assert len(done) == len(tpe.numbers) == 9
    for trial in done:  # each result was filed with the trial that proposed its θ
        theta = np.array([trial.params["x"], trial.params["y"]])
        assert trial.value == pytest.approx(float(land.score(theta)[0]))
    assert len({tuple(p) for p in asked}) == len(asked)


@pytest.mark.parametrize("name", ["halving", "hyperband"])
def test_halving_and_hyperband_run_each_rung_after_the_one_before_has_ended(name):
    trials = run("smooth", [name], 800.0, seed=6, workers=16)["strategies"][name]["trials"]
    key = (lambda t: (t["bracket"], t["rung"])) if name == "hyperband" else (lambda t: t["rung"])
    steps = sorted({key(t) for t in trials})
    assert len(steps) >= 3
    for a, b in zip(steps, steps[1:], strict=False):
        last_end = max(t["end"] for t in trials if key(t) == a)
        assert min(t["start"] for t in trials if key(t) == b) >= last_end
    # the idle workers are shown honestly: some free worker waits while a rung drains
    busy = sum(t["cost"] for t in trials)
    assert busy < 16 * max(t["end"] for t in trials)


def test_a_synchronous_rung_asks_nothing_while_its_runs_are_pending():
    land = get_landscape("smooth")
    halving = STRATEGIES["halving"](np.random.default_rng(0), 800.0, land.cost_model)
    rung = list(halving.members)
    for _ in rung:
        halving.start(halving.ask())
    assert halving.ask() is None and halving.trial_info() == {}
    for theta, _ in list(halving.pending):
        halving.tell(theta, float(land.score(theta)[0]))
    assert halving.rung == 1 and halving.ask() is not None


def test_the_model_view_refuses_a_race_on_workers_rather_than_replay_it_wrongly():
    from hpo_race.strategies.internals import bayes_internals

    with pytest.raises(ValueError, match="one GPU only"):
        bayes_internals(run("smooth", ["bayes"], 100.0, workers=2), resolution=4)
    assert bayes_internals(run("smooth", ["bayes"], 100.0), resolution=4)["frames"]


# ---------------------------------------------------------------- the clocks


def test_time_to_a_target_on_the_wall_clock_and_in_gpu_minutes():
    one = run("smooth", ["random"], 800.0, seed=1)["strategies"]["random"]["trials"]
    many = run("smooth", ["random"], 800.0, seed=1, workers=8)["strategies"]["random"]["trials"]
    target = 0.9 * max(t["best"] for t in one)
    assert wall_minutes_to_reach(one, target) == minutes_to_reach(one, target)
    assert wall_minutes_to_reach(many, target) < minutes_to_reach(many, target)
    assert wall_minutes_to_reach(many, 2.0) == float("inf")


# ---------------------------------------------------------------- the setting, links and CLI


@pytest.mark.parametrize("bad", [0, 33, 2.5, "4", True])
def test_workers_is_validated_like_every_setting(bad):
    with pytest.raises(SettingError) as err:
        check_race({"workers": bad})
    assert err.value.field == "workers" and WORKERS.label in str(err.value)


def test_a_link_carries_the_workers():
    settings_ = check_race({"workers": 8})
    assert settings_["workers"] == 8 and to_query(settings_)["workers"] == "8"
    read, problems = from_query({"workers": "8"})
    assert read["workers"] == 8 and not problems
    assert "workers" in {s["name"] for s in table_spec()["race"]}


def test_many_seeds_and_their_chunks_race_on_workers_alike():
    many = run_many("one-knob", ["grid", "random"], 300.0, seed=4, repeats=3, workers=4)
    assert all(r["settings"]["workers"] == 4 for r in many["races"])
    chunk = run_chunk("one-knob", ["grid", "random"], 300.0, seed=4, start=0, count=3, workers=4)
    assert chunk == [{"index": i, **compact_race(r)} for i, r in enumerate(many["races"])]


def test_simulate_races_on_workers(capsys):
    status, out, err = simulate_here(
        capsys, "--workers", "4", "--strategies", "grid,random", "--budget", "200"
    )
    assert status == 0, err
    trace = json.loads(out)
    assert trace["settings"]["workers"] == 4
    assert {t["worker"] for t in trace["strategies"]["random"]["trials"]} == {0, 1, 2, 3}


@pytest.mark.parametrize("value", ["0", "33", "two", "2.5"])
def test_simulate_refuses_bad_workers_in_one_line(capsys, value):
    status, out, err = simulate_here(capsys, "--workers", value)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "workers" in err.lower()


def test_many_seeds_on_workers_also_summarise_the_wall_clock():
    many = run_many("one-knob", ["random", "hyperband"], 400.0, seed=2, repeats=4, workers=8)
    for row in many["summary"].values():
        for target, gpu in row["reach"].items():  # the same races get there, on either clock
            assert row["reach_wall"][target]["share"] == gpu["share"]
    hyperband = many["summary"]["hyperband"]
    gpu, wall = hyperband["reach"]["0.9"], hyperband["reach_wall"]["0.9"]
    assert gpu["share"] == 1.0 and wall["median_minutes"] < gpu["median_minutes"]
    one = run_many("one-knob", ["random"], 400.0, seed=2, repeats=2)
    assert "reach_wall" not in one["summary"]["random"]
    records = [compact_race(r) for r in many["races"]]
    records[1]["strategies"]["random"].pop("reach_wall")
    with pytest.raises(ValueError, match="wall-clock"):
        summarise_compact(records)
