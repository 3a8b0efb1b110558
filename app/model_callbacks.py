"""Callbacks of the Bayesian panel: the model's frames (server) and its settings and views.

``compute_model`` fetches the Bayesian model's frames for the loaded race, once per race and
only when a model view (mean, std, acquisition) is shown, so a Run stays ≤ 2 requests. The
settings panel, the view switcher and drawing the frames run in the browser
(assets/bayes-model.js and bayes-settings.js, namespace hpoModel).
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State

from hpo_race.app import ids
from hpo_race.app.bayes_panel import (
    BAYES_ACQ,
    BAYES_DEFAULTS_BUTTON,
    BAYES_EDGES,
    BAYES_INIT,
    BAYES_KAPPA,
    BAYES_KERNEL,
    BAYES_LS,
    BAYES_LS_MODE,
    BAYES_LS_VALUE,
    BAYES_STORE,
    BAYES_VIEW,
    BAYES_XI,
    MODEL_REQUEST,
    MODEL_SINK,
    MODEL_STORE,
)
from hpo_race.app.model_data import model_payload
from hpo_race.app.race_request import check_request, serve


def model_key(settings: dict) -> dict:
    """Which race a model payload belongs to (the browser matches it to the race shown)."""
    return {
        "landscape": settings["landscape"],
        "landscape_seed": settings["landscape_seed"],
        "budget": settings["budget"],
        "seed": settings["seed"],
        "bayes": settings["options"].get("bayes"),
        "peaks": settings["peaks"],
        "racers": settings["strategies"],
        "options": settings["options"],
        "dims": settings["dims"],
        "workers": settings["workers"],
    }


def register_model_callbacks(app: Dash) -> None:
    """Register the Bayesian panel's server and clientside callbacks on ``app``."""

    def compute_model(request: Any, nonce: Any) -> dict:
        """The Bayesian model's frames for the loaded race (one request, only when shown)."""
        settings = check_request(request, "model")
        model = model_payload(settings)
        return {"key": model_key(settings), "model": model, "nonce": nonce}

    failure = "The model's view could not be computed for this race."
    serve(app, MODEL_REQUEST, MODEL_STORE, compute_model, failure)

    def clientside(name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace="hpoModel", function_name=name)

    app.clientside_callback(
        clientside("bayesSettings"),
        Output(BAYES_STORE, "data"),
        Output(BAYES_LS_VALUE, "children"),
        Output(BAYES_VIEW, "options"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(BAYES_ACQ, "value"),
        Input(BAYES_XI, "value"),
        Input(BAYES_KAPPA, "value"),
        Input(BAYES_KERNEL, "value"),
        Input(BAYES_LS_MODE, "value"),
        Input(BAYES_LS, "value"),
        Input(BAYES_INIT, "value"),
        Input(BAYES_EDGES, "value"),
        State(BAYES_VIEW, "options"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("defaults"),
        Output(BAYES_ACQ, "value"),
        Output(BAYES_XI, "value"),
        Output(BAYES_KAPPA, "value"),
        Output(BAYES_KERNEL, "value"),
        Output(BAYES_LS_MODE, "value"),
        Output(BAYES_LS, "value"),
        Output(BAYES_INIT, "value"),
        Output(BAYES_EDGES, "value"),
        Input(BAYES_DEFAULTS_BUTTON, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("lengthScaleDisabled"),
        Output(BAYES_LS, "disabled"),
        Input(BAYES_LS_MODE, "value"),
    )
    app.clientside_callback(
        clientside("view"),
        Output(MODEL_SINK["view"], "data"),
        Input(BAYES_VIEW, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("model"),
        Output(MODEL_SINK["data"], "data"),
        Input(MODEL_STORE, "data"),
        prevent_initial_call=True,
    )
