"""Server side of the browser's "beyond toy hills" features: every value is checked.

Drawn peaks and the racer line-up arrive from the browser (or a forged request) and are
checked (app.draw, app.race_request) before the engine sees them; bad values become one sentence.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import callback_body

from hpo_race.app import ids
from hpo_race.app.draw import CUSTOM, menu_title
from hpo_race.app.landscape_views import cached_landscape_view, drawn_view, unseeded_landscapes
from hpo_race.app.model_data import check_many_request, many_chunk, race_payload
from hpo_race.app.race_request import (
    SettingsError,
    check_landscape,
    check_peaks,
    check_racers,
    check_request,
)
from hpo_race.strategies.race import run

PEAKS = "0.700,0.700,0.800,0.120;0.250,0.300,0.500,0.100"


def race_request(dash_app, value: Any) -> dict:
    return callback_body(dash_app, ids.RACE_REQUEST, [value])


def post_race(dash_app, client, value: Any) -> dict:
    response = client.post("/_dash-update-component", json=race_request(dash_app, value))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"][ids.RACE_STORE]["data"]


BASE = {"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 0}


def test_peaks_are_checked_and_canonical() -> None:
    assert check_peaks("smooth", "anything") is None  # only the drawn landscape has peaks
    assert check_peaks(CUSTOM, "0.7,0.7,0.8,0.12") == "0.700,0.700,0.800,0.120"
    bad = [
        (None, "empty"),
        ("", "empty"),
        (["0.5"], "not understood"),
        ("0.5,0.5,7,0.1", "peak 1 height must be between 0 and 1"),
        ("0.5,0.5,0.5", "peak 1 must be four decimal numbers"),
        ("__import__('os')", "peak 1 must be four decimal numbers"),
        (";".join(["0.5,0.5,0.5,0.1"] * 13), "1 to 12 peaks"),
        ("1e3,0.5,0.5,0.1", "four decimal numbers"),
    ]
    for raw, fragment in bad:
        with pytest.raises(SettingsError, match=fragment):
            check_peaks(CUSTOM, raw)


FOUR = ["grid", "random", "bayes", "hyperband"]


def test_the_line_up_is_two_to_five_registered_racers_in_panel_order() -> None:
    assert check_racers(None) == ["grid", "random", "bayes"]
    assert check_racers(["halving", "grid"]) == ["grid", "halving"]
    for raw, fragment in [
        ("yes", "different names"),
        (1, "different names"),
        (["grid"], "Choose 2 to 5 racers"),
        (["grid", "random", "bayes", "hyperband", "tpe", "halving"], "Choose 2 to 5"),
        (["grid", "grid"], "different names"),
        (["grid", "psychic"], "different names"),
    ]:
        with pytest.raises(SettingsError, match=fragment):
            check_racers(raw)


def test_landscape_names_and_views() -> None:
    assert check_landscape(CUSTOM, 0) == (CUSTOM, 0)
    assert "svm-digits" in unseeded_landscapes() and CUSTOM in unseeded_landscapes()
    assert "smooth" not in unseeded_landscapes()
    assert menu_title("Real: SVM on digits") == "SVM on digits"
    empty = drawn_view("")
    assert empty["empty"] and empty["optimum"]["x"] is None and empty["zmax"] > empty["zmin"]
    view = cached_landscape_view(CUSTOM, 0, PEAKS)
    assert view["title"] == "Your landscape" and "2 peaks" in view["description"]


def test_race_request_with_peaks_and_hyperband(dash_app, client) -> None:
    store = post_race(
        dash_app, client, {**BASE, "landscape": CUSTOM, "peaks": PEAKS, "racers": FOUR}
    )
    assert store["ok"] is True, store
    view = store["view"]
    assert view["order"] == ["grid", "random", "bayes", "hyperband"]
    assert view["peaks"] == PEAKS
    expected = run(CUSTOM, view["order"], 800, 0, peaks=PEAKS)
    for name in view["order"]:
        assert len(view["strategies"][name]["x"]) == len(expected["strategies"][name]["trials"])
    hb = view["strategies"]["hyperband"]
    assert len(hb["fidelity"]) == len(hb["size"]) == len(hb["x"])
    assert min(hb["fidelity"]) < 1 and max(hb["size"]) == 12
    assert all(s < 12 for f, s in zip(hb["fidelity"], hb["size"], strict=True) if f < 1)
    assert "hyperband" in view["narration"]
    # off by default, and svm-digits races as its one layout
    store = post_race(dash_app, client, {**BASE, "landscape": "svm-digits"})
    assert store["ok"] and store["view"]["order"] == ["grid", "random", "bayes"]
    assert "peaks" not in json.dumps(store["view"]["strategies"])


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"landscape": CUSTOM}, "empty"),
        ({"landscape": CUSTOM, "peaks": "0.5,0.5,2,0.1"}, "height must be between"),
        ({"landscape": CUSTOM, "peaks": 5}, "drawn peaks must be"),
        ({"racers": "yes"}, "racers must be"),
        ({"racers": ["grid"]}, "Choose 2 to 5 racers"),
        ({"options": {"tpe": {"n_startup": 0}}, "racers": ["grid", "tpe"]}, "from 1 to 100"),
    ],
)
def test_bad_race_requests_are_explained(dash_app, client, extra, fragment) -> None:
    store = post_race(dash_app, client, {**BASE, **extra})
    assert store["ok"] is False and fragment in store["error"]


def test_race_payload_caches_per_drawing() -> None:
    drawn = {**BASE, "landscape": CUSTOM, "budget": 300, "seed": 1}
    a = race_payload(check_request({**drawn, "peaks": PEAKS}))
    b = race_payload(check_request({**drawn, "peaks": "0.200,0.200,0.900,0.100"}))
    assert a["peaks"] != b["peaks"] and a["strategies"]["grid"] != b["strategies"]["grid"]


def test_many_seeds_with_hyperband_on_a_drawing() -> None:
    request = {
        **BASE,
        "budget": 300,
        "landscape": CUSTOM,
        "peaks": PEAKS,
        "racers": FOUR,
        "bayes": None,
        "vary": False,
        "total": 2,
        "start": 0,
        "count": 2,
    }
    settings = check_many_request(request)
    chunk = many_chunk(settings)
    assert set(chunk["races"][0]["strategies"]) == {"grid", "random", "bayes", "hyperband"}
    with pytest.raises(SettingsError, match="racers must be"):
        check_many_request({**request, "racers": 1})
    with pytest.raises(SettingsError, match="empty"):
        check_many_request({**request, "peaks": ""})


def test_model_views_work_on_a_drawn_landscape() -> None:
    """The Bayesian model's frames replay a race on drawn peaks (and with four racers)."""
    from hpo_race.app.model_data import model_payload

    settings = check_request(
        {**BASE, "landscape": CUSTOM, "budget": 200, "peaks": PEAKS, "racers": FOUR}
    )
    model = model_payload(settings)
    race = race_payload(settings)
    assert len(model["frames"]["mean"]) == len(race["strategies"]["bayes"]["x"]) + 1
