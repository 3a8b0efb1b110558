"""Issue 13 in a real browser: the panels' rugs, the end-of-race acquisition view and the Guide.

- The rugs: each panel's ticks along its two axes are the distinct values of each axis knob
  among the trials shown, at the end and at a scrubbed step, for every racer and with more
  than two knobs; grid's count per axis is its lattice's size, random search's one a trial.
  They are drawn under every probe and scaled like the probes on every screen.
- The acquisition view at the end of a race is not one flat colour: log10 of EI over the
  frame's own range while the model still expects a gain, and "nothing left to gain" with the
  numbers the server computed once it does not.
- The Guide: every mark on screen and "Where it is used, and what to read next" with its four
  links, which open in a new tab; the page asks nothing of any other host.

What the page shows is compared with ``window.hpoRace.view`` and with what the server computes
for the same settings (``app.model_data``), never with numbers written here.
Screenshots at every screen size go to tests/artifacts/issue13-*.png.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest
from conftest import (
    SCREENS,
    link_settings,
    open_app,
    race_fast,
    wait_js,
    wait_plots_fit,
    wait_state,
    wait_still,
)
from playwright.sync_api import Page, expect
from test_browser_model import MODEL_GRAPHS, scrub_to, wait_model

from hpo_race.app.figures import RUG_SIZE
from hpo_race.app.guide import MARKS, READING, USES, shapes_line
from hpo_race.app.model_data import BAYES_DEFAULTS, model_payload, race_payload
from hpo_race.app.transport import dequantise

# ---------------------------------------------------------------- the rugs

#: What a panel draws and counts, read from the page: the rug traces, the distinct axis values
#: of the trials shown (from window.hpoRace.view), the budget line's count, the trace order.
RUG_JS = """(name) => {
    const R = window.hpoRace, s = R.view.strategies[name], n = R.shown[name] || 0;
    const g = document.querySelector('#panel-' + name + ' .js-plotly-plot');
    const uids = g.data.map(t => t.uid), at = u => g.data[uids.indexOf(u)];
    const full = u => g._fullData[uids.indexOf(u)];
    const rug = document.querySelector('#budget-' + name + ' .b-rug');
    return {n: n, uids: uids,
            xs: [...new Set(s.x.slice(0, n))], ys: [...new Set(s.y.slice(0, n))],
            rugX: Array.from(at('rug-x').x), rugXAt: Array.from(at('rug-x').y),
            rugY: Array.from(at('rug-y').y), rugYAt: Array.from(at('rug-y').x),
            rim: Array.from(at('rug-rim').x).length,
            rugSize: full('rug-x').marker.size, probeSize: full('probes').marker.size,
            said: rug.textContent, saidX: rug.dataset.x, saidY: rug.dataset.y,
            knobs: R.view.knobs.slice(0, 2)}; }"""


def rug(page: Page, name: str) -> dict:
    return page.evaluate(RUG_JS, name)


def check_rug(page: Page, name: str, payload: dict) -> dict:
    """The panel's rugs are the distinct axis values of its trials shown, by the page's view
    and by the server's payload for the same settings; the budget line counts them."""
    got = rug(page, name)
    n = got["n"]
    assert sorted(got["rugX"]) == sorted(got["xs"]) and len(got["rugX"]) == len(got["xs"])
    assert sorted(got["rugY"]) == sorted(got["ys"]) and len(got["rugY"]) == len(got["ys"])
    server = payload["strategies"][name]
    assert set(got["rugX"]) == set(server["x"][:n]), name
    assert set(got["rugY"]) == set(server["y"][:n]), name
    # on the bottom edge and the left edge of the square, under a rim tick each
    knobs = got["knobs"]
    assert set(got["rugXAt"]) <= {knobs[1]["low"]} and set(got["rugYAt"]) <= {knobs[0]["low"]}
    assert got["rim"] == len(got["rugX"]) + len(got["rugY"])
    # drawn before (under) every trace that marks a trial: a rug never hides a point
    uids = got["uids"]
    for mark in ("halo", "probes", "latest", "best", "partial", "good"):
        if mark in uids:
            assert max(uids.index(u) for u in ("rug-rim", "rug-x", "rug-y")) < uids.index(mark)
    if n:
        short = [k["short"] or k["name"] for k in knobs]
        want = f" · {len(got['xs'])} {short[0]} · {len(got['ys'])} {short[1]} values"
        assert got["said"] == want, got["said"]
        assert (int(got["saidX"]), int(got["saidY"])) == (len(got["xs"]), len(got["ys"]))
    else:
        assert got["rugX"] == [] and got["said"] == ""
    return got


