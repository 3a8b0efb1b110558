"""Unit tests of the browser app without a browser: figures, layout, callbacks, CLI, serving."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from conftest import callback_body

from hpo_race.app import cli, create_app, ids
from hpo_race.app.cli import build_parser, main
from hpo_race.app.figures import (
    LANDSCAPE_UIDS,
    PROBE_UIDS,
    best_figure,
    knob_axis,
    landscape_figure,
    probe_figure,
)
from hpo_race.app.narration import with_reasons
from hpo_race.app.race_request import SettingsError, check_budget, check_landscape, check_seed
from hpo_race.app.theme import STRATEGY_STYLE
from hpo_race.app.views import TARGET_SHARE, format_knob, landscape_view, race_view
from hpo_race.landscapes import get_landscape
from hpo_race.strategies.race import run

CORE_LANDSCAPES = ("smooth", "bumpy", "one-knob")
RACING = list(ids.STRATEGY_ORDER)
ROOT = Path(__file__).resolve().parent.parent


def plain(value: Any) -> bool:
    """Only JSON's own types all the way down (no numpy scalars or arrays)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize("name", CORE_LANDSCAPES)
def test_landscape_view_is_plain_real_unit_data(name: str) -> None:
    scape = get_landscape(name)
    view = landscape_view(scape, resolution=60)
    assert plain(view)
    json.dumps(view)
    assert len(view["x_edges"]) == len(view["y_edges"]) == 61
    assert len(view["z"]) == 60 and all(len(row) == 60 for row in view["z"])
    for knob, edges in zip(scape.knobs, (view["x_edges"], view["y_edges"]), strict=True):
        assert math.isclose(edges[0], knob.low, rel_tol=1e-5, abs_tol=1e-12)
        assert math.isclose(edges[-1], knob.high, rel_tol=1e-5)
        assert edges == sorted(edges)
    assert view["zmax"] == pytest.approx(scape.optimum.score, abs=1e-4)
    assert view["zmin"] <= min(min(row) for row in view["z"]) + 1e-4
    assert view["zmax"] >= max(max(row) for row in view["z"]) - 1e-4


def test_knob_axes_and_formatting() -> None:
    log_axis = knob_axis({"name": "learning rate", "low": 1e-5, "high": 1e-1, "log": True})
    assert log_axis["type"] == "log"
    assert log_axis["range"] == pytest.approx([-5, -1])
    assert log_axis["title"]["text"] == "learning rate"
    lin_axis = knob_axis({"name": "dropout", "low": 0.0, "high": 0.5, "log": False})
    assert lin_axis["type"] == "linear" and lin_axis["range"] == [0.0, 0.5]
    assert format_knob(0.00316, True) == "3.2e-3"
    assert format_knob(0.25, False) == "0.25"


def test_panel_figures_layers_and_markers() -> None:
    view = landscape_view(get_landscape("one-knob"))
    back = landscape_figure(view).to_plotly_json()
    assert [t["uid"] for t in back["data"]] == list(LANDSCAPE_UIDS)
    heatmap = back["data"][0]
    assert heatmap["type"] == "heatmap"
    stops = [stop[1].lower() for stop in heatmap["colorscale"]]
    assert stops[0] == "#440154" and stops[-1] == "#fde725"  # viridis
    assert back["layout"]["xaxis"]["type"] == "log"
    assert back["layout"]["yaxis"]["type"] == "linear"  # dropout is a linear knob
    assert "bdata" not in json.dumps(back, default=str)

    symbols = set()
    for name in ids.STRATEGY_ORDER:
        front = probe_figure(view, name).to_plotly_json()
        assert [t["uid"] for t in front["data"]] == list(PROBE_UIDS)
        probes = front["data"][PROBE_UIDS.index("probes")]
        assert probes["marker"]["cmin"] == view["zmin"]
        assert probes["marker"]["cmax"] == view["zmax"]
        assert probes["marker"]["line"]["color"] == "#ffffff"
        assert all(t["cliponaxis"] is False for t in front["data"])
        assert front["layout"]["plot_bgcolor"] == "rgba(0,0,0,0)"  # the fog shows through
        assert front["layout"]["margin"] == back["layout"]["margin"]  # layers line up
        assert front["layout"]["xaxis"]["range"] == back["layout"]["xaxis"]["range"]
        symbols.add(probes["marker"]["symbol"])
        assert front["data"][PROBE_UIDS.index("best")]["marker"]["symbol"] == "star"
    assert symbols == {"square", "circle", "diamond"}


#: Okabe & Ito (2008), "Color Universal Design": the eight colour-blind-safe colours.
OKABE_ITO = {
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
}


