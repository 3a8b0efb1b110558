"""The model's reasoning in a real browser: headless Chromium (Playwright) against the real app.

Covers the Bayesian view switcher (each view's heatmap z is the decoded frame of the model at
the current step, with its own colours and legend), the Bayesian settings (they change the
Bayesian race and only it), the timeline scrubber (drag: clock, panels, budget bars and
narration follow) and narration. Many-seeds mode is in tests/test_browser_many.py.
Screenshots of each view go to tests/artifacts/.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import RACING, clock, count_posts, real, wait_js, wait_state, wait_still
from conftest import open_app as open_page
from playwright.sync_api import Page, expect

from hpo_race.app.landscape_views import cached_landscape_view
from hpo_race.app.model_data import BAYES_DEFAULTS, model_resolution
from hpo_race.app.model_frames import page_frames
from hpo_race.app.narration import narrate_trace
from hpo_race.app.transport import dequantise
from hpo_race.strategies.internals import bayes_internals
from hpo_race.strategies.race import DEFAULT_BUDGET, run

# ---------------------------------------------------------------- helpers

#: The graphs of the Bayesian panel's views and of the many-seeds view.
MODEL_GRAPHS = ("panel-bayes", "best-plot", "model-bayes", "many-plot")


def open_app(page: Page, url: str) -> list[str]:
    return open_page(page, url, MODEL_GRAPHS)


def posts_to(posts: list[dict], store: str) -> list[dict]:
    return [p for p in posts if any(i.get("id") == store for i in p.get("inputs", []))]


def apart_from_lesson(posts: list[dict]) -> list[dict]:
    """The page's requests without the lesson's count (it asks in the background, a chunk
    of its races at a time: tests/test_browser_lesson.py)."""
    lesson = posts_to(posts, "lesson-request")
    return [p for p in posts if p not in lesson]


def step(page: Page, times: int) -> None:
    for _ in range(times):
        before = clock(page)["t"]
        page.click("#step-button")
        wait_js(
            page,
            "window.hpoRace.view !== null && Number(document.getElementById('race-clock')"
            f".dataset.clock) > {before} && "
            "['paused','finished'].includes(document.getElementById('race-clock').dataset.state)",
        )


def choose(page: Page, group: str, label: str) -> None:
    page.locator(f"#{group} label").filter(has_text=label).first.click()


def shown_model(page: Page) -> dict:
    return page.evaluate("window.hpoModel.api.shown()")


def wait_model(page: Page, view: str, step_k: int | None = None) -> dict:
    cond = (
        "(() => { const s = window.hpoModel.api.shown();"
        f" return document.getElementById('app-root').dataset.model === 'ready' && s && "
        f"s.view === '{view}' && s.step === (window.hpoRace.shown.bayes || 0)"
        + (f" && s.step === {step_k}" if step_k is not None else "")
        + "; })()"
    )
    wait_js(page, cond)
    return shown_model(page)


#: The default landscape's score range (the probes' colours; the "nothing to gain" scale).
SCORE_RANGE = [cached_landscape_view("smooth", 0, None)[k] for k in ("zmin", "zmax")]


@pytest.fixture(scope="module")
def default_race() -> dict:
    trace = run("smooth", RACING, DEFAULT_BUDGET, 0, options={"bayes": dict(BAYES_DEFAULTS)})
    n = len(trace["strategies"]["bayes"]["trials"])
    return {
        "trace": trace,
        # what the page receives: the acquisition as log10 (app.model_frames.page_frames)
        "internals": page_frames(
            bayes_internals(trace, resolution=model_resolution(n)), SCORE_RANGE
        ),
    }


# ---------------------------------------------------------------- the Bayesian views


def test_each_bayesian_view_shows_the_models_frame(
    page: Page, app_url: str, artifacts: Path, default_race: dict
) -> None:
    errors = open_app(page, app_url)
    posts = count_posts(page)
    internals = default_race["internals"]
    res = internals["resolution"]
    knobs = default_race["trace"]["landscape"]["knobs"]

    step(page, 10)  # a few trials in, past the Bayesian strategy's random start
    assert len(apart_from_lesson(posts)) == 1  # the race, nothing else while probes show
    assert page.get_attribute("#app-root", "data-bayes-view") in (None, "probes")
    expect(page.locator("#model-key")).to_be_hidden()
    page.screenshot(path=str(artifacts / "model-probes.png"))

    scrub_to(page, 330.0)  # mid-race: the model has seen a few dozen trials
    wait_js(page, "window.hpoRace.shown.bayes > 12")
    labels = {"mean": "GP mean", "std": "GP std", "acquisition": "EI"}
    switch = {"mean": "Mean", "std": "Std", "acquisition": "EI"}
    scales, zs = {}, {}
    for view in ("mean", "std", "acquisition"):
        choose(page, "bayes-view", switch[view])
        shown = wait_model(page, view)
        k = shown["step"]
        assert k == clock(page)["shown"]["bayes"] > 0
        want = dequantise(internals["frames"][view][k], (res, res))
        z = np.array(shown["z"], dtype=float)
        assert z.shape == (res, res)
        assert np.allclose(z, want, atol=1e-9), view
        zs[view] = z
        # the next point to be probed is marked, in real knob units
        nxt = internals["next"][k]
        assert math.isclose(shown["next"][0][0], real(knobs[0], nxt[0]), rel_tol=1e-6)
        assert math.isclose(shown["next"][1][0], real(knobs[1], nxt[1]), rel_tol=1e-6)
        # the legend says what is shown, at which step, with the range of the colours
        key = page.inner_text("#model-key")
        title = page.get_attribute("#model-key", "title")
        assert key.startswith(labels[view]) and "next" in key, key
        assert f"after {k} trials" in title and "Colours from" in title, title
        # in place of the panel's title, right by the heatmap
        expect(page.locator(".panel-bayes .panel-head h2")).to_be_hidden()
        expect(page.locator("#model-key")).to_be_visible()
        expect(page.locator("#model-bayes")).to_be_visible()
        scales[view] = shown["colorscale"][-1][1]
        if view == "mean":  # the probes' own score scale, so probes and mean compare
            assert [shown["zmin"], shown["zmax"]] == internals_range(page)
        elif view == "acquisition":  # log10 of EI: the frame's own (log) range
            frame = internals["frames"][view][k]
            assert [shown["zmin"], shown["zmax"]] == [frame["lo"], frame["hi"]]
            assert frame["hi"] - frame["lo"] > 1, "log EI spans powers of ten"
        else:
            assert shown["zmin"] == 0 and math.isclose(
                shown["zmax"], internals["frames"][view][k]["hi"], rel_tol=1e-9
            )
        wait_still(page)
        page.screenshot(path=str(artifacts / f"model-{view}.png"))
    assert len(set(scales.values())) == 3, "each view has its own colours"
    assert not np.allclose(zs["mean"], zs["std"]) and not np.allclose(zs["std"], zs["acquisition"])

    # the view follows Step: the next Bayesian trial, the next frame (no new request)
    before = shown_model(page)["step"]
    while clock(page)["shown"]["bayes"] == before:
        step(page, 1)
    shown = wait_model(page, "acquisition", before + 1)
    want = dequantise(internals["frames"]["acquisition"][before + 1], (res, res))
    z = np.array(shown["z"], dtype=float)
    # log10 of EI, which shrinks by orders of magnitude as the model grows sure
    assert np.allclose(z, want, atol=1e-9)
    assert not np.allclose(z, zs["acquisition"], atol=1e-3)
    assert len(posts_to(posts, "model-request")) == 1, "the model is fetched once per race"
    assert len(apart_from_lesson(posts)) == 2

    # back to the probes: the model layer hides, the landscape's fog is back
    choose(page, "bayes-view", "Probes")
    expect(page.locator("#model-bayes")).to_be_hidden()
    expect(page.locator("#model-key")).to_be_hidden()
    expect(page.locator(".panel-bayes .panel-head h2")).to_be_visible()
    assert errors == []


def internals_range(page: Page) -> list[float]:
    return page.evaluate("window.hpoModel.model.score_range")


def test_model_view_during_a_real_race_stays_smooth(page: Page, app_url: str) -> None:
    """At 1× with the GP mean shown: ≤ 2 requests per Run, it animates, the view follows Run."""
    errors = open_app(page, app_url)
    posts = count_posts(page)
    choose(page, "bayes-view", "Mean")
    expect(page.locator(".model-hint span")).to_contain_text("Run search")
    page.click("#run-button")
    wait_js(page, "window.hpoModel.api.shown() && window.hpoModel.api.shown().step >= 8")
    wait_state(page, "finished", timeout=60_000)
    assert len(apart_from_lesson(posts)) <= 2, [p.get("output") for p in posts]
    # animated frame by frame (the frame rate is measured by bench/bench_page.py, not here)
    assert page.evaluate("window.hpoRace.stats.frames") > 10
    shown = wait_model(page, "mean")
    assert shown["step"] == clock(page)["shown"]["bayes"]
    expect(page.locator("#model-key")).to_contain_text("GP mean")
    assert errors == []


# ---------------------------------------------------------------- Bayesian settings


def test_bayesian_settings_change_only_the_bayesian_race(
    page: Page, app_url: str, artifacts: Path
) -> None:
    errors = open_app(page, app_url)
    posts = count_posts(page)
    step(page, 1)
    default = page.evaluate("window.hpoRace.view")

    page.click("#bayes-settings summary")
    expect(page.locator(".bs-pop")).to_be_visible()
    choose(page, "bayes-acq", "UCB")
    expect(page.locator("#bayes-kappa")).to_be_visible()
    expect(page.locator("#bayes-xi")).to_be_hidden()
    page.fill("#bayes-kappa", "4")
    page.press("#bayes-kappa", "Enter")
    choose(page, "bayes-kernel", "RBF")
    choose(page, "bayes-ls-mode", "Fixed")
    # the slider is disabled while the length scale is fitted: wait until Fixed enables it
    expect(page.locator("#bayes-ls [role=slider]")).not_to_have_attribute("data-disabled", "")
    page.locator("#bayes-ls [role=slider]").focus()
    page.keyboard.press("Home")  # the slider's low end: ℓ = 0.03
    expect(page.locator("#bayes-ls-value")).to_have_text("ℓ = 0.03")
    page.fill("#bayes-init", "3")
    page.press("#bayes-init", "Enter")
    expect(page.locator("#bayes-view label").filter(has_text="UCB")).to_be_visible()
    wait_js(page, "window.hpoRace.view === null")  # the settings changed: old race dropped
    assert page.get_attribute("#bayes-settings", "data-custom") == "true"  # a dot on ⚙
    page.screenshot(path=str(artifacts / "model-settings.png"))
    page.click("#bayes-settings summary")  # fold the panel away again
    expect(page.locator(".bs-pop")).to_be_hidden()

    step(page, 1)
    changed = page.evaluate("window.hpoRace.view")
    options = {
        "acquisition": "ucb",
        "xi": 0.03,
        "kappa": 4.0,
        "kernel": "rbf",
        "length_scale": 0.03,
        "n_initial": 3,
        "edge_prior": True,
    }
    assert changed["bayes"] == options
    sent = posts_to(posts, "race-request")[-1]["inputs"][0]["value"]["bayes"]
    assert sent == options
    for name in ("grid", "random"):  # identical panels: independent random streams
        for key in ("x", "y", "score", "clock"):
            assert changed["strategies"][name][key] == default["strategies"][name][key]
    assert changed["strategies"]["bayes"]["x"] != default["strategies"]["bayes"]["x"]
    expected = run("smooth", RACING, DEFAULT_BUDGET, 0, options={"bayes": options})
    trials = expected["strategies"]["bayes"]["trials"]
    assert changed["strategies"]["bayes"]["score"] == [t["score"] for t in trials]
    assert changed["strategies"]["bayes"]["model"]["acquisition"] == "ucb"
    assert changed["strategies"]["bayes"]["model"]["n_initial"] == 3

    # the acquisition view is UCB's now
    choose(page, "bayes-view", "UCB")
    wait_model(page, "acquisition")
    expect(page.locator("#model-key")).to_contain_text("UCB")
    assert "UCB(θ)" in page.get_attribute("#model-key", "title")

    # a bad value gets a clear message, and Run says why it cannot race
    page.click("#bayes-settings summary")
    page.fill("#bayes-kappa", "500")
    page.press("#bayes-kappa", "Enter")
    expect(page.locator("#alert")).to_contain_text("κ")
    expect(page.locator("#alert")).to_contain_text("from 0 to 100")
    page.click("#run-button")
    expect(page.locator("#race-status")).to_contain_text("Could not race")
    expect(page.locator("#race-status")).to_contain_text("κ")
    expect(page.locator(".bs-pop")).to_be_hidden()  # a click outside ⚙ folds it
    page.click("#bayes-settings summary")
    page.fill("#bayes-kappa", "2")
    page.press("#bayes-kappa", "Enter")
    expect(page.locator("#alert")).to_be_empty()
    page.click("#bayes-defaults")
    expect(page.locator("#bayes-init")).to_have_value("5")
    expect(page.locator("#bayes-ls-value")).to_have_text("ℓ fitted")
    wait_js(page, "window.hpoRace.settings.bayes.acquisition === 'ei'")
    assert page.evaluate("window.hpoRace.settings.bayes") == BAYES_DEFAULTS
    assert page.get_attribute("#bayes-settings", "data-custom") == "false"
    assert errors == []


def test_the_settings_panel_keeps_one_screen(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.click("#bayes-settings summary")
    box = page.locator(".bs-pop").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1366
    assert box["y"] + box["height"] <= 768
    choose(page, "side-tab", "Many seeds")
    size = page.evaluate(
        "(() => { const d = document.documentElement;"
        " return {h: d.scrollHeight, w: d.scrollWidth, vh: innerHeight, vw: innerWidth}; })()"
    )
    assert size["h"] <= size["vh"] and size["w"] <= size["vw"], size
    # the Bayesian panel's plot is exactly as tall as the others'
    heights = [
        page.locator(f"#panel-{name}").bounding_box()["height"] for name in ("grid", "bayes")
    ]
    assert abs(heights[0] - heights[1]) <= 1, heights


# ---------------------------------------------------------------- scrubber and narration


def scrub_to(page: Page, minute: float) -> None:
    """Drag the scrubber's thumb to a GPU minute (the track spans the plot's x range)."""
    box = page.locator("#scrubber").bounding_box()
    xr = page.evaluate(
        "document.querySelector('#best-plot .js-plotly-plot')._fullLayout.xaxis.range"
    )
    thumb = page.locator("#scrubber .scrub-thumb").bounding_box()
    page.mouse.move(thumb["x"] + thumb["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    x = box["x"] + box["width"] * (minute - xr[0]) / (xr[1] - xr[0])
    page.mouse.move(x, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()


def test_scrubber_moves_the_clock_and_everything_follows(
    page: Page, app_url: str, artifacts: Path, default_race: dict
) -> None:
    errors = open_app(page, app_url)
    posts = count_posts(page)
    trace = default_race["trace"]
    narration = narrate_trace(trace)
    step(page, 1)
    budget = DEFAULT_BUDGET
    xr = page.evaluate(
        "document.querySelector('#best-plot .js-plotly-plot')._fullLayout.xaxis.range"
    )
    width = page.locator("#scrubber").bounding_box()["width"]
    tolerance = 1.5 * (xr[1] - xr[0]) / width  # a pixel and a half of the track

    for target in (420.0, 150.0, 600.0):
        scrub_to(page, target)
        wait_js(
            page,
            f"Math.abs(Number(document.getElementById('race-clock').dataset.clock) - {target})"
            f" < {tolerance}",
            timeout=5_000,
        )
        state = clock(page)
        assert state["state"] == "paused"
        t = state["t"]
        for name in RACING:
            trials = trace["strategies"][name]["trials"]
            n = sum(tr["clock"] <= t + 1e-6 for tr in trials)
            assert state["shown"][name] == n, (name, t)
            assert page.get_attribute(f"#budget-{name}", "data-trials") == str(n)
            spent = trials[n - 1]["clock"] if n else 0.0
            assert math.isclose(
                float(page.get_attribute(f"#budget-{name}", "data-spent")), spent, abs_tol=1e-3
            )
            line = page.inner_text(f"#narration-{name}")
            assert line == f"Trial {n}: " + narration[name]["trials"][n - 1], line
            page.wait_for_function(
                f"""() => {{ const g = document.querySelector('#panel-{name} .js-plotly-plot');
                     const p = g.data.find(d => d.uid === 'probes');
                     return p.x.length === {n}; }}"""
            )
        curves = page.evaluate(
            """() => Object.fromEntries(document.querySelector('#best-plot .js-plotly-plot')
                   .data.filter(d => d.uid.startsWith('curve-'))
                   .map(d => [d.uid.slice(6), d.x.length]))"""
        )
        assert curves == state["shown"]
        left = float(
            page.evaluate("document.querySelector('#scrubber .scrub-thumb').style.left").rstrip("%")
        )
        assert math.isclose(left, 100 * t / budget, abs_tol=0.05)
        expect(page.locator("#now-label")).to_contain_text(f"{round(t)} min")
    page.screenshot(path=str(artifacts / "scrubbed.png"))

    # → on the focused scrubber moves to the next trial to finish; End finishes the race
    before = clock(page)
    page.keyboard.press("ArrowRight")
    wait_js(page, f"Number(document.getElementById('race-clock').dataset.clock) > {before['t']}")
    after = clock(page)
    finishes = sorted(tr["clock"] for name in RACING for tr in trace["strategies"][name]["trials"])
    assert math.isclose(
        after["t"], next(c for c in finishes if c > before["t"] + 1e-6), abs_tol=1e-3
    )
    assert sum(after["shown"].values()) == sum(before["shown"].values()) + 1
    page.keyboard.press("End")
    wait_state(page, "finished")
    # every probe is drawn, including those on the square's top and right edges
    hidden = page.evaluate(
        """() => Array.from(document.querySelectorAll('.layer-probes .scatterlayer .point'))
                 .filter(p => p.getAttribute('display') === 'none').length"""
    )
    assert hidden == 0
    for name in RACING:
        assert page.inner_text(f"#narration-{name}") == "Done: " + narration[name]["end"]
    scrub_to(page, 100.0)  # back from the end: paused again, the race is not over
    wait_state(page, "paused")
    assert clock(page)["t"] < 120
    page.click("#run-button")  # Run carries on from the scrubbed minute
    wait_state(page, "playing")
    assert clock(page)["t"] < 400
    assert len(apart_from_lesson(posts)) == 1, "scrubbing is all in the browser"
    assert errors == []


def test_the_model_view_follows_the_scrubber(page: Page, app_url: str, default_race: dict) -> None:
    open_app(page, app_url)
    internals = default_race["internals"]
    res = internals["resolution"]
    step(page, 1)
    choose(page, "bayes-view", "Std")
    wait_model(page, "std")
    bayes_clocks = [t["clock"] for t in default_race["trace"]["strategies"]["bayes"]["trials"]]
    for target in (300.0, 90.0):
        scrub_to(page, target)
        k = sum(c <= clock(page)["t"] + 1e-6 for c in bayes_clocks)
        shown = wait_model(page, "std", k)
        want = dequantise(internals["frames"]["std"][k], (res, res))
        assert np.allclose(np.array(shown["z"], dtype=float), want, atol=1e-9)


# ---------------------------------------------------------------- many seeds
