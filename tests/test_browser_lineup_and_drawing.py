"""The racer line-up and drawing, in a real browser (headless Chromium against the real app
server): the measured SVM landscape, Hyperband as a fourth racer (the racer picker), and a
landscape drawn by mouse.

Screenshots at 1366×768 go to tests/artifacts/beyond-*.png.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from conftest import (
    RACING,
    count_posts,
    open_app,
    pick_racer,
    traces,
    wait_a11y_patched,
    wait_js,
    wait_revealed,
    wait_state,
)
from playwright.sync_api import Page, expect

from hpo_race.landscapes.custom import decode_peaks
from hpo_race.strategies.race import DEFAULT_BUDGET, run

FOUR = [*RACING, "hyperband"]


# ---------------------------------------------------------------- helpers


def race_fast(page: Page, speed: float = 8) -> None:
    page.evaluate(f"window.hpoRace.api.setSpeed({speed})")
    page.click("#run-button")
    wait_state(page, "finished")


def query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def no_scroll(page: Page) -> None:
    size = page.evaluate(
        """() => { const d = document.documentElement;
                   return {h: d.scrollHeight, w: d.scrollWidth,
                           vh: innerHeight, vw: innerWidth}; }"""
    )
    assert size["h"] <= size["vh"] and size["w"] <= size["vw"], f"page scrolls: {size}"


def inside_screen(page: Page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= 1366 and box["y"] + box["height"] <= 768, (selector, box)
    return box


def choose_landscape(page: Page, label: str) -> None:
    page.click("#landscape-select")
    page.get_by_role("option", name=label).click()


def plot_area(page: Page, name: str) -> dict:
    """Page coordinates of a panel's plot area (the unit square)."""
    return page.evaluate(
        """(n) => { const g = document.querySelector('#landscape-' + n + ' .js-plotly-plot');
                    const r = g.getBoundingClientRect(); const s = g._fullLayout._size;
                    return {x: r.left + s.l, y: r.top + s.t, w: s.w, h: s.h}; }""",
        name,
    )


def draw_peak(page: Page, name: str, u: float, v: float, width: float | None = None) -> None:
    """Press at (u, v) of a panel's square and drag outward ``width`` of the square (or click)."""
    area = plot_area(page, name)
    x, y = area["x"] + u * area["w"], area["y"] + (1 - v) * area["h"]
    page.mouse.move(x, y)
    page.mouse.down()
    if width is not None:
        page.mouse.move(x + 0.3 * width * area["w"], y, steps=3)
        page.mouse.move(x + width * area["w"], y, steps=3)
    page.mouse.up()


def peak_count(page: Page) -> int:
    return int(page.inner_text("#draw-count").split("/")[0])


def wait_peaks(page: Page, n: int) -> None:
    expect(page.locator("#draw-count")).to_contain_text(f"{n} / 12")
    wait_js(
        page,
        f"document.querySelectorAll('#draw-grid g.peak:not(.live)').length === {n}",
    )


def unit_of(page: Page, name: str, x: float, y: float) -> tuple[float, float]:
    """Real knob values -> unit square, with the panel's own axes (log or linear)."""
    return page.evaluate(
        """([n, x, y]) => { const l = document.querySelector('#landscape-' + n +
                                 ' .js-plotly-plot')._fullLayout;
              const f = (ax, v) => { const r = ax.range;
                  const t = ax.type === 'log' ? Math.log10(v) : v;
                  return (t - r[0]) / (r[1] - r[0]); };
              return [f(l.xaxis, x), f(l.yaxis, y)]; }""",
        [name, x, y],
    )


# ---------------------------------------------------------------- the measured landscape


