"""Classroom tools in a real browser: headless Chromium (Playwright) against the real app.

Shareable links that replay the identical race, the notice for unusable link parameters,
hidden controls, every keyboard shortcut, Copy link (and its fallback), the theme and the
live summary. Predict-the-winner, the exports and the PNG camera are in
tests/test_browser_predict_and_export.py. Screenshots (presenter mode, dark theme, the help
overlay) go to tests/artifacts/classroom-*.png.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import (
    RACING,
    VIEWPORT,
    count_posts,
    open_app,
    real,
    wait_frames,
    wait_js,
    wait_revealed,
    wait_state,
)
from playwright.sync_api import Browser, Page, expect

from hpo_race.app.model_data import BAYES_DEFAULTS
from hpo_race.app.narration import with_reasons
from hpo_race.strategies.race import DEFAULT_BUDGET, run

#: A link with every race and view setting away from its default.
LINK = (
    "?landscape=bumpy&layout=5&budget=600&seed=9"
    "&acq=ucb&xi=0.01&kappa=3&kernel=rbf&ls=0.2&init=3&view=probes&speed=2"
)
LINK_BAYES = {
    "acquisition": "ucb",
    "xi": 0.01,
    "kappa": 3.0,
    "kernel": "rbf",
    "length_scale": 0.2,
    "n_initial": 3,
    "edge_prior": True,
}


# ---------------------------------------------------------------- helpers


def state(page: Page) -> str:
    return page.evaluate("document.getElementById('race-clock').dataset.state")


def race_to_the_end(page: Page) -> dict:
    """Step once (the server computes the race), then jump the clock to the end."""
    page.click("#step-button")
    wait_js(page, "window.hpoRace.view !== null")
    wait_state(page, "paused")
    page.evaluate("window.hpoRace.api.seek(1e12)")
    wait_state(page, "finished")
    return page.evaluate("window.hpoRace.view")


def probes(page: Page) -> dict[str, list[list[float]]]:
    """Every panel's probes as drawn: {strategy: [[x, y], …]}."""
    return page.evaluate(
        """(names) => { const out = {};
            names.forEach(n => {
                const g = document.querySelector('#panel-' + n + ' .js-plotly-plot');
                const t = g.data.find(d => d.uid === 'probes');
                out[n] = Array.from(t.x).map((x, i) => [x, t.y[i]]);
            });
            return out; }""",
        RACING,
    )


def focus_page(page: Page) -> None:
    page.locator("body").click(position={"x": 5, "y": 760})


def panel_marker_size(page: Page) -> float:
    return page.evaluate(
        """() => { const g = document.querySelector('#panel-grid .js-plotly-plot');
                   return g.data.find(d => d.uid === 'probes').marker.size; }"""
    )


def expected_race(landscape: str, budget: float, seed: int, lseed: int, bayes: dict) -> dict:
    """The engine's trace, with the Bayesian reasons in words as the page's exports carry them."""
    trace = run(landscape, RACING, budget, seed, landscape_seed=lseed, options={"bayes": bayes})
    return with_reasons(trace)


# ---------------------------------------------------------------- links


def test_a_shared_link_replays_the_identical_race(
    clipboard_page: Page, browser: Browser, app_url: str
) -> None:
    page = clipboard_page
    errors = open_app(page, app_url + LINK)
    expect(page.locator("#landscape-info")).to_contain_text("Bumpy")
    expect(page.locator("#landscape-seed-label")).to_have_text("layout #5")
    expect(page.locator("#budget-input")).to_have_value("600")
    expect(page.locator("#seed-input")).to_have_value("9")
    expect(page.locator("#speed-select input[value='2']")).to_be_checked()
    expect(page.locator("#bayes-kernel input[value='rbf']")).to_be_checked()
    expect(page.locator("#bayes-acq input[value='ucb']")).to_be_checked()
    expect(page.locator("#bayes-init")).to_have_value("3")
    expect(page.locator("#link-notice")).to_be_hidden()

    view = race_to_the_end(page)
    assert (view["landscape"], view["landscape_seed"], view["budget"], view["seed"]) == (
        "bumpy",
        5,
        600,
        9,
    )
    assert view["bayes"] == LINK_BAYES
    first = probes(page)
    trace = expected_race("bumpy", 600.0, 9, 5, LINK_BAYES)
    knobs = trace["landscape"]["knobs"]
    for name in RACING:
        trials = trace["strategies"][name]["trials"]
        assert first[name] == [
            [real(knobs[0], t["theta"][0], 6), real(knobs[1], t["theta"][1], 6)] for t in trials
        ], name

    # Copy link: the clipboard holds the whole state, and it replays the same race elsewhere
    page.click("#copy-link")
    expect(page.locator("#copy-link")).to_contain_text("Copied")
    link = page.evaluate("navigator.clipboard.readText()")
    query = parse_qs(urlparse(link).query)
    for key, value in {
        "landscape": "bumpy",
        "layout": "5",
        "budget": "600",
        "seed": "9",
        "acq": "ucb",
        "kappa": "3",
        "kernel": "rbf",
        "ls": "0.2",
        "init": "3",
        "speed": "2",
    }.items():
        assert query.get(key) == [value], (key, link)
    assert errors == []

    other = browser.new_context(viewport=VIEWPORT)
    try:
        fresh = other.new_page()
        open_app(fresh, link)
        replay = race_to_the_end(fresh)
        assert replay["bayes"] == LINK_BAYES
        assert probes(fresh) == first
    finally:
        other.close()


