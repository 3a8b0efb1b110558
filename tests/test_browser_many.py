"""Many-seeds mode in a real browser: the bands and the table agree with Python's summarise
for the same settings (one layout, and layouts varied), and the chunks arrive one request
after another. The page helpers are tests/test_browser_model.py's.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from conftest import RACING, count_posts, wait_js
from playwright.sync_api import Page, expect
from test_browser_model import choose, open_app, posts_to

from hpo_race.app.lessons import lesson_sentence
from hpo_race.strategies.lessons import CLAIMS, tally
from hpo_race.strategies.race import DEFAULT_BUDGET, run_many
from hpo_race.strategies.summary import compact_race


def many_summary(page: Page) -> dict:
    return page.evaluate("window.hpoMany.summary")


def assert_summaries_agree(browser: dict, python: dict) -> None:
    assert set(browser) == set(python)
    for name, want in python.items():
        got = browser[name]
        assert got["relative"] == want["relative"]
        assert got["minutes"] == want["minutes"]
        for key in ("median", "q1", "q3"):
            for a, b in zip(got[key], want[key], strict=True):
                assert (a is None) == (b is None), (name, key)
                if a is not None:
                    assert math.isclose(a, b, abs_tol=2e-6), (name, key, a, b)
        for target, reach in want["reach"].items():
            assert got["reach"][target]["share"] == reach["share"], (name, target)
            if reach["median_minutes"] is None:
                assert got["reach"][target]["median_minutes"] is None
            else:
                assert math.isclose(
                    got["reach"][target]["median_minutes"], reach["median_minutes"], abs_tol=1e-4
                )
        assert math.isclose(got["median_final_regret"], want["median_final_regret"], abs_tol=2e-6)


def test_many_seeds_bands_and_table_agree_with_python(
    page: Page, app_url: str, artifacts: Path
) -> None:
    errors = open_app(page, app_url)
    posts = count_posts(page)
    # seeds 40–51: past the lesson's races (0–29), which another test's page may have had
    # the server count, so these are computed here and the progress shows
    page.fill("#seed-input", "40")
    page.press("#seed-input", "Enter")
    choose(page, "side-tab", "Many seeds")
    expect(page.locator("#many-card")).to_be_visible()
    expect(page.locator("#help")).to_be_hidden()
    expect(page.locator("#many-plot")).to_be_visible()
    page.fill("#many-n", "12")
    page.click("#many-run")
    expect(page.locator("#many-run")).to_contain_text("Stop")
    # progress is visible while it computes (the first chunk's five races may take a while
    # on a machine busy with other tests)
    wait_js(
        page,
        "(() => { const p = document.getElementById('many-progress');"
        " return Number(p.dataset.done) > 0 && Number(p.dataset.done) < 12; })()",
        90_000,
    )
    expect(page.locator("#many-progress .mp-text")).to_contain_text("/12 races")
    wait_js(page, "document.getElementById('app-root').dataset.many === 'done'", 60_000)
    expect(page.locator("#many-progress .mp-text")).to_contain_text("12 races")
    chunk_posts = posts_to(posts, "many-request")
    assert 2 <= len(chunk_posts) <= 12
    assert all(p["inputs"][0]["value"]["count"] <= 10 for p in chunk_posts)

    many = run_many("smooth", RACING, DEFAULT_BUDGET, 40, repeats=12)
    python = many["summary"]
    browser = many_summary(page)
    assert_summaries_agree(browser, python)
    # the lesson over these 12 races (seeds 40–51), counted from the engine's races
    claim = CLAIMS["smooth"]
    count = tally(claim, [compact_race(race) for race in many["races"]])
    line = page.locator("#many-table .many-lesson")
    assert json.loads(line.get_attribute("data-tally")) == count
    expect(line).to_have_text("Lesson: " + lesson_sentence(claim.as_dict(), count, range(40, 52)))
    assert "seeds 40–51" in line.inner_text()

    # the bands: median line and interquartile band per strategy, in the strategy's colour
    plot = page.evaluate(
        """() => Object.fromEntries(document.querySelector('#many-plot .js-plotly-plot')
               .data.map(d => [d.uid, {y: Array.from(d.y), fill: d.fill || null,
                                      colour: (d.line && d.line.color) || d.fillcolor}]))"""
    )
    for name in RACING:
        assert plot[f"median-{name}"]["y"] == python[name]["median"]
        assert plot[f"q1-{name}"]["y"] == python[name]["q1"]
        assert plot[f"q3-{name}"]["fill"] == "tonexty"
        assert plot[f"q3-{name}"]["y"] == python[name]["q3"]
    # the table: median minutes to 90/95/99% and the share of races that got there
    from hpo_race.app.theme import STRATEGY_STYLE

    for name in RACING:
        first = page.locator(f"#many-table tr[data-strategy={name}] td").first.inner_text()
        assert first.strip() == STRATEGY_STYLE[name].glyph + STRATEGY_STYLE[name].short, first
        for target in ("0.9", "0.95", "0.99"):
            cell = page.locator(f"#many-table tr[data-strategy={name}] td[data-target='{target}']")
            want = python[name]["reach"][target]
            assert float(cell.get_attribute("data-share")) == want["share"]
            minutes = cell.get_attribute("data-minutes")
            if want["median_minutes"] is None:
                assert minutes == ""
                expect(cell).to_contain_text("—")
            else:
                assert math.isclose(float(minutes), want["median_minutes"], abs_tol=1e-4)
                expect(cell).to_contain_text(f"{round(want['median_minutes'])} min")
            expect(cell).to_contain_text(f"{round(100 * want['share'])}%")
    page.screenshot(path=str(artifacts / "many-seeds.png"))

    # vary the layout too: scores become fractions of each race's optimum
    page.fill("#many-n", "4")
    page.click("#many-vary label")
    first = page.evaluate("window.hpoMany.run.nonce")
    page.click("#many-run")
    wait_js(
        page,
        f"window.hpoMany.run.nonce !== {first} && "
        "document.getElementById('app-root').dataset.many === 'done'",
        60_000,
    )
    python = run_many("smooth", RACING, DEFAULT_BUDGET, 40, repeats=4, vary_landscape=True)
    assert_summaries_agree(many_summary(page), python["summary"])
    assert many_summary(page)["bayes"]["relative"] is True
    expect(page.locator("#many-progress .mp-text")).to_contain_text("4 races")

    # a bad number of seeds gets a clear message
    page.fill("#many-n", "500")
    page.click("#many-run")
    expect(page.locator("#alert")).to_contain_text("number of races must be a whole number")
    expect(page.locator("#many-progress .mp-text")).to_contain_text("Could not race")
    choose(page, "side-tab", "Guide")
    expect(page.locator("#help")).to_be_visible()
    expect(page.locator("#many-plot")).to_be_hidden()
    assert errors == []