def test_palette_is_okabe_ito_with_distinct_symbols() -> None:
    from hpo_race.strategies.registry import RACERS

    assert set(STRATEGY_STYLE) == set(RACERS)  # every registered racer has a look
    assert len(RACERS) == 6
    colours = [style.colour.upper() for style in STRATEGY_STYLE.values()]
    assert set(colours) <= OKABE_ITO, set(colours) - OKABE_ITO
    assert len(set(colours)) == len(colours)  # no two racers share a colour
    symbols = [style.symbol for style in STRATEGY_STYLE.values()]
    assert len(set(symbols)) == len(symbols)  # nor a marker shape
    glyphs = [style.glyph for style in STRATEGY_STYLE.values()]
    assert len(set(glyphs)) == len(glyphs)
    for name, racer in RACERS.items():  # the theme is the registry's, not a copy
        assert STRATEGY_STYLE[name].colour == racer.colour
        assert STRATEGY_STYLE[name].symbol == racer.symbol


def test_best_figure_has_one_curve_per_strategy_and_the_optimum() -> None:
    view = landscape_view(get_landscape("smooth"))
    fig = best_figure(view, 800.0, ["grid", "random", "bayes"]).to_plotly_json()
    curves = [t for t in fig["data"] if t["uid"].startswith("curve-")]
    assert [t["uid"] for t in curves] == ["curve-grid", "curve-random", "curve-bayes"]
    assert [t["line"]["color"] for t in curves] == [
        STRATEGY_STYLE[n].colour for n in ("grid", "random", "bayes")
    ]
    assert all(t["line"]["shape"] == "hv" for t in curves)
    hits = [t for t in fig["data"] if t["uid"].startswith("hit-")]
    assert [t["marker"]["symbol"] for t in hits] == ["square", "circle", "diamond"]
    assert fig["layout"]["xaxis"]["range"] == [0, 800.0]
    optimum, target = fig["layout"]["shapes"][:2]
    assert optimum["y0"] == pytest.approx(view["optimum"]["score"])
    assert optimum["line"]["dash"] == "dash"
    assert target["y0"] == pytest.approx(TARGET_SHARE * view["optimum"]["score"])


@pytest.mark.parametrize(("name", "seed"), [("smooth", 0), ("bumpy", 3), ("one-knob", 11)])
def test_race_view_matches_the_trace(name: str, seed: int) -> None:
    scape = get_landscape(name)
    trace = run(scape, RACING, 600.0, seed)
    view = race_view(trace, scape)
    assert plain(view)
    assert view["order"] == RACING
    assert view["end"] == max(s["spent"] for s in trace["strategies"].values())
    target = TARGET_SHARE * trace["landscape"]["optimum"]["score"]
    ku, kv = scape.knobs
    for strategy in RACING:
        result, shown = trace["strategies"][strategy], view["strategies"][strategy]
        n = len(result["trials"])
        for key in ("x", "y", "score", "clock", "best", "best_index", "text"):
            assert len(shown[key]) == n, key
        assert shown["clock"] == sorted(shown["clock"])
        assert all(b >= a for a, b in zip(shown["best"], shown["best"][1:], strict=False))
        for i, best_i in enumerate(shown["best_index"]):
            assert best_i <= i
            assert shown["score"][best_i] == pytest.approx(shown["best"][i])
        hits = [i for i, b in enumerate(shown["best"]) if b >= target]
        assert shown["hit"] == (hits[0] if hits else None)
        assert all(min(ku.low, ku.high) <= x <= max(ku.low, ku.high) for x in shown["x"])
        assert all(kv.low <= y <= kv.high for y in shown["y"])
        assert len(shown["ghost_x"]) == len(result.get("unreached", []))
        assert shown["spent"] == result["spent"]


# ---------------------------------------------------------------- layout and serving


def all_ids(component: Any) -> set[str]:
    found = set()
    if isinstance(component, list | tuple):
        for child in component:
            found |= all_ids(child)
        return found
    if hasattr(component, "to_plotly_json"):
        cid = getattr(component, "id", None)
        if isinstance(cid, str):
            found.add(cid)
        found |= all_ids(getattr(component, "children", None))
    return found


def test_layout_has_every_stable_id(dash_app) -> None:
    present = all_ids(dash_app.layout)
    required = {
        "run-button",
        "pause-button",
        "step-button",
        "reset-button",
        "landscape-select",
        "budget-input",
        "seed-input",
        "panel-grid",
        "panel-random",
        "panel-bayes",
        "budget-grid",
        "budget-random",
        "budget-bayes",
        "best-plot",
    }
    assert required <= present
    assert {ids.SPEED_SELECT, ids.DICE_BUTTON, ids.REVEAL_TOGGLE, ids.ALERT} <= present