def test_the_address_follows_every_setting(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.fill("#seed-input", "4")
    page.press("#seed-input", "Enter")
    wait_js(page, "location.search.includes('seed=4')")
    page.click("#bayes-settings summary")
    page.locator("#bayes-acq label", has_text="PI").click()
    wait_js(page, "location.search.includes('acq=pi')")
    page.fill("#bayes-init", "7")
    page.press("#bayes-init", "Enter")
    wait_js(page, "location.search.includes('init=7')")
    page.click("#bayes-settings summary")
    page.locator("#speed-select label", has_text="4×").click()
    wait_js(page, "location.search.includes('speed=4')")
    page.click("#presenter-toggle")
    wait_js(page, "location.search.includes('presenter=1')")
    page.click("#theme-toggle")
    wait_js(page, "/theme=(dark|light)/.test(location.search)")
    query = parse_qs(page.evaluate("location.search")[1:])
    assert query["seed"] == ["4"] and query["landscape"] == ["smooth"]
    assert query["acq"] == ["pi"] and query["init"] == ["7"] and query["speed"] == ["4"]


@pytest.mark.parametrize(
    ("query", "reasons"),
    [
        (
            "?landscape=nope&layout=-1&budget=abc&seed=1e9&acq=zzz&xi=99&ls=70&init=0"
            "&view=sideways&speed=9&theme=purple&presenter=maybe&bogus=1&budjet_hide=1",
            {
                "landscape=nope": "must be one of smooth, bumpy",
                "layout=-1": "whole number",
                "budget=abc": "from 20 to 3000",
                "seed=1e9": "whole number",
                "acq=zzz": "must be one of",
                "xi=99": "from 0 to 10",
                "ls=70": 'from 0.03 to 10 or "fitted"',
                "init=0": "whole number",
                "view=sideways": "must be one of",
                "speed=9": "must be one of",
                "theme=purple": "light or dark",
                "presenter=maybe": "1 or 0",
                "bogus": "not a setting",
                "budjet_hide": "names no control",
            },
        ),
        ("?budget=5&seed=3", {"budget=5": "using 800"}),
    ],
)
def test_garbage_in_a_link_falls_back_with_a_notice(
    page: Page, app_url: str, query: str, reasons: dict[str, str]
) -> None:
    errors = open_app(page, app_url + query)
    notice = page.locator("#link-notice")
    expect(notice).to_be_visible()
    items = notice.locator("li")
    expect(items).to_have_count(len(reasons))
    text = notice.inner_text()
    for param, why in reasons.items():
        line = next(t for t in items.all_inner_texts() if t.startswith(param))
        assert why in line, (param, line)
    assert "could not be used" in text
    # the defaults stand, and the page works
    expect(page.locator("#landscape-info")).to_contain_text("Smooth")
    expect(page.locator("#budget-input")).to_have_value("800")
    expect(page.locator("#alert")).to_be_empty()
    view = race_to_the_end(page)
    assert view["budget"] == DEFAULT_BUDGET
    assert view["bayes"] == BAYES_DEFAULTS
    # the address keeps only what was used
    search = page.evaluate("location.search")
    assert "abc" not in search and "bogus" not in search and "budget=5&" not in search
    # the notice can be dismissed, from the keyboard too
    notice.locator(".notice-close").focus()
    page.keyboard.press("Enter")
    expect(notice).to_be_hidden()
    assert errors == []


def test_a_teachers_link_hides_controls(page: Page, app_url: str) -> None:
    open_app(page, app_url + "?budget_hide=1&landscape_hide=1&model_hide=1&export_hide=1")
    for selector in ("#budget-input", "#landscape-select", "#bayes-settings", "#export-menu"):
        expect(page.locator(selector)).to_be_hidden()
    for selector in ("#seed-input", "#run-button", "#copy-link", "#speed-select", "#bayes-view"):
        expect(page.locator(selector)).to_be_visible()
    expect(page.locator("#link-notice")).to_be_hidden()
    # keys of a hidden control are off too: 2 would pick the second landscape
    focus_page(page)
    posts = count_posts(page)
    theme = page.evaluate("document.documentElement.dataset.theme")
    page.keyboard.press("2")
    page.keyboard.press("t")  # handled after the 2: once the theme flips, the 2 was handled too
    wait_js(page, f"document.documentElement.dataset.theme !== '{theme}'")
    wait_frames(page)
    expect(page.locator("#landscape-select")).to_contain_text("Smooth")
    expect(page.locator("#landscape-info")).to_contain_text("Smooth")
    assert not [p for p in posts if "landscape-select" in json.dumps(p.get("inputs"))], posts
    # a shared copy of the link hides the same controls
    page.click("#copy-link")
    wait_js(page, "location.search.includes('budget_hide=1')")
    search = page.evaluate("location.search")
    for key in ("budget_hide=1", "landscape_hide=1", "model_hide=1", "export_hide=1"):
        assert key in search


def test_copy_link_falls_back_to_a_selected_box(browser: Browser, app_url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    try:
        page = context.new_page()
        open_app(page, app_url + "?seed=5")
        page.click("#copy-link")
        box = page.locator("#share-fallback")
        expect(box).to_be_visible()
        value = page.input_value("#share-input")
        assert value.startswith(app_url) and "seed=5" in value and "landscape=smooth" in value
        selected = page.evaluate(
            "(() => { const i = document.getElementById('share-input');"
            " return [document.activeElement === i, i.selectionStart, i.selectionEnd]; })()"
        )
        assert selected == [True, 0, len(value)]
        page.keyboard.press("Escape")
        expect(box).to_be_hidden()
    finally:
        context.close()


# ---------------------------------------------------------------- keyboard


def test_every_shortcut(page: Page, app_url: str, artifacts: Path) -> None:
    errors = open_app(page, app_url)
    focus_page(page)
    # ? opens the help overlay (focus inside); Esc closes it and gives focus back
    page.keyboard.press("?")
    dialog = page.locator("#shortcuts-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("dialog")).to_have_attribute("aria-modal", "true")
    assert page.evaluate("!!document.activeElement.closest('#shortcuts-dialog')")
    for key in ("Space", "→", "R", "F", "P", "T", "?", "Esc"):
        expect(dialog.locator("kbd", has_text=key).first).to_be_visible()
    page.screenshot(path=str(artifacts / "classroom-help.png"))
    page.keyboard.press(" ")  # keys under a dialog do not reach the race
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert state(page) == "idle"
    page.click("#shortcuts-button")
    expect(dialog).to_be_visible()
    page.keyboard.press("?")
    expect(dialog).to_be_hidden()

    # Space runs and pauses, → steps, R resets
    focus_page(page)
    page.keyboard.press(" ")
    wait_state(page, "playing")
    page.keyboard.press(" ")
    wait_state(page, "paused", timeout=3_000)
    before = page.evaluate("Number(document.getElementById('race-clock').dataset.clock)")
    page.keyboard.press("ArrowRight")
    wait_js(page, f"Number(document.getElementById('race-clock').dataset.clock) > {before}")
    page.keyboard.press("r")
    wait_state(page, "idle", timeout=3_000)

    # 1–9 choose a landscape
    page.keyboard.press("2")
    expect(page.locator("#landscape-info")).to_contain_text("Bumpy")
    page.keyboard.press("1")
    expect(page.locator("#landscape-info")).to_contain_text("Smooth")

    # P: presenter mode (large type, thick markers), and back
    normal = panel_marker_size(page)
    page.keyboard.press("p")
    wait_js(page, "document.documentElement.dataset.presenter === 'true'")
    wait_js(
        page,
        "document.querySelector('#panel-grid .js-plotly-plot').data"
        f".find(d => d.uid === 'probes').marker.size > {normal}",
    )
    expect(page.locator("#presenter-toggle")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("p")
    wait_js(page, "document.documentElement.dataset.presenter === 'false'")
    assert panel_marker_size(page) == normal

    # T: theme (the plots follow)
    start = page.evaluate("document.documentElement.dataset.theme")
    page.keyboard.press("t")
    wait_js(page, f"document.documentElement.dataset.theme !== '{start}'")
    page.keyboard.press("t")
    wait_js(page, f"document.documentElement.dataset.theme === '{start}'")

    # F: full screen, and back
    page.keyboard.press("f")
    wait_js(page, "document.fullscreenElement !== null", timeout=5_000)
    page.keyboard.press("f")
    wait_js(page, "document.fullscreenElement === null", timeout=5_000)

    # typing in a box is never a shortcut
    page.fill("#seed-input", "")
    page.type("#seed-input", "2")
    for key in ("p", "t", "f", "?", "3", " ", "4"):
        page.keyboard.press(key)
    # the digits reached the box, so every key before them was handled (by the box alone)
    wait_js(page, "document.getElementById('seed-input').value === '234'")
    wait_frames(page)
    assert page.evaluate("document.documentElement.dataset.presenter") == "false"
    assert page.evaluate("document.fullscreenElement") is None
    expect(dialog).to_be_hidden()
    expect(page.locator("#landscape-info")).to_contain_text("Smooth")
    assert state(page) == "idle"
    assert errors == []


# ---------------------------------------------------------------- predict the winner


def test_screenshots_presenter_and_dark(page: Page, app_url: str, artifacts: Path) -> None:
    open_app(page, app_url + "?presenter=1")
    page.click("#run-button")
    wait_state(page, "playing")
    page.evaluate("window.hpoRace.api.setSpeed(30)")
    wait_state(page, "finished")
    wait_revealed(page)
    size = page.evaluate(
        "(() => { const d = document.documentElement;"
        " return [d.scrollWidth, d.scrollHeight, innerWidth, innerHeight]; })()"
    )
    assert size[0] <= size[2] and size[1] <= size[3], size
    topbar = page.locator(".topbar").bounding_box()
    assert topbar and topbar["height"] < 50, "the controls must stay on one row"
    page.screenshot(path=str(artifacts / "classroom-presenter.png"))

    open_app(page, app_url + "?theme=dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(14, 19, 27)"
    page.click("#run-button")
    wait_state(page, "playing")
    page.evaluate("window.hpoRace.api.setSpeed(30)")
    wait_state(page, "finished")
    wait_revealed(page)
    bg = page.evaluate(
        "document.querySelector('#best-plot .js-plotly-plot')._fullLayout.plot_bgcolor"
    )
    assert bg == "#161c26"
    page.screenshot(path=str(artifacts / "classroom-dark.png"))


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_theme_follows_the_system_unless_chosen(
    browser: Browser, app_url: str, scheme: str
) -> None:
    context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
    try:
        page = context.new_page()
        open_app(page, app_url)
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        expect(page.locator("#theme-toggle")).to_have_attribute(
            "aria-pressed", "true" if scheme == "dark" else "false"
        )
        assert "theme=" not in page.evaluate("location.search")
        other = "light" if scheme == "dark" else "dark"
        open_app(page, f"{app_url}?theme={other}")
        assert page.evaluate("document.documentElement.dataset.theme") == other
    finally:
        context.close()


def test_live_summary_speaks_at_milestones_not_every_frame(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.evaluate(
        """() => { window.__said = [];
            new MutationObserver(() => {
                const t = document.getElementById('race-live').textContent;
                if (t) window.__said.push(t);
            }).observe(document.getElementById('race-live'),
                       {childList: true, characterData: true, subtree: true}); }"""
    )
    assert page.get_attribute("#race-live", "aria-live") == "polite"
    assert page.get_attribute("#race-status", "aria-live") is None  # one live summary only
    page.click("#run-button")
    wait_state(page, "playing")
    page.evaluate("window.hpoRace.api.setSpeed(4)")
    wait_state(page, "finished", timeout=30_000)
    wait_js(page, "(window.__said.slice(-1)[0] || '').startsWith('Race finished.')")
    wait_frames(page)
    said = page.evaluate("window.__said")
    frames = page.evaluate("window.hpoRace.stats.frames")
    assert frames > 60 and 2 <= len(said) <= 8, (frames, said)
    assert said[0].startswith("Race started on Smooth")
    assert any("reached 95% of the optimum" in s for s in said)
    assert said[-1].startswith("Race finished. First to 95% of the optimum:")
