"""Headless Chromium and the app for the browser benches (bench_page.py, bench_race_bytes.py):
Debian's chromium with the flags that keep it quiet offline, the viewport they measure at, and
the app served from a thread of the bench's own process."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hpo_race.app import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1366, "height": 768}


def serve_locally() -> tuple[str, object]:
    """The app on a free loopback port, from a thread of this process (its request log off)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server