def wait_rugs_drawn(page: Page, names: list[str]) -> None:
    """Wait until each panel's rug has been redrawn for the trials it shows now."""
    wait_js(
        page,
        f"""{names!r}.every(name => {{
            const R = window.hpoRace, s = R.view.strategies[name], n = R.shown[name] || 0;
            const g = document.querySelector('#panel-' + name + ' .js-plotly-plot');
            const t = g.data.find(d => d.uid === 'rug-x');
            return t.x.length === new Set(s.x.slice(0, n)).size; }})""",
    )


def test_rugs_mark_the_distinct_values_tried_at_the_end_and_when_scrubbed(
    page: Page, app_url: str, artifacts: Path
) -> None:
    errors = open_app(page, app_url)
    payload = race_payload(link_settings(""))
    race_fast(page)
    wait_rugs_drawn(page, ["grid", "random", "bayes"])
    grid = check_rug(page, "grid", payload)
    shape = payload["strategies"]["grid"]["shape"]
    # the grid tries its lattice's few values again and again: one tick per lattice value
    assert (len(grid["rugX"]), len(grid["rugY"])) == tuple(shape[:2])
    assert grid["n"] > len(grid["rugX"]) + len(grid["rugY"])
    # random search tries a new value of every knob with every trial
    random = check_rug(page, "random", payload)
    assert len(random["rugX"]) == len(random["rugY"]) == random["n"] > 3 * max(shape)
    check_rug(page, "bayes", payload)
    page.screenshot(path=str(artifacts / "issue13-rugs-end.png"))

    # scrubbed back to a third of the race: the rugs shrink to the trials shown then
    end = page.evaluate("window.hpoRace.view.end")
    scrub_to(page, end / 3)
    wait_state(page, "paused")
    wait_rugs_drawn(page, ["grid", "random", "bayes"])
    early = {name: check_rug(page, name, payload) for name in ("grid", "random", "bayes")}
    assert 0 < early["grid"]["n"] < grid["n"]
    assert len(early["random"]["rugX"]) == early["random"]["n"] < random["n"]
    # grid walks its lattice a line at a time: a third of the way in, one axis has its every
    # value and the other only some
    early_grid = (len(early["grid"]["rugX"]), len(early["grid"]["rugY"]))
    assert sum(early_grid) < sum(shape[:2])
    assert early_grid[0] == shape[0] or early_grid[1] == shape[1]
    page.screenshot(path=str(artifacts / "issue13-rugs-scrubbed.png"))
    assert errors == []


def test_rugs_follow_every_racer_with_more_knobs(page: Page, app_url: str) -> None:
    query = "dims=3&seed=2&racers=grid,random,hyperband,tpe,halving"
    names = ["grid", "random", "hyperband", "tpe", "halving"]
    errors = open_app(page, f"{app_url}?{query}")
    payload = race_payload(link_settings(query))
    race_fast(page)
    wait_rugs_drawn(page, names)
    got = {name: check_rug(page, name, payload) for name in names}
    # Hyperband and halving train the same settings again at more fidelity: fewer values
    # than trials; a grid in 3 knobs tries only a few values of each axis knob
    for name in ("hyperband", "halving"):
        assert len(got[name]["rugX"]) < got[name]["n"]
    shape = payload["strategies"]["grid"]["shape"]
    assert (len(got["grid"]["rugX"]), len(got["grid"]["rugY"])) == tuple(shape[:2])
    assert errors == []


# ---------------------------------------------------------------- the acquisition view


def pow10(log: float) -> str:
    """The page's power-of-ten notation (assets/bayes-model.js pow10): 10⁻³, 3.2·10⁻⁹¹."""
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    e = math.floor(log + 1e-9)
    mant = f"{10 ** (log - e):.1f}"
    if mant == "10.0":
        e, mant = e + 1, "1.0"
    return ("" if mant == "1.0" else f"{mant}·") + "10" + str(e).translate(sup)


