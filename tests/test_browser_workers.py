"""Several GPUs per racer in the real page (issue 16): the GPUs box and its link, the Gantt
strips, the switch between GPU minutes and the wall clock, the summary on both clocks, the
model view's refusal, many seeds with workers, and every screen size.

Everything the page shows is compared with what the server's engine computes for the same
settings (``app.model_data``, ``strategies.summary``), never with numbers written here.
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

from hpo_race.app.model_data import race_entry, race_payload
from hpo_race.app.views import first_to_target
from hpo_race.strategies.race import run_many
from hpo_race.strategies.summary import compact_race, first_to_reach

LINK = "workers=8&seed=3"


def gantt(page: Page, name: str) -> dict:
    return page.evaluate(
        """(n) => { const box = document.getElementById('gantt-' + n);
            return {hidden: box.hidden, busy: Number(box.dataset.busy),
                    caption: box.querySelector('.gantt-caption').textContent,
                    rows: [...box.querySelectorAll('.gantt-row')].map(r =>
                        [...r.querySelectorAll('.gantt-bar')].filter(b => !b.hidden)
                            .map(b => [parseFloat(b.style.left), parseFloat(b.style.width)]))};
        }""",
        name,
    )


def best_axis(page: Page) -> dict:
    return page.evaluate(
        """() => { const g = document.querySelector('#best-plot .js-plotly-plot');
            const curves = {};
            g.data.filter(t => (t.uid || '').startsWith('curve-'))
                .forEach(t => { curves[t.uid.slice(6)] = [...t.x]; });
            return {range: g.layout.xaxis.range, title: g.layout.xaxis.title.text,
                    curves: curves, end: window.hpoRace.view.end}; }"""
    )


def test_the_gpus_box_races_on_several_gpus_with_gantt_strips(page: Page, app_url: str) -> None:
    errors = open_app(page, app_url + "?seed=3")
    expect(page.locator("#gantt-grid")).to_be_hidden()
    open_scenario(page)
    page.fill("#workers-input", "8")
    page.press("#workers-input", "Enter")
    wait_js(page, "new URLSearchParams(location.search).get('workers') === '8'")
    expect(page.locator("#scenario-label")).to_have_text("2 knobs · 8 GPUs")
    race_fast(page)
    expected = race_payload(link_settings(LINK))
    shown = page.evaluate("window.hpoRace.view")
    assert shown["workers"] == 8 and shown["end_wall"] == expected["end_wall"]
    for name, race in expected["strategies"].items():
        got = gantt(page, name)
        assert not got["hidden"] and len(got["rows"]) == 8
        # one bar per trial on the GPU it ran on, from its start to its end
        assert [len(r) for r in got["rows"]] == [Counter(race["worker"])[w] for w in range(8)]
        span = expected["end_wall"]
        bars = sorted(x for r in got["rows"] for b in r for x in [tuple(b)])
        want = sorted(
            (round(100 * s / span, 3), round(100 * (e - s) / span, 3))
            for s, e in zip(race["start"], race["wall"], strict=True)
        )
        assert len(bars) == len(want)
        for bar, trial in zip(bars, want, strict=True):
            assert bar == pytest.approx(trial, abs=2e-3)
        # the share of GPU time kept busy, up to this racer's last result
        last = max(race["wall"])
        busy = sum(e - s for s, e in zip(race["start"], race["wall"], strict=True)) / (8 * last)
        assert got["busy"] == pytest.approx(busy, abs=1e-4)
        assert got["caption"].startswith(f"8 GPUs · busy {round(100 * busy)}%")
    assert errors == []


def test_a_workers_link_replays_exactly_on_both_clocks(page: Page, app_url: str) -> None:
    """The link's race is the server's; the switch puts the plot, the clock and the curves on
    the wall clock and back; the summary names the first to 95% on each clock."""
    errors = open_app(page, f"{app_url}?{LINK}")
    expect(page.locator("#scenario-label")).to_have_text("2 knobs · 8 GPUs")
    open_scenario(page)
    expect(page.locator("#workers-input")).to_have_value("8")
    page.click("#scenario-menu summary")  # folds it again
    race_fast(page)
    settings = link_settings(LINK)
    view = race_payload(settings)
    shown = page.evaluate(
        """() => { const v = window.hpoRace.view; const out = {};
                   for (const [k, x] of Object.entries(v)) if (!k.startsWith('__')) out[k] = x;
                   return out; }"""
    )
    shown = {k: v for k, v in shown.items() if k not in ("end_gpu", "span")}
    for s in shown["strategies"].values():
        s.pop("gpu", None)
    assert shown == view

    trace = race_entry(settings)["trace"]
    order = view["order"]
    gpu, wall = first_to_target(trace, order), first_to_target(trace, order, wall=True)
    status = page.locator("#race-status")
    short = {n: s["short"] for n, s in view["strategies"].items()}
    expect(status).to_contain_text(f"first to 95%: {short[gpu['strategy']]}, GPU minute")
    expect(status).to_contain_text(f"on the wall clock: {short[wall['strategy']]}, minute")

    on_gpu = best_axis(page)
    assert on_gpu["range"] == [0, view["budget"]] and on_gpu["title"] == "GPU minutes"
    page.locator("#time-axis label").filter(has_text="wall clock").click()
    wait_js(page, f"window.hpoRace.view.end === {view['end_wall']}")
    on_wall = best_axis(page)
    assert on_wall["range"] == [0, view["end_wall"]] and "wall-clock minutes" in on_wall["title"]
    for name, race in view["strategies"].items():
        assert on_wall["curves"][name][: len(race["wall"])] == race["wall"]
    assert page.evaluate("window.hpoRace.t") == view["end_wall"]

    # the scrubber moves the wall clock now: half-way, about half the trials have come in
    page.evaluate(f"window.hpoRace.api.seek({view['end_wall'] / 2})")
    shown_half = page.evaluate("window.hpoRace.shown")
    for name, race in view["strategies"].items():
        assert shown_half[name] == sum(w <= view["end_wall"] / 2 for w in race["wall"])
    page.locator("#time-axis label").filter(has_text="GPU minutes").click()
    wait_js(page, f"window.hpoRace.view.end === {view['end']}")
    assert best_axis(page)["range"] == [0, view["budget"]]

    # the Bayesian model view replays races on one GPU only, and says so
    page.locator("#bayes-view label").filter(has_text="Mean").first.click()
    wait_js(page, "document.getElementById('app-root').dataset.model === 'failed'")
    expect(page.locator(".model-hint")).to_contain_text("set GPUs to 1")
    assert errors == []


def test_many_seeds_with_several_gpus(page: Page, app_url: str) -> None:
    budget, repeats, workers = 300, 6, 4
    errors = open_app(page, f"{app_url}?budget={budget}&workers={workers}")
    page.locator("#side-tab label").filter(has_text="Many seeds").click()
    page.fill("#many-n", str(repeats))
    page.click("#many-run")
    wait_js(page, "document.getElementById('app-root').dataset.many === 'done'", 120_000)
    many = run_many("smooth", budget=budget, repeats=repeats, workers=workers)
    cells = page.evaluate(
        """() => [...document.querySelectorAll('#many-table tbody td[data-target]')].map(td =>
               [td.closest('tr').dataset.strategy, td.dataset.target, td.dataset.wall])"""
    )
    for name, target, shown in cells:
        median = many["summary"][name]["reach_wall"][target]["median_minutes"]
        assert shown == ("" if median is None else f"{median:g}"), (name, target)
    records = [compact_race(r) for r in many["races"]]
    wall = first_to_reach(records, "bayes", "random", wall=True)
    cost = first_to_reach(records, "bayes", "random")
    line = page.locator("#many-table .many-gpus")
    expect(line).to_contain_text(
        f"With {workers} GPUs each, Bayesian reached 95% before Random in {wall['first']} of "
        f"{repeats} races on the wall clock, and in {cost['first']} in GPU minutes"
    )
    assert errors == []


@pytest.mark.parametrize(
    ("screen_page", "tag"), [(t, t) for t in SCREENS], indirect=["screen_page"]
)
def test_several_gpus_on_every_screen(
    screen_page: Page, tag: str, app_url: str, artifacts: Path
) -> None:
    """Eight GPUs and four knobs, on the wall clock: nothing cut, overlapping or too small."""
    page, screen = screen_page, SCREENS[tag]
    phone = screen["size"][0] < 640
    errors = open_app(page, f"{app_url}?{LINK}&dims=4&theme=light")
    race_to_the_end(page, tap=phone)
    page.locator("#time-axis label").filter(has_text="wall clock").click()
    wait_js(page, "window.hpoRace.view.end === window.hpoRace.view.end_wall")
    expect(page.locator(".gantt").filter(visible=True).first).to_be_visible()
    wait_plots_fit(page)
    check(page, "eight GPUs, four knobs, wall clock", screen)
    page.screenshot(path=str(artifacts / f"screens-{tag}-gpus.png"), full_page=phone)
    assert errors == []
