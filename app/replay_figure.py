"""The replay for slides as a plain plotly.js figure: the racers' panels and the best-so-far plot.

``replay_figure`` lays the figure out (one panel per racer with its fogged landscape, probes
and best trial; the shared best-score plot with the optimum and 95% lines) and hands its
traces to ``app.replay_animation`` for the frames and controls; ``app.replay`` wraps it in a
page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from hpo_race.app.figures import RUG_RIM_WIDTH, RUG_SIZE, RUG_WIDTH
from hpo_race.app.replay_animation import replay_animation
from hpo_race.app.theme import FOG, GRIDLINE, INK, MUTED, SCORE_COLOURSCALE, STRATEGY_STYLE


def _knob_axis(knob: Mapping[str, Any], show_title: bool) -> dict[str, Any]:
    low, high = float(knob["low"]), float(knob["high"])
    axis: dict[str, Any] = {
        "title": {"text": knob["name"] if show_title else "", "font": {"size": 13}},
        "showgrid": False,
        "zeroline": False,
        "ticks": "outside",
        "ticklen": 4,
        "ticklabelstandoff": RUG_SIZE // 2,  # the labels stand clear of the rugs
        "tickfont": {"size": 11, "color": MUTED},
        "fixedrange": True,
    }
    if knob["log"]:
        axis.update(type="log", range=[math.log10(low), math.log10(high)], dtick=1)
        axis["exponentformat"] = "power"
    else:
        axis.update(type="linear", range=[low, high], nticks=6)
    return axis


def _markers(xy: Mapping[str, str], marker: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An empty marker trace on a panel's axes ``xy``; the animation's frames fill it."""
    return {
        "type": "scatter",
        **xy,
        "x": [],
        "y": [],
        "mode": "markers",
        "cliponaxis": False,
        "marker": marker,
        **extra,
    }


