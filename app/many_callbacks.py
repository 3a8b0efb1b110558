"""Callbacks of the many-seeds panel: one chunk of races per request, and the side tabs.

``compute_many`` runs one chunk of a many-seeds run and answers with the summary of the run
so far (``app.many_data``); the browser asks for chunks one after another, shows its
progress and draws what the server summarised (assets/many.js, namespace hpoMany); the side
tab (guide or many seeds) switches in the browser (assets/side-tab.js).
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State

from hpo_race.app.many_data import many_answer
from hpo_race.app.many_panel import (
    MANY_CHUNK,
    MANY_KNOBS,
    MANY_N,
    MANY_REQUEST,
    MANY_RUN,
    MANY_SINK,
    MANY_SINKS,
    MANY_VARY,
    SIDE_TAB,
)
from hpo_race.app.model_data import check_many_request
from hpo_race.app.race_request import request_states, serve


def register_many_callbacks(app: Dash) -> None:
    """Register the many-seeds panel's server and clientside callbacks on ``app``."""

    def compute_many(request: Any, nonce: Any) -> dict:
        """One chunk of a many-seeds run, answered with the summary of the run so far; the
        last chunk also says how often the landscape's lesson held in the whole run."""
        return {"nonce": nonce, **many_answer(check_many_request(request))}

    failure = "These races could not be computed; try other settings."
    serve(app, MANY_REQUEST, MANY_CHUNK, compute_many, failure)

    def clientside(namespace: str, name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace=namespace, function_name=name)

    app.clientside_callback(
        clientside("hpoModel", "side"),
        Output(MANY_SINKS["side"], "data"),
        Input(SIDE_TAB, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoMany", "start"),
        Output(MANY_REQUEST, "data"),
        Input(MANY_RUN, "n_clicks"),
        State(MANY_N, "value"),
        State(MANY_VARY, "value"),
        State(MANY_KNOBS, "value"),
        *request_states(),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoMany", "chunk"),
        Output(MANY_SINKS["chunk"], "data"),
        Input(MANY_CHUNK, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoMany", "count"),
        Output(MANY_SINK, "data"),
        Input(MANY_N, "value"),
        prevent_initial_call=True,
    )
