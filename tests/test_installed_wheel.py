"""The package as a user installs it: a wheel in a clean venv, served from another directory.

``pip install .`` (not editable) must serve the complete app: every stylesheet and script of
assets/, the vendored plotly bundle, a race, and an HTML replay that inlines that small
bundle. It must add one top-level import name, ``hpo_race``, so a student's own ``app.py``
never collides with ours. Built and installed once per session (about a minute: pip resolves
the dependencies from its cache or the registry).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import open_app
from playwright.sync_api import Page, expect
from served import hall_server, request
from test_browser_classroom import race_to_the_end
from test_browser_predict_and_export import export

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"

# browser: it drives Chromium; slow: it builds and installs a wheel (tests/conftest.py)
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900, env=ENV
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


#: No PYTHONPATH: only what is installed may be imported.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


#: What a build must not see: a checkout's own build/ folder keeps files deleted since (pip
#: builds in the tree, and setuptools never prunes build/lib), venvs, test output.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "node_modules", "artifacts", "__pycache__"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of the checkout's sources as they are now (copied, so no stale build/)."""
    source = tmp_path_factory.mktemp("source") / "hpo-race"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, source, cwd=out)
    (built,) = out.glob("hpo_race-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    """A clean venv, outside the checkout, with the wheel and its declared dependencies."""
    home = tmp_path_factory.mktemp("elsewhere")
    run(sys.executable, "-m", "venv", home / "venv", cwd=home)
    run(home / "venv" / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=home)
    return home


@pytest.fixture(scope="module")
def served(installed: Path) -> Iterator[str]:
    """README's lecture-hall command, from the clean venv."""
    with hall_server(installed / "venv" / "bin", installed, ENV) as port:
        yield f"http://127.0.0.1:{port}/"


def test_the_wheel_adds_one_import_name_and_carries_the_assets(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"hpo_race"}
    shipped = {name.removeprefix("hpo_race/assets/") for name in names}
    for path in ASSETS.rglob("*"):
        if path.is_file() and path.suffix in (".css", ".js", ".svg", ".br"):
            assert path.relative_to(ASSETS).as_posix() in shipped, path
    assert "hpo_race/landscapes/data/svm_digits.json" in names


def test_the_installed_package_is_the_one_imported(installed: Path) -> None:
    python = installed / "venv" / "bin" / "python"
    where = run(python, "-c", "import hpo_race.app as a; print(a.__file__)", cwd=installed)
    assert Path(where.strip()).is_relative_to(installed / "venv")
    # the generic names stay free for a student's own modules
    for name in ("app", "strategies", "landscapes"):
        found = run(
            python, "-c", f"import importlib.util as u; print(u.find_spec({name!r}))", cwd=installed
        )
        assert found.strip() == "None", (name, found)


def test_the_page_names_and_serves_every_asset(served: str) -> None:
    port = int(served.rsplit(":", 1)[1].strip("/"))
    status, body = request(port, "GET", "/")
    assert status == 200
    html = body.decode()
    shipped = [
        p
        for p in ASSETS.rglob("*")
        if p.suffix in (".css", ".js") and "node_modules" not in p.parts
    ]
    # the page names our bundles (app/bundles.py), built from the installed package's assets
    bundled: dict[str, bytes] = {}
    for url in re.findall(r'(?:src|href)="(/_hpo-assets/[^"]+)"', html):
        status, content = request(port, "GET", url)
        assert status == 200, url
        bundled[url] = content
    text = b"".join(bundled.values()).decode()
    for path in shipped:
        if path.parent == ASSETS:
            assert f"/* ---- {path.name} ---- */" in text, path.name
        else:  # plotly.js, byte for byte
            assert path.read_bytes() in bundled.values(), path.name
    # and every single file is still served as it is in the checkout
    for path in shipped:
        status, content = request(port, "GET", "/assets/" + path.relative_to(ASSETS).as_posix())
        assert status == 200 and content == path.read_bytes(), path


def test_a_race_and_its_offline_replay_from_the_installed_package(
    page: Page, served: str, tmp_path: Path
) -> None:
    errors = open_app(page, served)
    # the stylesheets apply: the page is laid out by assets/*.css, not the browser's defaults
    accent = "getComputedStyle(document.documentElement).getPropertyValue('--accent')"
    assert page.evaluate(accent).strip() != ""
    view = race_to_the_end(page)
    assert set(view["strategies"]) >= {"grid", "random", "bayes"}
    expect(page.locator("#race-status")).not_to_contain_text("Ready")
    download = export(page, "export-html")
    replay = tmp_path / download.suggested_filename
    download.save_as(replay)
    (bundle,) = (ASSETS / "vendor").glob("plotly-hpo-*.min.js")
    text = replay.read_text()
    # the small vendored bundle is inlined (not the 4.6 MB full plotly.js)
    assert bundle.read_text()[:2000] in text
    assert len(text) < 2 * bundle.stat().st_size
    assert errors == []
