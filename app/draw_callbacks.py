"""Callbacks of the drawn landscape: all clientside (assets/draw.js, namespace hpoDraw).

The landscape kind (dice, draw mode, the layout chip), peak edits (Undo, Clear, the height
slider, peaks from a link) and the overlay; the layout pieces are in ``app.draw``.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

from hpo_race.app import ids
from hpo_race.app.draw import CLEAR, COUNT, HEIGHT, PEAKS, UNDO


def register_draw_callbacks(app: Dash) -> None:
    """Clientside wiring: landscape kind (dice, draw mode), peak edits, links, the overlay."""

    def clientside(name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace="hpoDraw", function_name=name)

    # Which kind of landscape is chosen: the dice and the layout chip follow it, and a
    # landscape with one layout races with landscape seed 0 (what its trace reports).
    app.clientside_callback(
        clientside("kind"),
        Output(ids.DICE_BUTTON, "disabled"),
        Output(ids.DICE_BUTTON, "title"),
        Output(ids.LANDSCAPE_SEED, "data", allow_duplicate=True),
        Output(ids.LANDSCAPE_SEED_LABEL, "children", allow_duplicate=True),
        Output(ids.LANDSCAPE_SEED_LABEL, "title"),
        Input(ids.LANDSCAPE_SELECT, "value"),
        State(ids.LANDSCAPE_SEED, "data"),
        State(ids.LANDSCAPE_SELECT, "options"),
        prevent_initial_call="initial_duplicate",
    )
    # Undo, Clear, the height slider, and peaks (+ the racers) from a shared link.
    app.clientside_callback(
        clientside("edit"),
        Output(PEAKS, "data"),
        Output(ids.RACER_PICKER, "value"),
        Input(ids.URL, "search"),
        Input(UNDO, "n_clicks"),
        Input(CLEAR, "n_clicks"),
        Input(HEIGHT, "value"),
        State(PEAKS, "data"),
        State(ids.RACER_PICKER, "value"),
    )
    # The peaks changed (drawn, undone, from a link): count, buttons and the overlay.
    app.clientside_callback(
        clientside("peaks"),
        Output(COUNT, "children"),
        Output(UNDO, "disabled"),
        Output(CLEAR, "disabled"),
        Input(PEAKS, "data"),
    )
