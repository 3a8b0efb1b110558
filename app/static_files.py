"""The page's files, sent once: compressed once per machine, cached by the browser for good.

A lecture hall loads the same ~60 files a hundred times, and reloads them. Out of the box,
Dash and Flask-Compress re-compress every file on every request, send ``/assets/*`` with
``Cache-Control: no-cache`` and an ETag that ``If-None-Match`` never matches (so every
revalidation is a full download), and prefer zstd, which is larger than brotli here. This
hook, run before Flask-Compress on every successful GET:

- compresses each distinct body once (brotli when the browser offers it, else gzip) and
  keeps it in a bounded in-memory cache keyed by the body's hash. Brotli is at its best
  quality (``BEST_BROTLI``: ~10 % smaller, ~40× the CPU), done once per machine: plotly.js
  ships compressed (app/bundles.py), any other file is compressed by the first worker that
  sends it and kept in the shared store (app/result_store.py) for every worker and restart;
  while one worker compresses a file, the others send it at ``BROTLI_QUALITY``;
- tags it with a strong ETag of the body and answers a matching ``If-None-Match`` with 304;
- leaves dash_table's bundle, which Dash always names, out of the page;
- sends fingerprinted URLs (app/bundles.py's carry a content hash, assets ``?m=<mtime>``,
  Dash's bundles a ``.v<version>m<stamp>`` name) as ``public, max-age=31536000, immutable``:
  a reload does not even ask for them.
  Everything else is ``no-cache``: revalidated, and a 304 costs a few hundred bytes.

Callback POSTs are left to Flask-Compress (told to prefer brotli in ``COMPRESSION``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from typing import Any

import brotli
from dash import Dash
from flask import Response, request

from hpo_race.app.bundles import BUNDLE_PREFIX, Bundle
from hpo_race.app.cache import BoundedCache
from hpo_race.app.result_store import ResultStore, shared_store

#: Flask-Compress settings for what this hook leaves to it (callback responses): brotli
#: before gzip, never zstd (26 kB larger on this page).
COMPRESSION = {"COMPRESS_ALGORITHM": ["br", "gzip", "deflate"]}
#: Brotli quality for a file while its best is not there yet, and for the index (which Dash
#: changes per request): 6 is ~10 % smaller than Flask-Compress's 4 on plotly.js and costs
#: ~0.1 s (bench/precompress_vendor.py).
BROTLI_QUALITY = 6
#: Brotli's best quality: ~10 % smaller than 6 (a cold visit 676,619 bytes instead of 748,164,
#: bench/bench_page.py) but ~40× the CPU (plotly.js: 2.5 s instead of 0.06 s,
#: bench/precompress_vendor.py), so done once per machine.
BEST_BROTLI = 11
#: How long one worker may take over a file's best brotli before another may try instead.
BEST_CLAIM_SECONDS = 120.0
#: A body's best brotli in the shared store is under this prefix and its ``body_digest``.
BEST_KEY = f"static-br{BEST_BROTLI}:"
GZIP_LEVEL = 6
#: Bodies smaller than this are sent as they are (compression would not pay for its header).
MIN_SIZE = 500
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
#: Dash's bundle names carry the package version and a stamp: ``name.v4_4_1m1796120213.min.js``.
_FINGERPRINTED_BUNDLE = re.compile(r"\.v[\w]+m\d+\.")
#: A script tag for a bundle Dash always names but this page never runs: dash_table's (the
#: app has no DataTable), 9 kB on the wire for nothing.
_UNUSED_BUNDLE = re.compile(r'<script src="[^"]*/dash_table/[^"]*"></script>\s*')
_COMPRESSIBLE = (
    *("text/", "application/javascript", "application/json", "image/svg+xml"),
    *("image/x-icon", "image/vnd.microsoft.icon"),  # Dash's favicon: 15 kB, 4 kB in brotli
)
_STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", BUNDLE_PREFIX)
#: The page's other fixed GETs (one body per app): revalidated, compressed once.
_PAGE_PATHS = ("/", "/_dash-layout", "/_dash-dependencies", "/_favicon.ico")


def body_digest(body: bytes) -> str:
    """The hash a body is known by: its ETag, and its key in the caches."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def fingerprinted(path: str, has_stamp: bool) -> bool:
    """Whether a URL names one version of a file forever (so the browser may keep it)."""
    if path.startswith(BUNDLE_PREFIX):
        return True  # app/bundles.py: the name carries a hash of the content
    if path.startswith("/assets/"):
        return has_stamp
    return path.startswith("/_dash-component-suites/") and bool(_FINGERPRINTED_BUNDLE.search(path))


def chosen_encoding(accept_encoding: str) -> str | None:
    """``br`` if the browser takes it, else ``gzip``, else none (quality values of 0 refuse)."""
    offered = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip()] = quality
    for name in ("br", "gzip"):
        if offered.get(name, offered.get("*", 0.0)) > 0:
            return name
    return None


