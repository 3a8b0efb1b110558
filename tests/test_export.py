"""Exports and classroom links without a browser: CSV, JSON, the HTML replay, the export
callback (also forged), link queries and the page pieces."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any
from urllib.parse import parse_qsl

import numpy as np
import pytest
from conftest import callback_body, server_callback

from hpo_race.app import classroom, ids
from hpo_race.app.classroom_callbacks import link_query
from hpo_race.app.export_files import export_name, trace_json, trials_csv
from hpo_race.app.figures import RUG_SIZE
from hpo_race.app.landscape_views import cached_landscape_view
from hpo_race.app.model_data import BAYES_DEFAULTS, race_entry
from hpo_race.app.narration import with_reasons
from hpo_race.app.race_request import REQUEST_KEYS, check_request
from hpo_race.app.replay import replay_html
from hpo_race.app.replay_figure import replay_figure
from hpo_race.app.theme import STRATEGY_STYLE
from hpo_race.app.views import first_to_target as winner
from hpo_race.app.views import race_view
from hpo_race.landscapes import get_landscape
from hpo_race.strategies.race import run
from hpo_race.strategies.settings import BUDGET, RACE, from_query, option_by_url, table_spec

ORDER = ["grid", "random", "bayes"]
BAYES = dict(BAYES_DEFAULTS)


def settings_of(landscape: str, landscape_seed: int, budget: float, seed: int, **extra) -> dict:
    """The checked settings of a page's race request (``app.race_request.check_request``)."""
    request = {
        "landscape": landscape,
        "landscape_seed": landscape_seed,
        "budget": budget,
        "seed": seed,
        **extra,
    }
    return check_request(request, "export")


@pytest.fixture(scope="module")
def entry() -> dict:
    return race_entry(settings_of("bumpy", 3, 700.0, 4, bayes=BAYES))


def test_csv_has_every_trial_of_the_race(entry: dict) -> None:
    trace = run("bumpy", ORDER, 700.0, 4, landscape_seed=3, options={"bayes": BAYES})
    rows = list(csv.DictReader(io.StringIO(trials_csv(entry["trace"]))))
    assert list(rows[0]) == [
        "strategy",
        "trial",
        "finished_at_gpu_minute",
        "cost_gpu_minutes",
        "learning_rate",
        "weight_decay",
        "u",
        "v",
        "score",
        "best_so_far",
    ]
    for name in ORDER:
        trials = trace["strategies"][name]["trials"]
        mine = [r for r in rows if r["strategy"] == name]
        assert len(mine) == len(trials)
        for row, trial in zip(mine, trials, strict=True):
            assert float(row["score"]) == trial["score"]
            assert float(row["cost_gpu_minutes"]) == trial["cost"]
            assert float(row["finished_at_gpu_minute"]) == trial["clock"]
            assert [float(row["u"]), float(row["v"])] == trial["theta"]
    view = entry["view"]["strategies"]["random"]
    assert [float(r["learning_rate"]) for r in rows if r["strategy"] == "random"] == view["x"]


def test_json_is_the_engines_trace(entry: dict) -> None:
    """The engine's trace, with its Bayesian reasons in words (as ``hpo-race simulate``)."""
    trace = with_reasons(run("bumpy", ORDER, 700.0, 4, landscape_seed=3, options={"bayes": BAYES}))
    assert json.loads(trace_json(entry["trace"])) == json.loads(json.dumps(trace))


def test_file_names_say_which_race() -> None:
    settings = {"landscape": "smooth", "landscape_seed": 7, "budget": 812.5, "seed": 3}
    assert export_name(settings, "csv") == "hpo-race_smooth_layout7_812.5min_seed3.csv"


