"""`hpo-race simulate` as a user runs it: JSON on stdout, one-line errors with status 2."""

import json
import subprocess
import sys

import pytest

from hpo_race.strategies.cli import main


def simulate(*args):
    """As a user runs it: a new process (the entry point and its exit status for real)."""
    return subprocess.run(
        [sys.executable, "-m", "hpo_race.strategies.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def simulate_here(capsys, *args) -> tuple[int, str, str]:
    """``main`` in this process: its exit status (returned, or argparse's SystemExit), stdout
    and stderr. The same code path as ``simulate`` but for the interpreter start-up."""
    try:
        status = main(list(args))
    except SystemExit as stop:
        status = stop.code
    out = capsys.readouterr()
    return status, out.out, out.err


def test_simulate_prints_the_documented_trace(capsys):
    status, out, err = simulate_here(
        capsys,
        "--landscape",
        "bumpy",
        "--budget",
        "300",
        "--seed",
        "4",
        "--landscape-seed",
        "2",
        "--strategies",
        "grid,random",
    )
    assert status == 0, err
    trace = json.loads(out)
    assert trace["settings"]["seed"] == 4 and trace["settings"]["landscape_seed"] == 2
    assert set(trace["strategies"]) == {"grid", "random"}
    assert "unreached" in trace["strategies"]["grid"]


def test_simulate_repeats_adds_summary_and_races(capsys):
    assert main(["--strategies", "random", "--budget", "200", "--repeats", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["races"]) == 3 and set(out["summary"]["random"]) >= {"median", "q1", "q3"}


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["--budget", "lots"],
        ["--budget", "-10"],
        ["--seed", "1.5"],
        ["--landscape", "everest"],
        ["--strategies", "grid,psychic"],
        ["--repeats", "100000"],
        ["--vary-landscape"],
        ["--landscape", "custom"],
        ["--peaks", "0.5,0.5,0.8,0.1"],
        ["--landscape", "custom", "--peaks", "0.5,0.5,__import__('os'),0.1"],
    ],
)
def test_bad_flags_give_one_line_and_status_two(args, capsys):
    status, out, err = simulate_here(capsys, *args)
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hpo-race simulate: error:")


@pytest.mark.slow  # a new interpreter: seconds (tests/test_determinism.py runs the CLI so too)
def test_a_bad_flag_in_a_new_process_is_one_line_and_status_two():
    done = simulate("--budget", "lots")
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hpo-race simulate: error:")


def test_simulate_races_a_drawn_landscape_and_records_its_peaks(capsys):
    peaks = "0.3,0.4,0.8,0.1;0.7,0.7,0.5,0.2"
    assert main(["--landscape", "custom", "--peaks", peaks, "--budget", "200"]) == 0
    trace = json.loads(capsys.readouterr().out)
    assert trace["settings"]["landscape"] == "custom"
    assert trace["settings"]["peaks"] == "0.300,0.400,0.800,0.100;0.700,0.700,0.500,0.200"
    assert trace["landscape"]["optimum"]["theta"] == pytest.approx([0.3, 0.4], abs=0.02)


def test_help_lists_every_racer_and_its_options_from_the_registry(capsys):
    from hpo_race.strategies.registry import RACERS

    status, out, _ = simulate_here(capsys, "--help")
    assert status == 0
    for name, racer in RACERS.items():
        assert f"{name} ({racer.title})" in out
        for option in racer.options:
            assert f"--{name}-{option.name.replace('_', '-')}" in out


def test_racer_options_reach_the_race_and_odd_budgets_are_kept(capsys):
    args = ["--strategies", "bayes", "--budget", "805.5", "--bayes-length-scale", "0.051"]
    assert main([*args, "--bayes-acquisition", "UCB", "--bayes-kappa", "3"]) == 0
    settings = json.loads(capsys.readouterr().out)["settings"]
    assert settings["budget"] == 805.5
    assert settings["options"] == {
        "bayes": {"length_scale": 0.051, "acquisition": "ucb", "kappa": 3.0}
    }


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--bayes-xi", "99"], "ξ must be a number from 0 to 10"),
        (["--bayes-kernel", "matern32"], "kernel must be one of matern52, rbf"),
        (["--strategies", "grid", "--bayes-xi", "0.1"], "bayes is not in --strategies"),
        (["--hyperband-eta", "9", "--strategies", "hyperband"], "η must be a whole number"),
    ],
)
def test_bad_racer_options_give_one_line_naming_the_option(args, says, capsys):
    status, out, err = simulate_here(capsys, *args)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and says in lines[0]
