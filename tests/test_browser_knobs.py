"""More than two knobs in the real page (issue 15): the Knobs menu and its link, the panels'
projection with its stacked points and distinct-pairs count, the strips of the knobs off the
axes, the Bayesian panel's slice and fitted length scales, and every screen size.

What the page shows is compared with what the server's engine computes for the same settings
(``app.model_data``), never with numbers written here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import (
    SCREENS,
    link_settings,
    open_app,
    open_scenario,
    race_fast,
    wait_js,
    wait_plots_fit,
)
from playwright.sync_api import Page, expect
from test_browser_screens import check, race_to_the_end

from hpo_race.app.model_data import model_payload, race_payload
from hpo_race.strategies.race import run_many
from hpo_race.strategies.summary import compact_race, head_to_head

LINK = "dims=4&seed=3&racers=grid,random,bayes,tpe"


def choose_knobs(page: Page, count: int) -> None:
    open_scenario(page)
    page.click("#dims-select")
    option = page.get_by_role("option", name=str(count), exact=True)
    expect(option).to_be_visible()
    option.click()


def stack_labels(page: Page, name: str) -> dict[tuple[float, float], str]:
    """The "×N" labels on a panel: (x, y) -> text."""
    got = page.evaluate(
        """(n) => { const g = document.querySelector('#panel-' + n + ' .js-plotly-plot');
                    const t = g.data.find(d => d.uid === 'stack');
                    return {x: t.x || [], y: t.y || [], text: t.text || []}; }""",
        name,
    )
    return {(x, y): t for x, y, t in zip(got["x"], got["y"], got["text"], strict=True)}


def strips(page: Page, name: str) -> dict:
    """A panel's strips as shown: the caption's count and each knob's ticks and count."""
    return page.evaluate(
        """(n) => { const box = document.getElementById('strips-' + n);
            return {hidden: box.hidden, distinct: box.dataset.distinct,
                    caption: (box.querySelector('.strips-caption') || {}).textContent,
                    rows: [...box.querySelectorAll('.strip')].map(r => ({
                        knob: r.dataset.knob, distinct: Number(r.dataset.distinct),
                        ticks: r.querySelectorAll('.tick').length,
                        best: r.querySelectorAll('.tick.best').length,
                        count: r.querySelector('.strip-count').textContent}))}; }""",
        name,
    )


def test_the_knobs_menu_races_more_knobs_and_writes_the_link(page: Page, app_url: str) -> None:
    errors = open_app(page, app_url)
    choose_knobs(page, 4)
    wait_js(page, "new URLSearchParams(location.search).get('dims') === '4'")
    race_fast(page)
    expected = race_payload(link_settings("dims=4"))
    shown = page.evaluate("window.hpoRace.view")
    assert shown["dims"] == 4 and shown["strategies"] == expected["strategies"]
    knobs = [k["name"] for k in expected["knobs"][2:]]
    for name, race in expected["strategies"].items():
        n = len(race["x"])
        points = Counter(zip(race["x"], race["y"], strict=True))
        got = strips(page, name)
        assert not got["hidden"] and got["distinct"] == str(race["distinct"]) == str(len(points))
        assert got["caption"].startswith(f"{len(points)} distinct (lr, wd) points in {n} trials")
        assert [r["knob"] for r in got["rows"]] == knobs
        for row, values in zip(got["rows"], race["extra"], strict=True):
            assert row["ticks"] == n and row["best"] == 1
            assert row["distinct"] == len(set(values))
            assert row["count"] == f"{len(set(values))} values"
        # every point tried more than once is labelled with how many trials share it
        assert stack_labels(page, name) == {p: f"×{c}" for p, c in points.items() if c > 1}
    grid, rand = expected["strategies"]["grid"], expected["strategies"]["random"]
    # the lesson on screen: a grid in 4 knobs stacks its trials, random search never does
    assert grid["distinct"] < len(grid["x"]) and all(len(set(v)) <= 3 for v in grid["extra"])
    assert rand["distinct"] == len(rand["x"])
    assert all(len(set(v)) == len(rand["x"]) for v in rand["extra"])

    # back to two knobs: the strips and the stack labels go with the race
    choose_knobs(page, 2)
    wait_js(page, "new URLSearchParams(location.search).get('dims') === '2'")
    expect(page.locator("#strips-grid")).to_be_hidden()
    race_fast(page)
    assert stack_labels(page, "grid") == {}
    assert errors == []


