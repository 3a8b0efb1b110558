"""Shared fixtures and browser helpers.

The real app served from a thread, driven by Playwright + Debian chromium; the helpers every
tests/test_browser_*.py file uses (open the page, wait on a condition, read the race clock).
Browser tests never sleep for a fixed time: they wait on a condition the page sets.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

# The shared result cache (app/result_store.py) of this test process lives in a fresh temp
# dir, removed at exit: tests never read results another run (or the user's server) stored.
_CACHE_DIR = tempfile.mkdtemp(prefix="hpo-race-test-cache-")
os.environ["HPO_RACE_CACHE_DIR"] = _CACHE_DIR
# ... and in the embedded default mode, whatever the developer's shell says: Redis mode's
# tests (tests/test_redis_*.py) start their own redis-server and pass its URL on.
os.environ.pop("HPO_RACE_REDIS_URL", None)
atexit.register(shutil.rmtree, _CACHE_DIR, ignore_errors=True)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1366, "height": 768}
CALLBACK = "/_dash-update-component"
AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_INSTALL = (
    "axe-core is missing at tests/a11y/node_modules/axe-core/axe.min.js: install it with "
    "`npm ci --prefix tests/a11y` (needs node and npm: `sudo apt-get install -y nodejs npm`)"
)
# A CI machine may be slower or busier than a laptop: assertions wait for their condition for up
# to 20 s (they return as soon as it holds), so a slow first render is not reported as a bug.
EXPECT_TIMEOUT_MS = 20_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """A fresh app instance served on a free loopback port for the whole session."""
    from hpo_race.app import create_app

    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=5)


# ---------------------------------------------------------------- the lessons' seed sweeps

#: The lessons' seeds: race seed s on landscape layout 100 + s, s = 1..30, default budget.
LESSON_SEEDS = range(1, 31)


def rerun(settings: dict) -> dict:
    """The race a trace's recorded ``settings`` describe, run again from them alone."""
    from hpo_race.strategies.race import run

    return run(
        settings["landscape"],
        settings["strategies"],
        settings["budget"],
        settings["seed"],
        landscape_seed=settings["landscape_seed"],
        noise=settings["noise"],
        options=settings["options"],
        peaks=settings.get("peaks"),
        dims=settings.get("dims", 2),
        workers=settings.get("workers", 1),
    )


@functools.cache
def lesson_sweep(landscape: str, racer: str, dims: int = 2) -> tuple[dict, ...]:
    """One racer's race on each of the lessons' 30 seeds: ``{"opt": optimum score, "result":
    the trace's result for the racer}``, one per seed, computed once per test session.

    Each racer draws from its own random streams, so its race does not depend on who else
    races (tests/test_race.py checks it): tests/test_lessons*.py share these sweeps.
    ``dims``: how many knobs (tests/test_lessons_dims.py).
    """
    from hpo_race.strategies.race import DEFAULT_BUDGET, run

    out = []
    for s in LESSON_SEEDS:
        trace = run(landscape, [racer], DEFAULT_BUDGET, seed=s, landscape_seed=100 + s, dims=dims)
        out.append(
            {"opt": trace["landscape"]["optimum"]["score"], "result": trace["strategies"][racer]}
        )
    return tuple(out)


@pytest.fixture(scope="module")
def dash_app():
    """A fresh app instance for tests that post to its server directly (Flask test client)."""
    from hpo_race.app import create_app

    return create_app()


@pytest.fixture(scope="module")
def client(dash_app):
    return dash_app.server.test_client()


def server_callback(dash_app, first_input: str) -> tuple[str, dict]:
    """The server callback whose first input is ``first_input``: its output key and its entry
    in the app's callback map."""
    for key, entry in dash_app.callback_map.items():
        if "callback" in entry and entry["inputs"][0]["id"] == first_input:
            return key, entry
    raise AssertionError(f"no server callback on {first_input}")


