"""Callbacks of the race: two server callbacks (landscape preview, the race), the clientside ones.

Server callbacks compute, in one request each:
- ``preview``: when the landscape, its seed or the budget changes, fresh panel figures and the
  best-score axes (the landscape heatmap stays hidden until revealed);
- ``compute_race``: on Run/Step for settings not raced yet, the whole race into RACE_STORE.
Everything else (play, pause, step, reset, reveal, speed, the dice, settings from a shared
link) runs in the browser, in assets/race-player.js, so an animation costs no requests.

Every value arriving from the browser is checked (``app.race_request``): a bad budget, seed or
landscape, typed or forged, becomes a message in the alert line, never an exception. Landscape
views are cached per worker (``app.landscape_views``), races once for the whole machine
(``app.model_data``): the race is a pure function of its settings, so a lecture hall pressing
Run with the default settings costs one computation, and no user state lives on the server.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from hpo_race.app import ids
from hpo_race.app.draw import PEAKS
from hpo_race.app.figures import best_figure, empty_best, landscape_figure, probe_figures
from hpo_race.app.landscape_views import cached_landscape_view
from hpo_race.app.layout import landscape_info
from hpo_race.app.model_data import race_payload
from hpo_race.app.race_request import (
    SettingsError,
    check_budget,
    check_landscape,
    check_peaks,
    check_racers,
    check_request,
    request_inputs,
    request_states,
    serve,
)
from hpo_race.landscapes import CUSTOM

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- registration


def _nonce(request: Any) -> Any:
    """The race request's nonce: any number or string (not a bool), echoed back."""
    nonce = request.get("nonce") if isinstance(request, dict) else None
    if not isinstance(nonce, int | float | str) or isinstance(nonce, bool):
        nonce = None
    return nonce


