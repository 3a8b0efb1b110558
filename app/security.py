"""Security headers: a Content-Security-Policy that Dash can live with, on every response a
browser could show as a page (``nosniff`` and the referrer policy on every response).

- ``script-src 'self'`` plus the hashes of Dash's own inline scripts (``Dash.csp_hashes``):
  no other inline or remote script can run, and no user text is ever evaluated.
- ``style-src 'self' 'unsafe-inline'``: plotly.js and React set inline styles.
- ``img-src 'self' data: blob:``: the plot toolbar's PNG download is a data URL.
- ``frame-ancestors``: who may embed the app in a frame. ``'self'`` by default; a course site
  can be allowed with ``hpo-race --frame-ancestors https://course.example.org`` or the
  ``HPO_RACE_FRAME_ANCESTORS`` environment variable (space-separated sources, as in CSP).
"""

from __future__ import annotations

import os
import re

from dash import Dash

ENV_FRAME_ANCESTORS = "HPO_RACE_FRAME_ANCESTORS"
DEFAULT_FRAME_ANCESTORS = "'self'"
#: One CSP source: a keyword, a scheme, or a host with optional scheme, port and path.
_SOURCE = re.compile(r"^('self'|'none'|https?:|https?://[A-Za-z0-9.*-]+(:\d{1,5})?(/[\w./-]*)?)$")


def parse_frame_ancestors(text: str | None) -> str:
    """Validate a frame-ancestors source list, refusing anything that could break the header."""
    if text is None or not text.strip():
        return DEFAULT_FRAME_ANCESTORS
    sources = text.split()
    bad = [s for s in sources if not _SOURCE.match(s)]
    if bad or len(sources) > 20:
        raise ValueError(
            f"frame ancestors must be CSP sources such as 'self' or https://host, got {bad[:3]}"
        )
    return " ".join(sources)


def content_security_policy(script_hashes: list[str], frame_ancestors: str) -> str:
    """The policy string sent with every response."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


#: Responses a browser may show as a page of their own (and so run scripts in): the policy
#: and the frame rule go with these. A script, a stylesheet, JSON or a PNG is never a page
#: (``nosniff`` keeps it so), and the policy on each of the page's 24 files cost a cold visit
#: 6.6 kB of headers.
DOCUMENT_TYPES = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml")


def renders_as_document(mimetype: str | None) -> bool:
    """Could a browser render this response as a document (where the policy applies)?"""
    return not mimetype or mimetype in DOCUMENT_TYPES or mimetype.startswith("text/plain")


def install_security_headers(app: Dash, frame_ancestors: str | None = None) -> str:
    """Add the headers to every response of ``app``; call after all callbacks are registered."""
    ancestors = parse_frame_ancestors(
        frame_ancestors if frame_ancestors is not None else os.environ.get(ENV_FRAME_ANCESTORS)
    )
    policy = content_security_policy(list(app.csp_hashes()), ancestors)

    @app.server.after_request
    def add_headers(response):  # noqa: ANN001, ANN202 (a Flask hook)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if renders_as_document(response.mimetype):
            response.headers["Content-Security-Policy"] = policy
            if ancestors == "'self'":
                response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    return policy
