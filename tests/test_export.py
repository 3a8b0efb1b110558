"""Exports and classroom links without a browser: CSV, JSON, the HTML replay, the export
callback (also forged), link queries and the page pieces."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest

from app import classroom, ids
from app.callbacks import cached_landscape_view
from app.export import (
    export_name,
    replay_figure,
    replay_html,
    trace_json,
    trials_csv,
    winner,
)
from app.model_data import BAYES_DEFAULTS, race_entry
from strategies import STRATEGIES
from strategies.race import run

ORDER = [n for n in ("grid", "random", "bayes") if n in STRATEGIES]
BAYES = dict(BAYES_DEFAULTS)


@pytest.fixture(scope="module")
def entry() -> dict:
    return race_entry("bumpy", 3, 700.0, 4, BAYES)


@pytest.fixture(scope="module")
def dash_app():
    from app import create_app

    return create_app()


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
    trace = run("bumpy", ORDER, 700.0, 4, landscape_seed=3, options={"bayes": BAYES})
    assert json.loads(trace_json(entry["trace"])) == json.loads(json.dumps(trace))


def test_file_names_say_which_race() -> None:
    settings = {"landscape": "smooth", "landscape_seed": 7, "budget": 812.5, "seed": 3}
    assert export_name(settings, "csv") == "hpo-race_smooth_layout7_812.5min_seed3.csv"


def test_winner_is_the_race_summarys_rule(entry: dict) -> None:
    view = entry["view"]
    reach = {
        n: view["strategies"][n]["clock"][view["strategies"][n]["hit"]]
        for n in ORDER
        if view["strategies"][n]["hit"] is not None
    }
    first = winner(entry["trace"], ORDER)
    if not reach:
        assert first is None
    else:
        best = min(reach, key=lambda n: (reach[n], ORDER.index(n)))
        assert first == {"strategy": best, "minute": reach[best]}


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


def test_link_query_has_every_setting() -> None:
    query = classroom.link_query(
        {
            "landscape": "smooth",
            "landscape_seed": 2,
            "budget": 900.0,
            "seed": 5,
            "bayes": {**BAYES, "acquisition": "ucb", "length_scale": 0.2},
        }
    )
    assert query == (
        "landscape=smooth&layout=2&budget=900&seed=5&acq=ucb&xi=0.01&kappa=2"
        "&kernel=matern52&ls=0.2&init=5"
    )


def test_page_pieces_and_config() -> None:
    config = classroom.link_config(["smooth", "bumpy"], {"smooth": "Smooth", "bumpy": "Bumpy"})
    assert config["limits"]["budget"] == [20.0, 3000.0]
    assert config["defaults"]["bayes"] == BAYES
    assert set(config["hideable"]) == set(classroom.HIDEABLE)
    json.dumps(config)  # it travels as a data attribute


# ---------------------------------------------------------------- the export callback


def export_body(dash_app, item: str, settings: list[Any]) -> dict:
    for key, entry in dash_app.callback_map.items():
        if "callback" in entry and entry["inputs"][0]["id"] == classroom.EXPORT_CSV:
            outputs = []
            for part in key.strip(".").split("..."):
                cid, prop = part.rsplit(".", 1)
                outputs.append({"id": cid, "property": prop.split("@")[0]})
            inputs = [{**spec, "value": 1} for spec in entry["inputs"]]
            state = [
                {**spec, "value": value}
                for spec, value in zip(entry["state"], settings, strict=False)
            ]
            state += [{**spec, "value": None} for spec in entry["state"][len(settings) :]]
            return {
                "output": key,
                "outputs": outputs,
                "inputs": inputs,
                "changedPropIds": [f"{item}.n_clicks"],
                "state": state,
            }
    raise AssertionError("no export callback")


def post(dash_app, body: dict) -> dict:
    response = dash_app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def test_export_callback_sends_a_file(dash_app) -> None:
    out = post(
        dash_app,
        export_body(dash_app, classroom.EXPORT_CSV, ["smooth", 0, 800, 0, dict(BAYES_DEFAULTS)]),
    )
    data = out[classroom.EXPORT_DOWNLOAD]["data"]
    assert data["filename"] == "hpo-race_smooth_layout0_800min_seed0.csv"
    assert data["content"].startswith("strategy,trial,")
    assert "Saved" in out[classroom.EXPORT_STATUS]["children"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (["smooth", 0, 5, 0, None], "between 20 and 3000"),
        (["<script>", 0, 800, 0, None], "unknown landscape"),
        (["smooth", -4, 800, 0, None], "landscape seed"),
        (["smooth", 0, 800, 1.5, None], "seed"),
        (["smooth", 0, 800, 0, {"acquisition": "zzz"}], "acquisition"),
        (["smooth", 0, 800, 0, "nope"], "not understood"),
        ([{"a": 1}, [], "x", None, 7], "unknown landscape"),
    ],
)
def test_forged_exports_get_a_message_not_a_crash(dash_app, settings, message) -> None:
    out = post(dash_app, export_body(dash_app, classroom.EXPORT_HTML, settings))
    assert classroom.EXPORT_DOWNLOAD not in out
    assert message in out[ids.ALERT]["children"]
    assert out[ids.ALERT]["children"].startswith("Export failed")