def register_race_callbacks(app: Dash) -> None:
    """Register the race's callbacks on ``app`` (never globally, so several apps can coexist)."""
    panel_outputs = [
        Output(layer[name], "figure")
        for layer in (ids.LANDSCAPE_LAYER, ids.PANEL)
        for name in ids.PANEL_ORDER
    ]

    @app.callback(
        *panel_outputs,
        Output(ids.BEST_PLOT, "figure"),
        Output(ids.LANDSCAPE_INFO, "children"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(ids.LANDSCAPE_SELECT, "value"),
        Input(ids.LANDSCAPE_SEED, "data"),
        Input(ids.BUDGET_INPUT, "value"),
        Input(PEAKS, "data"),
        Input(ids.RACER_PICKER, "value"),
        prevent_initial_call=True,
    )
    def preview(landscape, landscape_seed, budget, peaks, picked):
        """New landscape, seed, budget, drawn peaks or racers: redraw what they change.

        The panels (and the landscape's description) follow the landscape, its seed and the
        drawn peaks; the best-score axes follow everything, including the line-up.
        """
        trigger = ctx.triggered_id
        unchanged = [no_update] * (len(panel_outputs) + 2)
        if trigger == PEAKS and landscape != CUSTOM:
            return *unchanged, no_update  # the drawing is not what is on screen
        try:
            name, lseed = check_landscape(landscape, landscape_seed)
            drawn = check_peaks(name, peaks) if name == CUSTOM and peaks else ""
            view = cached_landscape_view(name, lseed, drawn)
        except SettingsError as exc:
            return *unchanged, str(exc)
        except Exception:  # the engine failed: say so, keep the page alive
            log.exception("landscape preview failed")
            return *unchanged, "That landscape could not be drawn; try another one."
        redraw = trigger not in (ids.BUDGET_INPUT, ids.RACER_PICKER)
        if redraw:
            back = landscape_figure(view)
            front = probe_figures(view)
            panels = [back] * len(ids.PANEL_ORDER) + [front[n] for n in ids.PANEL_ORDER]
        else:  # only the budget or the racers changed: the panels stay as they are
            panels = [no_update] * len(panel_outputs)
        info = landscape_info(view) if redraw else no_update
        try:
            spend = check_budget(budget)
            lineup = check_racers(picked)
        except SettingsError as exc:
            return *panels, no_update, info, str(exc)
        best = best_figure(view, spend, lineup)
        if view.get("empty"):
            empty_best(best)
        return *panels, best, info, ""

    def compute_race(request: Any, nonce: Any) -> dict:
        """The one request per Run: the whole race, ready for the browser to animate."""
        # the race view + narration + the options it was raced with
        return {"view": race_payload(check_request(request)), "nonce": nonce}

    failure = "The race could not be computed with these settings; try another seed."
    serve(app, ids.RACE_REQUEST, ids.RACE_STORE, compute_race, failure, alert="", nonce_of=_nonce)

    def clientside(name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace="hpoRace", function_name=name)

    # The browser's side of the race (assets/race-player.js): each entry is a function and
    # its outputs and inputs, registered alike (none fires on page load).
    browser_side = (
        (
            "request",
            [Output(ids.RACE_REQUEST, "data")],
            [Input(ids.RUN_BUTTON, "n_clicks"), Input(ids.STEP_BUTTON, "n_clicks")]
            + list(request_states()),
        ),
        (
            "transport",
            [Output(ids.REVEAL_TOGGLE, "value")],
            [Input(ids.PAUSE_BUTTON, "n_clicks"), Input(ids.RESET_BUTTON, "n_clicks")],
        ),
        ("reveal", [Output(ids.SINK["reveal"], "data")], [Input(ids.REVEAL_TOGGLE, "value")]),
        ("settings", [Output(ids.SINK["settings"], "data")], list(request_inputs())),
        (
            "knobsFor",
            [
                Output(ids.DIMS_SELECT, "options"),
                Output(ids.DIMS_SELECT, "value", allow_duplicate=True),
            ],
            [
                Input(ids.LANDSCAPE_SELECT, "value"),
                State(ids.DIMS_SELECT, "value"),
                State(ids.DIMS_SELECT, "options"),
            ],
        ),
        (
            "scenarioLabel",
            [Output(ids.SCENARIO_LABEL, "children")],
            [Input(ids.DIMS_SELECT, "value"), Input(ids.WORKERS_INPUT, "value")],
        ),
        ("timeAxis", [Output(ids.SINK["axis"], "data")], [Input(ids.TIME_AXIS, "value")]),
        ("speed", [Output(ids.SINK["speed"], "data")], [Input(ids.SPEED_SELECT, "value")]),
        ("race", [Output(ids.SINK["race"], "data")], [Input(ids.RACE_STORE, "data")]),
    )
    for name, outputs, inputs in browser_side:
        app.clientside_callback(clientside(name), *outputs, *inputs, prevent_initial_call=True)
    # A number box whose value a callback set (a link, the dice) must still send the next
    # value typed into it: Dash 4.4's Input keeps its Enter and blur handlers from the render
    # before, so the first value typed equal to the layout's default (seed 0 after a link with
    # seed=14) was dropped. Counting a submit and a blur when the value changes renders the
    # box again with fresh handlers.
    for box in (ids.BUDGET_INPUT, ids.SEED_INPUT, ids.WORKERS_INPUT):
        app.clientside_callback(
            clientside("freshenBox"),
            Output(box, "n_submit"),
            Output(box, "n_blur"),
            Input(box, "value"),
            State(box, "n_submit"),
            State(box, "n_blur"),
            prevent_initial_call=True,
        )
    # The dice, and settings from a shared link (?landscape=…&layout=…&budget=…&seed=…).
    # Runs on page load too, but changes nothing (so asks the server nothing) without a query.
    app.clientside_callback(
        clientside("settingsFromLinkOrDice"),
        Output(ids.LANDSCAPE_SELECT, "value"),
        Output(ids.LANDSCAPE_SEED, "data"),
        Output(ids.LANDSCAPE_SEED_LABEL, "children"),
        Output(ids.BUDGET_INPUT, "value"),
        Output(ids.SEED_INPUT, "value"),
        Output(ids.DIMS_SELECT, "value"),
        Output(ids.WORKERS_INPUT, "value"),
        Input(ids.URL, "search"),
        Input(ids.DICE_BUTTON, "n_clicks"),
        State(ids.LANDSCAPE_SELECT, "options"),
        State(ids.LANDSCAPE_SEED, "data"),
    )
