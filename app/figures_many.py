"""The many-seeds plot: median best-so-far against GPU minutes, with an interquartile band.

An empty skeleton built once; assets/many.js fills it (traces found by uid: ``q1-<name>``,
``q3-<name>`` (filled down to q1) and ``median-<name>``) and sets the axes, the optimum and
the 95% line (layout shapes 0 and 1, annotations 0–2) for each result.
"""

from __future__ import annotations

import plotly.graph_objects as go

from hpo_race.app import ids
from hpo_race.app.figures import BEST_LEGEND, best_plot_layout
from hpo_race.app.theme import GRIDLINE, INK, MUTED, STRATEGY_STYLE
from hpo_race.strategies.settings import BUDGET


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def many_figure() -> go.Figure:
    fig = go.Figure()
    for name in ids.PANEL_ORDER:
        style = STRATEGY_STYLE[name]
        common = {"x": [], "y": [], "mode": "lines", "legendgroup": name, "showlegend": False}
        fig.add_trace(go.Scatter(uid=f"q1-{name}", line={"width": 0}, hoverinfo="skip", **common))
        fig.add_trace(
            go.Scatter(
                uid=f"q3-{name}",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_rgba(style.colour, 0.2),
                hoverinfo="skip",
                **common,
            )
        )
    for name in ids.PANEL_ORDER:
        style = STRATEGY_STYLE[name]
        fig.add_trace(
            go.Scatter(
                uid=f"median-{name}",
                name=style.short,
                x=[],
                y=[],
                mode="lines",
                legendgroup=name,
                line={"color": style.colour, "width": 3.5},
                hovertemplate=f"{style.label}<br>minute %{{x:.0f}}: median %{{y:.3f}}"
                "<extra></extra>",
            )
        )
    line = {"xref": "paper", "x0": 0, "x1": 1, "type": "line", "layer": "below"}
    axis = {
        "fixedrange": True,
        "showgrid": True,
        "gridcolor": GRIDLINE,
        "zeroline": False,
        "tickfont": {"size": 12, "color": MUTED},
    }
    label = {"xref": "paper", "x": 1.008, "xanchor": "left", "showarrow": False}
    fig.update_layout(
        **best_plot_layout(
            legend=BEST_LEGEND,
            xaxis={
                **axis,
                "title": {"text": "GPU minutes", "standoff": 4, "font": {"size": 13}},
                "range": [0, BUDGET.default],
                "ticks": "outside",
                "ticklen": 4,
                "tickcolor": MUTED,
            },
            yaxis={
                **axis,
                "title": {"text": "median best f(θ)", "standoff": 4, "font": {"size": 13}},
                "range": [0, 1],
                "nticks": 5,
            },
            shapes=[
                {**line, "y0": 1, "y1": 1, "line": {"color": INK, "width": 1.5, "dash": "dash"}},
                {
                    **line,
                    "y0": 0.95,
                    "y1": 0.95,
                    "line": {"color": MUTED, "width": 1, "dash": "dot"},
                },
            ],
            annotations=[
                {
                    **label,
                    "text": "",
                    "y": 1,
                    "yanchor": "bottom",
                    "font": {"size": 12, "color": INK},
                },
                {
                    **label,
                    "text": "",
                    "y": 0.95,
                    "yanchor": "top",
                    "font": {"size": 12, "color": MUTED},
                },
                {
                    "text": "Press ▷ Run × N: every strategy races once per seed",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "showarrow": False,
                    "font": {"size": 14, "color": MUTED},
                },
            ],
        )
    )
    return fig
