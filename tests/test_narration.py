"""Narration lines are derived from the trace: they must agree with what the trace says."""

import re
from copy import deepcopy

import pytest

from hpo_race.app.narration import (
    bayes_reason,
    format_knob,
    knob_point,
    narrate_end,
    narrate_trace,
    share_of_run,
    why_text,
    with_reasons,
)
from hpo_race.strategies.race import run


@pytest.fixture(scope="module")
def trace():
    return run("smooth", ["grid", "random", "bayes"], 800, seed=3)


def test_one_line_per_trial_naming_the_probed_point_in_real_units(trace):
    lines = narrate_trace(trace)
    knobs = trace["landscape"]["knobs"]
    for name, result in trace["strategies"].items():
        assert len(lines[name]["trials"]) == len(result["trials"])
        for line, trial in zip(lines[name]["trials"], result["trials"], strict=True):
            assert line.startswith(f"probed {knob_point(trial['theta'], knobs)}:")
            assert f"scored {trial['score']:.3f}" in line
            assert "\n" not in line


def test_new_best_is_said_exactly_when_the_best_rises(trace):
    lines = narrate_trace(trace)
    for name, result in trace["strategies"].items():
        best = None
        for line, trial in zip(lines[name]["trials"], result["trials"], strict=True):
            rose = best is not None and trial["score"] > best
            assert ("a new best" in line) == rose, line
            best = trial["best"]


def test_bayes_lines_say_initial_then_why_the_acquisition_chose(trace):
    result = trace["strategies"]["bayes"]
    lines = narrate_trace(trace)["bayes"]["trials"]
    n_initial = sum(1 for t in result["trials"] if t["why"]["mode"] == "initial")
    assert n_initial == 5
    for line, trial in zip(lines, result["trials"], strict=True):
        mode = trial["why"]["mode"]
        if mode == "initial":
            assert "initial random point" in line
        else:
            assert "EI was highest here" in line
            assert ("exploiting" in line) == (mode == "exploit")
            assert ("exploring" in line) == (mode == "explore")


def test_grid_and_random_lines_count_from_the_trace(trace):
    lines = narrate_trace(trace)
    a, b = trace["strategies"]["grid"]["shape"]
    assert f"lattice point 3 of {a * b}" in lines["grid"]["trials"][2]
    assert "ignoring its 4 earlier results" in lines["random"]["trials"][4]


def test_end_line_says_why_the_race_stopped_and_what_was_left(trace):
    for name, result in trace["strategies"].items():
        line = narrate_end(trace, name)
        left = trace["settings"]["budget"] - result["spent"]
        assert line.startswith(f"{len(result['trials'])} trials")
        assert f"{left:.0f} GPU minutes" in line
        unreached = len(result.get("unreached") or [])
        assert (f"{unreached} lattice points never reached" in line) == (unreached > 0)


def test_knob_values_are_written_as_people_write_them():
    assert format_knob(0.0003, log=True) == "3e-4"
    assert format_knob(0.25, log=False) == "0.25"
    knobs = [
        {"name": "learning rate", "short": "lr", "low": 1e-5, "high": 1e-1, "log": True},
        {"name": "dropout", "short": "dropout", "low": 0.0, "high": 0.5, "log": False},
    ]
    assert knob_point([0.5, 0.5], knobs) == "(lr 1e-3, dropout 0.25)"
    assert re.fullmatch(r"\(lr \de-\d, dropout 0\.\d+\)", knob_point([0.1, 0.9], knobs))


# ---------------------------------------------------------------- TPE, halving, Hyperband

NEW_RACERS = ["tpe", "halving", "hyperband"]
#: (seed, options): several seeds, and η = 2 / 4 so the fractions are not all thirds.
NEW_RACES = [
    (1, {}),
    (2, {}),
    (5, {}),
    (4, {"halving": {"eta": 4}, "hyperband": {"eta": 2}, "tpe": {"n_startup": 4}}),
]


@pytest.fixture(scope="module", params=NEW_RACES, ids=lambda p: f"seed{p[0]}")
def new_trace(request):
    seed, options = request.param
    return run("smooth", NEW_RACERS, 800, seed=seed, options=options)


def words(fidelity):
    """The fraction a trial's fidelity stands for, worked out here independently."""
    if fidelity is None:
        return "a full run"
    return f"1/{round(1 / fidelity)} of a run"


def promoted_from(trials, index, same):
    """The earlier trial the run at ``index`` was promoted from: same θ, one rung down."""
    trial = trials[index]
    return next(
        t
        for t in reversed(trials[:index])
        if t["theta"] == trial["theta"] and t["rung"] == trial["rung"] - 1 and same(t)
    )


def test_fractions_of_a_run_are_written_in_words():
    assert share_of_run(0.037037) == "1/27 of a run"
    assert share_of_run(0.111111) == "1/9 of a run"
    assert share_of_run(0.333333) == "1/3 of a run"
    assert share_of_run(0.012346) == "1/81 of a run"
    assert share_of_run(0.003906) == "1/256 of a run"
    assert share_of_run(0.0625) == "1/16 of a run"
    assert share_of_run(0.5) == "1/2 of a run"
    assert share_of_run(0.666667) == "2/3 of a run"
    assert share_of_run(None) == "a full run"
    assert share_of_run(1.0) == "a full run"
    assert share_of_run(0.123456) == "12.3% of a run"


