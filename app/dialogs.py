"""The classroom's dialogs: keyboard shortcuts and classroom links (?), and Predict the winner.

Layout pieces only (called from ``app.classroom.page_extras``); assets/dialogs.js opens
and closes them (focus trap, Esc) and records the prediction.
"""

from __future__ import annotations

from typing import Any

from dash import html

from hpo_race.app import ids
from hpo_race.app.theme import STRATEGY_STYLE

# ---------------------------------------------------------------- ids (a contract with the JS)

SHORTCUTS_DIALOG = "shortcuts-dialog"
PREDICT_DIALOG = "predict-dialog"
#: Only the choices of the racers that race show (assets/predict.js).
PREDICT_CHOICES = (*ids.PANEL_ORDER, "nobody")
PREDICT_CHOICE = {name: f"predict-{name}" for name in PREDICT_CHOICES}


def _key(*keys: str) -> list[Any]:
    out: list[Any] = []
    for i, key in enumerate(keys):
        if i:
            out.append(" or ")
        out.append(html.Kbd(key))
    return out


def _dialog(dialog_id: str, title: str, children: list[Any], extra_class: str = "") -> html.Div:
    heading = f"{dialog_id}-title"
    return html.Div(
        id=dialog_id,
        className=f"overlay {extra_class}".strip(),
        hidden=True,
        children=html.Div(
            className="dialog",
            role="dialog",
            **{"aria-modal": "true", "aria-labelledby": heading},
            children=[
                html.Div(
                    className="dialog-head",
                    children=[
                        html.H2(title, id=heading),
                        html.Button(
                            "×",
                            className="dialog-close",
                            title="Close (Esc)",
                            **{"aria-label": "Close", "data-close": dialog_id},
                        ),
                    ],
                ),
                *children,
            ],
        ),
    )


def shortcuts_dialog(
    landscapes: list[str], titles: dict[str, str], hideable: list[str]
) -> html.Div:
    """The help overlay opened with ?: every shortcut, and how to share a focused link
    (``hideable``: the controls a link can hide)."""
    numbered = [f"{i + 1} {titles.get(name, name)}" for i, name in enumerate(landscapes[:9])]
    rows = [
        (_key("Space"), "Run or pause the race"),
        (_key("→", "PageDown"), "Step to the next finished trial (clickers send these)"),
        (_key("R"), "Reset"),
        (
            [html.Kbd("1"), "–", html.Kbd(str(min(9, len(landscapes))))],
            "Landscape: " + " · ".join(numbered),
        ),
        (_key("F"), "Full screen on or off"),
        (_key("P"), "Presenter mode: large type, thick markers"),
        (_key("T"), "Light or dark theme"),
        (_key("?"), "This help"),
        (_key("Esc"), "Close a dialog"),
    ]
    table = html.Table(
        className="keys",
        children=[
            html.Caption("Keyboard shortcuts (not while typing in a box)"),
            html.Tbody(
                [html.Tr([html.Th(keys, scope="row"), html.Td(what)]) for keys, what in rows]
            ),
        ],
    )
    hide_names = ", ".join(hideable)
    return _dialog(
        SHORTCUTS_DIALOG,
        "Shortcuts and classroom links",
        [
            table,
            html.H3("Links for your class"),
            html.P(
                [
                    html.B("Copy link"),
                    " gives an address with every setting (landscape and layout, budget, "
                    "seed, the Bayesian settings, the view, presenter mode and theme): "
                    "opening it replays the identical race.",
                ]
            ),
            html.P(
                [
                    "For a focused demo, hide controls by adding ",
                    html.Code("&budget_hide=1"),
                    " (or ",
                    html.Code("_hide=1"),
                    " after any of: ",
                    html.Span(hide_names, className="hide-names"),
                    "). Add ",
                    html.Code("&presenter=1"),
                    " for the projector, ",
                    html.Code("&theme=dark"),
                    " for a dark room.",
                ]
            ),
        ],
        "overlay-help",
    )


def predict_dialog() -> html.Div:
    """Before Run: which search reaches 95% of the optimum first? (the race summary's rule)."""

    def choice(name: str) -> html.Button:
        if name == "nobody":
            glyph, label, colour = "✕", "Nobody gets there", "var(--muted)"
        else:
            style = STRATEGY_STYLE[name]
            glyph, label, colour = style.glyph, style.label, style.colour
        return html.Button(
            [
                html.Span(glyph, className="choice-glyph", **{"aria-hidden": "true"}),
                html.Span(label),
            ],
            id=PREDICT_CHOICE[name],
            className="choice",
            style={"--accent": colour},
            n_clicks=0,
            **{"data-choice": name, "aria-pressed": "false"},
        )

    return _dialog(
        PREDICT_DIALOG,
        "Predict the winner",
        [
            html.P(
                [
                    html.B("Which search reaches 95% of the optimum first?"),
                    " The winner is the first whose best score so far reaches 95% of the "
                    "true optimum (the dotted line in the plot below), on the shared "
                    "GPU-minute clock — the rule the race summary uses.",
                ],
                className="definition",
                id="predict-definition",
            ),
            html.Div(
                className="choices",
                role="group",
                **{"aria-labelledby": "predict-definition"},
                children=[choice(name) for name in PREDICT_CHOICES],
            ),
            html.P(
                "Pick before ▷ Run search: the answer appears when the race ends.",
                className="predict-hint",
            ),
        ],
        "overlay-predict",
    )
