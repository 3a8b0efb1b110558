"""Callbacks of the classroom tools: the exports (server) and links (clientside).

``export`` rebuilds the CSV, the JSON or the HTML replay from the race's settings
(``app.export_files``, ``app.replay``), never from data the browser sends. A link's view
settings (Bayesian settings, view, speed, tab, presenter, theme, hidden controls) are read
and written in the browser (assets/link.js and its neighbours, namespace hpoClassroom).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from dash import ClientsideFunction, Dash, Input, Output, ctx, dcc, no_update
from flask import request as http

from hpo_race.app import ids
from hpo_race.app.bayes_panel import BAYES_STORE, BAYES_VIEW
from hpo_race.app.classroom import (
    EXPORT_CSV,
    EXPORT_DOWNLOAD,
    EXPORT_HTML,
    EXPORT_JSON,
    EXPORT_STATUS,
    SINK,
)
from hpo_race.app.export_files import export_name, trace_json, trials_csv
from hpo_race.app.landscape_views import cached_landscape_view
from hpo_race.app.many_panel import SIDE_TAB
from hpo_race.app.model_data import race_entry
from hpo_race.app.race_request import check_request, request_from, request_states
from hpo_race.app.replay import replay_html
from hpo_race.strategies.registry import RACERS
from hpo_race.strategies.settings import to_query

log = logging.getLogger(__name__)


def link_query(settings: dict[str, Any]) -> str:
    """The page-address query of checked race settings (``strategies.settings.to_query``)."""
    return urlencode(to_query(settings), safe=",;")


def mid_sentence(message: str) -> str:
    """A sentence continued after a colon: its first letter lowered, unless it starts with a
    name ("TPE's startup …", "Hyperband's η …", "Bayesian optimisation has no option …")."""
    first = message.split(" ", 1)[0]
    names = [r.title for r in RACERS.values()] + [r.short for r in RACERS.values()]
    if any(c.isupper() for c in first[1:]) or any(message.startswith(n) for n in names):
        return message
    return message[:1].lower() + message[1:]


def export_race(kind: str, request: dict[str, Any], host_url: str | None = None) -> dict:
    """The dcc.Download payload of one export of the race a request asks for.

    ``request`` is what the page sends to race (``app.race_request``); it is checked here
    exactly as the race request is, and the export is rebuilt from the checked settings.
    """
    settings = check_request(request, "export")
    entry = race_entry(settings)
    trace, view = entry["trace"], entry["view"]
    if kind == "csv":
        return dcc.send_string(trials_csv(trace), export_name(settings, "csv"), type="text/csv")
    if kind == "json":
        return dcc.send_string(
            trace_json(trace), export_name(settings, "json"), type="application/json"
        )
    scape = cached_landscape_view(
        settings["landscape"], settings["landscape_seed"], settings["peaks"]
    )
    link = f"{host_url.rstrip('/')}/?{link_query(settings)}" if host_url else None
    page = replay_html(trace, view, scape, list(view["order"]), link)
    return dcc.send_string(page, export_name(settings, "html"), type="text/html")


def register_classroom_callbacks(app: Dash) -> None:
    """The export callback (server) and the link callbacks (clientside), on ``app``."""
    # axe / screen readers: the page's language
    if "<html>" in app.index_string:
        app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)

    exports = {EXPORT_CSV: "csv", EXPORT_JSON: "json", EXPORT_HTML: "html"}

    @app.callback(
        Output(EXPORT_DOWNLOAD, "data"),
        Output(EXPORT_STATUS, "children"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(EXPORT_CSV, "n_clicks"),
        Input(EXPORT_JSON, "n_clicks"),
        Input(EXPORT_HTML, "n_clicks"),
        *request_states(),
        prevent_initial_call=True,
    )
    def export(_csv, _json, _html, *values):
        """One export of the race the current settings give (the one on screen, if raced)."""
        kind = exports.get(ctx.triggered_id)
        if kind is None:
            return no_update, no_update, no_update
        race = request_from(values)
        try:
            payload = export_race(kind, race, http.host_url)
        except ValueError as exc:
            message = "Export failed: " + mid_sentence(str(exc))
            return no_update, message, message
        except Exception:
            log.exception("export failed")
            message = "The export could not be made with these settings."
            return no_update, message, message
        return payload, f"Saved {payload['filename']}", no_update

    def clientside(name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace="hpoClassroom", function_name=name)

    # A link's view settings (Bayesian settings, view, speed, tab, presenter, theme, hidden
    # controls) and the notice; the race settings themselves are set by race-player.js from the same
    # parse (settingsFromLinkOrDice). Runs on page load: no request.
    app.clientside_callback(
        clientside("fromLink"),
        Output(SINK["link"], "data"),
        Input(ids.URL, "search"),
    )
    # The address bar follows the view settings too (race-player.js writes the race settings).
    app.clientside_callback(
        clientside("toLink"),
        Output(SINK["url"], "data"),
        Input(BAYES_STORE, "data"),
        Input(BAYES_VIEW, "value"),
        Input(ids.SPEED_SELECT, "value"),
        Input(SIDE_TAB, "value"),
        prevent_initial_call=True,
    )
