"""The many-seeds panel: repeat the race over N seeds, a table of reach times and a plot.

Layout pieces only (called from ``app.layout``): the side column's tabs (the guide or many
seeds), the many-seeds card (controls, progress, table) and its plot over the best-score
plot. The browser side is assets/many.js; the callbacks are ``app.many_callbacks``, the
chunks and their summaries come from ``app.many_data.many_answer``.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from hpo_race.app.controls import segmented
from hpo_race.app.figures import GRAPH_CONFIG
from hpo_race.app.figures_many import many_figure
from hpo_race.app.model_data import MAX_REPEATS

# ---------------------------------------------------------------- ids (a contract with the JS)

SIDE_TAB = "side-tab"  # guide | many
MANY_CARD = "many-card"
MANY_N = "many-n"
MANY_VARY = "many-vary"
MANY_KNOBS = "many-knobs"  # "every knob count": the run with 2, 3, 4 and 6 knobs
MANY_RUN = "many-run"
MANY_PROGRESS = "many-progress"
MANY_TABLE = "many-table"
MANY_PLOT = "many-plot"
MANY_REQUEST = "many-request"
MANY_CHUNK = "many-chunk"
MANY_SINK = "sink-many"
MANY_SINKS = {name: f"sink-model-{name}" for name in ("side", "chunk")}


# ---------------------------------------------------------------- layout pieces


def many_plot() -> dcc.Graph:
    """The many-seeds plot (median and interquartile band per strategy), over the best plot."""
    return dcc.Graph(
        id=MANY_PLOT,
        figure=many_figure(),
        config=GRAPH_CONFIG,
        className="many-graph",
        responsive=True,
    )


def side_tabs() -> html.Div:
    return html.Div(
        className="side-tabs",
        children=segmented(
            SIDE_TAB,
            [
                ("guide", "Guide", "How to read the race"),
                ("many", "Many seeds", "Repeat the race over many seeds: medians and bands"),
            ],
            "guide",
        ),
    )


def many_card() -> html.Div:
    """Repeat × N seeds: controls, progress and the table of reach times."""
    return html.Div(
        id=MANY_CARD,
        className="many-card",
        children=[
            html.Div("Many seeds", className="many-title"),
            html.Div(
                className="many-controls",
                children=[
                    html.Label("Repeat ×", htmlFor=MANY_N, className="control-label"),
                    dcc.Input(
                        id=MANY_N,
                        type="number",
                        value=30,
                        min=1,
                        max=MAX_REPEATS,
                        step=1,
                        debounce=False,
                        className="num-input many-n",
                    ),
                    html.Span("seeds", className="control-label"),
                    dcc.Checklist(
                        id=MANY_VARY,
                        options=[
                            {
                                "label": html.Span(
                                    "vary layout",
                                    title="Off: every race on the same hidden layout, only the "
                                    "strategies' seeds change. On: a new layout per race too.",
                                ),
                                "value": "on",
                            }
                        ],
                        value=[],
                        className="many-vary",
                    ),
                    dcc.Checklist(
                        id=MANY_KNOBS,
                        options=[
                            {
                                "label": html.Span(
                                    "2–6 knobs",
                                    title="Repeat the run with 2, 3, 4 and 6 knobs (the same "
                                    "seeds each time) and plot each racer's median final "
                                    "regret against the number of knobs",
                                ),
                                "value": "on",
                            }
                        ],
                        value=[],
                        className="many-vary many-knobs",
                    ),
                    html.Button(
                        [html.Span("▷", className="glyph"), html.Span("Run", className="mr")],
                        id=MANY_RUN,
                        className="btn btn-small btn-primary many-run",
                        n_clicks=0,
                        title="Race every strategy once per seed (seed, seed+1, …) with the "
                        "current settings",
                    ),
                ],
            ),
            html.Div(
                id=MANY_PROGRESS,
                className="many-progress",
                children=[
                    html.Div(className="mp-bar", children=html.Div(className="mp-fill")),
                    html.Span(
                        "Same landscape, a new seed per race: luck averages out.",
                        className="mp-text",
                    ),
                ],
            ),
            html.Div(id=MANY_TABLE, className="many-table"),
        ],
    )


def side_column(help_card: Any) -> html.Div:
    """The bottom-right card: the guide, or the many-seeds controls and table."""
    return html.Div(className="side", children=[side_tabs(), help_card, many_card()])


def stores() -> list[Any]:
    """The stores of the many-seeds panel (the chunk request and answer, the count sink)."""
    return [dcc.Store(id=MANY_REQUEST), dcc.Store(id=MANY_CHUNK), dcc.Store(id=MANY_SINK)]


def sinks() -> list[Any]:
    """The effect sinks of its clientside callbacks."""
    return [dcc.Store(id=sink) for sink in MANY_SINKS.values()]
