"""Links through the real page: the browser's codec reads what Python's reads, Copy link gives
back the same settings, every broken link of the bug report gets its notice, and the new
racers (TPE, successive halving) race from a link.
"""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest
from conftest import open_app, open_scenario, wait_js, wait_state
from playwright.sync_api import Page, expect

from hpo_race.app.narration import with_reasons
from hpo_race.landscapes.custom import encode_peaks
from hpo_race.strategies.race import run
from hpo_race.strategies.registry import RACERS
from hpo_race.strategies.settings import (
    BUDGET,
    PAGE_RACERS,
    SEED,
    WORKERS,
    check_race,
    from_query,
    seeded,
    to_query,
)

LANDSCAPES = ["smooth", "bumpy", "one-knob", "svm-digits", "custom"]


def option_value(setting, rng: random.Random):
    """A random valid value of one option, from its table entry."""
    if setting.none is not None and rng.random() < 0.3:
        return None
    if setting.kind == "int":
        return rng.randint(int(setting.low), int(setting.high))
    if setting.kind == "float":
        if setting.log:
            value = round(setting.low * (setting.high / setting.low) ** rng.random(), 4)
        else:
            value = round(rng.uniform(setting.low, setting.high), 3)
        return min(max(value, setting.low), setting.high)
    if setting.kind == "choice":
        return rng.choice(setting.choices)
    return rng.random() < 0.5  # flag


def sample_settings(n: int, seed: int = 7) -> list[dict]:
    """n valid settings: every racer and option somewhere, odd budgets, fixed length scales."""
    rng = random.Random(seed)
    names = list(RACERS)
    budgets = [805.0, 25.0, 800.5, 20.0, 3000.0, 333.3]
    out = []
    for i in range(n):
        k = rng.randint(*PAGE_RACERS)
        picked = {names[(i + j) % len(names)] for j in range(k)}
        racers = [name for name in names if name in picked]  # links race in panel order
        landscape = LANDSCAPES[i % len(LANDSCAPES)]
        raw = {
            "landscape": landscape,
            "landscape_seed": rng.randint(0, 50) if seeded(landscape) else 0,
            "budget": budgets[i % len(budgets)],
            "seed": rng.randint(0, 2**31 - 1),
            "strategies": racers,
            "options": {
                r: {o.name: option_value(o, rng) for o in RACERS[r].options} for r in racers
            },
        }
        if landscape in ("smooth", "bumpy", "one-knob"):
            raw["dims"] = 2 + i % 5  # every number of knobs somewhere
        raw["workers"] = (1, 4, 8, 32)[i % 4]  # and of GPUs
        if landscape == "custom":
            raw["peaks"] = encode_peaks(
                [{"u": 0.3, "v": 0.6, "height": 0.8, "width": 0.1 + 0.01 * i}]
            )
        if "bayes" in racers:
            raw["options"]["bayes"]["length_scale"] = [0.051, 0.0512, 2.5, None][i % 4]
        out.append(check_race(raw))
    return out


def copy_link(page: Page) -> str:
    page.click("#copy-link")
    expect(page.locator("#copy-link")).to_contain_text("Copied")
    return page.evaluate("navigator.clipboard.readText()")


def read_link(link: str) -> tuple[dict, list]:
    return from_query(dict(parse_qsl(urlparse(link).query)))


def test_links_replay_their_settings_through_the_page(clipboard_page: Page, app_url: str) -> None:
    """Open a link, press Copy link: the copied link reads back as the same settings."""
    page = clipboard_page
    for settings in sample_settings(8):
        link = app_url + "?" + urlencode(to_query(settings), safe=",;")
        errors = open_app(page, link)
        expect(page.locator("#link-notice")).to_be_hidden()
        wait_js(
            page,
            "document.getElementById('app-root').dataset.strategies === "
            f"'{','.join(settings['strategies'])}'",
        )
        copied, problems = read_link(copy_link(page))
        assert problems == [], (link, problems)
        assert copied == settings, link
        assert errors == []