def test_tpe_lines_say_random_start_then_the_good_bad_split(new_trace):
    result = new_trace["strategies"]["tpe"]
    lines = narrate_trace(new_trace)["tpe"]["trials"]
    n_startup = result["n_startup"]
    assert n_startup == (4 if new_trace["settings"]["options"] else 10)
    kinds = [t["why"]["kind"] for t in result["trials"]]
    assert kinds == ["startup"] * n_startup + ["model"] * (len(kinds) - n_startup)
    for i, (line, trial) in enumerate(zip(lines, result["trials"], strict=True)):
        why = trial["why"]
        if why["kind"] == "startup":
            assert f"random start {i + 1} of {n_startup}" in line, line
            assert "dense" not in line
        else:
            # The trace's own facts: k good trials, the rest bad, all of them earlier.
            k = len(trial["good"])
            assert why["n_good"] == k and why["n_good"] + why["n_bad"] == i
            assert all(0 <= g < i for g in trial["good"])
            assert f"where good trials (top {k} of {i}) are dense and bad ones sparse" in line
            assert "random start" not in line


def test_halving_lines_tell_new_candidates_promotions_and_full_runs_apart(new_trace):
    result = new_trace["strategies"]["halving"]
    trials = result["trials"]
    lines = narrate_trace(new_trace)["halving"]["trials"]
    seen = set()
    for i, (line, trial) in enumerate(zip(lines, trials, strict=True)):
        why = trial["why"]
        seen.add(why["kind"])
        fraction = words(trial.get("fidelity"))
        assert why["rung"] == trial["rung"] and why["of"] == trial["candidates"]
        assert "×" not in line
        if why["kind"] == "candidate":
            assert trial["rung"] == 0 and "fidelity" in trial
            assert f"new candidate {why['position']} of {why['of']} in {fraction}" in line
            assert "promoted" not in line and "it scored" not in line
            continue
        # A promotion or a full run: its previous score is that θ's score one rung down.
        below = promoted_from(trials, i, lambda t: True)
        assert below["score"] == why["previous_score"]
        assert f"it scored {below['score']:.3f} in {words(below.get('fidelity'))}" in line
        if why["kind"] == "promotion":
            assert "fidelity" in trial
            assert f"promoted to {fraction}: ranked {why['position']} of the {why['of']}" in line
            assert "full" not in line
        else:
            assert "fidelity" not in trial and fraction == "a full run"
            assert f"a full run for finalist {why['position']} of {why['of']}" in line
            assert "new candidate" not in line and "promoted" not in line
    assert seen == {"candidate", "promotion", "full"}


def test_hyperband_lines_say_the_fraction_and_new_or_promoted(new_trace):
    result = new_trace["strategies"]["hyperband"]
    trials = result["trials"]
    lines = narrate_trace(new_trace)["hyperband"]["trials"]
    new = promoted = 0
    for i, (line, trial) in enumerate(zip(lines, trials, strict=True)):
        fraction = words(trial.get("fidelity"))
        assert line.split(": ", 1)[1].startswith(f"bracket {trial['bracket'] + 1}: ")
        assert "×" not in line and "0.037" not in line
        if trial["rung"] == 0:
            new += 1
            assert f"a new random candidate in {fraction}" in line, line
            assert "promoted" not in line
        else:
            promoted += 1
            assert f"promoted to {fraction} as one of its rung's best" in line, line
            below = promoted_from(trials, i, lambda t, b=trial["bracket"]: t["bracket"] == b)
            assert f"(it scored {below['score']:.3f} in {words(below.get('fidelity'))})" in line
            assert "new random" not in line
    assert new and promoted


def test_the_new_racers_lines_read_as_written():
    lines = narrate_trace(run("smooth", NEW_RACERS, 800, seed=1))
    assert "random start 1 of 10, before TPE splits" in lines["tpe"]["trials"][0]
    assert "(top 1 of 10)" in lines["tpe"]["trials"][10]
    assert "new candidate 1 of 324 in 1/27 of a run" in lines["halving"]["trials"][0]
    assert "promoted to 1/9 of a run: ranked 1 of the 108 kept" in lines["halving"]["trials"][324]
    assert "bracket 1: a new random candidate in 1/27 of a run" in lines["hyperband"]["trials"][0]
    assert "bracket 1: promoted to a full run" in lines["hyperband"]["trials"][39]


def test_with_reasons_words_every_bayesian_why_from_its_facts(trace):
    worded = with_reasons(deepcopy(trace))
    trials = worded["strategies"]["bayes"]["trials"]
    assert all("text" not in t["why"] for t in trace["strategies"]["bayes"]["trials"])
    lines = narrate_trace(trace)["bayes"]["trials"]
    for i, (line, trial) in enumerate(zip(lines, trials, strict=True)):
        assert trial["why"]["text"] == bayes_reason(trial["why"], i, 5)
        assert f": {trial['why']['text']};" in line
    assert worded["strategies"]["grid"] == trace["strategies"]["grid"]  # only Bayes has reasons


def test_on_several_gpus_the_bayesian_reasons_say_what_was_still_training():
    """Results come in out of order: the random starts are numbered 1 … n in the order they
    came in, the points spread out while they all ran say so, and a model's choice says how
    many trials it counted at their predicted scores (the kriging believer)."""
    result = run("smooth", ["bayes"], 800.0, 0, workers=16)["strategies"]["bayes"]
    n = result["n_initial"]
    starts, fills, modelled = [], 0, 0
    for i, trial in enumerate(result["trials"]):
        why, text = trial["why"], why_text("bayes", result, i)
        if why["kind"] == "initial" and why.get("fill") == "farthest":
            fills += 1
            assert text.endswith(f"farthest from the {why['pending']} trials still training")
        elif why["kind"] == "initial":
            starts.append(text)
        elif why.get("pending"):
            modelled += 1
            assert f"with the {why['pending']} trials still training counted" in text
    assert starts == [f"initial random point {k} of {n}, before any model" for k in range(1, n + 1)]
    assert fills > 0 and modelled > 0