def test_real_svm_landscape_races_on_log_axes(page: Page, app_url: str, artifacts: Path) -> None:
    errors = open_app(page, app_url + "?landscape=smooth&layout=7")
    expect(page.locator("#landscape-seed-label")).to_have_text("layout #7")
    expect(page.locator("#dice-button")).to_be_enabled()

    choose_landscape(page, "SVM on digits")
    # one layout only: the dice is off and says why; the race uses landscape seed 0
    expect(page.locator("#dice-button")).to_be_disabled()
    assert "measured data" in page.get_attribute("#dice-button", "title")
    expect(page.locator("#landscape-seed-label")).to_have_text("measured data")
    wait_js(page, "new URLSearchParams(location.search).get('layout') === '0'")
    expect(page.locator("#landscape-info")).to_contain_text("Real: SVM on digits")

    # real units on log axes: C from 1e-2 to 1e4, gamma from 1e-6 to 1
    wait_js(
        page,
        "document.querySelector('#landscape-grid .js-plotly-plot')._fullLayout"
        ".xaxis.title.text.startsWith('C')",
    )
    axes = page.evaluate(
        """() => { const l = document.querySelector('#landscape-grid .js-plotly-plot')._fullLayout;
                   return {x: l.xaxis.type, y: l.yaxis.type, xr: l.xaxis.range,
                           yr: l.yaxis.range, xt: l.xaxis.title.text, yt: l.yaxis.title.text}; }"""
    )
    assert axes["x"] == axes["y"] == "log"
    assert [round(v, 6) for v in axes["xr"]] == [-2, 4]
    assert [round(v, 6) for v in axes["yr"]] == [-6, 0]
    assert axes["xt"].startswith("C") and axes["yt"].startswith("gamma")

    race_fast(page)
    expected = run("svm-digits", RACING, DEFAULT_BUDGET, 0)
    assert expected["settings"]["landscape_seed"] == 0
    for name in RACING:
        shown = traces(page, f"panel-{name}")
        assert len(shown["probes"]["x"]) == len(expected["strategies"][name]["trials"])
        # trials are plotted in real units: C and gamma inside the measured square
        assert all(1e-2 * 0.999 <= c <= 1e4 * 1.001 for c in shown["probes"]["x"])
        assert all(1e-6 * 0.999 <= g <= 1.001 for g in shown["probes"]["y"])
    optimum = expected["landscape"]["optimum"]["score"]
    expect(page.locator("#best-plot")).to_contain_text(f"optimum {optimum:.3f}")
    expect(page.locator("#race-status")).to_contain_text("Finished")
    wait_revealed(page)  # the fog has faded out
    page.screenshot(path=str(artifacts / "beyond-svm.png"))

    # back to a seeded landscape: the dice works again
    choose_landscape(page, "Smooth")
    expect(page.locator("#dice-button")).to_be_enabled()
    expect(page.locator("#landscape-seed-label")).to_have_text("layout #0")
    assert errors == []


# ---------------------------------------------------------------- the fourth racer


