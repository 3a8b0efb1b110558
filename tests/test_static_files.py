"""The page's files are compressed once (brotli at its best quality once per machine, plotly.js
shipped so), cached for good when fingerprinted, and revalidated with ETags that match
(app/static_files.py, app/bundles.py)."""

from __future__ import annotations

import gzip
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest
from conftest import callback_body
from dash import Dash, html
from flask.testing import FlaskClient

from hpo_race.app import ASSETS, create_app, ids, static_files
from hpo_race.app.bundles import install_bundles, page_bundles, scripts, shipped_brotli
from hpo_race.app.result_store import DiskStore
from hpo_race.app.static_files import (
    BEST_BROTLI,
    BROTLI_QUALITY,
    IMMUTABLE,
    REVALIDATE,
    chosen_encoding,
    fingerprinted,
    install_static_files,
)

#: The page's files compressed as a browser asks for them (brotli 11 once per machine):
#: seconds of CPU, so out of the quick round; plain pytest and CI run them.
pytestmark = pytest.mark.slow


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
        client.get(url, headers={"Accept-Encoding": "gzip"})
    assert cache.misses == before + 1
    assert cache.hits >= 4


@pytest.fixture
def machine(monkeypatch, tmp_path) -> tuple[DiskStore, list[int]]:
    """A fresh store for the machine's best-quality copies, and the sizes of the bodies
    compressed at that quality from now on."""
    store = DiskStore(tmp_path / "store")
    monkeypatch.setattr(static_files, "shared_store", lambda: store)
    compressed: list[int] = []
    real = static_files.compress_best

    def counted(body: bytes) -> bytes:
        compressed.append(len(body))
        return real(body)

    monkeypatch.setattr(static_files, "compress_best", counted)
    return store, compressed


def test_brotli_at_its_best_is_compressed_once_per_machine(machine):
    """Two workers (two app instances) on one machine: the first to send page.js compresses
    it at quality 11 once; the other sends those very bytes without compressing again."""
    _, compressed = machine
    one, two = (create_app().server.test_client() for _ in range(2))
    url = next(u for u in page_urls(one) if "/page." in u and u.endswith(".js"))
    raw = one.get(url).get_data()
    replies = [one.get(url, headers={"Accept-Encoding": "br"}).get_data() for _ in range(3)]
    replies.append(two.get(url, headers={"Accept-Encoding": "br"}).get_data())
    assert compressed == [len(raw)]
    assert len(set(replies)) == 1 and brotli.decompress(replies[0]) == raw
    assert len(replies[0]) < len(brotli.compress(raw, quality=BROTLI_QUALITY)) * 0.97


def test_while_another_worker_compresses_a_file_it_is_sent_at_quality_6(machine):
    store, compressed = machine
    client = create_app().server.test_client()
    url = next(u for u in page_urls(client) if "/page." in u and u.endswith(".css"))
    raw = client.get(url).get_data()
    key = static_files.BEST_KEY + static_files.body_digest(raw)
    assert store.claim(key + ":claim", 60)  # another worker is at it
    quick = client.get(url, headers={"Accept-Encoding": "br"}).get_data()
    assert quick == brotli.compress(raw, quality=BROTLI_QUALITY) and compressed == []
    store.release(key + ":claim")  # the other worker is done:
    best = static_files.best_brotli(store, static_files.body_digest(raw), raw)
    assert compressed == [len(raw)] and best == brotli.compress(raw, quality=BEST_BROTLI)
    assert client.get(url, headers={"Accept-Encoding": "br"}).get_data() == best
    assert compressed == [len(raw)]  # sent from the store, not compressed again


@pytest.mark.parametrize(
    "stored", [b"\x1b\xff raw bytes of an older format", "bm90IGJyb3RsaQ==", {"a": 1}]
)
def test_a_stored_copy_that_is_not_the_files_own_is_replaced_not_sent(machine, stored):
    """The store outlives versions of this code: whatever is under a file's key that does
    not decode to the file is never sent; the file is compressed again and stored."""
    store, compressed = machine
    client = create_app().server.test_client()
    url = next(u for u in page_urls(client) if "/page." in u and u.endswith(".css"))
    raw = client.get(url).get_data()
    key = static_files.BEST_KEY + static_files.body_digest(raw)
    store.set(key, stored)
    sent = client.get(url, headers={"Accept-Encoding": "br"}).get_data()
    assert brotli.decompress(sent) == raw and compressed == [len(raw)]
    assert static_files.best_brotli(store, static_files.body_digest(raw), raw) == sent
    assert compressed == [len(raw)]  # what was stored instead is the file's own


def test_plotly_is_sent_as_the_brotli_copy_shipped_with_it(machine, client):
    """bench/precompress_vendor.py writes assets/vendor/*.js.br; if this fails after a new
    plotly.js build, run it again."""
    _, compressed = machine
    (script,) = (ASSETS / "vendor").glob("plotly-hpo-*.min.js")
    shipped = script.with_name(script.name + ".br").read_bytes()
    assert brotli.decompress(shipped) == script.read_bytes()
    url = next(u for u in page_urls(client) if "plotly-hpo" in u)
    assert client.get(url, headers={"Accept-Encoding": "br"}).get_data() == shipped
    assert compressed == []  # never compressed at quality 11 by a worker


def test_a_stale_shipped_copy_is_never_sent(machine, tmp_path):
    """A plotly.js rebuilt without a new .br: the old copy is ignored, the file is sent."""
    vendor = tmp_path / "assets" / "vendor"
    vendor.mkdir(parents=True)
    (script,) = (ASSETS / "vendor").glob("plotly-hpo-*.min.js")
    rebuilt = script.read_bytes().replace(b"plotly.js v4.1.1", b"plotly.js v4.1.2", 1)
    assert rebuilt != script.read_bytes()
    (vendor / script.name).write_bytes(rebuilt)
    stale = script.with_name(script.name + ".br").read_bytes()
    (vendor / (script.name + ".br")).write_bytes(stale)
    assert shipped_brotli(script, script.read_bytes()) == stale
    assert shipped_brotli(vendor / script.name, rebuilt) is None
    (vendor / "broken.js").write_bytes(b"console.log(1);")
    (vendor / "broken.js.br").write_bytes(b"not brotli at all")
    assert shipped_brotli(vendor / "broken.js", b"console.log(1);") is None

    bundles = page_bundles(tmp_path / "assets")
    app = Dash(__name__, assets_folder=str(tmp_path / "assets"), serve_locally=True)
    app.layout = html.Div()
    install_bundles(app, bundles)
    install_static_files(app, bundles)
    url = next(s["src"] for s in scripts(bundles) if script.name[:-3] in s["src"])
    reply = app.server.test_client().get(url, headers={"Accept-Encoding": "br"})
    assert reply.status_code == 200 and brotli.decompress(reply.get_data()) == rebuilt


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
