"""`hpo-race simulate` as a user runs it: JSON on stdout, one-line errors with status 2."""

import json
import subprocess
import sys

import pytest

from strategies.cli import main


def simulate(*args):
    return subprocess.run(
        [sys.executable, "-m", "strategies.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_simulate_prints_the_documented_trace():
    done = simulate(
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
    assert done.returncode == 0, done.stderr
    trace = json.loads(done.stdout)
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
    ],
)
def test_bad_flags_give_one_line_and_status_two(args):
    done = simulate(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hpo-race simulate: error:")
