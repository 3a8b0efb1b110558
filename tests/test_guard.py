"""The request guard (app/guard.py) with the registry's request shape: every server callback
that races (race, model view, many seeds, export) takes ``racers`` (a list of names) and
``options`` (racer -> option -> value) through the guard, and forged requests still get a
400 (wrong shape) or one clear sentence (wrong values), never a 500."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from conftest import callback_body

from hpo_race.app import classroom, ids
from hpo_race.app.bayes_panel import MODEL_REQUEST, MODEL_STORE
from hpo_race.app.guard import MAX_DEPTH, check_callback_request
from hpo_race.app.many_panel import MANY_CHUNK, MANY_REQUEST
from hpo_race.app.race_request import REQUEST_KEYS, check_request
from hpo_race.strategies.registry import RACERS

#: A page's request racing three racers, two of them with options of their own.
RACE = {
    "landscape": "smooth",
    "landscape_seed": 0,
    "budget": 300,
    "seed": 1,
    "bayes": {"acquisition": "ucb", "kappa": 3},
    "peaks": None,
    "racers": ["bayes", "tpe", "grid"],
    "options": {"tpe": {"n_startup": 4, "multivariate": False}},
}


def body_for(dash_app, first_input: str, inputs: list[Any], state: list[Any] = ()) -> dict:
    """The body a browser posts for the server callback whose first input is ``first_input``."""
    return callback_body(dash_app, first_input, inputs, state)


def race_body(dash_app, request: Any) -> dict:
    return body_for(dash_app, ids.RACE_REQUEST, [request])


def model_body(dash_app, request: Any) -> dict:
    return body_for(dash_app, MODEL_REQUEST, [request])


def many_body(dash_app, request: Any) -> dict:
    return body_for(dash_app, MANY_REQUEST, [request])


def export_body(dash_app, request: dict) -> dict:
    state = [request.get(key) for key in REQUEST_KEYS]
    return body_for(dash_app, classroom.EXPORT_CSV, [1, None, None], state)


def many(request: dict) -> dict:
    return {**request, "vary": False, "total": 2, "start": 0, "count": 2}


BODIES = {
    "race": (race_body, lambda r: r, ids.RACE_STORE),
    "model": (model_body, lambda r: r, MODEL_STORE),
    "many": (many_body, many, MANY_CHUNK),
    "export": (export_body, lambda r: r, classroom.EXPORT_DOWNLOAD),
}


def post(client, body: dict):
    return client.post("/_dash-update-component", json=body)


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_requests_with_racers_and_options_pass_the_guard(dash_app, client, kind) -> None:
    make, wrap, store = BODIES[kind]
    body = make(dash_app, wrap(copy.deepcopy(RACE)))
    assert check_callback_request(dash_app, body) is None
    reply = post(client, body)
    assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
    out = reply.get_json()["response"]
    data = out[store]["data"]
    settings = check_request(RACE)
    if kind == "export":
        header = data["content"].splitlines()[0]
        assert header.startswith("strategy,trial,")
        names = {line.split(",")[0] for line in data["content"].splitlines()[1:]}
        assert names == set(settings["strategies"])
        return
    assert data["ok"] is True, data
    if kind == "race":
        assert data["view"]["order"] == settings["strategies"]
        assert data["view"]["options"]["tpe"] == settings["options"]["tpe"]
        assert data["view"]["bayes"]["acquisition"] == "ucb"
    elif kind == "model":
        assert data["key"]["racers"] == settings["strategies"]
        assert data["key"]["options"] == settings["options"]
        assert len(data["model"]["frames"]["mean"]) >= 1
    else:
        assert data["done"] == 2 and set(data["summary"]) == set(settings["strategies"])


@pytest.mark.parametrize("kind", sorted(BODIES))
@pytest.mark.parametrize(
    ("forged", "fragment"),
    [
        ({"racers": ["grid"]}, "2 to 5 racers"),
        ({"racers": list(RACERS)}, "2 to 5 racers"),
        ({"racers": ["grid", 7]}, "The racers must be"),
        ({"racers": ["grid", "grid", "tpe"]}, "The racers must be"),
        ({"racers": ["grid", "<script>alert(1)</script>"]}, "The racers must be"),
        ({"racers": {"grid": True, "tpe": True}}, "The racers must be"),
        ({"options": ["tpe"]}, "options were not understood"),
        ({"options": {"tpe": "n_startup=4"}}, "options of TPE (Optuna) were not understood"),
        ({"options": {"tpe": {"n_startup": 10**9}}}, "TPE's startup random trials must be"),
        ({"options": {"tpe": {"__class__": 1}}}, "has no option __class__"),
        ({"options": {"tpe": {"multivariate": "yes"}}}, "Multivariate TPE must be"),
        ({"bayes": {"xi": 1e308}}, "The EI/PI margin ξ must be a number from 0 to 10"),
    ],
)
def test_forged_racers_and_options_get_a_clear_message(
    dash_app, client, kind, forged, fragment
) -> None:
    make, wrap, store = BODIES[kind]
    body = make(dash_app, wrap({**copy.deepcopy(RACE), **forged}))
    reply = post(client, body)
    assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
    out = reply.get_json()["response"]
    alert = out[ids.ALERT]["children"]
    assert "Traceback" not in alert
    if kind == "export":  # "Export failed: " + the sentence, continued in lower case
        assert fragment.lower() in alert.lower()
        assert store not in out and alert.startswith("Export failed: ")
    else:
        assert fragment in alert
        assert out[store]["data"]["ok"] is False and out[store]["data"]["error"] == alert


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"tpe": value}
    return value


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_malformed_shapes_get_a_400(dash_app, client, kind) -> None:
    make, wrap, _ = BODIES[kind]
    good = make(dash_app, wrap(copy.deepcopy(RACE)))

    deep = copy.deepcopy(good)
    where = deep["state"] if kind == "export" else deep["inputs"]
    target = where[REQUEST_KEYS.index("options")] if kind == "export" else where[0]
    if kind == "export":
        target["value"] = nested(MAX_DEPTH + 5)
    else:
        target["value"]["options"] = nested(MAX_DEPTH + 5)
    wrong_id = copy.deepcopy(good)
    (wrong_id["state"] if kind == "export" else wrong_id["inputs"])[0]["id"] = "racer-picker"
    missing = copy.deepcopy(good)
    missing["inputs"] = missing["inputs"][:-1] if kind == "export" else []
    unknown = {**copy.deepcopy(good), "output": "nope.data"}
    for forged, reason in (
        (deep, "nested too deeply"),
        (wrong_id, "not match"),
        (missing, "inputs do not match"),
        (unknown, "Unknown callback"),
    ):
        reply = post(client, forged)
        assert reply.status_code == 400, (reason, reply.get_data(as_text=True)[:200])
        assert reason in reply.get_json()["error"]
        assert check_callback_request(dash_app, forged) == reply.get_json()["error"]


def test_not_json_at_all_gets_a_400(client) -> None:
    for raw in (b"", b"{", b"[]", b"null", json.dumps({"output": 1}).encode()):
        reply = client.post("/_dash-update-component", data=raw, content_type="application/json")
        assert reply.status_code == 400, raw