def test_hyperband_fourth_racer(page: Page, app_url: str, artifacts: Path) -> None:
    """Off by default; on: a fourth panel on the first screen, a real-speed race animates it."""
    errors = open_app(page, app_url)
    posts = count_posts(page)
    expect(page.locator("#panel-hyperband")).to_be_hidden()
    assert len(traces(page, "best-plot")) == 2 * len(RACING)  # curve + 95% marker each

    pick_racer(page, "hyperband")
    expect(page.locator("#panel-hyperband")).to_be_visible()
    wait_js(page, "new URLSearchParams(location.search).get('racers') === '" + ",".join(FOUR) + "'")
    # the best-score plot gets a Hyperband curve
    wait_js(
        page,
        "document.querySelector('#best-plot .js-plotly-plot').data"
        ".some(t => t.uid === 'curve-hyperband')",
    )
    no_scroll(page)
    boxes = [inside_screen(page, f"#panel-{name}") for name in FOUR]
    assert len({round(b["y"]) for b in boxes}) == 1, "four panels side by side"
    assert all(b["width"] > 300 for b in boxes), boxes
    for name in FOUR:
        inside_screen(page, f"#budget-{name}")
    inside_screen(page, "#fidelity-key-hyperband")
    expect(page.locator("#fidelity-key-hyperband")).to_contain_text("stopped early")
    # the plots resized into the narrower columns
    wait_js(
        page,
        "['grid','hyperband'].every(n => { const g = document.querySelector("
        "'#landscape-' + n + ' .js-plotly-plot'); return g._fullLayout.width < 340; })",
    )

    expected = run("smooth", FOUR, DEFAULT_BUDGET, 0)
    end = max(s["spent"] for s in expected["strategies"].values())
    page.click("#run-button")
    wait_js(page, f"Number(document.getElementById('race-clock').dataset.clock) > {0.4 * end}")
    page.screenshot(path=str(artifacts / "beyond-four-mid.png"))
    wait_state(page, "finished")
    wait_revealed(page)
    page.screenshot(path=str(artifacts / "beyond-four-end.png"))
    # animated frame by frame (the frame rate is measured by bench/bench_page.py, not here)
    assert page.evaluate("window.hpoRace.stats.frames") > 10
    race_posts = [p for p in posts if "race-request" in json_str(p.get("inputs"))]
    assert len(race_posts) == 1 and race_posts[0]["inputs"][0]["value"]["racers"] == FOUR

    for name in FOUR:
        result = expected["strategies"][name]
        shown = traces(page, f"panel-{name}")
        drawn = len(shown["probes"]["x"]) + len(shown.get("partial", {"x": []})["x"])
        assert drawn == len(result["trials"]), name
        spent = float(page.get_attribute(f"#budget-{name}", "data-spent"))
        assert math.isclose(spent, result["spent"], abs_tol=1e-3), name
        stats = page.inner_text(f"#budget-{name} .stats")
        assert f"{len(result['trials'])} trials" in stats
        assert f"best {result['trials'][-1]['best']:.3f}" in stats

    # Hyperband's early-stopped runs: hollow-looking, smaller, sized by fidelity; full runs
    # filled with their score colour
    trials = expected["strategies"]["hyperband"]["trials"]
    partial = [t for t in trials if t.get("fidelity", 1) < 1]
    full = [t for t in trials if t.get("fidelity", 1) == 1]
    assert partial and full
    hb = traces(page, "panel-hyperband")
    assert len(hb["partial"]["x"]) == len(partial)
    assert len(hb["probes"]["x"]) == len(full)
    assert hb["probes"]["symbol"] == hb["partial"]["symbol"] == "triangle-up"
    assert len(hb["probes"]["color"]) == len(full)  # full runs: filled with their score
    assert hb["partial"]["color"] == "rgba(16,20,30,0.55)"  # early stops: dark, see-through
    assert max(hb["partial"]["size"]) < 12 <= hb["probes"]["size"]
    sizes = dict(zip([t["fidelity"] for t in partial], hb["partial"]["size"], strict=True))
    by_fidelity = sorted(sizes.items())
    assert all(a[1] < b[1] for a, b in zip(by_fidelity, by_fidelity[1:], strict=False))
    assert "stopped early" in hb["partial"]["text"][0]

    curves = traces(page, "best-plot")
    for name in FOUR:
        ys = curves[f"curve-{name}"]["y"]
        assert len(ys) == len(expected["strategies"][name]["trials"]), name
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('#budget-hyperband .fill')).backgroundColor"
    )
    assert colour == "rgb(204, 121, 167)"  # Okabe–Ito reddish purple

    # the narration line under the fourth panel explains the run it just made
    expect(page.locator("#narration-hyperband")).to_contain_text("Done")

    # off again: three panels, three curves, and the link forgets it
    pick_racer(page, "hyperband", on=False)
    expect(page.locator("#panel-hyperband")).to_be_hidden()
    wait_js(page, "new URLSearchParams(location.search).get('racers') === 'grid,random,bayes'")
    wait_js(
        page,
        "!document.querySelector('#best-plot .js-plotly-plot').data"
        ".some(t => t.uid === 'curve-hyperband')",
    )
    assert errors == []


def json_str(value: object) -> str:
    import json

    return json.dumps(value)