def test_a_link_with_more_knobs_replays_exactly_with_its_model(page: Page, app_url: str) -> None:
    """The link's race is the server's, bit for bit; with the GP mean shown the Bayesian panel
    says where its slice is held and draws the length scales it fitted, step by step."""
    errors = open_app(page, f"{app_url}?{LINK}")
    expect(page.locator("#scenario-label")).to_have_text("4 knobs · 1 GPU")
    race_fast(page)
    settings = link_settings(LINK)
    assert page.evaluate("window.hpoRace.view") == race_payload(settings)
    expect(page.locator("#strips-bayes .length-scales")).to_contain_text("Show the GP mean")

    page.locator("#bayes-view label").filter(has_text="Mean").first.click()
    wait_js(page, "document.getElementById('app-root').dataset.model === 'ready'")
    model = model_payload(settings)
    knobs = [k["name"] for k in race_payload(settings)["knobs"]]

    def shown_model(step: int) -> None:
        wait_js(
            page,
            f"document.querySelector('#strips-bayes .length-scales').dataset.step === '{step}'",
        )
        rows = page.evaluate(
            """() => [...document.querySelectorAll('#strips-bayes .ls-row')].map(r =>
                   [r.dataset.knob, Number(r.dataset.lengthScale)])"""
        )
        assert rows == [list(p) for p in zip(knobs, model["length_scale"][step], strict=True)]
        lines = page.evaluate(
            """() => [...document.querySelectorAll('#strips-bayes .strip-slice')].map(l =>
                   l.hidden ? null : parseFloat(l.style.left))"""
        )
        assert lines == [round(100 * u, 2) for u in model["slice"][step]]
        caption = page.locator("#strips-bayes .ls-caption")
        expect(caption).to_contain_text("a slice at the best point so far")
        expect(caption).to_contain_text(f"fitted after {step} trials")

    n = len(race_payload(settings)["strategies"]["bayes"]["x"])
    shown_model(n)
    page.evaluate("window.hpoRace.api.seek(0.25 * window.hpoRace.view.end)")
    step = page.evaluate("window.hpoRace.shown.bayes")
    assert 0 < step < n
    shown_model(step)
    assert errors == []


def test_measured_and_drawn_landscapes_offer_two_knobs_only(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}?dims=4")
    page.click("#landscape-select")
    page.get_by_role("option", name="SVM on digits").click()
    wait_js(page, "new URLSearchParams(location.search).get('dims') === '2'")
    expect(page.locator("#scenario-label")).to_have_text("2 knobs · 1 GPU")
    open_scenario(page)
    expect(page.locator("#dims-select")).to_contain_text("2")
    page.click("#dims-select")
    for count in range(3, 7):
        expect(page.get_by_role("option", name=str(count), exact=True)).to_be_disabled()
    page.keyboard.press("Escape")

    open_app(page, f"{app_url}?landscape=svm-digits&dims=4")
    item = page.locator("#link-notice li").filter(has_text="dims=4")
    expect(item).to_contain_text("2 knobs only")
    expect(page.locator("#dims-select")).to_contain_text("2")


def test_many_seeds_over_every_knob_count(page: Page, app_url: str) -> None:
    """ "2–6 knobs" repeats the run with 2, 3, 4 and 6 knobs: each racer's regret-by-knobs plot
    and the random-against-grid shares are the engine's for the same seeds."""
    budget, repeats = 300, 5
    errors = open_app(page, f"{app_url}?budget={budget}")
    page.locator("#side-tab label").filter(has_text="Many seeds").click()
    page.fill("#many-n", str(repeats))
    page.locator("#many-knobs label").click()
    page.click("#many-run")
    wait_js(page, "document.getElementById('app-root').dataset.many === 'done'", 180_000)
    shares, regrets = [], {}
    for dims in (2, 3, 4, 6):
        many = run_many("smooth", budget=budget, repeats=repeats, dims=dims)
        h2h = head_to_head([compact_race(r) for r in many["races"]], "grid", "random")
        shares.append(f"{round(100 * h2h['second'] / repeats)}% with {dims}")
        for name, summary in many["summary"].items():
            regrets.setdefault(name, []).append([dims, summary["median_final_regret"]])
    shown = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#many-table tbody tr')]
               .map(tr => [tr.dataset.strategy,
                           JSON.parse(tr.querySelector('.knob-trend').dataset.regrets)]))"""
    )
    assert shown == regrets
    line = page.locator("#many-table .many-h2h")
    expect(line).to_contain_text(
        f"Random ended closer to the optimum than Grid in {h2h['second']} of {repeats} races"
    )
    expect(line).to_contain_text("By knobs: " + ", ".join(shares) + ".")
    expect(page.locator("#many-progress")).to_contain_text(f"{repeats} races")
    assert errors == []


@pytest.mark.parametrize(
    ("screen_page", "tag"), [(t, t) for t in SCREENS], indirect=["screen_page"]
)
def test_more_knobs_on_every_screen(
    screen_page: Page, tag: str, app_url: str, artifacts: Path
) -> None:
    """Four knobs and four racers, the GP mean shown: nothing cut, overlapping or too small."""
    page, screen = screen_page, SCREENS[tag]
    phone = screen["size"][0] < 640
    errors = open_app(page, f"{app_url}?{LINK}&theme=light")
    race_to_the_end(page, tap=phone)
    if phone:
        page.tap("#racer-tab-bayes")
    page.locator("#bayes-view label").filter(has_text="Mean").first.click()
    wait_js(page, "document.getElementById('app-root').dataset.model === 'ready'")
    expect(page.locator("#strips-bayes .ls-row").first).to_be_visible()
    # the length scales make the strips taller: wait for the plots to fit their smaller stage
    wait_plots_fit(page)
    check(page, "four knobs, after a race, GP mean", screen)
    page.screenshot(path=str(artifacts / f"screens-{tag}-knobs.png"), full_page=phone)
    assert errors == []
