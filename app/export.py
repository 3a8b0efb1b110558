"""Exports of one race: its trials as CSV, its trace as JSON, and a self-contained HTML replay.

Everything is rebuilt on the server from the race's *settings* (the engine is deterministic and
``app.model_data.race_entry`` caches the result), never from a trace the browser sends, so an
export always matches the race those settings give, bit for bit.

The HTML replay is a Plotly animation for slides: the three panels and the best-so-far curve,
one frame per step of the shared GPU-minute clock, a slider and Play/Pause. plotly.js (the
vendored cartesian bundle the app itself serves) is inlined, so the file opens offline from a
USB stick, with no server and no internet.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hpo_race.app.theme import FOG, GRIDLINE, INK, MUTED, SCORE_COLOURSCALE, STRATEGY_STYLE

#: Share of the optimum a best-so-far score must reach to "get there" (the race summary's rule).
TARGET_SHARE = 0.95
#: Frames of the replay animation (plus the start): smooth enough, small enough for a slide deck.
REPLAY_FRAMES = 120
VENDOR = Path(__file__).resolve().parent.parent / "assets" / "vendor"


# ---------------------------------------------------------------- names


def export_name(settings: Mapping[str, Any], extension: str) -> str:
    """A file name that says which race it is: hpo-race_smooth_layout0_800min_seed0.csv."""
    budget = float(settings["budget"])
    return (
        f"hpo-race_{settings['landscape']}_layout{int(settings['landscape_seed'])}"
        f"_{budget:g}min_seed{int(settings['seed'])}.{extension}"
    )


def _column(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.strip().lower()).strip("_") or "knob"


def _real(knob: Mapping[str, Any], u: float) -> float:
    """A unit coordinate in the knob's real units, 6 significant digits (as the page shows)."""
    low, high = float(knob["low"]), float(knob["high"])
    value = low * (high / low) ** u if knob["log"] else low + u * (high - low)
    return float(f"{value:.6g}")


# ---------------------------------------------------------------- winner


def winner(trace: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any] | None:
    """First strategy whose best-so-far reaches 95% of the optimum on the shared clock.

    The race summary's rule (assets/race-player.js ``summary``; assets/_tools.js ``winner``):
    earliest GPU minute wins, a tie goes to the earlier panel; None if nobody got there.
    """
    target = TARGET_SHARE * float(trace["landscape"]["optimum"]["score"])
    first: dict[str, Any] | None = None
    for name in order:
        result = trace["strategies"].get(name)
        if not result:
            continue
        for trial in result["trials"]:
            if float(trial["best"]) >= target:
                if first is None or float(trial["clock"]) < first["minute"]:
                    first = {"strategy": name, "minute": float(trial["clock"])}
                break
    return first


# ---------------------------------------------------------------- CSV and JSON


def trials_csv(trace: Mapping[str, Any]) -> str:
    """One row per trial, strategies in panel order, trials in the order they finished."""
    knobs = trace["landscape"]["knobs"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "strategy",
            "trial",
            "finished_at_gpu_minute",
            "cost_gpu_minutes",
            _column(knobs[0]["name"]),
            _column(knobs[1]["name"]),
            "u",
            "v",
            "score",
            "best_so_far",
        ]
    )
    for name, result in trace["strategies"].items():
        for i, trial in enumerate(result["trials"]):
            u, v = trial["theta"]
            writer.writerow(
                [
                    name,
                    i + 1,
                    repr(float(trial["clock"])),
                    repr(float(trial["cost"])),
                    repr(_real(knobs[0], u)),
                    repr(_real(knobs[1], v)),
                    repr(float(u)),
                    repr(float(v)),
                    repr(float(trial["score"])),
                    repr(float(trial["best"])),
                ]
            )
    return out.getvalue()


def trace_json(trace: Mapping[str, Any]) -> str:
    """The engine's trace, exactly as ``hpo-race simulate`` prints it (its settings replay it)."""
    return json.dumps(trace, indent=1, allow_nan=False)