def test_hyperband_from_a_link_and_in_many_seeds(page: Page, app_url: str) -> None:
    errors = open_app(page, app_url + "?landscape=one-knob&hyperband=1&budget=400&seed=2")
    expect(page.locator("#panel-hyperband")).to_be_visible()
    expect(page.locator("#racer-picker input[value=hyperband]")).to_be_checked()
    page.locator("#side-tab label").filter(has_text="Many seeds").first.click()
    page.fill("#many-n", "4")
    page.click("#many-run")
    wait_js(page, "document.getElementById('app-root').dataset.many === 'done'", 60_000)
    plot = traces(page, "many-plot")
    assert len(plot["median-hyperband"]["y"]) > 0
    expect(page.locator("#many-table tr[data-strategy=hyperband]")).to_be_visible()
    assert errors == []


# ---------------------------------------------------------------- drawing a landscape


def test_draw_your_own_landscape(page: Page, app_url: str, artifacts: Path) -> None:
    errors = open_app(page, app_url)
    choose_landscape(page, "✎ Your landscape")
    expect(page.locator("#draw-bar")).to_be_visible()
    expect(page.locator("#draw-hint")).to_contain_text("Click")
    expect(page.locator("#draw-count")).to_have_text("0 / 12 peaks")
    expect(page.locator("#draw-undo")).to_be_disabled()
    expect(page.locator("#dice-button")).to_be_hidden()
    inside_screen(page, "#draw-clear")

    # nothing drawn yet: Run explains what to do
    page.click("#run-button")
    expect(page.locator("#alert")).to_contain_text("click a panel to place a peak")

    # peak 1: tall, drawn on the grid panel with a drag (width 0.12)
    draw_peak(page, "grid", 0.72, 0.68, width=0.12)
    wait_peaks(page, 1)
    # peak 2: placed on the random panel with a click, then lowered with the slider
    draw_peak(page, "random", 0.25, 0.3)
    wait_peaks(page, 2)
    slider = page.locator("#draw-height [role=slider]")
    slider.focus()
    for _ in range(6):
        slider.press("ArrowLeft")
    page.mouse.move(5, 5)
    wait_js(page, "(new URLSearchParams(location.search).get('peaks') || '').includes(',0.500,')")

    peaks = decode_peaks(query(page)["peaks"])
    assert len(peaks) == 2
    tall, low = peaks
    assert abs(tall["u"] - 0.72) < 0.01 and abs(tall["v"] - 0.68) < 0.01
    assert abs(tall["width"] - 0.12) < 0.01 and tall["height"] == 0.8
    assert abs(low["u"] - 0.25) < 0.01 and low["width"] == 0.1 and low["height"] == 0.5
    assert query(page)["landscape"] == "custom"

    # the preview: the server drew the landscape, its optimum at the tall peak
    wait_js(
        page,
        "document.querySelector('#landscape-random .js-plotly-plot').data[1].x[0] !== null",
    )
    # (each panel redraws on its own frame: wait for the grid's optimum marker to move there)
    wait_js(
        page,
        f"""(() => {{ const g = document.querySelector('#landscape-grid .js-plotly-plot');
              const t = g.data.find(d => d.uid === 'optimum'), l = g._fullLayout;
              if (!t || !t.x || t.x[0] == null) return false;
              const f = (ax, v) => {{ const r = ax.range;
                  const w = ax.type === 'log' ? Math.log10(v) : v;
                  return (w - r[0]) / (r[1] - r[0]); }};
              return Math.hypot(f(l.xaxis, t.x[0]) - {tall["u"]},
                                f(l.yaxis, t.y[0]) - {tall["v"]}) < 0.03; }})()""",
    )
    opt = traces(page, "landscape-grid")["optimum"]
    ou, ov = unit_of(page, "grid", opt["x"][0], opt["y"][0])
    assert math.hypot(ou - tall["u"], ov - tall["v"]) < 0.03
    expect(page.locator("#landscape-info")).to_contain_text("2 peaks")
    page.screenshot(path=str(artifacts / "beyond-draw.png"))

    # Undo, and draw it again: the slider (still at 0.5) sets the new peak's height too
    page.click("#draw-undo")
    wait_peaks(page, 1)
    assert len(decode_peaks(query(page)["peaks"])) == 1
    draw_peak(page, "bayes", 0.25, 0.3)
    wait_peaks(page, 2)
    text = query(page)["peaks"]
    assert decode_peaks(text)[1]["height"] == 0.5

    # race on it
    race_fast(page)
    expected = run("custom", RACING, DEFAULT_BUDGET, 0, peaks=text)
    centres = [(p["u"], p["v"]) for p in decode_peaks(text)]
    for name in RACING:
        shown = traces(page, f"panel-{name}")
        assert len(shown["probes"]["x"]) == len(expected["strategies"][name]["trials"])
    # the Bayesian probes concentrate on the drawn peaks (far more than the peaks' share of
    # the square, and more than random search's); its best lies on the tall one
    bayes = traces(page, "panel-bayes")
    xy = zip(bayes["probes"]["x"], bayes["probes"]["y"], strict=True)
    units = [unit_of(page, "bayes", x, y) for x, y in xy]
    for (u, v), trial in zip(units, expected["strategies"]["bayes"]["trials"], strict=True):
        assert math.hypot(u - trial["theta"][0], v - trial["theta"][1]) < 1e-3

    def near(u: float, v: float) -> bool:
        return min(math.hypot(u - cu, v - cv) for cu, cv in centres) < 0.2

    cells = [(i / 100 + 0.005, j / 100 + 0.005) for i in range(100) for j in range(100)]
    area = sum(near(u, v) for u, v in cells) / len(cells)
    share = sum(near(u, v) for u, v in units) / len(units)
    randoms = [t["theta"] for t in expected["strategies"]["random"]["trials"]]
    random_share = sum(near(u, v) for u, v in randoms) / len(randoms)
    assert share > 1.4 * area and share > random_share, (share, area, random_share)
    bu, bv = unit_of(page, "bayes", bayes["best"]["x"][0], bayes["best"]["y"][0])
    assert math.hypot(bu - centres[0][0], bv - centres[0][1]) < 0.08
    expect(page.locator("#race-status")).to_contain_text("Finished")
    wait_revealed(page)
    page.screenshot(path=str(artifacts / "beyond-draw-end.png"))
    # after the race the panels show the probes; Reset makes them drawing surfaces again
    expect(page.locator("#draw-grid")).to_be_hidden()
    expect(page.locator("#draw-hint")).to_contain_text("Reset")
    page.click("#reset-button")
    expect(page.locator("#draw-grid")).to_be_visible()

    # the drawing survives a reload through the address
    page.reload()
    open_app(page, page.url)
    expect(page.locator("#draw-count")).to_have_text("2 / 12 peaks")
    wait_peaks(page, 2)
    assert query(page)["peaks"] == text
    # the server redraws the drawn landscape: its optimum marker comes back to the tall peak
    expect(page.locator("#landscape-info")).to_contain_text("2 peaks")
    wait_js(
        page,
        f"""(() => {{ const l = document.querySelector('#landscape-grid .js-plotly-plot');
              const o = l.data.find(t => t.uid === 'optimum'); const f = l._fullLayout;
              if (!o || o.x[0] === null) return false;
              const unit = (ax, t) => (Math.log10(t) - ax.range[0]) / (ax.range[1] - ax.range[0]);
              const u = unit(f.xaxis, o.x[0]), v = unit(f.yaxis, o.y[0]);
              return Math.hypot(u - {centres[0][0]}, v - {centres[0][1]}) < 0.03; }})()""",
    )
    race_fast(page)
    again = traces(page, "panel-bayes")
    assert again["probes"]["x"] == bayes["probes"]["x"], "same drawing, same race"

    # Clear empties it
    page.click("#reset-button")
    page.click("#draw-clear")
    wait_peaks(page, 0)
    assert "peaks" not in query(page)
    assert errors == []


