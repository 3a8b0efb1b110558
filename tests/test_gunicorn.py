"""Served as documented (gunicorn, two workers): the page, and every worker answers a race byte
for byte alike."""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from served import gunicorn, race_body, request

GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.slow  # tests/conftest.py: run by plain `pytest` and `-m slow`


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory):
    """Started from outside the checkout, without PYTHONPATH: the install alone must serve."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with gunicorn(GUNICORN, tmp_path_factory.mktemp("elsewhere"), env) as port:
        yield port


def test_the_page_is_served(gunicorn_port):
    status, page = request(gunicorn_port, "GET", "/")
    assert status == 200
    assert "hpo-race" in page.decode()


def test_both_workers_serve_byte_identical_races(gunicorn_port):
    body = race_body(gunicorn_port, seed=11)
    # Sync workers answer one request at a time, so concurrent requests spread over both.
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(
            pool.map(
                lambda _: request(gunicorn_port, "POST", "/_dash-update-component", body), range(16)
            )
        )
    assert all(status == 200 for status, _ in replies)
    assert len({reply for _, reply in replies}) == 1
    store = json.loads(replies[0][1])["response"]["race-store"]["data"]
    assert store["ok"] is True
    other = request(gunicorn_port, "POST", "/_dash-update-component", race_body(gunicorn_port, 12))
    assert other[1] != replies[0][1]
