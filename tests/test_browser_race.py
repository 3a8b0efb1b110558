"""The race in a real browser: headless Chromium (Playwright) against the real app server.

One test plays the real, full-speed animation (and saves screenshots mid-run and at the end
under tests/artifacts/); the others speed the clock up through race-player.js's test hook or Step.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from conftest import (
    CALLBACK,
    RACING,
    clock,
    count_posts,
    open_app,
    traces,
    wait_a11y_patched,
    wait_frames,
    wait_js,
    wait_revealed,
    wait_state,
)
from playwright.sync_api import Page, expect
from test_browser_model import apart_from_lesson, posts_to

from hpo_race.strategies.lessons import LESSON_SEEDS
from hpo_race.strategies.race import DEFAULT_BUDGET, run

# ---------------------------------------------------------------- helpers


def fog_opacity(page: Page, name: str) -> float:
    return float(page.evaluate(f"getComputedStyle(document.getElementById('fog-{name}')).opacity"))


def set_speed(page: Page, speed: float) -> None:
    page.evaluate(f"window.hpoRace.api.setSpeed({speed})")


def budget_text(page: Page, name: str) -> str:
    return page.inner_text(f"#budget-{name} .stats")


def expected_race(landscape: str = "smooth", seed: int = 0, lseed: int = 0) -> dict:
    return run(landscape, RACING, DEFAULT_BUDGET, seed, landscape_seed=lseed)


# ---------------------------------------------------------------- tests


def test_page_loads_clean_on_one_screen(page: Page, app_url: str) -> None:
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    errors = open_app(page, app_url)
    # settled: every request the page makes on its own has been made (none for 500 ms), and
    # a11y.js's accessibility pass has run over the controls
    page.wait_for_load_state("networkidle")
    wait_a11y_patched(page)
    assert errors == []
    assert all(u.startswith(app_url) for u in urls), "the page must not need the internet"
    assert not [u for u in urls if u.endswith("plotly.min.js")], "full plotly bundle fetched"
    assert not [u for u in urls if CALLBACK in u], "no callback is needed to show the page"
    for element_id in (
        "run-button",
        "step-button",
        "reset-button",
        "landscape-select",
        "budget-input",
        "seed-input",
        "dice-button",
        "reveal-toggle",
        "speed-select",
        "panel-grid",
        "panel-random",
        "panel-bayes",
        "budget-grid",
        "budget-random",
        "budget-bayes",
        "best-plot",
    ):
        expect(page.locator(f"#{element_id}")).to_be_visible()
    expect(page.locator("#pause-button")).to_be_attached()
    size = page.evaluate(
        """() => { const d = document.documentElement;
                   return {h: d.scrollHeight, w: d.scrollWidth,
                           vh: innerHeight, vw: innerWidth}; }"""
    )
    assert size["h"] <= size["vh"] and size["w"] <= size["vw"], f"page scrolls: {size}"
    # everything that matters sits inside the 1366x768 viewport
    for selector in ("#reveal-toggle", "#best-plot", "#help", "#budget-bayes"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] + box["width"] <= 1366 and box["y"] + box["height"] <= 768
    # hidden landscape, empty panels, axes in real knob units (log where the knob is log)
    assert all(fog_opacity(page, name) == 1 for name in RACING)
    layout = page.evaluate(
        "(() => { const l = document.querySelector('#landscape-grid .js-plotly-plot')._fullLayout;"
        " return {x: l.xaxis.type, y: l.yaxis.type, xt: l.xaxis.title.text}; })()"
    )
    assert layout == {"x": "log", "y": "log", "xt": "learning rate"}
    assert traces(page, "panel-grid")["probes"]["x"] == []


def test_default_race_real_animation(page: Page, app_url: str, artifacts: Path) -> None:
    """The default race at real speed: smooth, one request, full bars, animated frame by frame."""
    errors = open_app(page, app_url)
    posts = count_posts(page)
    trace = expected_race()
    end = max(s["spent"] for s in trace["strategies"].values())

    page.click("#run-button")
    wait_js(
        page,
        f"Number(document.getElementById('race-clock').dataset.clock) > {0.45 * end}",
        timeout=30_000,
    )
    mid = clock(page)
    assert mid["state"] == "playing"
    expect(page.locator("#pause-button")).to_be_visible()
    assert all(fog_opacity(page, name) == 1 for name in RACING), "landscape shown mid-race"
    page.screenshot(path=str(artifacts / "race-mid.png"))
    # one shared clock: every panel shows exactly the trials finished by minute t
    for name in RACING:
        clocks = [t["clock"] for t in trace["strategies"][name]["trials"]]
        low = sum(c <= mid["t"] - 1e-3 for c in clocks)
        high = sum(c <= mid["t"] + 1e-3 for c in clocks)
        assert low <= mid["shown"][name] <= high, (name, mid)

    wait_state(page, "finished", timeout=60_000)
    wait_revealed(page)  # the fog has faded out
    page.screenshot(path=str(artifacts / "race-end.png"))

    # the race is one request; the lesson's count asks a chunk of its races at a time
    lesson = posts_to(posts, "lesson-request")
    assert len(posts) - len(lesson) <= 2, posts
    # (each counts at least one of its races, or comes back RETRY_SECONDS later when busy)
    assert 1 <= len(lesson) <= len(LESSON_SEEDS), lesson
    assert errors == []
    # animated frame by frame (the frame rate is measured by bench/bench_page.py, not here)
    assert page.evaluate("window.hpoRace.stats.frames") > 10

    # the landscape is revealed at the end
    assert all(fog_opacity(page, name) == 0 for name in RACING)
    expect(page.locator("#reveal-toggle input")).to_be_checked()

    for name in RACING:
        result = trace["strategies"][name]
        probes = traces(page, f"panel-{name}")
        assert len(probes["probes"]["x"]) == len(result["trials"])
        assert len(probes["best"]["x"]) == 1
        assert probes["latest"]["x"] == []
        assert len(probes["ghosts"]["x"]) == len(result.get("unreached", []))
        stats = budget_text(page, name)
        spent = float(page.get_attribute(f"#budget-{name}", "data-spent"))
        assert math.isclose(spent, result["spent"], abs_tol=1e-3)
        assert f"{round(result['spent']):,} / {DEFAULT_BUDGET:,.0f} GPU min" in stats
        assert f"{len(result['trials'])} trials" in stats
        assert f"best {result['trials'][-1]['best']:.3f}" in stats
        width = page.evaluate(f"document.querySelector('#budget-{name} .fill').style.width")
        assert math.isclose(
            float(width.rstrip("%")), 100 * result["spent"] / DEFAULT_BUDGET, abs_tol=0.05
        )

    curves = traces(page, "best-plot")
    names = [uid for uid in curves if uid.startswith("curve-")]
    assert len(names) == len(RACING) == 3
    for uid in names:
        ys = curves[uid]["y"]
        xs = curves[uid]["x"]
        assert ys, uid
        assert all(b >= a for a, b in zip(ys, ys[1:], strict=False)), f"{uid} decreases"
        assert all(b >= a for a, b in zip(xs, xs[1:], strict=False))
    expect(page.locator("#race-status")).to_contain_text("Finished")

    # Run again replays the same race from the browser: no request at all
    before = len(apart_from_lesson(posts))
    page.click("#run-button")
    wait_state(page, "playing")
    assert len(apart_from_lesson(posts)) == before


def test_pause_step_reset(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.click("#run-button")
    wait_js(page, "Number(document.getElementById('race-clock').dataset.clock) > 60")
    page.click("#pause-button")
    wait_state(page, "paused", timeout=2_000)
    paused = clock(page)
    wait_frames(page, 30)
    assert clock(page) == paused, "the clock moved while paused"
    expect(page.locator("#run-button")).to_be_visible()

    # Step: exactly one more trial, at the next finishing time on the shared clock
    view = page.evaluate("window.hpoRace.view")
    pending = sorted(
        clk for name in RACING for clk in view["strategies"][name]["clock"][paused["shown"][name] :]
    )
    page.click("#step-button")
    wait_js(
        page,
        f"Number(document.getElementById('race-clock').dataset.clock) > {paused['t']}",
        timeout=2_000,
    )
    stepped = clock(page)
    assert sum(stepped["shown"].values()) == sum(paused["shown"].values()) + 1
    assert math.isclose(stepped["t"], pending[0], abs_tol=1e-3)
    assert stepped["state"] == "paused"
    wait_frames(page)
    assert clock(page) == stepped

    # Resume, then Reset clears everything at once
    page.click("#run-button")
    wait_state(page, "playing", timeout=2_000)
    page.click("#reset-button")
    wait_state(page, "idle", timeout=2_000)
    state = clock(page)
    assert state["t"] == 0 and set(state["shown"].values()) == {0}
    wait_frames(page)
    assert clock(page)["t"] == 0
    for name in RACING:
        data = traces(page, f"panel-{name}")
        assert all(data[uid]["x"] == [] for uid in ("probes", "halo", "latest", "best", "ghosts"))
        assert page.get_attribute(f"#budget-{name}", "data-trials") == "0"
        assert budget_text(page, name).startswith("0 / 800 GPU min · 0 trials")
    curves = traces(page, "best-plot")
    assert all(curve["x"] == [] for curve in curves.values())
    expect(page.locator("#reveal-toggle input")).not_to_be_checked()


def test_landscape_and_seed_change_the_race(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    posts = count_posts(page)

    def race_after_step() -> dict:
        before = len(posts_to(posts, "race-request"))
        page.click("#step-button")
        wait_js(
            page,
            "window.hpoRace.view !== null && "
            "document.getElementById('race-clock').dataset.state === 'paused'",
        )
        # Step on new settings asks the server once (the lesson's count asks apart)
        assert len(posts_to(posts, "race-request")) == before + 1
        return page.evaluate("window.hpoRace.view")

    first = race_after_step()
    assert first["landscape"] == "smooth" and first["seed"] == 0

    page.fill("#seed-input", "7")
    page.press("#seed-input", "Enter")
    wait_js(page, "window.hpoRace.view === null")  # the old race is dropped
    assert clock(page)["state"] == "idle"
    reseeded = race_after_step()
    assert reseeded["seed"] == 7
    assert reseeded["strategies"]["random"]["x"] != first["strategies"]["random"]["x"]
    expected = expected_race(seed=7)["strategies"]["random"]["trials"]
    assert reseeded["strategies"]["random"]["score"] == [t["score"] for t in expected]

    page.click("#landscape-select")
    page.get_by_role("option", name="Bumpy").click()
    expect(page.locator("#landscape-info")).to_contain_text("Bumpy")
    wait_js(page, "window.hpoRace.view === null")
    bumpy = race_after_step()
    assert bumpy["landscape"] == "bumpy"
    assert bumpy["strategies"]["grid"]["score"] != reseeded["strategies"]["grid"]["score"]

    # the dice draws a new landscape seed: shown, and it changes the race too
    page.click("#dice-button")
    expect(page.locator("#landscape-seed-label")).not_to_have_text("layout #0")
    label = page.inner_text("#landscape-seed-label")
    lseed = int(re.search(r"\d+", label).group())
    wait_js(page, "window.hpoRace.view === null")
    rerolled = race_after_step()
    assert rerolled["landscape_seed"] == lseed > 0
    assert rerolled["strategies"]["grid"]["score"] != bumpy["strategies"]["grid"]["score"]


def test_reveal_toggle_and_ghosts_after_a_fast_race(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.click("#reveal-toggle label")
    wait_js(page, "getComputedStyle(document.getElementById('fog-grid')).opacity === '0'")
    page.click("#reveal-toggle label")
    wait_js(page, "getComputedStyle(document.getElementById('fog-grid')).opacity === '1'")

    # a race where the grid's jittered costs outrun its plan: unreached points become ghosts
    page.click("#landscape-select")
    page.get_by_role("option", name="Bumpy").click()
    page.fill("#budget-input", "1500")
    page.press("#budget-input", "Enter")
    page.fill("#seed-input", "8")
    page.press("#seed-input", "Enter")
    page.click("#run-button")
    wait_state(page, "playing")
    set_speed(page, 40)
    assert traces(page, "panel-grid")["ghosts"]["x"] == []  # never during the race
    wait_state(page, "finished", timeout=10_000)
    expect(page.locator("#lesson")).not_to_be_empty()
    unreached = run("bumpy", RACING, 1500.0, 8)["strategies"]["grid"]["unreached"]
    assert len(traces(page, "panel-grid")["ghosts"]["x"]) == len(unreached)
    if unreached:
        assert f"{len(unreached)} planned points untried" in budget_text(page, "grid")


def test_a_shared_link_sets_up_the_race(page: Page, app_url: str) -> None:
    errors = open_app(page, app_url + "?landscape=bumpy&layout=77&budget=1200&seed=3")
    expect(page.locator("#landscape-info")).to_contain_text("Bumpy")
    expect(page.locator("#landscape-seed-label")).to_have_text("layout #77")
    expect(page.locator("#budget-input")).to_have_value("1200")
    expect(page.locator("#seed-input")).to_have_value("3")
    page.click("#step-button")
    wait_state(page, "paused")
    view = page.evaluate("window.hpoRace.view")
    assert (view["landscape"], view["landscape_seed"], view["budget"], view["seed"]) == (
        "bumpy",
        77,
        1200,
        3,
    )
    # the address bar follows the settings, so the teacher can copy it at any time
    page.fill("#seed-input", "4")
    page.press("#seed-input", "Enter")
    wait_js(page, "location.search.includes('seed=4')")
    assert "landscape=bumpy" in page.evaluate("location.search")
    # nonsense in a link is ignored, never crashes the page
    open_app(page, app_url + "?landscape=%3Cscript%3E&layout=-1&budget=abc&seed=1e9")
    expect(page.locator("#landscape-info")).to_contain_text("Smooth")
    expect(page.locator("#landscape-seed-label")).to_have_text("layout #0")
    assert errors == []


def test_keyboard_and_clicker_keys(page: Page, app_url: str) -> None:
    """Space runs and pauses, → (a clicker's 'next') steps, R resets."""
    open_app(page, app_url)
    page.locator("body").click(position={"x": 5, "y": 760})  # focus the page, not a control
    page.keyboard.press(" ")
    wait_state(page, "playing", timeout=10_000)
    page.keyboard.press(" ")
    wait_state(page, "paused", timeout=2_000)
    paused = clock(page)
    before = sum(paused["shown"].values())
    page.keyboard.press("ArrowRight")
    wait_js(
        page,
        f"Number(document.getElementById('race-clock').dataset.clock) > {paused['t']}",
        timeout=2_000,
    )
    assert sum(clock(page)["shown"].values()) == before + 1
    page.keyboard.press("r")
    wait_state(page, "idle", timeout=2_000)
    assert clock(page)["t"] == 0
    # typing in a box is never hijacked
    page.fill("#seed-input", "")
    page.type("#seed-input", "12 ")
    assert clock(page)["state"] == "idle"


@pytest.mark.parametrize(
    ("value", "message"),
    [("5", "from 20 to 3000"), ("99999", "from 20 to 3000")],
)
def test_bad_budget_shows_a_message_and_the_app_recovers(
    page: Page, app_url: str, value: str, message: str
) -> None:
    errors = open_app(page, app_url)
    page.fill("#budget-input", value)
    page.press("#budget-input", "Enter")
    expect(page.locator("#alert")).to_contain_text(message)
    page.click("#run-button")
    expect(page.locator("#race-status")).to_contain_text("Could not race")
    assert clock(page)["state"] == "idle"

    page.fill("#budget-input", "400")
    page.press("#budget-input", "Enter")
    expect(page.locator("#alert")).to_be_empty()
    page.click("#step-button")
    wait_state(page, "paused")
    assert page.evaluate("window.hpoRace.view.budget") == 400
    assert "/ 400 GPU min" in budget_text(page, "grid")
    assert [e for e in errors if "500" in e] == []