def test_the_page_codec_reads_links_as_python_does(page: Page, app_url: str) -> None:
    """window.hpoCodec.parse against strategies.settings.from_query, good links and bad."""
    open_app(page, app_url)
    links = [to_query(s) for s in sample_settings(12, seed=3)]
    links += [
        {"ls": "0.051"},
        {"budget": "805"},
        {"budget": "NaN"},
        {"budget": "1e400", "seed": "-3"},
        {"landscape": "custom", "peaks": "garbage"},
        {"peaks": "garbage"},
        {"landscape": "custom", "peaks": "0.5,0.5,7,0.1"},
        {"landscape": "svm-digits", "layout": "7"},
        {"hyperband": "on"},
        {"hyperband": "1", "racers": "grid,tpe"},
        {"racers": "grid"},
        {"racers": "grid,nope", "hyperband": "1"},
        {"racers": "grid,random,bayes,tpe,halving", "hyperband": "1"},
        {"xi": "99", "tpe_init": "0", "sh_eta": "9", "hb_smax": "auto", "acq": "UCB"},
        {"racers": "halving,grid", "sh_rmin": "0.05", "kernel": "RBF"},
        {"dims": "5"},
        {"dims": "9", "landscape": "bumpy"},
        {"dims": "3.0"},
        {"landscape": "svm-digits", "dims": "3"},
        {"landscape": "custom", "dims": "4", "peaks": "0.5,0.5,0.9,0.2"},
    ]
    for query in links:
        expected, problems = from_query(query)
        got = page.evaluate("(q) => window.hpoCodec.parse(q)", "?" + urlencode(query))
        assert got["settings"] == expected, query
        assert [(p["param"], p["why"], p["fallback"]) for p in got["problems"]] == [
            (p["param"], p["why"], p["fallback"]) for p in problems
        ], query
        # and the page writes the query Python writes
        pairs = page.evaluate("(s) => window.hpoCodec.query(s)", got["settings"])
        assert {k: v for k, v in pairs} == to_query(expected), query


@pytest.mark.parametrize(
    ("query", "param", "says"),
    [
        ("budget=NaN", "budget", "must be a number from 20 to 3000"),
        ("landscape=custom&peaks=garbage", "peaks", "four decimal numbers"),
        ("peaks=garbage", "peaks", "four decimal numbers"),
        ("presenter=yes", "presenter", "must be 1 or 0"),
        ("landscape=svm-digits&layout=7", "layout", "measured data"),
        ("hyperband=on", "hyperband", "must be 1 (on) or 0 (off)"),
        ("racers=grid", "racers", "2 to 5 different names"),
        ("dims=8", "dims", "must be a whole number from 2 to 6"),
        ("landscape=svm-digits&dims=4", "dims", "2 knobs only"),
    ],
)
def test_every_broken_link_gets_its_notice(page: Page, app_url: str, query, param, says) -> None:
    open_app(page, f"{app_url}?{query}")
    notice = page.locator("#link-notice")
    expect(notice).to_be_visible()
    item = notice.locator("li").filter(has_text=f"{param}=")
    expect(item).to_contain_text(says)
    # the address keeps only what is used
    wait_js(
        page,
        f"!new URLSearchParams(location.search).has('{param}') || "
        f"new URLSearchParams(location.search).get('{param}') !== '{query.split('=')[-1]}'",
    )


@pytest.mark.parametrize("budget", ["805", "25", "800.5"])
def test_odd_budgets_are_accepted_typed_or_linked(page: Page, app_url: str, budget: str) -> None:
    open_app(page, f"{app_url}?budget={budget}")
    expect(page.locator("#budget-input")).to_have_value(budget)
    expect(page.locator("#link-notice")).to_be_hidden()
    page.fill("#seed-input", "3")
    page.press("#seed-input", "Enter")
    wait_js(page, "new URLSearchParams(location.search).get('seed') === '3'")
    assert page.evaluate("new URLSearchParams(location.search).get('budget')") == budget
    # typed in the box: accepted as is
    page.fill("#budget-input", "805")
    page.press("#budget-input", "Enter")
    wait_js(page, "new URLSearchParams(location.search).get('budget') === '805'")
    expect(page.locator("#alert")).to_have_text("")


def test_a_budget_out_of_range_is_explained_and_never_written(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}?budget=805")
    page.fill("#budget-input", "99999")
    page.press("#budget-input", "Enter")
    expect(page.locator("#alert")).to_contain_text("from 20 to 3000")
    page.fill("#seed-input", "4")
    page.press("#seed-input", "Enter")
    wait_js(page, "new URLSearchParams(location.search).get('seed') === '4'")
    assert page.evaluate("new URLSearchParams(location.search).get('budget')") == "805"


@pytest.mark.parametrize("how", ["Enter", "Tab"])
def test_typing_the_default_after_a_link_changes_the_setting(
    page: Page, app_url: str, how: str
) -> None:
    """A link sets the number boxes; typing each box's layout default (budget 800, seed 0,
    1 GPU) into it, as the first edit, still changes the race (Dash's Input used to keep
    handlers that compared with the layout's value and dropped it)."""
    open_app(page, f"{app_url}?budget=300&seed=14&workers=4")
    for box, setting in (("budget", BUDGET), ("seed", SEED), ("workers", WORKERS)):
        default = f"{setting.default:g}"
        if box == "workers":
            open_scenario(page)
        page.fill(f"#{box}-input", default)
        page.press(f"#{box}-input", how)
        wait_js(page, f"new URLSearchParams(location.search).get('{box}') === '{default}'")
        if box == "workers":
            page.keyboard.press("Escape")


def test_a_fixed_length_scale_survives_a_link(clipboard_page: Page, app_url: str) -> None:
    page = clipboard_page
    open_app(page, f"{app_url}?ls=0.051")
    expect(page.locator("#bayes-ls-value")).to_have_text("ℓ = 0.051")
    settings, problems = read_link(copy_link(page))
    assert problems == [] and settings["options"]["bayes"]["length_scale"] == 0.051


