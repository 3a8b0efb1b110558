"""A front door for ``/_dash-update-component``: forged or malformed requests get a clear 400.

Any client can POST any JSON to Dash's callback endpoint. The callbacks themselves check
every *value* they receive; this guard checks the request's *shape* first (a JSON object
naming a server callback this app has, with the inputs and state that callback declares),
so Dash's own dispatch never sees a payload it would crash on with an HTTP 500. Anything
that still goes wrong while dispatching such a request is answered with a 400 too: the
page keeps working and the server log records one line, never a traceback to the client.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash
from flask import jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)
ENDPOINT_SUFFIX = "_dash-update-component"
MAX_DEPTH = 20


def _refuse(message: str, status: int = 400) -> Any:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _ids_match(sent: Any, declared: list[dict[str, Any]]) -> bool:
    """Do the sent inputs (or state) name exactly the declared components, in order?"""
    if not isinstance(sent, list) or len(sent) != len(declared):
        return False
    for item, want in zip(sent, declared, strict=True):
        if not isinstance(item, dict):
            return False
        if item.get("id") != want["id"] or item.get("property") != want["property"]:
            return False
    return True


def _too_deep(value: Any, depth: int = 0) -> bool:
    """Guard against pathological nesting before anything walks the payload recursively."""
    if depth > MAX_DEPTH:
        return True
    if isinstance(value, dict):
        return any(_too_deep(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_too_deep(v, depth + 1) for v in value)
    return False


def check_callback_request(app: Dash, body: Any) -> str | None:
    """Why this callback request cannot be served, or None if its shape is right."""
    if not isinstance(body, dict):
        return "A callback request must be a JSON object."
    output = body.get("output")
    entry = app.callback_map.get(output) if isinstance(output, str) else None
    if entry is None or "callback" not in entry:
        return "Unknown callback."
    if not _ids_match(body.get("inputs"), entry["inputs"]):
        return "The callback's inputs do not match what this app declares."
    if not _ids_match(body.get("state", []), entry["state"]):
        return "The callback's state does not match what this app declares."
    outputs = body.get("outputs")
    if not isinstance(outputs, dict | list):
        return "The callback's outputs are missing."
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds must be a list of strings."
    if _too_deep(body):
        return "The request is nested too deeply."
    return None


def install_request_guard(app: Dash) -> None:
    """Check every callback request's shape, and turn dispatch failures into a 400."""
    server = app.server

    @server.before_request
    def check_shape():  # noqa: ANN202 (a Flask hook)
        if request.method != "POST" or not request.path.endswith(ENDPOINT_SUFFIX):
            return None
        body = request.get_json(silent=True)
        problem = check_callback_request(app, body)
        if problem:
            log.info("refused a callback request: %s", problem)
            return _refuse(problem)
        return None

    @server.errorhandler(Exception)
    def contain(error: Exception):  # noqa: ANN202 (a Flask hook)
        if isinstance(error, HTTPException):
            return error
        if request.path.endswith(ENDPOINT_SUFFIX):
            log.warning("callback request failed: %s: %s", type(error).__name__, error)
            return _refuse("The request could not be processed.")
        log.exception("unexpected server error")
        return _refuse("Internal error.", 500)
