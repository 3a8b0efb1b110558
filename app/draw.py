"""Draw your own landscape, and landscapes without layouts (measured data, your drawing).

"✎ Your landscape" in the landscape menu turns every panel into a drawing surface while no
race is loaded: click to place a peak, drag outward to widen it, the Height slider sets the
newest peak; Undo and Clear edit the list (at most 12 peaks). The peaks live in the browser
(the ``draw-peaks`` store and the page address, ``?landscape=custom&peaks=u,v,h,w;…``) and
travel with every request as that string; the server decodes and checks them with
``landscapes.custom`` (nothing the browser sends is evaluated), so a forged or mistyped
string becomes one clear sentence in the alert line.

Landscapes that have one layout only (``seeded`` is False: the measured ``svm-digits`` data
and a drawn landscape) disable the 🎲 New landscape button and say why.

Layout pieces: ``draw_bar`` (in the info bar), ``surface`` (over each panel), ``stores``;
``register_draw_callbacks(app)`` wires the browser side (assets/draw.js, all clientside).
"""

from __future__ import annotations

import functools
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from hpo_race.app import ids

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

CUSTOM = "custom"
#: The landscape menu's entry for the drawn landscape.
MENU_TITLE = "✎ Your landscape"
DEFAULT_HEIGHT = 0.8
HEIGHT_RANGE = (0.1, 1.0)
#: A flat stand-in while nothing is drawn: one peak of height 0 (the floor, 0.1, everywhere).
FLAT = "0.500,0.500,0.000,0.100"
#: The best-score axis while nothing is drawn (0.1 floor … 1.1, the highest a peak can reach).
EMPTY_TOP = 1.1


# ---------------------------------------------------------------- checks


def check_peaks(landscape: str, raw: Any) -> str | None:
    """The drawn peaks as their canonical string, for the custom landscape; else None.

    Raises ``SettingsError`` with a sentence a student can act on.
    """
    from hpo_race.app.callbacks import SettingsError
    from hpo_race.landscapes.custom import MAX_PEAKS, decode_peaks, encode_peaks

    if landscape != CUSTOM:
        return None
    if raw is None or raw == "":
        raise SettingsError(
            "peaks",
            "Your landscape is empty: click a panel to place a peak, then press ▷ Run search.",
        )
    if not isinstance(raw, str):
        raise SettingsError(
            "peaks", "The drawn peaks were not understood; press Clear and draw again."
        )
    try:
        return encode_peaks(decode_peaks(raw))
    except ValueError as exc:
        text = str(exc)
        if text.startswith("draw between"):
            raise SettingsError(
                "peaks", f"Your landscape can have 1 to {MAX_PEAKS} peaks."
            ) from None
        raise SettingsError("peaks", f"Your landscape: {text}.") from None


def unseeded_landscapes() -> list[str]:
    """Landscapes with a single layout: the dice cannot draw a new one for them."""
    from hpo_race.landscapes import LANDSCAPES, get_landscape

    names = []
    for name in LANDSCAPES:
        try:
            if not get_landscape(name).seeded:
                names.append(name)
        except Exception:  # a broken landscape is reported elsewhere; keep the page up
            continue
    return [*names, CUSTOM]


def menu_title(title: str) -> str:
    """A landscape's label in the (narrow) menu: "Real: SVM on digits" -> "SVM on digits".

    The info bar keeps the full title, and the layout chip says "measured data".
    """
    return title.removeprefix("Real: ")


# ---------------------------------------------------------------- views


@functools.lru_cache(maxsize=64)
def drawn_view(peaks: str) -> dict[str, Any]:
    """The panels' view of a drawn landscape ("" = nothing drawn yet: a flat, dark square)."""
    from hpo_race.app.figures import landscape_view
    from hpo_race.landscapes.custom import custom_landscape

    view = landscape_view(custom_landscape(peaks or FLAT))
    if not peaks:
        view.update(
            description="nothing drawn yet: click a panel to place a peak",
            zmax=EMPTY_TOP,
            optimum={"x": None, "y": None, "score": EMPTY_TOP},
            empty=True,
        )
    return view


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


# ---------------------------------------------------------------- layout pieces


def draw_bar(unseeded: list[str]) -> html.Div:
    """The drawing toolbar, a row of its own above the panels (shown for Your landscape only):
    instructions, the height slider, the peak count, Undo and Clear."""
    from hpo_race.landscapes.custom import MAX_PEAKS

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


# ---------------------------------------------------------------- callbacks


def register_draw_callbacks(app: Dash) -> None:
    """Clientside wiring: landscape kind (dice, draw mode), peak edits, links, the overlay."""

    def clientside(name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace="hpoDraw", function_name=name)

    # Which kind of landscape is chosen: the dice and the layout chip follow it, and a
    # landscape with one layout races with landscape seed 0 (what its trace reports).
    app.clientside_callback(
        clientside("kind"),
        Output(ids.DICE_BUTTON, "disabled"),
        Output(ids.DICE_BUTTON, "title"),
        Output(ids.LANDSCAPE_SEED, "data", allow_duplicate=True),
        Output(ids.LANDSCAPE_SEED_LABEL, "children", allow_duplicate=True),
        Output(ids.LANDSCAPE_SEED_LABEL, "title"),
        Input(ids.LANDSCAPE_SELECT, "value"),
        State(ids.LANDSCAPE_SEED, "data"),
        State(ids.LANDSCAPE_SELECT, "options"),
        prevent_initial_call="initial_duplicate",
    )
    # Undo, Clear, the height slider, and peaks (+ the racers) from a shared link.
    app.clientside_callback(
        clientside("edit"),
        Output(PEAKS, "data"),
        Output(ids.RACER_PICKER, "value"),
        Input(ids.URL, "search"),
        Input(UNDO, "n_clicks"),
        Input(CLEAR, "n_clicks"),
        Input(HEIGHT, "value"),
        State(PEAKS, "data"),
        State(ids.RACER_PICKER, "value"),
    )
    # The peaks changed (drawn, undone, from a link): count, buttons and the overlay.
    app.clientside_callback(
        clientside("peaks"),
        Output(COUNT, "children"),
        Output(UNDO, "disabled"),
        Output(CLEAR, "disabled"),
        Input(PEAKS, "data"),
    )