def compress(body: bytes, encoding: str) -> bytes:
    """The body in ``encoding`` (``br`` or ``gzip``)."""
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def compress_best(body: bytes) -> bytes:
    """``body`` at brotli's best quality (seconds for plotly.js: never per request)."""
    return brotli.compress(body, quality=BEST_BROTLI)


def _stored_best(found: Any, body: bytes) -> bytes | None:
    """A stored best copy if it is one of ``body`` (a store outlives versions of this code:
    an entry in another format, or damaged, is never sent)."""
    if found is None:
        return None
    try:
        data = base64.b64decode(found, validate=True)
        return data if brotli.decompress(data) == body else None
    except (TypeError, ValueError, brotli.error):
        return None


def best_brotli(store: ResultStore, digest: str, body: bytes) -> bytes | None:
    """The machine's best-quality brotli of ``body`` (whose hash is ``digest``): from the
    store, else compressed here and stored; None while another worker is compressing it.
    Kept as base64 text (a store may keep only JSON, app/redis_hall.py) and checked against
    ``body`` when read."""
    key = BEST_KEY + digest
    best = _stored_best(store.get(key), body)
    if best is None and store.claim(key + ":claim", BEST_CLAIM_SECONDS):
        try:
            best = _stored_best(store.get(key), body)  # it may have landed meanwhile
            if best is None:
                best = compress_best(body)
                store.set(key, base64.b64encode(best).decode("ascii"))
        finally:
            store.release(key + ":claim")
    return best


def only_used_scripts(app: Dash) -> None:
    """Leave the bundles this page never uses out of its HTML (Dash names them all)."""
    interpolate = app.interpolate_index

    def interpolate_index(**parts: str) -> str:
        parts["scripts"] = _UNUSED_BUNDLE.sub("", parts.get("scripts", ""))
        return interpolate(**parts)

    app.interpolate_index = interpolate_index


def install_static_files(
    app: Dash, bundles: list[Bundle] | None = None, cache_entries: int = 256
) -> BoundedCache:
    """Register the hook on ``app`` (after Dash set up Flask-Compress, so it runs first).

    ``bundles`` (app/bundles.py) bring their shipped brotli copies. Returns the per-worker
    cache of compressed bodies (bounded by ``cache_entries``; the page has ~65 files), also
    kept as ``server.extensions["hpo_race_static_files"]`` so a test can see that a file is
    compressed once.
    """
    only_used_scripts(app)
    compressed = BoundedCache(maxsize=cache_entries)
    app.server.extensions["hpo_race_static_files"] = compressed
    shipped = {body_digest(b.body): b.brotli for b in bundles or () if b.brotli is not None}

    def brotli_body(digest: str, body: bytes) -> bytes:
        """Best quality if shipped or once this machine has it, else quality 6 for now."""
        if digest in shipped:
            return shipped[digest]
        best = compressed.peek([digest, "best"])
        if best is None:
            best = best_brotli(shared_store(), digest, body)
        if best is not None:
            return compressed.get_or_compute([digest, "best"], lambda: best)
        return compressed.get_or_compute([digest, "br"], lambda: compress(body, "br"))

    @app.server.after_request
    def send_once(response: Response) -> Response:
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        static = request.path.startswith(_STATIC_PREFIXES)
        if not static and request.path not in _PAGE_PATHS:
            return response  # anything else (a link's path, a download) is left to Flask-Compress
        if "Content-Encoding" in response.headers:
            return response
        response.direct_passthrough = False
        body = response.get_data()
        digest = body_digest(body)
        mimetype = response.mimetype or ""
        encoding = None
        if len(body) >= MIN_SIZE and mimetype.startswith(_COMPRESSIBLE):
            encoding = chosen_encoding(request.headers.get("Accept-Encoding", ""))
        tag = f"{digest}-{encoding or 'identity'}"
        response.headers["Vary"] = "Accept-Encoding"
        forever = static and fingerprinted(request.path, "m" in request.args)
        response.headers["Cache-Control"] = IMMUTABLE if forever else REVALIDATE
        response.set_etag(tag)
        response.headers.pop("Last-Modified", None)
        if tag in request.if_none_match:
            not_modified = Response(status=304)
            for name in ("ETag", "Cache-Control", "Vary"):
                not_modified.headers[name] = response.headers[name]
            return not_modified
        if encoding is not None:
            if encoding == "br" and request.path != "/":  # (Dash's index differs per request)
                data = brotli_body(digest, body)
            else:
                key = [digest, encoding]
                data = compressed.get_or_compute(key, lambda: compress(body, encoding))
            response.set_data(data)
            response.headers["Content-Encoding"] = encoding
        return response

    return compressed
