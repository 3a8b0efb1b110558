"""Callback of the racer picker: the picked racers' panels show at once (clientside).

assets/draw.js (``hpoDraw.racers``) shows or hides the panels, budget bars and curves of the
racers ticked in ``app.racers.picker``; no request.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output

from hpo_race.app import ids
from hpo_race.app.racers import SINK


def register_racer_callbacks(app: Dash) -> None:
    """The picker shows or hides panels at once (clientside, no request)."""
    app.clientside_callback(
        ClientsideFunction(namespace="hpoDraw", function_name="racers"),
        Output(SINK, "data"),
        Input(ids.RACER_PICKER, "value"),
    )