def replay_figure(
    trace: Mapping[str, Any],
    view: Mapping[str, Any],
    scape: Mapping[str, Any],
    order: Sequence[str],
) -> dict[str, Any]:
    """The replay as a plain plotly.js figure: {data, layout, frames, config}.

    ``view`` is the race as the page animates it (``app.views.race_view``: real units, clock
    order); ``scape`` the landscape heatmap (``app.views.landscape_view``).
    """
    names = [n for n in order if n in view["strategies"]]
    n = len(names)
    knobs = trace["landscape"]["knobs"]
    optimum = float(view["optimum"])
    target = float(view["target"])
    budget = float(view["budget"])
    colour = {"colorscale": SCORE_COLOURSCALE, "cmin": scape["zmin"], "cmax": scape["zmax"]}
    gap = 0.05  # room for the next panel's tick labels, clear of its rug
    width = (1 - gap * (n - 1)) / max(n, 1)
    layout: dict[str, Any] = {
        "template": "none",
        "font": {"family": "Segoe UI, Roboto, Helvetica, Arial, sans-serif", "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        "hovermode": "closest",
        "margin": {"l": 60, "r": 110, "t": 34, "b": 110},
        "annotations": [],
        "shapes": [],
    }
    data: list[dict[str, Any]] = []
    kinds = ("scape", "rug", "halo", "probes", "best", "curve", "hit")
    groups: dict[str, list[int]] = {k: [] for k in kinds}

    def add(kind: str, trace_dict: dict[str, Any]) -> None:
        groups[kind].append(len(data))
        data.append(trace_dict)

    for i, name in enumerate(names):
        ax = "" if i == 0 else str(i + 1)
        x0 = i * (width + gap)
        layout[f"xaxis{ax}"] = {
            **_knob_axis(knobs[0], True),
            "domain": [x0, x0 + width],
            "anchor": f"y{ax}",
        }
        layout[f"yaxis{ax}"] = {
            **_knob_axis(knobs[1], i == 0),
            "domain": [0.47, 1.0],
            "anchor": f"x{ax}",
        }
        style = STRATEGY_STYLE[name]
        layout["annotations"].append(
            {
                "text": f"<b>{style.glyph} {style.label}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": x0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 15, "color": style.colour},
            }
        )
        # the fog: the landscape stays hidden until the last frame (or the button)
        layout["shapes"].append(
            {
                "type": "rect",
                "xref": f"x{ax} domain",
                "yref": f"y{ax} domain",
                "x0": 0,
                "x1": 1,
                "y0": 0,
                "y1": 1,
                "layer": "below",
                "fillcolor": FOG,
                "line": {"width": 0},
            }
        )
        xy = {"xaxis": f"x{ax}", "yaxis": f"y{ax}"}
        add(
            "scape",
            {
                "type": "heatmap",
                **xy,
                "x": scape["x_edges"],
                "y": scape["y_edges"],
                "z": scape["z"],
                "zmin": scape["zmin"],
                "zmax": scape["zmax"],
                "colorscale": SCORE_COLOURSCALE,
                "showscale": False,
                "zsmooth": "best",
                "hoverinfo": "skip",
                "visible": False,
            },
        )
        add(
            "scape",
            {
                "type": "scatter",
                **xy,
                "x": [scape["optimum"]["x"]],
                "y": [scape["optimum"]["y"]],
                "mode": "markers",
                "marker": {
                    "symbol": "x-thin",
                    "size": 16,
                    "line": {"color": "#ffffff", "width": 3},
                },
                "hovertemplate": f"true optimum {optimum:.3f}<extra></extra>",
                "visible": False,
            },
        )
        # the rugs, as on the page: a tick per distinct value of each axis knob tried so far
        # (along the bottom and the left edge), over a dark rim, under every probe
        for symbol, mark, line in (
            ([], "rgba(10,12,20,0.9)", RUG_RIM_WIDTH),
            ("line-ns", style.colour, RUG_WIDTH),
            ("line-ew", style.colour, RUG_WIDTH),
        ):
            rug = {"symbol": symbol, "size": RUG_SIZE, "line": {"color": mark, "width": line}}
            add("rug", _markers(xy, rug, hoverinfo="skip"))
        # a dark rim under each probe, so a probe never melts into the revealed landscape
        halo = {"symbol": style.symbol, "size": 15, "color": "rgba(10,12,20,0.85)"}
        add("halo", _markers(xy, halo, hoverinfo="skip"))
        probe = {
            "symbol": style.symbol,
            "size": 11,
            "color": [],
            **colour,
            "line": {"color": "#ffffff", "width": 1.2},
        }
        hover = f"{style.short}: f(θ) = %{{marker.color:.3f}}<extra></extra>"
        add("probes", _markers(xy, probe, hovertemplate=hover))
        star = {"symbol": "star", "size": 19, "color": "#fff", "line": {"color": INK, "width": 1.5}}
        add("best", _markers(xy, star, hoverinfo="skip"))
    # the shared plot: best score so far against GPU minutes
    bx, by = f"x{n + 1}", f"y{n + 1}"
    layout[f"xaxis{n + 1}"] = {
        "domain": [0, 1],
        "anchor": by,
        "range": [0, budget],
        "title": {"text": "GPU minutes", "font": {"size": 13}},
        "showgrid": True,
        "gridcolor": GRIDLINE,
        "zeroline": False,
        "tickfont": {"size": 11, "color": MUTED},
        "fixedrange": True,
    }
    low = float(scape["zmin"])
    pad = 0.06 * (optimum - low)
    layout[f"yaxis{n + 1}"] = {
        "domain": [0, 0.3],
        "anchor": bx,
        "range": [low - pad, optimum + pad],
        "title": {"text": "best f(θ) so far", "font": {"size": 13}},
        "showgrid": True,
        "gridcolor": GRIDLINE,
        "zeroline": False,
        "tickfont": {"size": 11, "color": MUTED},
        "nticks": 5,
        "fixedrange": True,
    }
    for value, text, dash, tint in (
        (optimum, f"optimum {optimum:.3f}", "dash", INK),
        (target, f"95% · {target:.3f}", "dot", MUTED),
    ):
        layout["shapes"].append(
            {
                "type": "line",
                "xref": f"{bx} domain",
                "yref": by,
                "x0": 0,
                "x1": 1,
                "y0": value,
                "y1": value,
                "line": {"color": tint, "width": 1.5, "dash": dash},
            }
        )
        layout["annotations"].append(
            {
                "text": text,
                "xref": f"{bx} domain",
                "yref": by,
                "x": 1.005,
                "y": value,
                "xanchor": "left",
                "yanchor": "bottom" if value == optimum else "top",
                "showarrow": False,
                "font": {"size": 12, "color": tint},
            }
        )
    now_shape = len(layout["shapes"])
    layout["shapes"].append(
        {
            "type": "line",
            "xref": bx,
            "yref": f"{by} domain",
            "x0": 0,
            "x1": 0,
            "y0": 0,
            "y1": 1,
            "line": {"color": "#c0392b", "width": 2, "dash": "dash"},  # as the page's "now"
        }
    )
    for name in names:
        style = STRATEGY_STYLE[name]
        add(
            "curve",
            {
                "type": "scatter",
                "xaxis": bx,
                "yaxis": by,
                "x": [],
                "y": [],
                "mode": "lines",
                "line": {"color": style.colour, "width": 3.5, "shape": "hv"},
                "name": style.short,
                "hovertemplate": f"{style.short}: minute %{{x:.0f}}, "
                "best %{y:.3f}<extra></extra>",
            },
        )
    for name in names:
        style = STRATEGY_STYLE[name]
        add(
            "hit",
            {
                "type": "scatter",
                "xaxis": bx,
                "yaxis": by,
                "x": [],
                "y": [],
                "mode": "markers",
                "marker": {
                    "symbol": style.symbol,
                    "size": 14,
                    "color": style.colour,
                    "line": {"color": INK, "width": 1.5},
                },
                "hovertemplate": f"{style.short} reaches 95% at minute %{{x:.0f}}<extra></extra>",
            },
        )
    # legend for the curves, drawn as text so it never overlaps the lines
    layout["annotations"].append(
        {
            "text": "   ".join(
                f"<span style='color:{STRATEGY_STYLE[nm].colour}'>{STRATEGY_STYLE[nm].glyph}"
                f" ━</span> {STRATEGY_STYLE[nm].short}"
                for nm in names
            ),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0.315,
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 13},
        }
    )

    edges = (float(knobs[0]["low"]), float(knobs[1]["low"]))
    frames, controls = replay_animation(view, names, groups, layout, now_shape, edges)
    layout.update(controls)
    config = {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"scale": 2, "filename": "hpo-race-replay"},
    }
    return {"data": data, "layout": layout, "frames": frames, "config": config}