def first_to_reach(
    trace: dict,
    landscape: str,
    landscape_seed: int,
    share: float = 0.95,
    order: list[str] = ORDER,
) -> tuple[str, float] | None:
    """The race summary's rule, computed here from the engine's scores: the first racer whose
    best-so-far reaches ``share`` (95%) of the landscape's optimum on the shared GPU-minute
    clock (a tie goes to the earlier panel of ``order``); None if nobody does."""
    target = share * get_landscape(landscape, landscape_seed).optimum.score
    reached = {}
    for name in order:
        trials = trace["strategies"][name]["trials"]
        best = np.maximum.accumulate([t["score"] for t in trials]) if trials else np.array([])
        hits = np.flatnonzero(best >= target)
        if hits.size:
            reached[name] = trials[hits[0]]["clock"]
    if not reached:
        return None
    name = min(reached, key=lambda n: (reached[n], order.index(n)))
    return name, reached[name]


def test_winner_is_the_earliest_racer_to_reach_95_percent() -> None:
    # smooth, layout 4, seed 4, 800 minutes: the first panel gets there too, but later
    trace = run("smooth", ORDER, 800.0, 4, landscape_seed=4, options={"bayes": BAYES})
    expected = first_to_reach(trace, "smooth", 4)
    assert expected is not None and expected[0] != ORDER[0]
    assert first_to_reach(trace, "smooth", 4, order=ORDER[:1]) is not None
    assert winner(trace, ORDER) == {"strategy": expected[0], "minute": expected[1]}
    # a tie on the clock goes to the earlier panel: give an earlier panel the winner's trials
    rival = next(n for n in ORDER if n != expected[0])
    tied = {**trace, "strategies": {**trace["strategies"], rival: trace["strategies"][expected[0]]}}
    panels = sorted((rival, expected[0]), key=ORDER.index)
    assert winner(tied, panels) == {"strategy": panels[0], "minute": expected[1]}


def test_winner_is_none_when_nobody_reaches_95_percent() -> None:
    # smooth, layout 0, seed 1, 100 minutes: a racer gets past 90% of the optimum, none to 95%
    trace = run("smooth", ORDER, 100.0, 1, options={"bayes": BAYES})
    assert first_to_reach(trace, "smooth", 0, share=0.9) is not None
    assert first_to_reach(trace, "smooth", 0) is None
    assert winner(trace, ORDER) is None


