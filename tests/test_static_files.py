"""The page's files are compressed once, cached for good when fingerprinted, and revalidated
with ETags that match (app/static_files.py)."""

from __future__ import annotations

import gzip
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest
from conftest import callback_body
from flask.testing import FlaskClient

from hpo_race.app import ASSETS, create_app, ids
from hpo_race.app.static_files import IMMUTABLE, REVALIDATE, chosen_encoding, fingerprinted


@pytest.fixture(scope="module")
def app_and_client():
    app = create_app()
    return app, app.server.test_client()


@pytest.fixture(scope="module")
def client(app_and_client) -> FlaskClient:
    return app_and_client[1]


def page_urls(client: FlaskClient) -> list[str]:
    """The script and stylesheet URLs the page itself names, stamps included."""
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/(?:_hpo-assets|_dash-component-suites)/[^"]+)"', html)


def decoded(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def test_every_file_the_page_names_is_fingerprinted_and_kept_for_good(client):
    urls = page_urls(client)
    assert any("/_hpo-assets/" in u for u in urls) and any(
        "_dash-component-suites" in u for u in urls
    )
    for url in urls:
        response = client.get(url, headers={"Accept-Encoding": "br"})
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        ("zstd, br, gzip", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
        ("*", "br"),
    ],
)
def test_brotli_is_preferred_and_zstd_never_chosen(client, offered, expected):
    assert chosen_encoding(offered) == expected
    response = client.get("/assets/race-player.js", headers={"Accept-Encoding": offered})
    assert response.headers.get("Content-Encoding") == expected
    assert decoded(response) == (ASSETS / "race-player.js").read_bytes()


def test_a_compressed_file_decodes_to_the_file_itself(client):
    (raw,) = [p.read_bytes() for p in (ASSETS / "vendor").glob("plotly-hpo-*.min.js")]
    url = next(u for u in page_urls(client) if "plotly-hpo" in u)
    for offered in ("br", "gzip", "identity"):
        response = client.get(url, headers={"Accept-Encoding": offered})
        assert decoded(response) == raw
        if offered != "identity":
            assert len(response.get_data()) < len(raw) / 2.5


def test_a_matching_etag_gets_304_and_no_body(client):
    # (the index itself carries a per-request token of Dash's, so it is sent again: 2.5 kB)
    for url in ("/_dash-layout", "/_dash-dependencies", "/assets/dice.svg", page_urls(client)[0]):
        first = client.get(url, headers={"Accept-Encoding": "br"})
        tag = first.headers["ETag"]
        again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": tag})
        assert again.status_code == 304, url
        assert again.get_data() == b""
        assert again.headers["ETag"] == tag
        # another encoding is another representation: the tag must not match it
        other = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
        assert other.status_code == (200 if first.headers.get("Content-Encoding") else 304)


def test_files_without_a_stamp_are_revalidated_not_kept(client):
    assert client.get("/assets/dice.svg").headers["Cache-Control"] == REVALIDATE
    assert client.get("/_dash-layout").headers["Cache-Control"] == REVALIDATE
    assert fingerprinted("/assets/page.css", has_stamp=True)
    assert not fingerprinted("/assets/page.css", has_stamp=False)
    assert fingerprinted(
        "/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m1796120213.js", False
    )
    assert not fingerprinted("/_dash-component-suites/dash/dcc/async-graph.js", False)


def test_each_file_is_compressed_once_per_worker():
    app = create_app()
    client = app.server.test_client()
    url = next(u for u in page_urls(client) if u.endswith(".js") and "/page." in u)
    cache = app.server.extensions["hpo_race_static_files"]
    before = cache.misses
    for _ in range(5):
        client.get(url, headers={"Accept-Encoding": "br"})
    assert cache.misses == before + 1
    assert cache.hits >= 4


def test_callback_responses_are_compressed_with_brotli_not_zstd(app_and_client):
    app, client = app_and_client
    race = {"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 0, "nonce": 1}
    body = callback_body(app, ids.RACE_REQUEST, [race])
    response = client.post(
        "/_dash-update-component", json=body, headers={"Accept-Encoding": "zstd, br, gzip"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert json.loads(brotli.decompress(response.get_data()))["response"][ids.RACE_STORE]["data"][
        "ok"
    ]


def test_the_page_names_no_bundle_it_never_runs(client):
    urls = page_urls(client)
    assert not [u for u in urls if "/dash_table/" in u]
    # what it does run is all there: Dash's renderer, dcc, html, and plotly.js
    for part in ("dash_renderer", "/dcc/", "/html/", "/plotly-hpo-", "/page."):
        assert any(part in u for u in urls), part


def test_a_fresh_app_serves_bundles_to_many_first_requests_at_once():
    """Threaded workers (app/hall.py) may get several first requests at once: none is a 500."""
    app = create_app()
    urls = [u for u in page_urls(app.server.test_client()) if "_dash-component-suites" in u]
    urls.append("/_dash-component-suites/dash/dcc/async-graph.js")
    fresh = create_app()
    start = threading.Barrier(8)

    def first_request(i: int) -> int:
        client = fresh.server.test_client()
        start.wait(timeout=20)
        return client.get(urls[i % len(urls)]).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(first_request, range(8))) == [200] * 8
