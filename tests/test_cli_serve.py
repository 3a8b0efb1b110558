"""``hpo-race serve``: the lecture hall's gunicorn settings (app/hall.py) from flags, the
environment or the table's defaults; nonsense is one line and status 2, before anything runs.

gunicorn itself is not started here (``HallServer.run`` is replaced by a recorder);
tests/test_gunicorn.py starts it for real, as README says.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from served import HALL_COMMAND

from hpo_race.app.cli import main
from hpo_race.app.hall import COUNTS, DEFAULT_HOST, DEFAULT_PORT, HallServer

HALL_ENV = (
    *("HPO_RACE_BIND", "HPO_RACE_FRAME_ANCESTORS", "HPO_RACE_CACHE_MB", "HPO_RACE_HEAVY_SLOTS"),
    *(count.env for count in COUNTS),
)


@pytest.fixture
def started(monkeypatch) -> list[HallServer]:
    """The servers ``main`` would have run, with a clean hall environment."""
    for name in HALL_ENV:
        monkeypatch.delenv(name, raising=False)
    servers: list[HallServer] = []
    monkeypatch.setattr(HallServer, "run", lambda self: servers.append(self))
    return servers


def test_serve_runs_gunicorn_with_the_hall_settings(started, capsys):
    assert main(["serve"]) == 0
    (server,) = started
    cfg = server.cfg
    assert cfg.bind == [f"{DEFAULT_HOST}:{DEFAULT_PORT}"]
    assert cfg.worker_class_str == "gthread"
    workers, threads = COUNTS
    assert (cfg.workers, cfg.threads) == (workers.default, threads.default)
    assert workers.default >= 2  # one worker can restart while another serves
    assert cfg.timeout == 120 and cfg.graceful_timeout == 30
    assert cfg.control_socket_disable is True
    out = capsys.readouterr().out
    assert f"http://{DEFAULT_HOST}:{DEFAULT_PORT}/" in out and "Ctrl+C" in out


def test_flags_set_the_address_and_the_counts(started):
    args = ["--host", "127.0.0.1", "--port", "9001", "--workers", "3", "--threads", "4"]
    assert main(["serve", *args]) == 0
    cfg = started[0].cfg
    assert (cfg.bind, cfg.workers, cfg.threads) == (["127.0.0.1:9001"], 3, 4)
    assert main(["serve", "--host", "::1"]) == 0
    assert started[1].cfg.bind == [f"[::1]:{DEFAULT_PORT}"]


def test_the_environment_sets_defaults_and_flags_win(started, monkeypatch):
    monkeypatch.setenv("HPO_RACE_BIND", "127.0.0.2:9100")
    monkeypatch.setenv("HPO_RACE_WORKERS", "5")
    monkeypatch.setenv("HPO_RACE_THREADS", "6")
    assert main(["serve"]) == 0
    cfg = started[0].cfg
    assert (cfg.bind, cfg.workers, cfg.threads) == (["127.0.0.2:9100"], 5, 6)
    assert main(["serve", "--port", "9200", "--threads", "2"]) == 0
    cfg = started[1].cfg
    assert (cfg.bind, cfg.workers, cfg.threads) == (["127.0.0.2:9200"], 5, 2)
    # a variable a flag replaces is not read at all
    monkeypatch.setenv("HPO_RACE_WORKERS", "lots")
    monkeypatch.setenv("HPO_RACE_BIND", "nonsense")
    assert main(["serve", "--workers", "2", "--host", "127.0.0.1", "--port", "9300"]) == 0
    assert started[2].cfg.bind == ["127.0.0.1:9300"] and started[2].cfg.workers == 2


def test_each_worker_builds_the_app_with_the_frame_ancestors(started):
    assert main(["serve", "--frame-ancestors", "'self' https://course.example.org"]) == 0
    client = started[0].wsgi().test_client()  # what a worker loads after the fork
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://course.example.org" in policy


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--workers", "0"], {}, "argument --workers: must be a whole number from 1 to 64"),
        (["--workers", "lots"], {}, "argument --workers: must be a whole number from 1 to 64"),
        (["--threads", "65"], {}, "argument --threads: must be a whole number from 1 to 64"),
        (["--threads", "1.5"], {}, "argument --threads: must be a whole number"),
        (["--port", "70000"], {}, "argument --port: port must be 1-65535, got 70000"),
        (["--port", "http"], {}, "argument --port: invalid port 'http'"),
        (["--bogus"], {}, "unrecognized arguments: --bogus"),
        (["--frame-ancestors", "javascript:"], {}, "frame ancestors must be CSP sources"),
        ([], {"HPO_RACE_WORKERS": "lots"}, "HPO_RACE_WORKERS must be a whole number from 1 to 64"),
        ([], {"HPO_RACE_THREADS": "0"}, "HPO_RACE_THREADS must be a whole number from 1 to 64"),
        ([], {"HPO_RACE_BIND": "8050"}, "HPO_RACE_BIND must be HOST:PORT, got '8050'"),
        ([], {"HPO_RACE_BIND": "0.0.0.0:0"}, "HPO_RACE_BIND port must be 1-65535, got 0"),
        ([], {"HPO_RACE_FRAME_ANCESTORS": "*"}, "frame ancestors must be CSP sources"),
        ([], {"HPO_RACE_CACHE_DIR": "/proc/nowhere"}, "HPO_RACE_CACHE_DIR='/proc/nowhere' cannot"),
        ([], {"HPO_RACE_CACHE_MB": "0"}, "HPO_RACE_CACHE_MB must be a whole number of megabytes"),
        ([], {"HPO_RACE_HEAVY_SLOTS": "99"}, "HPO_RACE_HEAVY_SLOTS must be a whole number"),
    ],
)
def test_nonsense_is_one_line_and_status_two(args, env, says, started, monkeypatch, capsys):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stop:
        main(["serve", *args])
    assert stop.value.code == 2
    out = capsys.readouterr()
    assert out.out == ""
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hpo-race serve: error: "), out.err
    assert says in lines[0]
    assert started == []  # refused before gunicorn starts


def test_help_names_every_setting_of_the_table(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for count in COUNTS:
        assert f"{count.flag} N" in text and count.env in text
        assert f"1-{count.high} (default {count.default}" in text
    assert "HPO_RACE_BIND" in text and f"default {DEFAULT_PORT}" in text


@pytest.mark.slow  # a new interpreter: seconds
def test_a_nonsense_variable_in_a_new_process_is_one_line(tmp_path: Path):
    done = subprocess.run(
        [str(Path(sys.executable).with_name("hpo-race")), "serve"],
        env={**os.environ, "HPO_RACE_THREADS": "many"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "hpo-race serve: error: HPO_RACE_THREADS must be a whole number from 1 to 64, "
        "got 'many' (see hpo-race serve --help)"
    ]


def test_readme_lecture_hall_command_is_the_one_the_tests_start():
    """README's "Serving it" runs a hall (and Redis mode's app machines) with one command;
    tests/served.py starts that one, and no other way of starting gunicorn is shown."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Serving it\n", 1)[1].split("\n## ", 1)[0]
    lines = [
        line.strip()
        for block in re.findall(r"```bash\n(.*?)```", section, flags=re.S)
        for line in block.replace("\\\n", " ").splitlines()
    ]
    commands = [shlex.split(line) for line in lines if line and not line.startswith("#")]
    serving = [c for c in commands if Path(c[0]).name in ("hpo-race", "gunicorn")]
    assert len(serving) >= 2, lines  # the hall's line and Redis mode's app machines
    for program, *args in serving:
        assert (Path(program).name, *args) == HALL_COMMAND