def test_drawing_is_bounded_and_bad_peaks_are_explained(page: Page, app_url: str) -> None:
    # a hand-edited link with an impossible peak: one clear sentence, the page keeps working
    errors = open_app(page, app_url + "?landscape=custom&peaks=0.5,0.5,7,0.1")
    expect(page.locator("#link-notice")).to_contain_text("peak 1 height must be between 0 and 1")
    expect(page.locator("#app-root")).to_have_attribute("data-draw", "on")  # an empty drawing
    wait_peaks(page, 0)
    expect(page.locator("#draw-clear")).to_be_disabled()
    # at most 12 peaks
    for i in range(12):
        draw_peak(page, "grid", 0.08 + 0.075 * i, 0.5 + 0.3 * math.sin(i))
        wait_peaks(page, i + 1)
    draw_peak(page, "random", 0.5, 0.5)
    # the refusal is written by the same handler that would have added the peak
    expect(page.locator("#draw-hint")).to_contain_text("12 peaks is the most")
    assert peak_count(page) == 12
    assert len(query(page)["peaks"].split(";")) == 12
    assert re.fullmatch(
        r"(\d\.\d{3},){3}\d\.\d{3}(;(\d\.\d{3},){3}\d\.\d{3}){11}", query(page)["peaks"]
    )
    race_fast(page, speed=16)
    expect(page.locator("#race-status")).to_contain_text("Finished")
    # the seed of a drawn landscape is meaningless: no dice, the chip says so
    expect(page.locator("#landscape-seed-label")).to_have_text("your drawing")
    expect(page.locator("#dice-button")).to_be_disabled()
    assert [e for e in errors if "400" not in e] == []


