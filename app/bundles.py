"""The page's own scripts and styles as one file each, named by their content.

assets/ keeps one small file per job (CONTRIBUTING.md); a phone on lecture-hall Wi-Fi would
pay a round trip for each of the ~40. Dash is told to leave them out of the page
(``ASSETS_IGNORE``), and the page names three files instead, served from ``BUNDLE_PREFIX``:
our scripts joined in the order Dash would have loaded them (sorted by name, so the
``_``-prefixed helpers come first), our stylesheets likewise, and plotly.js from
assets/vendor. Each URL carries a hash of its content, so the browser may keep it for good
(app/static_files.py) and a new version of the app is a new URL. The single files stay
served at /assets/<name> too. A vendored script may ship with its brotli copy (``<name>.br``,
written by bench/precompress_vendor.py at a quality too slow to run per worker): it is kept
only if it decodes to exactly the script.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import brotli
from dash import Dash
from flask import Response, abort

#: Dash's asset filter (matched against file names): every script and stylesheet; this
#: module names them on the page instead.
ASSETS_IGNORE = r"\.(js|css)$"
BUNDLE_PREFIX = "/_hpo-assets/"
_MIMETYPES = {".js": "text/javascript", ".css": "text/css"}


@dataclass(frozen=True)
class Bundle:
    """One file the page names: its URL (with a content hash) and its bytes."""

    name: str
    body: bytes
    #: ``body`` compressed with brotli ahead of time (shipped next to the file), or None
    brotli: bytes | None = None

    @cached_property
    def url(self) -> str:
        digest = hashlib.blake2b(self.body, digest_size=8).hexdigest()
        stem, dot, ext = self.name.rpartition(".")
        return f"{BUNDLE_PREFIX}{stem}.{digest}{dot}{ext}"


#: ``url(icon.svg)`` in a stylesheet is relative to the stylesheet: point it at /assets/.
_RELATIVE_URL = re.compile(r"url\((['\"]?)(?!data:|/|https?:)([^'\")]+)\1\)")


def joined(files: list[Path]) -> bytes:
    """Files one after another, each introduced by its name (a script's ``;`` guards the
    seam: every asset script is an IIFE, so nothing leaks from one file into the next)."""
    parts = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".css":
            text = _RELATIVE_URL.sub(r"url(\1/assets/\2\1)", text)
        separator = ";" if path.suffix == ".js" else ""
        parts.append(f"/* ---- {path.name} ---- */\n{text.rstrip()}\n{separator}\n")
    return "".join(parts).encode()


def shipped_brotli(path: Path, body: bytes) -> bytes | None:
    """The ``.br`` copy shipped next to ``path`` if it decodes to exactly ``body``, else None
    (missing, or stale after the script was rebuilt: then it is never sent)."""
    packed = path.with_name(path.name + ".br")
    if not packed.is_file():
        return None
    data = packed.read_bytes()
    try:
        return data if brotli.decompress(data) == body else None
    except brotli.error:
        return None


def page_bundles(assets: Path) -> list[Bundle]:
    """The page's scripts, its stylesheet and plotly.js, read once when the app is built."""
    vendored = sorted((assets / "vendor").glob("*.js"))
    return [
        Bundle("page.css", joined(sorted(assets.glob("*.css")))),
        Bundle("page.js", joined(sorted(assets.glob("*.js")))),
        *(
            Bundle(path.name, body, shipped_brotli(path, body))
            for path, body in ((p, p.read_bytes()) for p in vendored)
        ),
    ]


def install_bundles(app: Dash, bundles: list[Bundle]) -> None:
    """Serve ``bundles`` at their URLs (any other name under the prefix is a 404)."""
    by_url = {bundle.url: bundle for bundle in bundles}

    def serve(name: str) -> Response:
        bundle = by_url.get(BUNDLE_PREFIX + name)
        if bundle is None:
            abort(404)
        mimetype = _MIMETYPES.get(Path(name).suffix, "application/octet-stream")
        return Response(bundle.body, mimetype=mimetype)

    app.server.add_url_rule(BUNDLE_PREFIX + "<path:name>", "hpo_race_bundle", serve)


def scripts(bundles: list[Bundle]) -> list[dict[str, str]]:
    """Dash's ``external_scripts``: ours first, then plotly.js, as the assets loaded before."""
    return [{"src": b.url} for b in bundles if b.name.endswith(".js")]


def stylesheets(bundles: list[Bundle]) -> list[dict[str, str]]:
    """Dash's ``external_stylesheets``."""
    return [{"href": b.url, "rel": "stylesheet"} for b in bundles if b.name.endswith(".css")]
