"""Forged callback requests against the running server: no 500s, no hangs, still racing after.

Any client can POST anything to /_dash-update-component. Hypothesis sends 2,000 payloads
(derandomised, so every run sends the same ones): well-shaped requests to every server
callback carrying wrong types, huge numbers, NaN, negative budgets, unknown landscape names
and oversized strings; structurally broken requests; and bytes that are not JSON at all.
"""

from __future__ import annotations

import http.client
import json
import math
from urllib.parse import urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpo_race.strategies.registry import RACERS

EXAMPLES = 2000
TIMEOUT_S = 10


def post(url: str, body: bytes) -> tuple[int, bytes]:
    parts = urlparse(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_S)
    try:
        conn.request(
            "POST",
            "/_dash-update-component",
            body=body,
            headers={"Content-Type": "application/json"},
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def get_json(url: str, path: str):
    parts = urlparse(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_S)
    try:
        conn.request("GET", path)
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def outputs_field(output: str):
    """The ``outputs`` a browser sends for a callback's output string."""

    def one(spec: str) -> dict:
        cid, _, prop = spec.rpartition(".")
        return {"id": cid, "property": prop}

    if output.startswith("..") and output.endswith(".."):
        return [one(s) for s in output[2:-2].split("...")]
    return one(output)


@pytest.fixture(scope="module")
def server_callbacks(app_url):
    deps = get_json(app_url, "/_dash-dependencies")
    found = [d for d in deps if not d.get("clientside_function")]
    assert found, "the app should have server callbacks to fuzz"
    return found


huge = st.sampled_from([10**30, -(10**30), 1e308, -1e308, 2**63, math.inf, -math.inf, math.nan])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    huge,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "smooth",
            "bumpy",
            "one-knob",
            "everest",
            "",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "__import__('os')",
            "x" * 100_000,
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
race_requests = st.fixed_dictionaries(
    {},
    optional={
        "landscape": st.one_of(st.sampled_from(["smooth", "bumpy", "one-knob", "nope"]), scalars),
        "landscape_seed": st.one_of(st.integers(-5, 5), scalars),
        "budget": st.one_of(st.floats(20, 60), st.integers(-100, 10), scalars),
        "seed": st.one_of(st.integers(0, 3), st.integers(-(2**40), 2**40), scalars),
        "nonce": st.one_of(st.integers(0, 10**9), scalars),
        # the line-up and the racers' options (app/race_request.py), well-formed or not
        "racers": st.one_of(
            st.lists(st.sampled_from([*RACERS, "nope"]), min_size=1, max_size=6),
            json_values,
        ),
        "options": st.one_of(
            st.dictionaries(
                st.sampled_from([*RACERS, "nope"]),
                st.one_of(
                    st.dictionaries(
                        st.sampled_from([s.name for r in RACERS.values() for s in r.options]),
                        st.one_of(st.integers(-2, 8), st.booleans(), scalars),
                        max_size=3,
                    ),
                    json_values,
                ),
                max_size=3,
            ),
            json_values,
        ),
        "bayes": st.one_of(
            st.dictionaries(
                st.sampled_from([s.name for s in RACERS["bayes"].options]), scalars, max_size=3
            ),
            json_values,
        ),
        # many seeds (app/model_data.py check_many_request): kept small so races stay quick
        "total": st.one_of(st.integers(0, 3), scalars),
        "start": st.one_of(st.integers(-1, 3), scalars),
        "count": st.one_of(st.integers(0, 3), scalars),
        "vary": st.one_of(st.booleans(), scalars),
    },
)


@st.composite
def payloads(draw, callbacks):
    kind = draw(st.sampled_from(["shaped", "shaped", "shaped", "broken", "bytes"]))
    if kind == "bytes":
        return draw(
            st.one_of(
                st.binary(max_size=200),
                st.sampled_from([b"", b"{", b'{"output": ', b"null", b"[]", b"NaN", b"\xff\xfe"]),
            )
        )
    cb = draw(st.sampled_from(callbacks))
    inputs = [{**i, "value": draw(st.one_of(race_requests, json_values))} for i in cb["inputs"]]
    state = [{**s, "value": draw(json_values)} for s in cb["state"]]
    body = {
        "output": cb["output"],
        "outputs": outputs_field(cb["output"]),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in cb["inputs"][:1]],
    }
    if kind == "broken":
        key = draw(st.sampled_from(sorted(body)))
        body[key] = draw(json_values)
    return json.dumps(body, allow_nan=True).encode()


@pytest.mark.slow
def test_forged_requests_never_get_a_500_or_hang(app_url, server_callbacks):
    statuses: dict[int, int] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(payloads(server_callbacks))
    def send(body):
        status, reply = post(app_url, body)  # raises on a hang (socket timeout)
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, (status, body[:300], reply[:300])
        assert b"Traceback" not in reply

    send()
    assert sum(statuses.values()) >= EXAMPLES
    assert statuses.get(400, 0) > 0 and statuses.get(200, 0) > 0  # both paths exercised


@pytest.mark.parametrize(
    "extra",
    [{}, {"racers": ["tpe", "grid", "halving"], "options": {"tpe": {"n_startup": 3}}}],
)
def test_server_still_races_after_the_fuzzing(app_url, server_callbacks, extra):
    race = next(cb for cb in server_callbacks if "race-store.data" in cb["output"])
    value = {"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 0, "nonce": 1}
    body = {
        "output": race["output"],
        "outputs": outputs_field(race["output"]),
        "inputs": [{**race["inputs"][0], "value": {**value, **extra}}],
        "state": [],
        "changedPropIds": [f"{race['inputs'][0]['id']}.{race['inputs'][0]['property']}"],
    }
    status, reply = post(app_url, json.dumps(body).encode())
    assert status == 200
    store = json.loads(reply)["response"]["race-store"]["data"]
    assert store["ok"] is True
    racers = extra.get("racers", [n for n, r in RACERS.items() if r.default])
    assert store["view"]["order"] == [name for name in RACERS if name in racers]