def test_draw_with_the_keyboard(page: Page, app_url: str) -> None:
    """Tab to the first panel: arrows move a cross, Enter places, +/− width, Backspace undoes."""
    errors = open_app(page, app_url + "?landscape=custom")
    surface = page.locator("#draw-grid")
    surface.focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowUp"):  # from the centre: u 0.6, v 0.55
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    wait_peaks(page, 1)
    page.keyboard.press("+")
    page.keyboard.press("+")
    wait_js(page, "(new URLSearchParams(location.search).get('peaks') || '').endsWith(',0.140')")
    (peak,) = decode_peaks(query(page)["peaks"])
    assert (peak["u"], peak["v"], peak["height"], peak["width"]) == (0.6, 0.55, 0.8, 0.14)
    page.keyboard.press(" ")  # places a second peak; does not start the race
    wait_peaks(page, 2)
    assert page.get_attribute("#race-clock", "data-state") == "idle"
    page.keyboard.press("Backspace")
    wait_peaks(page, 1)
    assert errors == []


# ---------------------------------------------------------------- accessibility


def test_drawing_and_four_racers_pass_axe(a11y_page: Page, app_url: str) -> None:
    """axe-core finds no serious or critical problem in draw mode with four racers."""
    from test_browser_a11y import assert_clean, finish_race
    from test_browser_a11y import open_app as open_for_axe

    peaks = "0.700,0.700,0.800,0.120;0.250,0.300,0.500,0.100"
    open_for_axe(a11y_page, app_url + f"?landscape=custom&hyperband=1&peaks={peaks}")
    wait_peaks(a11y_page, 2)
    expect(a11y_page.locator("#panel-hyperband")).to_be_visible()
    # a11y.js names Dash's sliders on its one-second scan
    wait_js(a11y_page, "!!document.querySelector('#draw-height [role=slider]')")
    wait_js(
        a11y_page,
        "!!document.querySelector('#draw-height [role=slider]').getAttribute('aria-label')",
    )
    wait_a11y_patched(a11y_page)
    assert_clean(a11y_page, "drawing, four racers")
    finish_race(a11y_page)
    wait_state(a11y_page, "finished")
    assert_clean(a11y_page, "a drawn landscape raced by four")
    a11y_page.goto(app_url + "?landscape=svm-digits")
    open_for_axe(a11y_page, a11y_page.url)
    expect(a11y_page.locator("#dice-button")).to_be_disabled()
    assert_clean(a11y_page, "measured landscape, dice disabled")
