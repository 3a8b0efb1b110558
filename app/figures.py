"""Figure builders: the panels' layers and the best-score plot as go.Figure skeletons.

The figures are empty skeletons laid out once per landscape; assets/race-renderer.js fills them and
finds traces by ``uid``, so the names below are a contract with it, and the page lines its
overlays (fog, "now" line) up with the margins below. Their data comes from ``app.views``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from hpo_race.app import ids
from hpo_race.app.theme import (
    FONT_FAMILY,
    GRIDLINE,
    INK,
    MUTED,
    SCORE_COLOURSCALE,
    STRATEGY_STYLE,
)
from hpo_race.app.views import TARGET_SHARE
from hpo_race.strategies import STRATEGIES

#: Trace uids of a panel's front (probe) figure and back (landscape) figure, in trace order.
#: The rugs along the two axes (the distinct values of each axis knob tried so far; drawn
#: under every probe, so they never hide one): a dark rim under both, then one per axis.
RUG_UIDS = ("rug-rim", "rug-x", "rug-y")
PROBE_UIDS = ("ghosts", *RUG_UIDS, "halo", "probes", "latest", "best", "stack")
#: A rug tick's length (px, half inside the plot area, half over the axis) and line widths.
RUG_SIZE = 12
RUG_WIDTH = 1.8
RUG_RIM_WIDTH = 3.8
LANDSCAPE_UIDS = ("landscape", "optimum")
#: Extra trace of a racer with a good/bad split (TPE): rings round the trials counted good.
GOOD_UID = "good"
#: Extra trace of a multi-fidelity racer's probe figure (Hyperband): its early-stopped runs.
PARTIAL_UID = "partial"
#: Both panel layers use these margins (px); the page's fog covers exactly the plot area.
PANEL_MARGIN = {"l": 62, "r": 20, "t": 12, "b": 46}
#: Best-score plot margins (px); race-renderer.js positions the "now" line inside them.
BEST_MARGIN = {"l": 56, "r": 106, "t": 26, "b": 38}

GRAPH_CONFIG = {
    # a toolbar with one button, shown on hover: "Download plot as a png" (for slides; a
    # panel's PNG holds its landscape too, see assets/snapshot.js)
    "displayModeBar": "hover",
    "modeBarButtons": [["toImage"]],
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "filename": "hpo-race", "scale": 2},
    "responsive": True,
    "scrollZoom": False,
    "doubleClick": False,
    "showTips": False,
}


def knob_axis(knob: Mapping[str, Any]) -> dict[str, Any]:
    """Plotly axis settings for one knob: real units, log scale where the knob is log."""
    low, high = float(knob["low"]), float(knob["high"])
    axis: dict[str, Any] = {
        "title": {"text": knob["name"], "standoff": 2, "font": {"size": 13, "color": INK}},
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "ticks": "outside",
        "ticklen": 4,
        "tickcolor": MUTED,
        "tickfont": {"size": 12, "color": MUTED},
        # the labels stand clear of the rugs, whose ticks reach RUG_SIZE / 2 past the edge
        "ticklabelstandoff": RUG_SIZE // 2,
        "showline": False,
        "mirror": False,
    }
    if knob["log"]:
        # A hair (1e-9 decades) wider than the knob: plotly hides markers outside the axis
        # range (cliponaxis=False) and computes log10(0.1) as -0.9999999999999998, so a probe
        # on the top or right edge (the Bayesian strategy often probes corners) would vanish.
        axis.update(
            type="log",
            range=[math.log10(low) - 1e-9, math.log10(high) + 1e-9],
            dtick=1,
            exponentformat="power",
        )
    else:
        axis.update(type="linear", range=[low, high], nticks=6)
    return axis


def base_layout(**extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": "none",
        "font": {"family": FONT_FAMILY, "size": 13, "color": INK},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        "dragmode": False,
        "hovermode": "closest",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}, "align": "left"},
        "uirevision": "keep",
    }
    layout.update(extra)
    return layout


#: The legend above a best-so-far plot (the race's and many seeds').
BEST_LEGEND = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 1,
    "yanchor": "bottom",
    "bgcolor": "rgba(0,0,0,0)",
    "font": {"size": 13},
    "itemwidth": 40,
}


def best_plot_layout(**extra: Any) -> dict[str, Any]:
    """``base_layout`` for a best-so-far plot: its margins, white paper, a legend on."""
    return base_layout(
        margin=dict(BEST_MARGIN, pad=0), plot_bgcolor="#ffffff", showlegend=True, **extra
    )


def _panel_layout(view: Mapping[str, Any], *, show_axes: bool) -> dict[str, Any]:
    """Shared by both layers of a panel so their plot areas line up to the pixel."""
    knobs = view["knobs"]
    xaxis, yaxis = knob_axis(knobs[0]), knob_axis(knobs[1])
    if not show_axes:
        for axis in (xaxis, yaxis):
            axis.update(showticklabels=False, ticks="", title={"text": ""})
    return base_layout(
        margin=dict(PANEL_MARGIN, pad=0),
        plot_bgcolor="rgba(0,0,0,0)",
        xaxis=xaxis,
        yaxis=yaxis,
    )


def landscape_figure(view: Mapping[str, Any]) -> go.Figure:
    """A panel's back layer: the landscape heatmap, the true optimum and the knob axes.

    It is drawn once per landscape; the page covers its plot area with a fog until the
    landscape is revealed, so hiding and revealing never redraws anything.
    """
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            uid="landscape",
            x=view["x_edges"],
            y=view["y_edges"],
            z=view["z"],
            zmin=view["zmin"],
            zmax=view["zmax"],
            colorscale=SCORE_COLOURSCALE,
            showscale=False,
            zsmooth="best",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            uid="optimum",
            x=[view["optimum"]["x"]],
            y=[view["optimum"]["y"]],
            mode="markers",
            marker={"symbol": "x-thin", "size": 18, "line": {"color": "#ffffff", "width": 3}},
            hoverinfo="skip",
        )
    )
    fig.update_layout(**_panel_layout(view, show_axes=True))
    return fig


def _multi_fidelity(strategy: str) -> bool:
    """Does this racer stop runs early (Hyperband)? Then its panel draws those differently."""
    return bool(getattr(STRATEGIES.get(strategy), "multi_fidelity", False))


def _good_split(strategy: str) -> bool:
    """Does this racer split its trials into good and bad (TPE)? Its panel rings the good."""
    return bool(getattr(STRATEGIES.get(strategy), "good_split", False))


def _rugs(colour: str) -> list[go.Scatter]:
    """The panel's rugs (Bergstra & Bengio's point at a glance): along the bottom edge a tick
    at each distinct value of the first knob tried so far, along the left edge one per value
    of the second; race-renderer.js fills them. A dark rim under both keeps them readable on
    the fog, the landscape and the page alike."""

    def rug(uid: str, symbol: Any, mark: str, width: float) -> go.Scatter:
        return go.Scatter(
            uid=uid,
            x=[],
            y=[],
            mode="markers",
            marker={"symbol": symbol, "size": RUG_SIZE, "line": {"color": mark, "width": width}},
            cliponaxis=False,
            hoverinfo="skip",
        )

    rim, along_x, along_y = RUG_UIDS
    return [
        rug(rim, [], "rgba(10,12,20,0.9)", RUG_RIM_WIDTH),  # its symbols: one per tick
        rug(along_x, "line-ns", colour, RUG_WIDTH),
        rug(along_y, "line-ew", colour, RUG_WIDTH),
    ]


def probe_figure(view: Mapping[str, Any], strategy: str) -> go.Figure:
    """A panel's front layer: empty probe traces (transparent background), filled by
    race-renderer.js."""
    style = STRATEGY_STYLE[strategy]
    score_colours = {"colorscale": SCORE_COLOURSCALE, "cmin": view["zmin"], "cmax": view["zmax"]}

    def markers(uid: str, marker: dict[str, Any], **extra: Any) -> go.Scatter:
        # cliponaxis=False: a probe on the square's edge is drawn whole, not cut in half
        return go.Scatter(
            uid=uid, x=[], y=[], mode="markers", marker=marker, cliponaxis=False, **extra
        )

    fig = go.Figure()
    fig.add_trace(
        markers(
            "ghosts",
            {
                # crossed out: planned, never tried (plotly has "-x" variants of a few shapes)
                "symbol": f"{style.symbol}-x-open"
                if style.symbol in ("square", "circle", "diamond")
                else "x-thin-open",
                "size": 11,
                "color": "rgba(255,255,255,0.9)",
                "line": {"width": 1.6},
            },
            hovertemplate="planned but never tried: the budget ran out first<extra></extra>",
        )
    )
    for trace in _rugs(style.colour):
        fig.add_trace(trace)
    if _multi_fidelity(strategy):
        # Runs stopped early: "hollow" (a dark, see-through fill in a white outline, which
        # reads on the fog and on the revealed landscape alike), smaller the shorter they
        # trained (race-renderer.js sizes them by fidelity). Full runs are filled with their score.
        fig.add_trace(
            markers(
                PARTIAL_UID,
                {
                    "symbol": style.symbol,
                    "size": [],
                    "color": "rgba(16,20,30,0.55)",
                    "line": {"color": "#ffffff", "width": 1.6},
                },
                text=[],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.add_trace(
        markers(
            "halo",
            {"symbol": style.symbol, "size": 16, "color": "rgba(10,12,20,0.85)"},
            hoverinfo="skip",
        )
    )
    if _good_split(strategy):
        # TPE's "good" trials (its top-γ split) when it chose its latest trial: a white ring
        # under the probe; the others are the ones it counts as bad
        fig.add_trace(
            markers(
                GOOD_UID,
                {
                    "symbol": "circle-open",
                    "size": 22,
                    "color": "#ffffff",
                    "line": {"width": 2.4, "color": "#ffffff"},
                },
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        markers(
            "probes",
            {
                "symbol": style.symbol,
                "size": 12,
                "color": [],
                **score_colours,
                "line": {"color": "#ffffff", "width": 1.3},
            },
            text=[],
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig.add_trace(
        markers(
            "latest",
            {
                "symbol": "circle-open",
                "size": 26,
                "color": style.colour,
                "line": {"width": 3.5, "color": style.colour},
            },
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        markers(
            "best",
            {
                "symbol": "star",
                "size": 22,
                "color": "#ffffff",
                "line": {"color": INK, "width": 1.5},
            },
            text=[],
            hovertemplate="<b>best so far</b><br>%{text}<extra></extra>",
        )
    )
    # With more than two knobs, how many trials share one (knob 1, knob 2) point of the
    # projection: "×4" beside it (a grid in 4 knobs stacks its trials on a few points)
    fig.add_trace(
        go.Scatter(
            uid="stack",
            x=[],
            y=[],
            text=[],
            mode="text",
            textposition="top right",
            textfont={"color": "#ffffff", "size": 13, "weight": 700, "shadow": "0 0 3px #000"},
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(**_panel_layout(view, show_axes=False))
    return fig


def best_figure(view: Mapping[str, Any], budget: float, strategies: Sequence[str]) -> go.Figure:
    """Best score so far vs GPU minutes: one empty curve per strategy, grown by
    race-renderer.js."""
    optimum = float(view["optimum"]["score"])
    target = TARGET_SHARE * optimum
    low = float(view["zmin"])
    pad = 0.06 * (optimum - low)
    fig = go.Figure()
    for name in strategies:
        style = STRATEGY_STYLE[name]
        fig.add_trace(
            go.Scatter(
                uid=f"curve-{name}",
                name=style.short,
                x=[],
                y=[],
                mode="lines",
                line={"color": style.colour, "width": 3.5, "shape": "hv"},
                hovertemplate=f"{style.label}<br>minute %{{x:.0f}}: best %{{y:.3f}}<extra></extra>",
            )
        )
    for name in strategies:
        style = STRATEGY_STYLE[name]
        fig.add_trace(
            go.Scatter(
                uid=f"hit-{name}",
                name=f"{style.label} reaches 95%",
                x=[],
                y=[],
                mode="markers",
                showlegend=False,
                marker={
                    "symbol": style.symbol,
                    "size": 14,
                    "color": style.colour,
                    "line": {"color": INK, "width": 1.5},
                },
                hovertemplate=f"{style.label} reaches 95% of the optimum at minute %{{x:.0f}}"
                "<extra></extra>",
            )
        )
    line = {"xref": "paper", "x0": 0, "x1": 1, "type": "line", "layer": "below"}
    fig.update_layout(
        **best_plot_layout(
            legend={**BEST_LEGEND, "tracegroupgap": 0},
            xaxis={
                "title": {"text": "GPU minutes", "standoff": 4, "font": {"size": 13}},
                "range": [0, float(budget)],
                "fixedrange": True,
                "showgrid": True,
                "gridcolor": GRIDLINE,
                "zeroline": False,
                "tickfont": {"size": 12, "color": MUTED},
                "ticks": "outside",
                "ticklen": 4,
                "tickcolor": MUTED,
            },
            yaxis={
                "title": {"text": "best f(θ) so far", "standoff": 4, "font": {"size": 13}},
                "range": [low - pad, optimum + pad],
                "fixedrange": True,
                "showgrid": True,
                "gridcolor": GRIDLINE,
                "zeroline": False,
                "tickfont": {"size": 12, "color": MUTED},
                "nticks": 5,
            },
            shapes=[
                {
                    **line,
                    "y0": optimum,
                    "y1": optimum,
                    "line": {"color": INK, "width": 1.5, "dash": "dash"},
                },
                {
                    **line,
                    "y0": target,
                    "y1": target,
                    "line": {"color": MUTED, "width": 1, "dash": "dot"},
                },
            ],
            annotations=[
                {
                    "text": f"optimum {optimum:.3f}",
                    "xref": "paper",
                    "x": 1.008,
                    "xanchor": "left",
                    "y": optimum,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 12, "color": INK},
                },
                {
                    "text": f"95% · {target:.3f}",
                    "xref": "paper",
                    "x": 1.008,
                    "xanchor": "left",
                    "y": target,
                    "yanchor": "top",
                    "showarrow": False,
                    "font": {"size": 12, "color": MUTED},
                },
            ],
        )
    )
    return fig


def probe_figures(view: Mapping[str, Any]) -> dict[str, Any]:
    """Every panel's front layer for this landscape, by racer."""
    return {name: probe_figure(view, name) for name in ids.PANEL_ORDER}


def empty_best(figure: Any) -> Any:
    """The best-score plot before anything is drawn: no optimum lines, one hint."""
    figure.layout.shapes = ()
    figure.layout.annotations = (
        {
            "text": "Draw a peak, then race: the curves appear here",
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "showarrow": False,
            "font": {"size": 14, "color": "#5b6474"},
        },
    )
    return figure
