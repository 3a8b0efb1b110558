"""Narration lines are derived from the trace: they must agree with what the trace says."""

import re

import pytest

from strategies.narration import format_knob, knob_point, narrate_end, narrate_trace
from strategies.race import run


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