def test_two_apps_coexist_and_config(dash_app) -> None:
    other = create_app()  # no DuplicateCallback: callbacks are registered per app
    assert other is not dash_app
    assert dash_app.server.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert dash_app.config.serve_locally


@pytest.mark.slow  # compresses the page's files at brotli 11: seconds
def test_page_is_local_and_compressed(client) -> None:
    index = client.get("/")
    assert index.status_code == 200
    html = index.get_data(as_text=True)
    assert "unpkg.com" not in html and "cdn." not in html
    script = client.get(
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
        headers={"Accept-Encoding": "gzip"},
    )
    assert script.status_code == 200
    assert script.headers.get("Content-Encoding") == "gzip"
    assert len(script.get_data()) < 2_000_000
    for asset in ("race-player.js", "page.css", "dice.svg"):
        assert client.get(f"/assets/{asset}").status_code == 200


# ---------------------------------------------------------------- callbacks (also forged)


def callback_request(
    dash_app, input_id: str, values: list, trigger: str | None = None
) -> tuple[str, dict]:
    """A request body for the server callback whose first input is ``input_id``, as if the
    input ``trigger`` (default: that first one) had changed."""
    body = callback_body(dash_app, input_id, values, changed=trigger)
    return body["output"], body


def post(client, body: dict) -> dict:
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def test_race_callback_computes_the_whole_race(dash_app, client) -> None:
    _, body = callback_request(
        dash_app,
        ids.RACE_REQUEST,
        [{"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 0, "nonce": 5}],
    )
    out = post(client, body)
    store = out[ids.RACE_STORE]["data"]
    assert store["ok"] is True and store["nonce"] == 5
    assert store["view"]["order"] == RACING
    assert out[ids.ALERT]["children"] == ""


GOOD_RACE = {"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 0}


@pytest.mark.parametrize(
    ("request_data", "fragment"),
    [
        ({"landscape": "smooth", "landscape_seed": 0, "budget": 5, "seed": 0}, "from 20 to 3000"),
        ({"landscape": "smooth", "landscape_seed": 0, "budget": "lots", "seed": 0}, "budget"),
        ({"landscape": "smooth", "landscape_seed": 0, "budget": None, "seed": 0}, "budget"),
        ({"landscape": "smooth", "landscape_seed": 0, "budget": 1e308, "seed": 0}, "from 20"),
        ({"landscape": "smooth", "landscape_seed": 0, "budget": True, "seed": 0}, "budget"),
        ({"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": -1}, "seed"),
        ({"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 1.5}, "seed"),
        ({"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": "x"}, "seed"),
        ({"landscape": "nope", "landscape_seed": 0, "budget": 800, "seed": 0}, "landscape"),
        ({"landscape": ["smooth"], "landscape_seed": 0, "budget": 800, "seed": 0}, "landscape"),
        ({"landscape": "smooth", "landscape_seed": -4, "budget": 800, "seed": 0}, "landscape seed"),
        ({"landscape": "smooth", "landscape_seed": 2**40, "budget": 800, "seed": 0}, "layout"),
        ({**GOOD_RACE, "racers": ["grid"]}, "2 to 5 racers"),
        (
            {**GOOD_RACE, "racers": ["grid", "random", "tpe", "bayes", "hyperband", "halving"]},
            "2 to 5",
        ),
        ({**GOOD_RACE, "racers": ["grid", "grid"]}, "racers"),
        ({**GOOD_RACE, "racers": ["grid", "everest"]}, "racers"),
        ({**GOOD_RACE, "racers": [1, 2]}, "racers"),
        ({**GOOD_RACE, "racers": {"grid": 1}}, "racers"),
        ({**GOOD_RACE, "options": "nope"}, "options"),
        ({**GOOD_RACE, "racers": ["grid", "tpe"], "options": {"tpe": "x"}}, "not understood"),
        ({**GOOD_RACE, "racers": ["grid", "tpe"], "options": {"tpe": {"lr": 1}}}, "no option lr"),
        ({**GOOD_RACE, "bayes": {"xi": -1}}, "margin ξ"),
        ({**GOOD_RACE, "bayes": {"acquisition": "zzz"}}, "acquisition function"),
        ("not a dict", "not understood"),
        (None, "not understood"),
    ],
)
def test_race_callback_explains_bad_settings(dash_app, client, request_data, fragment) -> None:
    _, body = callback_request(dash_app, ids.RACE_REQUEST, [request_data])
    out = post(client, body)
    store = out[ids.RACE_STORE]["data"]
    assert store["ok"] is False
    assert fragment in store["error"].lower() or fragment in store["error"]
    assert out[ids.ALERT]["children"] == store["error"]
    assert store["error"][0].isupper() and "Traceback" not in store["error"]


def test_preview_callback_redraws_or_explains(dash_app, client) -> None:
    lineup = ["grid", "random", "bayes"]
    _, body = callback_request(dash_app, ids.LANDSCAPE_SELECT, ["bumpy", 0, 800, "", lineup])
    out = post(client, body)
    assert out[ids.ALERT]["children"] == ""
    assert out[ids.PANEL["grid"]]["figure"]["data"][0]["uid"] == "ghosts"
    assert "Bumpy" in json.dumps(out[ids.LANDSCAPE_INFO]["children"])
    curves = [t["uid"] for t in out[ids.BEST_PLOT]["figure"]["data"] if "curve-" in t["uid"]]
    assert curves == [f"curve-{name}" for name in lineup]

    _, body = callback_request(dash_app, ids.LANDSCAPE_SELECT, ["<script>", 0, 800, "", lineup])
    out = post(client, body)
    assert "The landscape must be one of smooth" in out[ids.ALERT]["children"]
    assert "(got '<script>')" in out[ids.ALERT]["children"]
    assert ids.PANEL["grid"] not in out  # nothing redrawn

    _, body = callback_request(dash_app, ids.LANDSCAPE_SELECT, ["smooth", 0, 10_000, "", lineup])
    out = post(client, body)
    assert "from 20 to 3000" in out[ids.ALERT]["children"]


@pytest.mark.parametrize(
    ("lineup", "fragment"),
    [
        (["grid"], "2 to 5 racers"),
        (["grid", "random", "bayes", "hyperband", "tpe", "halving"], "2 to 5 racers"),
        (["grid", "everest"], "The racers must be"),
        (["grid", "grid"], "The racers must be"),
        ("grid", "2 to 5 racers"),
        ({"grid": 1}, "The racers must be"),
    ],
)
def test_preview_callback_checks_the_lineup(dash_app, client, lineup, fragment) -> None:
    _, body = callback_request(
        dash_app, ids.LANDSCAPE_SELECT, ["smooth", 0, 800, "", lineup], trigger=ids.RACER_PICKER
    )
    out = post(client, body)
    assert fragment in out[ids.ALERT]["children"]
    assert ids.BEST_PLOT not in out  # the best-score axes stay as they were


def test_preview_callback_follows_the_picked_racers(dash_app, client) -> None:
    lineup = ["tpe", "grid", "halving"]  # any order in: panel order out
    _, body = callback_request(
        dash_app, ids.LANDSCAPE_SELECT, ["smooth", 0, 800, "", lineup], trigger=ids.RACER_PICKER
    )
    out = post(client, body)
    assert out[ids.ALERT]["children"] == ""
    curves = [t["uid"] for t in out[ids.BEST_PLOT]["figure"]["data"] if "curve-" in t["uid"]]
    assert curves == [f"curve-{name}" for name in ids.PANEL_ORDER if name in lineup]


def test_checkers_accept_good_values() -> None:
    assert check_landscape("smooth", 12) == ("smooth", 12)
    assert check_budget(800) == 800.0
    assert check_seed(3.0) == 3
    with pytest.raises(SettingsError):
        check_seed(float("nan"))
    with pytest.raises(SettingsError):
        check_budget(float("inf"))


# ---------------------------------------------------------------- CLI


def test_cli_nonsense_flag_is_one_line_and_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--nonsense"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--nonsense" in err


@pytest.mark.parametrize("argv", [["--port", "70000"], ["--port", "abc"], ["sreve"]])
def test_cli_bad_values_exit_2(argv, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_help_mentions_simulate(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "simulate" in capsys.readouterr().out


def test_cli_serves_with_debug_off_by_default(monkeypatch) -> None:
    calls = []
    monkeypatch.setattr("dash.Dash.run", lambda self, **kw: calls.append(kw))
    assert main([]) == 0
    assert calls == [{"host": "127.0.0.1", "port": 8050, "debug": False}]
    assert main(["--host", "0.0.0.0", "--port", "9001", "--debug"]) == 0
    assert calls[-1] == {"host": "0.0.0.0", "port": 9001, "debug": True}
    defaults = build_parser().parse_args([])
    assert (defaults.host, defaults.port, defaults.debug) == ("127.0.0.1", 8050, False)


def test_cli_dispatches_simulate_with_the_reasons_in_words(monkeypatch) -> None:
    seen = []

    def fake(argv, decorate=None):
        seen.append((argv, decorate))
        return 3

    monkeypatch.setattr(cli, "simulate", fake)
    assert main(["simulate", "--landscape", "bumpy"]) == 3
    assert seen == [(["--landscape", "bumpy"], with_reasons)]
