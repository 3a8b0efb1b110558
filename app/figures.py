"""Pure builders: landscape / race trace -> plain data for the browser and go.Figure objects.

Nothing here computes scores: the landscape grid and the race come from the engine
(``landscapes`` and ``strategies.race``); this module only converts unit coordinates to real
knob values, formats text and lays figures out. Every array handed to the browser is a plain
list (never numpy), because plotly 7 would otherwise encode it as base64.

assets/race-renderer.js finds traces by ``uid``, so the names below are a contract with it, and
the page lines its overlays (fog, "now" line) up with the margins below.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from hpo_race.app.theme import (
    FONT_FAMILY,
    GRIDLINE,
    INK,
    MUTED,
    SCORE_COLOURSCALE,
    STRATEGY_STYLE,
)

#: Cells per side of the landscape heatmap: enough to read the shape, light on the wire.
HEATMAP_RESOLUTION = 60
#: A curve "gets there" once its best score reaches this share of the optimum.
TARGET_SHARE = 0.95
#: Trace uids of a panel's front (probe) figure and back (landscape) figure, in trace order.
PROBE_UIDS = ("ghosts", "halo", "probes", "latest", "best")
LANDSCAPE_UIDS = ("landscape", "optimum")
#: Probe marker size (px) of a full training run; Hyperband's early-stopped runs are smaller.
FULL_SIZE = 12.0
#: Extra trace of a racer with a good/bad split (TPE): rings round the trials counted good.
GOOD_UID = "good"
#: Extra trace of a multi-fidelity racer's probe figure (Hyperband): its early-stopped runs.
PARTIAL_UID = "partial"
#: Both panel layers use these margins (px); the page's fog covers exactly the plot area.
PANEL_MARGIN = {"l": 56, "r": 20, "t": 12, "b": 40}
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


# ---------------------------------------------------------------- formatting helpers


def format_knob(value: float, log: bool) -> str:
    """A knob value as a teacher would write it: 3.2e-3 on log knobs, 0.25 otherwise."""
    if log:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.3g}"


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


def fidelity_label(fidelity: float) -> str:
    """A share of full training as a teacher says it: 1/27, 1/9, 1/3 (or a percentage)."""
    if fidelity > 0:
        inverse = 1.0 / fidelity
        if abs(inverse - round(inverse)) < 1e-6 and round(inverse) > 1:
            return f"1/{round(inverse)}"
    return f"{100 * fidelity:.0f}%"


def fidelity_size(fidelity: float) -> float:
    """Marker size of a run trained to this fidelity: 12 px in full, 2 px less per third."""
    if fidelity >= 1:
        return FULL_SIZE
    return round(max(5.0, FULL_SIZE + 2.0 * math.log(max(fidelity, 1e-9), 3)), 2)


def _round(values: Iterable[float], digits: int) -> list[float]:
    return [round(float(v), digits) for v in values]


def _real(knob: Any, units: Sequence[float]) -> list[float]:
    """Unit coordinates -> real knob values, 6 significant digits, as a plain list."""
    if len(units) == 0:
        return []
    reals = np.atleast_1d(knob.to_real(np.asarray(units, dtype=float)))
    return [float(f"{v:.6g}") for v in reals.tolist()]


# ---------------------------------------------------------------- browser data


def landscape_view(landscape: Any, resolution: int = HEATMAP_RESOLUTION) -> dict[str, Any]:
    """What the panels need about a landscape: knobs, a real-unit heatmap, the optimum."""
    u_axis, v_axis, z = landscape.grid(resolution)
    edges = np.linspace(0.0, 1.0, resolution + 1)
    ku, kv = landscape.knobs
    optimum = landscape.optimum
    z_list = [_round(row, 4) for row in np.asarray(z).tolist()]
    return {
        "name": landscape.name,
        "title": landscape.title,
        "description": landscape.description,
        "lesson": landscape.lesson,
        "seed": int(landscape.seed),
        "knobs": [k.as_dict() for k in landscape.knobs],
        "x_edges": _real(ku, edges),
        "y_edges": _real(kv, edges),
        "z": z_list,
        "zmin": round(float(np.min(z)), 4),
        "zmax": round(float(optimum.score), 4),
        "optimum": {
            "x": _real(ku, [optimum.theta[0]])[0],
            "y": _real(kv, [optimum.theta[1]])[0],
            "score": round(float(optimum.score), 4),
        },
    }


def _running_best_index(scores: Sequence[float]) -> list[int]:
    """Index of the best trial among the first i+1 (the earliest one on ties)."""
    out: list[int] = []
    best = 0
    for i, score in enumerate(scores):
        if score > scores[best]:
            best = i
        out.append(best)
    return out


def _hover(label: str, index: int, trial: Mapping[str, Any], knobs: Sequence[Any]) -> str:
    ku, kv = knobs
    x = float(ku.to_real(trial["theta"][0]))
    y = float(kv.to_real(trial["theta"][1]))
    text = (
        f"<b>{label}</b> · trial {index + 1}<br>"
        f"{ku.short or ku.name} = {format_knob(x, ku.log)} · "
        f"{kv.short or kv.name} = {format_knob(y, kv.log)}<br>"
        f"f(θ) = {trial['score']:.3f} · took {trial['cost']:.0f} GPU min"
    )
    fidelity = trial.get("fidelity")
    if isinstance(fidelity, int | float) and fidelity < 1:  # Hyperband stopped it early
        text += f"<br>stopped early: {fidelity_label(float(fidelity))} of full training"
    why = trial.get("why")
    if isinstance(why, dict):  # the Bayesian strategy explains each choice
        why = why.get("text")
    if isinstance(why, str) and why:
        text += f"<br><i>{why[:160]}</i>"
    return text


def race_view(trace: Mapping[str, Any], landscape: Any) -> dict[str, Any]:
    """The race as the animation plays it: per strategy, trials in real units, in clock order."""
    settings = trace["settings"]
    optimum = float(trace["landscape"]["optimum"]["score"])
    target = TARGET_SHARE * optimum
    ku, kv = landscape.knobs
    strategies: dict[str, Any] = {}
    for name, result in trace["strategies"].items():
        trials = result["trials"]
        style = STRATEGY_STYLE.get(name)
        label = style.label if style else result.get("title", name)
        short = style.short if style else label
        best = [float(t["best"]) for t in trials]
        hit = next((i for i, b in enumerate(best) if b >= target), None)
        unreached = result.get("unreached") or []
        strategies[name] = {
            "title": label,
            "short": short,
            "x": _real(ku, [t["theta"][0] for t in trials]),
            "y": _real(kv, [t["theta"][1] for t in trials]),
            "score": [float(t["score"]) for t in trials],
            "clock": [float(t["clock"]) for t in trials],
            "best": best,
            "best_index": _running_best_index([float(t["score"]) for t in trials]),
            "text": [_hover(label, i, t, (ku, kv)) for i, t in enumerate(trials)],
            "hit": hit,
            "spent": float(result["spent"]),
            "stopped": result.get("stopped", ""),
            "ghost_x": _real(ku, [p[0] for p in unreached]),
            "ghost_y": _real(kv, [p[1] for p in unreached]),
            "shape": result.get("shape"),
        }
        if any("good" in t for t in trials):  # TPE: its good/bad split at each proposal
            strategies[name]["good"] = [list(t.get("good", [])) for t in trials]
        if any("fidelity" in t for t in trials):  # Hyperband: runs stopped early
            fidelity = [float(t.get("fidelity", 1.0)) for t in trials]
            strategies[name]["fidelity"] = fidelity
            strategies[name]["size"] = [fidelity_size(f) for f in fidelity]
    clocks = [s["clock"][-1] for s in strategies.values() if s["clock"]]
    return {
        "landscape": settings["landscape"],
        "landscape_seed": settings["landscape_seed"],
        "budget": float(settings["budget"]),
        "seed": settings["seed"],
        "end": max(clocks, default=0.0),
        "optimum": round(optimum, 6),
        "target": round(target, 6),
        "lesson": trace["landscape"].get("lesson", ""),
        "order": list(strategies),
        "strategies": strategies,
    }


# ---------------------------------------------------------------- figures


def _base_layout(**extra: Any) -> dict[str, Any]:
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


def _panel_layout(view: Mapping[str, Any], *, show_axes: bool) -> dict[str, Any]:
    """Shared by both layers of a panel so their plot areas line up to the pixel."""
    knobs = view["knobs"]
    xaxis, yaxis = knob_axis(knobs[0]), knob_axis(knobs[1])
    if not show_axes:
        for axis in (xaxis, yaxis):
            axis.update(showticklabels=False, ticks="", title={"text": ""})
    return _base_layout(
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
    from hpo_race.strategies import STRATEGIES

    return bool(getattr(STRATEGIES.get(strategy), "multi_fidelity", False))


def _good_split(strategy: str) -> bool:
    """Does this racer split its trials into good and bad (TPE)? Its panel rings the good."""
    from hpo_race.strategies import STRATEGIES

    return bool(getattr(STRATEGIES.get(strategy), "good_split", False))


def probe_figure(view: Mapping[str, Any], strategy: str) -> go.Figure:
    """A panel's front layer: empty probe traces (transparent background) that
    race-renderer.js fills."""
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
        **_base_layout(
            margin=dict(BEST_MARGIN, pad=0),
            plot_bgcolor="#ffffff",
            showlegend=True,
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1,
                "yanchor": "bottom",
                "bgcolor": "rgba(0,0,0,0)",
                "font": {"size": 13},
                "itemwidth": 40,
                "tracegroupgap": 0,
            },
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