def test_the_edge_prior_can_be_switched_off_by_link_and_by_hand(
    clipboard_page: Page, app_url: str
) -> None:
    page = clipboard_page
    open_app(page, f"{app_url}?edges=0")
    off = page.locator("#bayes-edges label").filter(has_text="Plain GP")
    expect(off.locator("input")).to_be_checked()
    settings, problems = read_link(copy_link(page))
    assert problems == [] and settings["options"]["bayes"]["edge_prior"] is False
    # by hand: back on, and the link says so (the default is left out of links or written 1)
    page.click("#bayes-settings summary")
    page.locator("#bayes-edges label").filter(has_text="Unlikely").click()
    expect(page.locator("#bayes-settings")).to_have_attribute("data-custom", "false")
    settings, problems = read_link(copy_link(page))
    assert problems == [] and settings["options"]["bayes"]["edge_prior"] is True


def test_tpe_and_halving_race_from_a_link(page: Page, app_url: str) -> None:
    errors = open_app(page, f"{app_url}?racers=grid,tpe,halving&budget=400&seed=2&tpe_init=6")
    for name in ("grid", "tpe", "halving"):
        expect(page.locator(f"#panel-{name}")).to_be_visible()
    for name in ("random", "bayes", "hyperband"):
        expect(page.locator(f"#panel-{name}")).to_be_hidden()
    page.click("#run-button")
    wait_state(page, "playing", 60_000)
    page.evaluate("window.hpoRace.api.setSpeed(16)")
    wait_state(page, "finished", 60_000)
    expected = run(
        "smooth", ["grid", "tpe", "halving"], 400.0, 2, options={"tpe": {"n_startup": 6}}
    )
    for name in ("grid", "tpe", "halving"):
        result = expected["strategies"][name]
        stats = page.inner_text(f"#budget-{name} .stats")
        assert f"{len(result['trials'])} trials" in stats, (name, stats)
        assert f"best {result['trials'][-1]['best']:.3f}" in stats, (name, stats)
    expect(page.locator("#narration-tpe")).to_contain_text("Done")
    # TPE's panel rings the trials it counted good when it chose its latest trial
    last_good = expected["strategies"]["tpe"]["trials"][-1]["good"]
    assert last_good  # past its startup trials
    ringed = page.evaluate(
        "(() => { const g = document.querySelector('#panel-tpe .js-plotly-plot');"
        " const t = g.data.find(d => d.uid === 'good'); return [t.x.length, t.y.length]; })()"
    )
    assert ringed == [len(last_good), len(last_good)]
    expect(page.locator("#split-key-tpe")).to_contain_text("good")
    assert errors == []


def test_tpe_and_halving_in_many_seeds_and_every_export(page: Page, app_url: str, tmp_path) -> None:
    """Many seeds races the picked line-up; CSV, JSON and the replay carry the new racers."""
    import csv
    import io
    import json
    from pathlib import Path

    from hpo_race.strategies.race import run_many

    racers = ["random", "tpe", "halving"]
    errors = open_app(page, f"{app_url}?racers={','.join(racers)}&budget=300&seed=4")
    page.locator("#side-tab label").filter(has_text="Many seeds").first.click()
    page.fill("#many-n", "3")
    page.click("#many-run")
    wait_js(page, "document.getElementById('app-root').dataset.many === 'done'", 90_000)
    summary = page.evaluate("window.hpoMany.summary")
    python = run_many("smooth", racers, 300.0, 4, repeats=3)["summary"]
    assert set(summary) == set(racers)
    for name in racers:
        assert summary[name]["median_final_regret"] == pytest.approx(
            python[name]["median_final_regret"], abs=1e-9
        ), name
    for name in racers:
        expect(page.locator(f"#many-table tr[data-strategy={name}]")).to_be_visible()

    # the page races every racer with its options written out (their defaults here)
    defaults = {n: {o.name: o.default for o in RACERS[n].options} for n in racers}
    trace = run("smooth", racers, 300.0, 4, options={n: o for n, o in defaults.items() if o})
    with_reasons(trace)  # the exports carry the Bayesian reasons in words

    def export(item: str):
        if not page.locator("#export-menu").evaluate("d => d.open"):
            page.click("#export-menu summary")
        with page.expect_download() as info:
            page.click(f"#{item}")
        expect(page.locator("#export-status")).to_contain_text("Saved")
        return Path(info.value.path())

    rows = list(csv.DictReader(io.StringIO(export("export-csv").read_text())))
    for name in racers:
        assert sum(r["strategy"] == name for r in rows) == len(trace["strategies"][name]["trials"])
    exported = json.loads(export("export-json").read_text())
    assert exported == json.loads(json.dumps(trace))
    html = export("export-html").read_text()
    for name in racers:
        assert RACERS[name].title in html, name
    assert errors == []