# ---------------------------------------------------------------- the HTML replay


def plotly_bundle() -> str:
    """The plotly.js bundle the app serves (cartesian: scatter + heatmap), as text."""
    bundles = sorted(VENDOR.glob("plotly-cartesian-*.min.js"))
    if bundles:
        return bundles[-1].read_text(encoding="utf-8")
    from plotly.offline import get_plotlyjs  # the full bundle, if the vendored one is missing

    return get_plotlyjs()


def _frame_times(end: float, most: int = REPLAY_FRAMES) -> list[float]:
    """Round GPU minutes (every 5, 10, 25 … minutes) up to the race's end, then the end."""
    if end <= 0:
        return [0.0]
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200) if end / s <= most), 500)
    times = [float(k * step) for k in range(int(end // step) + 1)]
    if end - times[-1] > 1e-9:
        times.append(round(end, 4))
    return times


def _upto(values: Sequence[float], clocks: Sequence[float], t: float) -> list[float]:
    return [v for v, c in zip(values, clocks, strict=True) if c <= t + 1e-9]


def _knob_axis(knob: Mapping[str, Any], show_title: bool) -> dict[str, Any]:
    low, high = float(knob["low"]), float(knob["high"])
    axis: dict[str, Any] = {
        "title": {"text": knob["name"] if show_title else "", "font": {"size": 13}},
        "showgrid": False,
        "zeroline": False,
        "ticks": "outside",
        "ticklen": 4,
        "tickfont": {"size": 11, "color": MUTED},
        "fixedrange": True,
    }
    if knob["log"]:
        axis.update(type="log", range=[math.log10(low), math.log10(high)], dtick=1)
        axis["exponentformat"] = "power"
    else:
        axis.update(type="linear", range=[low, high], nticks=6)
    return axis


def replay_figure(
    trace: Mapping[str, Any],
    view: Mapping[str, Any],
    scape: Mapping[str, Any],
    order: Sequence[str],
) -> dict[str, Any]:
    """The replay as a plain plotly.js figure: {data, layout, frames, config}.

    ``view`` is the race as the page animates it (``app.figures.race_view``: real units, clock
    order); ``scape`` the landscape heatmap (``app.figures.landscape_view``).
    """
    names = [n for n in order if n in view["strategies"]]
    n = len(names)
    knobs = trace["landscape"]["knobs"]
    optimum = float(view["optimum"])
    target = float(view["target"])
    budget = float(view["budget"])
    end = float(view["end"])
    times = _frame_times(end)
    colour = {"colorscale": SCORE_COLOURSCALE, "cmin": scape["zmin"], "cmax": scape["zmax"]}
    gap = 0.035
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
    kinds = ("scape", "halo", "probes", "best", "curve", "hit")
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
        # a dark rim under each probe, so a probe never melts into the revealed landscape
        add(
            "halo",
            {
                "type": "scatter",
                **xy,
                "x": [],
                "y": [],
                "mode": "markers",
                "cliponaxis": False,
                "marker": {"symbol": style.symbol, "size": 15, "color": "rgba(10,12,20,0.85)"},
                "hoverinfo": "skip",
            },
        )
        add(
            "probes",
            {
                "type": "scatter",
                **xy,
                "x": [],
                "y": [],
                "mode": "markers",
                "cliponaxis": False,
                "marker": {
                    "symbol": style.symbol,
                    "size": 11,
                    "color": [],
                    **colour,
                    "line": {"color": "#ffffff", "width": 1.2},
                },
                "hovertemplate": f"{style.short}: f(θ) = %{{marker.color:.3f}}<extra></extra>",
            },
        )
        add(
            "best",
            {
                "type": "scatter",
                **xy,
                "x": [],
                "y": [],
                "mode": "markers",
                "cliponaxis": False,
                "marker": {
                    "symbol": "star",
                    "size": 19,
                    "color": "#ffffff",
                    "line": {"color": INK, "width": 1.5},
                },
                "hoverinfo": "skip",
            },
        )
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
            "line": {"color": "#c0392b", "width": 2},
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

    frames = []
    for t in times:
        revealed = t >= end - 1e-9
        upd: list[dict[str, Any]] = []
        for _ in groups["scape"]:
            upd.append({"visible": revealed})
        for name in names:
            s = view["strategies"][name]
            upd.append({"x": _upto(s["x"], s["clock"], t), "y": _upto(s["y"], s["clock"], t)})
        for name in names:
            s = view["strategies"][name]
            clocks = s["clock"]
            upd.append(
                {
                    "x": _upto(s["x"], clocks, t),
                    "y": _upto(s["y"], clocks, t),
                    "marker": {"color": _upto(s["score"], clocks, t)},
                }
            )
        for name in names:
            s = view["strategies"][name]
            k = sum(1 for c in s["clock"] if c <= t + 1e-9)
            if k:
                b = s["best_index"][k - 1]
                upd.append({"x": [s["x"][b]], "y": [s["y"][b]]})
            else:
                upd.append({"x": [], "y": []})
        for name in names:
            s = view["strategies"][name]
            xs = _upto(s["clock"], s["clock"], t)
            ys = s["best"][: len(xs)]
            if xs and t > xs[-1]:
                # the line runs on to "now" while the strategy is still training
                xs, ys = [*xs, min(t, max(s["spent"], xs[-1]))], [*ys, ys[-1]]
            upd.append({"x": xs, "y": ys})
        for name in names:
            s = view["strategies"][name]
            hit = s["hit"]
            if hit is not None and s["clock"][hit] <= t + 1e-9:
                upd.append({"x": [s["clock"][hit]], "y": [s["best"][hit]]})
            else:
                upd.append({"x": [], "y": []})
        shapes = [dict(shape) for shape in layout["shapes"]]
        shapes[now_shape] = {**shapes[now_shape], "x0": t, "x1": t}
        frames.append(
            {
                "name": f"{t:.4f}",
                "data": upd,
                "traces": groups["scape"]
                + groups["halo"]
                + groups["probes"]
                + groups["best"]
                + groups["curve"]
                + groups["hit"],
                # plotly.js animates layout arrays whole: every shape, the "now" line moved
                "layout": {"shapes": shapes},
            }
        )

    play = {
        "label": "▶ Play",
        "method": "animate",
        "args": [
            None,
            {
                "frame": {"duration": 110, "redraw": True},
                "transition": {"duration": 0},
                "fromcurrent": True,
                "mode": "immediate",
            },
        ],
    }
    pause = {
        "label": "❚❚ Pause",
        "method": "animate",
        "args": [
            [None],
            {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"},
        ],
    }
    scape_traces = groups["scape"]
    layout["updatemenus"] = [
        {
            "type": "buttons",
            "direction": "left",
            "showactive": False,
            "x": 0,
            "y": -0.1,
            "xanchor": "left",
            "yanchor": "top",
            "pad": {"t": 0, "r": 8},
            "buttons": [play, pause],
            "font": {"size": 13},
        },
        {
            "type": "buttons",
            "direction": "left",
            "showactive": False,
            "x": 1,
            "y": -0.1,
            "xanchor": "right",
            "yanchor": "top",
            "pad": {"t": 0},
            "buttons": [
                {
                    "label": "Reveal landscape",
                    "method": "restyle",
                    "args": [{"visible": True}, scape_traces],
                },
                {
                    "label": "Hide",
                    "method": "restyle",
                    "args": [{"visible": False}, scape_traces],
                },
            ],
            "font": {"size": 13},
        },
    ]
    layout["sliders"] = [
        {
            "active": 0,
            "x": 0.16,
            "len": 0.66,
            "y": -0.07,
            "yanchor": "top",
            "pad": {"t": 0, "b": 0},
            "currentvalue": {"prefix": "GPU minute ", "font": {"size": 14}, "xanchor": "left"},
            "ticklen": 3,
            # one step per frame is too many labels to read: the current value says it
            "font": {"size": 10, "color": "rgba(0,0,0,0)"},
            "steps": [
                {
                    "label": f"{t:.0f}",
                    "method": "animate",
                    "args": [
                        [f"{t:.4f}"],
                        {
                            "mode": "immediate",
                            "frame": {"duration": 0, "redraw": True},
                            "transition": {"duration": 0},
                        },
                    ],
                }
                for k, t in enumerate(times)
            ],
        }
    ]
    config = {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"scale": 2, "filename": "hpo-race-replay"},
    }
    return {"data": data, "layout": layout, "frames": frames, "config": config}


def _settings_lines(trace: Mapping[str, Any]) -> list[str]:
    settings = trace["settings"]
    scape = trace["landscape"]
    lines = [
        f"{scape['title']} landscape (layout #{settings['landscape_seed']}) · "
        f"budget {float(settings['budget']):g} GPU minutes each · seed {settings['seed']}"
    ]
    bayes = (settings.get("options") or {}).get("bayes")
    if bayes:
        acq = str(bayes.get("acquisition", "ei"))
        knob = f"κ = {bayes.get('kappa'):g}" if acq == "ucb" else f"ξ = {float(bayes.get('xi')):g}"
        scale = bayes.get("length_scale")
        lines.append(
            f"Bayesian settings: {acq.upper()} ({knob}) · kernel {bayes.get('kernel')} · "
            f"length scale {'fitted' if scale is None else f'{float(scale):g}'} · "
            f"{bayes.get('n_initial')} random starts"
        )
    return lines


def replay_html(
    trace: Mapping[str, Any],
    view: Mapping[str, Any],
    scape: Mapping[str, Any],
    order: Sequence[str],
    link: str | None = None,
) -> str:
    """A standalone HTML page (plotly.js inlined) that replays the race with no server."""
    figure = replay_figure(trace, view, scape, order)
    first = winner(trace, order)
    if first:
        style = STRATEGY_STYLE[first["strategy"]]
        verdict = (
            f"First to 95% of the optimum: {style.glyph} {style.label}, "
            f"at GPU minute {first['minute']:,.0f}."
        )
    else:
        verdict = "Nobody reached 95% of the optimum within the budget."
    # "<" escaped so nothing inside the figure (hover text) can close the script element
    payload = json.dumps(figure, allow_nan=False, separators=(",", ":")).replace("<", "\\u003c")
    title = f"hpo-race replay · {trace['landscape']['title']}"
    settings = "".join(f"<p>{html.escape(line)}</p>" for line in _settings_lines(trace))
    live = (
        f'<p class="link">Race it live: <a href="{html.escape(link)}">{html.escape(link)}</a></p>'
        if link
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hpo-race">
<title>{html.escape(title)}</title>
<style>
  html, body {{ margin: 0; height: 100%; background: #fff; color: {INK};
    font-family: "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }}
  body {{ display: flex; flex-direction: column; }}
  header {{ padding: 10px 18px 0; }}
  h1 {{ margin: 0 0 2px; font-size: 22px; }}
  header p {{ margin: 1px 0; font-size: 14px; color: {MUTED}; }}
  header p.verdict {{ color: {INK}; font-weight: 700; font-size: 15px; }}
  header p.link {{ font-size: 12px; }}
  #replay {{ flex: 1 1 auto; min-height: 520px; }}
</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
{settings}
<p class="verdict">{html.escape(verdict)} Press ▶ Play, or drag the slider.</p>
{live}
</header>
<div id="replay" data-frames="{len(figure["frames"])}"></div>
<script>{plotly_bundle()}</script>
<script>
(function () {{
  var fig = {payload};
  Plotly.newPlot("replay", {{data: fig.data, layout: fig.layout, frames: fig.frames,
    config: fig.config}});
}})();
</script>
</body>
</html>
"""