def test_the_acquisition_view_stays_readable_to_the_end(
    page: Page, app_url: str, artifacts: Path
) -> None:
    errors = open_app(page, f"{app_url}?view=acquisition", MODEL_GRAPHS)
    settings = link_settings("view=acquisition")
    model = model_payload(settings)
    facts = model["acquisition_view"]
    res = model["resolution"]
    race_fast(page)
    n = page.evaluate("window.hpoRace.view.strategies.bayes.clock.length")
    shown = wait_model(page, "acquisition", n)
    wait_still(page)
    last = model["frames"]["acquisition"][n]
    z = np.array(shown["z"], dtype=float)
    assert np.allclose(z, dequantise(last, (res, res)), atol=1e-9)
    assert [shown["zmin"], shown["zmax"]] == [last["lo"], last["hi"]]
    key = page.inner_text("#model-key")
    assert pow10(round(last["lo"])) in key and pow10(round(last["hi"])) in key, key
    assert "log scale" in page.get_attribute("#model-key", "title")
    # the end of this race: EI is below the threshold everywhere, and the panel says so with
    # the numbers the server computed (the map under it fades)
    assert facts["nothing"][n]
    note = page.locator("#model-note")
    expect(note).to_be_visible()
    text = note.inner_text()
    assert "nothing left to gain anywhere" in text
    assert f"EI is below {pow10(math.log10(facts['threshold']))}" in text, text
    assert f"its largest is {pow10(math.log10(facts['peak'][n]))}" in text, text
    assert "1/10,000 of the score range" in text
    page.screenshot(path=str(artifacts / "issue13-ei-end.png"))

    # while the model still expects a gain: no note, and most of the map is coloured
    k = facts["nothing"].index(True) - 1
    assert k >= BAYES_DEFAULTS["n_initial"]
    minute = page.evaluate(f"window.hpoRace.view.strategies.bayes.clock[{k - 1}]")
    page.evaluate(f"window.hpoRace.api.seek({minute})")
    shown = wait_model(page, "acquisition", k)
    frame = model["frames"]["acquisition"][k]
    z = np.array(shown["z"], dtype=float)
    assert np.allclose(z, dequantise(frame, (res, res)), atol=1e-9)
    span = shown["zmax"] - shown["zmin"]
    assert span > 1, "colours over powers of ten"
    assert np.mean(z - shown["zmin"] > 0.1 * span) > 0.4, "not one flat colour"
    expect(note).to_be_hidden()
    assert page.get_attribute("#app-root", "data-model-note") == "off"
    wait_still(page)
    page.screenshot(path=str(artifacts / "issue13-ei-mid.png"))
    assert errors == []


# ---------------------------------------------------------------- the Guide


def local_only(page: Page, app_url: str) -> list[str]:
    """Record every request to another host and answer it with a stub (nothing leaves the
    machine): the list stays empty unless the page asks another host for something."""
    here = urlparse(app_url).netloc
    outside: list[str] = []

    def handle(route) -> None:  # noqa: ANN001
        url = route.request.url
        if urlparse(url).netloc == here or not url.startswith("http"):
            route.continue_()
        else:
            outside.append(url)
            route.fulfill(status=200, content_type="text/html", body="<p>stub</p>")

    page.context.route("**/*", handle)
    return outside


def open_guide(page: Page) -> None:
    for section in (".guide-marks-section", ".guide-uses-section"):
        if not page.locator(section).evaluate("d => d.open"):
            page.locator(f"{section} > summary").click()
        expect(page.locator(f"{section} > :not(summary)").first).to_be_visible()


