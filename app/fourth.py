"""Hyperband as an optional fourth racer.

A switch in the info bar adds Hyperband's panel, budget bar and curve; the next Run asks the
server for a race with four racers (``"hyperband": true`` in the race request, checked here).
Off by default: the three-racer lesson stays the first thing a class sees. The switch is a
race setting like the others, so it is in the page address (``&hyperband=1``).

Hyperband trains many settings briefly and only the most promising in full; its panel draws
runs stopped early as smaller, hollow-looking triangles (dark inside, white outline; smaller =
stopped sooner) and full runs as triangles filled with their score's colour
(``app.figures.probe_figure``, drawn by race.js).
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, dcc, html

from app import ids
from app.theme import STRATEGY_STYLE

TOGGLE = "hyperband-toggle"
KEY = "hyperband-key"  # the hollow/filled legend in Hyperband's panel
NOTE = "hyperband-note"  # what to expect from it on this landscape (shown before a race)
SINK = "sink-fourth"


def check_hyperband(raw: Any) -> bool:
    """Is the fourth racer on? ``None`` (an old request) means off; anything else is refused."""
    from app.callbacks import SettingsError

    if raw is None:
        return False
    if not isinstance(raw, bool):
        raise SettingsError("The Hyperband switch must be on or off.")
    return raw


def is_on(value: Any) -> bool:
    """The toggle's value (a checklist) as a flag."""
    return isinstance(value, list) and "on" in value


def toggle(available: bool) -> html.Div:
    """The switch that adds the fourth racer (disabled if the server has no Hyperband)."""
    style = STRATEGY_STYLE[ids.FOURTH]
    tip = (
        "Add Hyperband as a fourth racer: it trains many settings briefly and only the "
        "most promising in full"
        if available
        else "Hyperband is not available on this server"
    )
    return html.Div(
        className="fourth-control",
        title=tip,
        children=dcc.Checklist(
            id=TOGGLE,
            options=[
                {
                    "label": html.Span(
                        [
                            html.Span(
                                style.glyph,
                                className="fourth-glyph",
                                style={"color": style.colour},
                                **{"aria-hidden": "true"},
                            ),
                            "Hyperband",
                        ]
                    ),
                    "value": "on",
                    "disabled": not available,
                }
            ],
            value=[],
            className="reveal-toggle fourth-toggle",
        ),
    )


def partial_key() -> html.Div:
    """Hyperband's panel legend: filled = trained in full, hollow = stopped early."""
    return html.Div(
        id=KEY,
        className="fidelity-key",
        title="Filled ▲: a run trained in full, coloured by its score. Dark △: a run "
        "Hyperband stopped early (after 1/27, 1/9 or 1/3 of training); the smaller, the "
        "sooner it was stopped. Only the most promising settings are trained in full.",
        children=[
            html.Span("▲", className="fk-full", **{"aria-hidden": "true"}),
            " full run",
            html.Span(
                [html.Span("△", className=f"fk-part fk-{size}") for size in ("s", "m", "l")],
                className="fk-parts",
                **{"aria-hidden": "true"},
            ),
            "stopped early",
        ],
    )


#: What to expect from Hyperband on each landscape, from ``bench/bench_hyperband.py`` (30 seeds,
#: budget 800 GPU minutes, noise 0; README "Hyperband, the optional fourth racer"). Only
#: Hyperband's own numbers are quoted: the other racers' medians move when they are tuned.
NOTES = {
    "smooth": "Over 30 seeds at 800 GPU min, Hyperband reached 95% of the optimum in 80% of "
    "races (median 298 min); Bayesian optimisation got there in every race, sooner.",
    "bumpy": "Over 30 seeds at 800 GPU min, Hyperband reached 95% of the optimum in only 20% "
    "of races; Bayesian optimisation did so in most of them.",
    "one-knob": "Over 30 seeds at 800 GPU min, Hyperband was the fastest to 95% of the "
    "optimum: a median 62 min, in every race.",
    "svm-digits": "Over 30 seeds at 800 GPU min, all four reached 95% of the best accuracy; "
    "Hyperband took a median 37 min, random search and Bayesian optimisation about 20.",
}
#: Shown for landscapes without a measured note (a drawn landscape, a new one).
NOTE_OTHER = "One race is one roll of the dice: the Many seeds tab races it on 30 seeds."


def note_box() -> html.Div:
    """Before a race, over Hyperband's panel: what to expect on this landscape (draw.js)."""
    import json

    return html.Div(
        id=NOTE,
        className="fourth-note",
        **{"data-notes": json.dumps({**NOTES, "": NOTE_OTHER})},
        children=NOTES["smooth"],
    )


def register_fourth_callbacks(app: Dash) -> None:
    """The switch shows or hides the fourth panel at once (clientside, no request)."""
    app.clientside_callback(
        ClientsideFunction(namespace="hpoDraw", function_name="fourth"),
        Output(SINK, "data"),
        Input(TOGGLE, "value"),
    )


def stores() -> list[Any]:
    return [dcc.Store(id=SINK)]


def available() -> bool:
    """Has the engine registered Hyperband?"""
    from strategies import STRATEGIES

    return ids.FOURTH in STRATEGIES