def test_replay_figure_frames_follow_the_clock(entry: dict) -> None:
    view = entry["view"]
    scape = cached_landscape_view("bumpy", 3)
    fig = replay_figure(entry["trace"], view, scape, ORDER)
    frames = fig["frames"]
    times = [float(f["name"]) for f in frames]
    assert times[0] == 0 and times == sorted(times) and 20 <= len(times) <= 130
    assert abs(times[-1] - view["end"]) < 1e-3
    heatmaps = [i for i, t in enumerate(fig["data"]) if t["type"] == "heatmap"]
    assert len(heatmaps) == len(ORDER)
    probe_traces = [
        i
        for i, t in enumerate(fig["data"])
        if t["type"] == "scatter" and isinstance(t.get("marker", {}).get("color"), list)
    ]
    for frame in (frames[0], frames[len(frames) // 2], frames[-1]):
        t = float(frame["name"])
        by_trace = dict(zip(frame["traces"], frame["data"], strict=True))
        for i in heatmaps:
            assert by_trace[i]["visible"] is (frame is frames[-1])
        counts = [len(by_trace[i]["x"]) for i in probe_traces]
        expected = [sum(c <= t + 1e-9 for c in view["strategies"][n]["clock"]) for n in ORDER]
        assert counts == expected
    assert [
        len(dict(zip(frames[-1]["traces"], frames[-1]["data"], strict=True))[i]["x"])
        for i in probe_traces
    ] == [len(view["strategies"][n]["x"]) for n in ORDER]


def test_replay_rugs_mark_each_distinct_value_tried_so_far(entry: dict) -> None:
    """The slides' panels carry the page's rugs: at every frame, a tick on the bottom edge
    per distinct value of the first knob tried by then, one on the left edge per value of
    the second (grid: its lattice's columns and rows; random: one per trial)."""
    view = entry["view"]
    fig = replay_figure(entry["trace"], view, cached_landscape_view("bumpy", 3), ORDER)
    knobs = entry["trace"]["landscape"]["knobs"]
    left, bottom = knobs[0]["low"], knobs[1]["low"]
    rugs = [i for i, t in enumerate(fig["data"]) if t.get("marker", {}).get("size") == RUG_SIZE]
    assert len(rugs) == 3 * len(ORDER)
    for frame in (fig["frames"][1], fig["frames"][len(fig["frames"]) // 2], fig["frames"][-1]):
        t = float(frame["name"])
        by_trace = dict(zip(frame["traces"], frame["data"], strict=True))
        for k, name in enumerate(ORDER):
            s = view["strategies"][name]
            tried = [i for i, c in enumerate(s["clock"]) if c <= t + 1e-9]
            xs = sorted({s["x"][i] for i in tried})
            ys = sorted({s["y"][i] for i in tried})
            rim, along_x, along_y = (by_trace[rugs[3 * k + j]] for j in range(3))
            assert sorted(along_x["x"]) == xs and set(along_x["y"]) <= {bottom}
            assert sorted(along_y["y"]) == ys and set(along_y["x"]) <= {left}
            assert len(rim["x"]) == len(xs) + len(ys) == len(rim["marker"]["symbol"])
    # grid tries few values of each knob, random a new one every trial
    last = dict(zip(fig["frames"][-1]["traces"], fig["frames"][-1]["data"], strict=True))
    grid, random = ORDER.index("grid"), ORDER.index("random")
    assert len(last[rugs[3 * grid + 1]]["x"]) < len(view["strategies"]["grid"]["x"])
    assert len(last[rugs[3 * random + 1]]["x"]) == len(view["strategies"]["random"]["x"])


def test_replay_html_is_self_contained(entry: dict) -> None:
    page = replay_html(
        entry["trace"], entry["view"], cached_landscape_view("bumpy", 3), ORDER, "http://h/?a=1"
    )
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "plotly.js" in page[:5000] or "plotly.js" in page  # the bundle is inlined
    assert not re.search(r"<script[^>]+src=", page), "no script may load from elsewhere"
    assert page.count("<script") == page.count("</script>") == 2
    assert "<link" not in page and "@import" not in page
    payload = page.split("var fig = ", 1)[1].split(";\n", 1)[0]
    fig = json.loads(payload)
    assert len(fig["frames"]) > 20
    assert "Race it live" in page


def test_replay_says_who_got_to_95_percent_first() -> None:
    # the two races of the winner tests above: one that a racer wins, one that nobody does
    won = race_entry(settings_of("smooth", 4, 800.0, 4, bayes=BAYES))
    name, minute = first_to_reach(won["trace"], "smooth", 4)
    page = replay_html(won["trace"], won["view"], cached_landscape_view("smooth", 4), ORDER)
    style = STRATEGY_STYLE[name]
    assert (
        f"First to 95% of the optimum: {html.escape(style.glyph)} {html.escape(style.label)}, "
        f"at GPU minute {minute:,.0f}."
    ) in page
    assert "Nobody reached" not in page

    lost = race_entry(settings_of("smooth", 0, 100.0, 0, bayes=BAYES))
    assert first_to_reach(lost["trace"], "smooth", 0) is None
    page = replay_html(lost["trace"], lost["view"], cached_landscape_view("smooth", 0), ORDER)
    assert "Nobody reached 95% of the optimum within the budget." in page
    assert "First to 95%" not in page


def test_link_query_replays_the_settings() -> None:
    settings = settings_of(
        "smooth",
        2,
        900.0,
        5,
        bayes={**BAYES, "acquisition": "ucb", "length_scale": 0.2},
        racers=["bayes", "grid", "tpe"],
        options={"tpe": {"n_startup": 7}},
    )
    query = link_query(settings)
    pairs = parse_qsl(query, keep_blank_values=True)
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys))
    given = dict(pairs)
    assert given["landscape"] == "smooth" and given["layout"] == "2" and given["seed"] == "5"
    assert float(given["budget"]) == 900.0
    assert given["racers"] == "grid,bayes,tpe"  # unescaped commas, panel order
    assert given["acq"] == "ucb" and float(given["ls"]) == 0.2
    # every race setting is written out, and every option of every racer that races
    racing_options = {
        url for url, (name, _) in option_by_url().items() if name in settings["strategies"]
    }
    assert {s.url for s in RACE if settings[s.name] is not None} | racing_options == set(keys)
    replayed, problems = from_query(given)
    assert problems == []
    assert replayed == {**settings, "options": replayed["options"]}
    assert {k: v for k, v in replayed["options"].items() if v} == settings["options"]
    assert replayed["options"]["tpe"]["n_startup"] == 7


def test_page_pieces_and_config() -> None:
    config = classroom.link_config(["smooth", "bumpy"], {"smooth": "Smooth", "bumpy": "Bumpy"})
    assert config["table"] == table_spec()
    budget = next(s for s in config["table"]["race"] if s["name"] == "budget")
    assert (budget["low"], budget["high"], budget["default"]) == (
        BUDGET.low,
        BUDGET.high,
        BUDGET.default,
    )
    bayes = next(r for r in config["table"]["racers"] if r["name"] == "bayes")
    assert {o["name"]: o["default"] for o in bayes["options"]} == BAYES
    assert "limits" not in config  # the table replaced them
    assert set(config["hideable"]) == set(classroom.HIDEABLE)
    json.dumps(config)  # it travels as a data attribute


# ---------------------------------------------------------------- the export callback


def export_body(dash_app, item: str, request: Any) -> dict:
    """The export callback's request for ``item`` clicked, with the page's race request as
    its state (keys of ``app.race_request.REQUEST_KEYS``; missing ones None; a non-dict
    fills every state with that value)."""
    _, entry = server_callback(dash_app, classroom.EXPORT_CSV)
    assert len(entry["state"]) == len(REQUEST_KEYS)
    values = [request.get(k) if isinstance(request, dict) else request for k in REQUEST_KEYS]
    return callback_body(
        dash_app, classroom.EXPORT_CSV, [1] * len(entry["inputs"]), values, changed=item
    )


def post(dash_app, body: dict) -> dict:
    response = dash_app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


GOOD = {"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 0}


def test_export_callback_sends_a_file(dash_app) -> None:
    request = {**GOOD, "bayes": dict(BAYES_DEFAULTS), "racers": ["grid", "random", "bayes"]}
    out = post(dash_app, export_body(dash_app, classroom.EXPORT_CSV, request))
    data = out[classroom.EXPORT_DOWNLOAD]["data"]
    assert data["filename"] == export_name(check_request(request), "csv")
    assert data["filename"] == "hpo-race_smooth_layout0_800min_seed0.csv"
    assert data["content"].startswith("strategy,trial,")
    assert "Saved" in out[classroom.EXPORT_STATUS]["children"]


def test_export_callback_exports_the_picked_racers(dash_app) -> None:
    request = {
        **GOOD,
        "budget": 400,
        "racers": ["tpe", "halving"],
        "options": {"tpe": {"n_startup": 3}},
    }
    out = post(dash_app, export_body(dash_app, classroom.EXPORT_JSON, request))
    trace = json.loads(out[classroom.EXPORT_DOWNLOAD]["data"]["content"])
    assert list(trace["strategies"]) == ["tpe", "halving"]
    assert trace["settings"]["options"]["tpe"]["n_startup"] == 3
    settings = check_request(request)
    assert settings["options"]["tpe"]["n_startup"] == 3
    want = run("smooth", ["tpe", "halving"], 400.0, 0, options=settings["options"])
    assert trace == json.loads(json.dumps(want))


def test_export_replay_links_back_to_the_same_race(dash_app) -> None:
    request = {**GOOD, "racers": ["grid", "hyperband"], "options": {"hyperband": {}}}
    out = post(dash_app, export_body(dash_app, classroom.EXPORT_HTML, request))
    page = out[classroom.EXPORT_DOWNLOAD]["data"]["content"]
    link = re.search(r'Race it live: <a href="([^"]+)"', page).group(1)
    query = dict(parse_qsl(html.unescape(link).split("?", 1)[1]))
    replayed, problems = from_query(query)
    assert problems == []
    assert replayed["strategies"] == ["grid", "hyperband"]
    settings = check_request(request)
    assert {k: v for k, v in replayed.items() if k != "options"} == {
        k: v for k, v in settings.items() if k != "options"
    }


@pytest.mark.parametrize(
    ("request_data", "message"),
    [
        ({**GOOD, "budget": 5}, "budget must be a number from 20 to 3000"),
        ({**GOOD, "landscape": "<script>"}, "the landscape must be one of"),
        ({**GOOD, "landscape_seed": -4}, "landscape seed"),
        ({**GOOD, "seed": 1.5}, "seed must be a whole number"),
        ({**GOOD, "bayes": {"acquisition": "zzz"}}, "acquisition function must be one of"),
        ({**GOOD, "bayes": "nope"}, "not understood"),
        ({**GOOD, "bayes": {"lr": 1}}, "has no option lr"),
        ({**GOOD, "racers": ["grid"]}, "2 to 5 racers"),
        ({**GOOD, "racers": ["grid", "<script>"]}, "racers must be"),
        ({**GOOD, "racers": "grid,grid"}, "racers must be"),
        ({**GOOD, "racers": ["grid", "tpe"], "options": "nope"}, "options were not understood"),
        (
            {**GOOD, "racers": ["grid", "tpe"], "options": {"tpe": {"n_startup": -1}}},
            "failed: TPE's startup random trials must be",  # a name keeps its capitals
        ),
        (
            {**GOOD, "racers": ["grid", "hyperband"], "options": {"hyperband": {"eta": 99}}},
            "failed: Hyperband's η must be",
        ),
        ({"landscape": {"a": 1}, "landscape_seed": [], "budget": "x", "bayes": 7}, "landscape"),
        ([1, 2], "must be"),
    ],
)
def test_forged_exports_get_a_message_not_a_crash(dash_app, request_data, message) -> None:
    out = post(dash_app, export_body(dash_app, classroom.EXPORT_HTML, request_data))
    assert classroom.EXPORT_DOWNLOAD not in out
    alert = out[ids.ALERT]["children"]
    assert message in alert
    assert alert.startswith("Export failed: ")
    assert alert == out[classroom.EXPORT_STATUS]["children"]


@pytest.mark.parametrize("seed", range(8))
def test_the_view_carries_the_one_winner_and_best(seed: int) -> None:
    """The page reads who won from the view: the earliest 95% point of any racer's curve."""
    trace = run("bumpy", ORDER, 400.0, seed, options={"bayes": BAYES})
    view = race_view(trace, get_landscape("bumpy", 0))
    hits = [
        (view["strategies"][n]["clock"][view["strategies"][n]["hit"]], i, n)
        for i, n in enumerate(ORDER)
        if view["strategies"][n]["hit"] is not None
    ]
    expected = {"strategy": min(hits)[2], "minute": min(hits)[0]} if hits else None
    assert view["winner"] == expected == winner(trace, ORDER)
    finals = [(view["strategies"][n]["best"][-1], -i, n) for i, n in enumerate(ORDER)]
    assert view["top"] == {"strategy": max(finals)[2], "best": max(finals)[0]}
