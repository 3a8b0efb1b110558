"""The replay's animation: one frame per step of the shared GPU-minute clock, and its controls.

``replay_animation`` takes the figure ``app.replay_figure`` laid out (its traces grouped by
kind) and returns the frames (what each trace shows up to that minute, the "now" line moved)
and the Play/Pause, Reveal and slider controls that drive them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Frames of the replay animation (plus the start): smooth enough, small enough for a slide deck.
REPLAY_FRAMES = 120


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


def _distinct(values: Sequence[float]) -> list[float]:
    """The values in the order first seen, each once (what a rug marks)."""
    return list(dict.fromkeys(values))


def _rugs(s: Mapping[str, Any], t: float, edges: tuple[float, float]) -> list[dict[str, Any]]:
    """A panel's three rug traces at minute ``t`` (rim, bottom edge, left edge): a tick per
    distinct value of each axis knob tried so far, as the page's rugs (race-renderer.js)."""
    xs = _distinct(_upto(s["x"], s["clock"], t))
    ys = _distinct(_upto(s["y"], s["clock"], t))
    left, bottom = edges
    along_x = {"x": xs, "y": [bottom] * len(xs)}
    along_y = {"x": [left] * len(ys), "y": ys}
    rim = {
        "x": along_x["x"] + along_y["x"],
        "y": along_x["y"] + along_y["y"],
        "marker": {"symbol": ["line-ns"] * len(xs) + ["line-ew"] * len(ys)},
    }
    return [rim, along_x, along_y]


def replay_animation(
    view: Mapping[str, Any],
    names: Sequence[str],
    groups: Mapping[str, list[int]],
    layout: Mapping[str, Any],
    now_shape: int,
    edges: tuple[float, float],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(frames, layout controls) of the replay: ``groups`` are the figure's trace indices by
    kind (scape, rug, halo, probes, best, curve, hit), ``now_shape`` the index of the "now"
    line, ``edges`` the low ends of the two axis knobs (where the rugs stand)."""
    end = float(view["end"])
    times = _frame_times(end)
    frames = []
    for t in times:
        revealed = t >= end - 1e-9
        upd: list[dict[str, Any]] = []
        for _ in groups["scape"]:
            upd.append({"visible": revealed})
        for name in names:
            upd.extend(_rugs(view["strategies"][name], t, edges))
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
                + groups["rug"]
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
    updatemenus = [
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
    sliders = [
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
    return frames, {"updatemenus": updatemenus, "sliders": sliders}