def callback_body(
    dash_app, first_input: str, inputs: list, state: list = (), changed: str | None = None
) -> dict:
    """The body a browser posts for the server callback whose first input is ``first_input``:
    the values of its inputs and states in order, as if ``changed`` (default: the first
    input) had changed."""
    key, entry = server_callback(dash_app, first_input)
    outputs = []
    for part in key.strip(".").split("..."):
        cid, prop = part.rsplit(".", 1)
        outputs.append({"id": cid, "property": prop.split("@")[0]})
    return {
        "output": key,
        # a callback with one output gets it as an object, several as a list (as a browser)
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{**spec, "value": v} for spec, v in zip(entry["inputs"], inputs, strict=True)],
        "state": [{**spec, "value": v} for spec, v in zip(entry["state"], state, strict=True)],
        "changedPropIds": [
            f"{spec['id']}.{spec['property']}"
            for spec in entry["inputs"]
            if spec["id"] == (changed or first_input)
        ],
    }


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (pyproject.toml): two workers (CI machines have two cores) for a run of
    several files, none for a single file or test, which then starts at once. Browser tests
    share the machine with the other worker: they wait on conditions the page sets, never on
    timings (the frame rate is measured in bench/bench_page.py, not asserted)."""
    targets = {str(arg).split("::")[0] for arg in config.args}
    if len(targets) == 1 and Path(next(iter(targets))).is_file():
        return 0
    return min(2, os.cpu_count() or 1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in a tests/test_browser_*.py file is marked ``browser``, so
    ``pytest -m "not browser"`` runs the rest alone and ``-m browser`` only these.

    Tests marked ``slow`` (the many-seeds lessons, the 400-race memory check, the 2,000-request
    fuzzing, real gunicorn processes) run with plain ``pytest`` and whenever the ``-m``
    expression names ``slow`` (``-m slow``, ``-m "slow and not browser"``); any other ``-m``
    expression leaves them out, so ``pytest -m "not browser"`` is the fast unit run.
    """
    for item in items:
        if item.path.name.startswith("test_browser_"):
            item.add_marker(pytest.mark.browser)
    expression = config.getoption("markexpr") or ""
    if expression and "slow" not in expression:
        slow = [item for item in items if item.get_closest_marker("slow")]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if not item.get_closest_marker("slow")]


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: tests use ``app_url``. A plain session fixture, defined here so that
    pytest-playwright's fallback (a fixture on a plugin instance, which pytest 9 warns about)
    is not the one in use."""
    return None


# ---------------------------------------------------------------- browser helpers

#: The racers of the default page, in panel order.
RACING = ["grid", "random", "bayes"]

#: Graphs on the first screen of the default page.
PAGE_GRAPHS = (
    "panel-grid",
    "panel-random",
    "panel-bayes",
    "best-plot",
    "landscape-grid",
    "landscape-random",
    "landscape-bayes",
)
#: The page's scripts: each namespace defined and the classroom config read.
PAGE_SCRIPTS = (
    "window.hpoRace && window.hpoClassroom && window.hpoClassroom.config && window.hpoDraw"
    " && window.hpoModel && window.hpoMany && window.dash_clientside"
    " && ['hpoRace', 'hpoClassroom', 'hpoDraw', 'hpoModel'].every(n => window.dash_clientside[n])"
)


def wait_js(page: Page, expression: str, timeout: float = 30_000) -> None:
    """Wait until a JS expression is true (wrapped in a function: the app's CSP forbids eval)."""
    page.wait_for_function(f"() => ({expression})", timeout=timeout)


def record_errors(page: Page) -> list[str]:
    """The page's console errors and uncaught exceptions, as they come."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def open_app(page: Page, url: str, graphs: tuple[str, ...] = PAGE_GRAPHS) -> list[str]:
    """Load the page, wait for the graphs to be laid out and for every script; return the
    console-error list."""
    errors = record_errors(page)
    page.goto(url)
    wait_js(
        page,
        f"""{list(graphs)!r}.every(id => {{
                const g = document.querySelector('#' + id + ' .js-plotly-plot');
                return g && g._fullLayout && g.querySelector('.main-svg'); }})
            && {PAGE_SCRIPTS}""",
    )
    return errors


def wait_state(page: Page, state: str, timeout: float = 60_000) -> None:
    """Wait for the race clock's state (idle, playing, paused, finished)."""
    wait_js(page, f"document.getElementById('race-clock').dataset.state === '{state}'", timeout)


def clock(page: Page) -> dict:
    """The animation's state as race.js publishes it on #race-clock."""
    return page.evaluate(
        """() => { const c = document.getElementById('race-clock');
                   const shown = {};
                   (c.dataset.trials || '').split(',').filter(Boolean).forEach(p => {
                       const [k, v] = p.split(':'); shown[k] = Number(v); });
                   return {t: Number(c.dataset.clock), state: c.dataset.state, shown: shown}; }"""
    )


def wait_frames(page: Page, frames: int = 20) -> None:
    """Let the page paint ``frames`` animation frames: race-player.js advances its clock once
    a frame, so a clock that has not moved after them was not going to move."""
    page.evaluate(
        """(n) => new Promise(done => {
               const next = () => (--n <= 0 ? done() : requestAnimationFrame(next));
               requestAnimationFrame(next); })""",
        frames,
    )


def wait_still(page: Page) -> None:
    """Wait until no CSS transition or finite animation runs (the fog's fade, a panel's slide):
    screenshots and contrast checks then see what is finally shown."""
    wait_js(
        page,
        """document.getAnimations().every(a => a.playState !== 'running'
               || a.effect.getComputedTiming().iterations === Infinity)""",
    )


def wait_revealed(page: Page) -> None:
    """Wait until the landscape is revealed and the fog over it has faded out."""
    wait_js(page, "document.getElementById('app-root').dataset.revealed === 'true'")
    wait_still(page)


#: What a11y.js's accessibility fix-ups leave behind (its patchA11y): every group of
#: radio items or checkboxes has a role and a name, every slider thumb a name, every dropdown
#: is labelled by its <label> and its focus proxy is no longer hidden from assistive tech.
A11Y_PATCHED = """[...document.querySelectorAll('.dash-options-list')]
        .filter(l => !l.closest('.dash-dropdown-options, .dash-dropdown-content'))
        .every(l => ['group', 'radiogroup'].includes(l.getAttribute('role'))
                    && (l.getAttribute('aria-label') || l.getAttribute('aria-labelledby'))
                    && !l.querySelector('[role="option"], [aria-selected]'))
    && [...document.querySelectorAll('[role="slider"]')]
        .every(t => t.getAttribute('aria-label') || t.getAttribute('aria-labelledby'))
    && [...document.querySelectorAll('.dash-dropdown-wrapper')].every(w => {
        const b = w.querySelector('button.dash-dropdown');
        const p = w.querySelector('.dash-dropdown-focus-target');
        const label = b && b.id && document.querySelector('label[for="' + b.id + '"]');
        return (!label || (b.getAttribute('aria-labelledby') || '').split(' ')
                              .includes(label.id))
            && (!p || p.getAttribute('aria-hidden') !== 'true'); })"""


def wait_a11y_patched(page: Page) -> None:
    """Wait until a11y.js's accessibility fix-ups have run over everything shown."""
    wait_js(page, A11Y_PATCHED)


def traces(page: Page, graph_id: str) -> dict[str, dict]:
    """Trace data of a graph by uid: x, y, text, marker symbol, colour and size (plain values)."""
    return page.evaluate(
        """(id) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');
                     const out = {};
                     g.data.forEach(t => { const m = t.marker || {};
                         out[t.uid] = {x: Array.from(t.x || []), y: Array.from(t.y || []),
                                       text: Array.from(t.text || []),
                                       symbol: m.symbol, color: m.color,
                                       size: Array.isArray(m.size) ? Array.from(m.size) : m.size,
                                       visible: t.visible}; });
                     return out; }""",
        graph_id,
    )


def count_posts(page: Page) -> list[dict]:
    """The bodies of the page's callback requests, as they are sent."""
    posts: list[dict] = []

    def record(request) -> None:  # noqa: ANN001
        if request.method == "POST" and CALLBACK in request.url:
            posts.append(request.post_data_json or {})

    page.on("request", record)
    return posts


def pick_racer(page: Page, name: str, on: bool = True) -> None:
    """Tick (or untick) a racer in the racer menu, opening it first."""
    if not page.locator("#racer-menu").evaluate("d => d.open"):
        page.click("#racer-menu summary")
    box = page.locator(f"#racer-picker input[value={name}]")
    box.check() if on else box.uncheck()
    page.keyboard.press("Escape")  # the menu folds again


def real(knob: dict, u: float, digits: int | None = None) -> float:
    """A knob's real value at unit coordinate u (log or linear), to ``digits`` significant
    digits if given (the page shows 6)."""
    low, high = knob["low"], knob["high"]
    value = low * (high / low) ** u if knob["log"] else low + u * (high - low)
    return value if digits is None else float(f"{value:.{digits}g}")


def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail(AXE_INSTALL)
    return AXE


@pytest.fixture
def a11y_page(browser: Browser) -> Iterator[Page]:
    """A page that may inject axe (the app's CSP rightly refuses inline scripts)."""
    axe_script()
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def clipboard_page(browser: Browser, app_url: str) -> Iterator[Page]:
    """A page allowed to read and write the clipboard."""
    context = browser.new_context(viewport=VIEWPORT)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    yield context.new_page()
    context.close()


# ---------------------------------------------------------------- every screen in the room

#: Each viewport: its size, and the least font size (px) of the summary, the budget lines and
#: the narration, and of the Bayesian view switcher, in normal and in presenter mode.
SCREENS = {
    "phone": {"size": (390, 844), "text": (13, 13), "switch": (12, 12)},
    "1024": {"size": (1024, 768), "text": (12, 15), "switch": (12, 12)},
    "1366": {"size": (1366, 768), "text": (12, 15), "switch": (12, 12)},
    "1920": {"size": (1920, 1080), "text": (16, 24), "switch": (16, 18)},
    "4k": {"size": (3840, 2160), "text": (32, 45), "switch": (32, 36)},
}


@pytest.fixture
def screen_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page at the screen's size; the phone's context emulates touch."""
    width, height = SCREENS[request.param]["size"]
    phone = width < 640
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone
    )
    yield context.new_page()
    context.close()


def race_fast(page: Page, tap: bool = False) -> None:
    """Run (a tap on a phone), the clock sped up, until the race is over."""
    if tap:
        page.tap("#run-button")
    else:
        page.click("#run-button")
    wait_js(
        page,
        "['playing', 'finished'].includes(document.getElementById('race-clock').dataset.state)",
    )
    page.evaluate("window.hpoRace.api.setSpeed(40)")
    wait_state(page, "finished")


def link_settings(query: str) -> dict:
    """The server's settings for a link's query, as the page's request gives them (empty
    options dropped, as ``app.race_request.check_request`` does)."""
    from urllib.parse import parse_qsl

    from hpo_race.strategies.settings import from_query

    settings, problems = from_query(dict(parse_qsl(query)))
    assert problems == [], problems
    return {**settings, "options": {k: v for k, v in settings["options"].items() if v}}


def open_scenario(page: Page) -> None:
    """Open the knobs menu ("2 knobs · 1 GPU") that holds the Knobs and GPUs controls."""
    if not page.evaluate("document.getElementById('scenario-menu').open"):
        page.click("#scenario-menu summary")
    expect(page.locator("#dims-select")).to_be_visible()


def wait_plots_fit(page: Page) -> None:
    """Wait until every shown panel's plots have resized to their stage (strips or Gantt
    strips appearing make the stage smaller; Plotly follows a moment later)."""
    wait_js(
        page,
        """[...document.querySelectorAll('.panel-stage')].filter(s => s.offsetParent)
               .every(s => [...s.querySelectorAll('.js-plotly-plot')].every(g =>
                   Math.abs(g._fullLayout.height - s.getBoundingClientRect().height) < 2))""",
    )
