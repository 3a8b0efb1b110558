"""The drawing tools on the page: draw your own landscape (and landscapes without layouts).

"✎ Your landscape" in the landscape menu turns every panel into a drawing surface while no
race is loaded: click to place a peak, drag outward to widen it, the Height slider sets the
newest peak; Undo and Clear edit the list (at most 12 peaks). The peaks live in the browser
(the ``draw-peaks`` store and the page address, ``?landscape=custom&peaks=u,v,h,w;…``) and
travel with every request as that string; the server decodes and checks them with
``landscapes.custom`` (nothing the browser sends is evaluated), so a forged or mistyped
string becomes one clear sentence in the alert line (``app.race_request.check_peaks``).

Landscapes that have one layout only (``seeded`` is False: the measured ``svm-digits`` data
and a drawn landscape) disable the 🎲 New landscape button and say why.

This module holds the layout pieces: ``draw_bar`` (in the info bar), ``surface`` (over each
panel), ``stores``; ``app.draw_callbacks`` wires the browser side (assets/draw.js, all
clientside), ``app.landscape_views.drawn_view`` draws the landscape.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from hpo_race.app import ids
from hpo_race.landscapes import CUSTOM as LANDSCAPE_CUSTOM
from hpo_race.landscapes.custom import MAX_PEAKS

# ---------------------------------------------------------------- ids (a contract with draw.js)

PEAKS = ids.PEAKS  # dcc.Store: the drawn peaks as "u,v,h,w;…" ("" while nothing is drawn)
BAR = "draw-bar"  # the drawing toolbar in the info bar (shown for "Your landscape" only)
HINT = "draw-hint"
HEIGHT = "draw-height"  # slider: height of the newest peak (and of the next one)
HEIGHT_VALUE = "draw-height-value"
COUNT = "draw-count"
UNDO = "draw-undo"
CLEAR = "draw-clear"
SURFACE = {name: f"draw-{name}" for name in ids.PANEL_ORDER}
SINK = {name: f"sink-draw-{name}" for name in ("kind", "peaks")}

CUSTOM = LANDSCAPE_CUSTOM
#: The landscape menu's entry for the drawn landscape.
MENU_TITLE = "✎ Your landscape"
DEFAULT_HEIGHT = 0.8
HEIGHT_RANGE = (0.1, 1.0)


# ---------------------------------------------------------------- labels


def menu_title(title: str) -> str:
    """A landscape's label in the (narrow) menu: "Real: SVM on digits" -> "SVM on digits".

    The info bar keeps the full title, and the layout chip says "measured data".
    """
    return title.removeprefix("Real: ")


# ---------------------------------------------------------------- layout pieces


def draw_bar(unseeded: list[str]) -> html.Div:
    """The drawing toolbar, a row of its own above the panels (shown for Your landscape only):
    instructions, the height slider, the peak count, Undo and Clear."""
    return html.Div(
        id=BAR,
        className="draw-bar",
        **{"data-unseeded": ",".join(unseeded), "data-max": str(MAX_PEAKS)},
        children=[
            html.Span("✎ Draw your landscape", className="draw-title"),
            html.Span(
                id=HINT,
                className="draw-hint",
                children=[
                    html.Span(
                        [
                            html.B("Click"),
                            " any panel to place a peak, ",
                            html.B("drag"),
                            " outward to make it wider. The slider sets the newest peak's height.",
                        ],
                        className="draw-hint-idle",
                    ),
                    html.Span(
                        ["Press ", html.B("↺ Reset"), " to draw more (or Undo / Clear)."],
                        className="draw-hint-busy",
                    ),
                ],
            ),
            html.Div(
                className="draw-tools",
                children=[
                    html.Label("Height", htmlFor=HEIGHT, className="control-label"),
                    html.Div(
                        className="draw-slider",
                        title="Height of the newest peak (and of the next one you place)",
                        children=dcc.Slider(
                            id=HEIGHT,
                            min=HEIGHT_RANGE[0],
                            max=HEIGHT_RANGE[1],
                            step=0.05,
                            value=DEFAULT_HEIGHT,
                            marks=None,
                            updatemode="mouseup",
                            allow_direct_input=False,
                        ),
                    ),
                    html.Span(f"{DEFAULT_HEIGHT:.2f}", id=HEIGHT_VALUE, className="draw-value"),
                    html.Span(
                        f"0 / {MAX_PEAKS} peaks",
                        id=COUNT,
                        className="draw-count",
                        **{"aria-live": "polite"},
                    ),
                    html.Button(
                        "↶ Undo",
                        id=UNDO,
                        className="btn btn-small",
                        title="Remove the newest peak",
                        n_clicks=0,
                        disabled=True,
                    ),
                    html.Button(
                        "Clear",
                        id=CLEAR,
                        className="btn btn-small",
                        title="Remove every peak",
                        n_clicks=0,
                        disabled=True,
                    ),
                ],
            ),
        ],
    )


#: The keyboard way to draw (on the first panel's surface, which takes the focus).
KEYS_HELP = (
    "Drawing area: click to place a peak and drag outward to widen it. With the keyboard: "
    "arrow keys move the cross, Enter places a peak, + and − widen or narrow the newest peak, "
    "Backspace removes it."
)


def surface(name: str) -> list[Any]:
    """A panel's drawing surface (draw.js draws the peaks into it); only for Your landscape.

    Every panel takes the mouse; the first one also takes the keyboard focus (one tab stop).
    """
    keyboard = {"tabIndex": "0"} if name == ids.PANEL_ORDER[0] else {}
    return [
        html.Div(
            id=SURFACE[name],
            className="draw-surface",
            **keyboard,
            **{"data-strategy": name, "role": "application", "aria-label": KEYS_HELP},
        )
    ]


def stores() -> list[Any]:
    return [dcc.Store(id=PEAKS, data=""), *[dcc.Store(id=sink) for sink in SINK.values()]]