def test_the_guide_explains_every_mark_and_links_the_reading(
    page: Page, app_url: str, artifacts: Path
) -> None:
    outside = local_only(page, app_url)
    errors = open_app(page, app_url)
    race_fast(page)
    assert outside == [], "the page works offline"
    help_card = page.locator("#help")
    # folded, both titles show in the card without scrolling it
    for section in (".guide-marks-section", ".guide-uses-section"):
        title = page.locator(f"{section} > summary")
        expect(title).to_be_visible()
        assert title.evaluate(
            """t => t.getBoundingClientRect().bottom
                    <= t.closest('.help').getBoundingClientRect().bottom"""
        )
    open_guide(page)
    text = help_card.inner_text()
    # every mark has its line, in the words of app/guide.py ...
    assert shapes_line() in text
    for _heading, rows in MARKS:
        for _glyph, _sample, meaning in rows:
            assert meaning in text, meaning
    # ... and the marks the issue names are among them
    marks = page.locator(".guide-marks-section").inner_text()
    for said in (
        "✕",
        "true optimum",
        "⊠",
        "never reached",
        "rugs",
        "now",
        "not a curve",
        "◯",
        "◆",
        "model chose",
        "stopped early",
        "×4",
        "striped",
        "⊕",
        "log scale",
    ):
        assert said in marks, said
    for use in USES:
        assert use in text
    for word in ("Vizier", "AutoML", "wet-lab", "TVM", "Triton", "XLA"):
        assert word in text
    # four plain links, each with its line, opening in a new tab (the stub answers them)
    links = page.locator(".guide-reading a")
    assert links.count() == len(READING) == 4
    for i, (who, title, _where, href, what) in enumerate(READING):
        link = links.nth(i)
        assert link.get_attribute("href") == href and href.startswith("https://")
        assert link.get_attribute("target") == "_blank"
        assert "noopener" in link.get_attribute("rel")
        item = page.locator(".guide-reading li").nth(i).inner_text()
        assert who in item and title in item and what in item
        link.scroll_into_view_if_needed()
        with page.expect_popup() as popup:
            link.click()
        opened = popup.value
        opened.wait_for_load_state()
        assert opened.url == href
        opened.close()
    # only the clicks left the page (a new tab may ask its host for more, an icon say)
    hrefs = [href for _w, _t, _p, href, _x in READING]
    assert [url for url in outside if url in hrefs] == hrefs
    assert {urlparse(url).netloc for url in outside} == {urlparse(h).netloc for h in hrefs}
    page.locator(".guide-uses-section").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "issue13-guide.png"))
    # the scrubber and the "now" line do not look like one more curve
    assert "repeating-linear-gradient" in page.evaluate(
        "getComputedStyle(document.getElementById('now-line')).backgroundImage"
    )
    assert "repeating-linear-gradient" in page.evaluate(
        "getComputedStyle(document.querySelector('#scrubber .scrub-fill')).backgroundImage"
    )
    assert errors == []


# ---------------------------------------------------------------- every screen


#: The plots' scale on a screen (assets/plot-style.js viewScale): 1 up to 1366 × 768.
def view_scale(width: int, height: int) -> float:
    return round(max(1.0, min(3.2, min(width, height * 1.778) / 1366)), 2)


@pytest.mark.parametrize(
    ("screen_page", "tag"), [(t, t) for t in SCREENS], indirect=["screen_page"]
)
def test_rugs_model_view_and_guide_on_every_screen(
    screen_page: Page, tag: str, app_url: str, artifacts: Path
) -> None:
    page, (width, height) = screen_page, SCREENS[tag]["size"]
    phone = width < 640
    shot = {"full_page": phone}
    errors = open_app(page, app_url)
    race_fast(page, tap=phone)
    wait_plots_fit(page)
    wait_rugs_drawn(page, ["grid", "random", "bayes"])
    got = rug(page, "grid")
    # scaled like the probes: as long against them on every screen
    assert got["rugSize"] / got["probeSize"] == pytest.approx(RUG_SIZE / 12, rel=0.02)
    assert got["rugSize"] == pytest.approx(RUG_SIZE * view_scale(width, height), rel=0.02)
    wait_still(page)
    page.screenshot(path=str(artifacts / f"issue13-{tag}-rugs.png"), **shot)

    for presenter in (False, True):
        if presenter:
            page.click("#presenter-toggle")
            wait_js(page, "document.documentElement.dataset.presenter === 'true'")
        open_guide(page)
        card = page.locator("#help")
        # the Guide wraps inside its card: nothing runs off to the side
        assert card.evaluate("c => c.scrollWidth <= c.clientWidth + 1")
        for i in range(len(READING)):
            link = page.locator(".guide-reading a").nth(i)
            link.scroll_into_view_if_needed()
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        page.locator(".guide-marks-section").scroll_into_view_if_needed()
        wait_still(page)
        mode = "presenter" if presenter else "normal"
        card.screenshot(path=str(artifacts / f"issue13-{tag}-guide-{mode}.png"))
        page.screenshot(path=str(artifacts / f"issue13-{tag}-page-{mode}.png"), **shot)

    # the Bayesian panel's EI view at the end (a phone shows it on its racer tab)
    if phone:
        page.tap("#racer-tab-bayes")
    page.locator("#bayes-view label").filter(has_text="EI").first.click()
    n = page.evaluate("window.hpoRace.view.strategies.bayes.clock.length")
    wait_model(page, "acquisition", n)
    expect(page.locator("#model-note")).to_be_visible()
    note = page.locator("#model-note").bounding_box()
    stage = page.locator(".panel-bayes .panel-stage").bounding_box()
    assert (
        stage["x"] - 1 <= note["x"] <= note["x"] + note["width"] <= stage["x"] + stage["width"] + 1
    )
    wait_still(page)
    page.locator(".panel-bayes").screenshot(path=str(artifacts / f"issue13-{tag}-ei.png"))
    assert errors == []
