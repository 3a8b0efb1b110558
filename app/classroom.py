"""The classroom tools on the page: the toolbar, the link configuration and the page extras.

The tools are full-state links, hidden controls, presenter mode, predict-the-winner, exports,
light/dark themes and the accessibility fixes that go with them. This module holds their
layout pieces (called from ``app.layout``): the toolbar, the link
configuration the browser reads, the notices, the live region; the dialogs are in
``app.dialogs`` and the callbacks in ``app.classroom_callbacks``. The browser side is
assets/link.js, keys.js, plot-style.js, predict.js and live.js (links, keyboard shortcuts,
presenter/theme styling of the plots, predictions, the live summary) and their CSS.

Page-address parameters (all optional; anything missing, malformed or out of range falls back
to its default and a notice on the page says which and why):

    landscape, layout, budget, seed          the race (layout = the landscape seed)
    acq, xi, kappa, kernel, ls, init         Bayesian settings (ls: a number or "fitted")
    view, speed, tab                         what the page shows (Bayesian view, speed, side tab)
    presenter=1, theme=light|dark            presenter mode; theme (default: the system's)
    <control>_hide=1                         hides a control (names in HIDEABLE)
"""

from __future__ import annotations

import json
from typing import Any

from dash import dcc, html

from hpo_race.app import ids
from hpo_race.app.bayes_panel import VIEWS
from hpo_race.app.controls import SPEEDS
from hpo_race.app.dialogs import predict_dialog, shortcuts_dialog
from hpo_race.app.theme import GRIDLINE, INK, MUTED, STRATEGY_STYLE
from hpo_race.strategies.settings import table_spec

# ---------------------------------------------------------------- ids (a contract with the JS)

CONFIG = "classroom-config"  # hidden element: data-config holds the limits and names (JSON)
TOOLS = "classroom-tools"
PREDICT_BUTTON = "predict-button"
COPY_LINK = "copy-link"
SHARE_FALLBACK = "share-fallback"  # shown when the clipboard refuses: the link, selected
SHARE_INPUT = "share-input"
EXPORT_MENU = "export-menu"
EXPORT_CSV = "export-csv"
EXPORT_JSON = "export-json"
EXPORT_HTML = "export-html"
EXPORT_STATUS = "export-status"
EXPORT_DOWNLOAD = "export-download"
PRESENTER_TOGGLE = "presenter-toggle"
THEME_TOGGLE = "theme-toggle"
SHORTCUTS_BUTTON = "shortcuts-button"
PREDICT_RESULT = "predict-result"
LINK_NOTICE = "link-notice"
LIVE = "race-live"  # the polite live region: the race summary at milestones
SINK = {name: f"sink-classroom-{name}" for name in ("link", "url")}

#: Controls a link can hide with ``<name>_hide=1``: CSS selector of what disappears, and what
#: the help calls it. Keyboard shortcuts of a hidden control are switched off too.
HIDEABLE: dict[str, tuple[str, str]] = {
    "landscape": (".control-landscape", "the landscape menu (and keys 1–9)"),
    "layout": ("#dice-button", "the New landscape button"),
    "budget": (".control:has(#budget-input)", "the budget"),
    "seed": (".control:has(#seed-input)", "the seed"),
    "speed": (".control:has(#speed-select)", "the speed"),
    "reveal": ("#reveal-toggle", "the Reveal landscape switch"),
    "model": ("#bayes-settings", "the Bayesian settings (⚙ Model)"),
    "view": (".view-switch", "the Bayesian view switcher"),
    "narration": (".narration", "the line under each panel"),
    "guide": (".side", "the guide and many-seeds card"),
    "many": (".side-tabs", "the many-seeds tab"),
    "racers": ("#racer-menu", "the racer picker"),
    "predict": ("#predict-button", "Predict"),
    "share": ("#copy-link", "Copy link"),
    "export": ("#export-menu", "Export"),
    "presenter": ("#presenter-toggle", "the Presenter switch (and key P)"),
    "theme": ("#theme-toggle", "the Dark switch (and key T)"),
}

#: Plot colours per theme: the light ones are app.theme's (what app.figures draws with); the
#: dark ones replace them in the browser (assets/plot-style.js), matching assets/theme.css.
DARK_PLOT = {"ink": "#e8ecf3", "muted": "#aab4c4", "grid": "#2f3948", "plot_bg": "#161c26"}


# ---------------------------------------------------------------- configuration for the JS


def link_config(landscapes: list[str], titles: dict[str, str]) -> dict[str, Any]:
    """Everything assets/link.js needs to read and write links: names, defaults, limits."""
    return {
        # the settings table: race settings, every racer with its options (assets/_codec.js)
        "table": table_spec(),
        "landscapes": list(landscapes),
        "titles": dict(titles),
        "defaults": {"view": "probes", "speed": 1, "tab": "guide"},
        "views": [v[0] for v in VIEWS],
        "speeds": list(SPEEDS),
        "tabs": ["guide", "many"],
        "hideable": {name: sel for name, (sel, _) in HIDEABLE.items()},
        "order": list(ids.STRATEGY_ORDER),
        "panels": list(ids.PANEL_ORDER),
        "strategies": {
            name: {
                "label": style.label,
                "short": style.short,
                "glyph": style.glyph,
                "colour": style.colour,
            }
            for name, style in STRATEGY_STYLE.items()
        },
        "plot": {
            "light": {"ink": INK, "muted": MUTED, "grid": GRIDLINE, "plot_bg": "#ffffff"},
            "dark": DARK_PLOT,
        },
    }


# ---------------------------------------------------------------- layout pieces


def _button(text: Any, component_id: str, title: str, **extra: Any) -> html.Button:
    return html.Button(
        text, id=component_id, className="btn btn-small tool", title=title, n_clicks=0, **extra
    )


def toolbar() -> html.Div:
    """Predict, Copy link, Export, Presenter, Dark and ? — one compact row in the info bar."""
    export_items = [
        (EXPORT_CSV, "Trials as CSV", "One row per trial: strategy, minute, cost, θ, score"),
        (EXPORT_JSON, "Race as JSON", "The whole trace; its settings replay the race"),
        (
            EXPORT_HTML,
            "Replay for slides (HTML)",
            "An animation of this race that opens offline, with no server",
        ),
    ]
    return html.Div(
        id=TOOLS,
        className="classroom-tools",
        role="toolbar",
        **{"aria-label": "Classroom tools"},
        children=[
            _button(
                [
                    html.Span(className="tool-icon icon-flag", **{"aria-hidden": "true"}),
                    html.Span("Predict", className="tool-label"),
                ],
                PREDICT_BUTTON,
                "Predict the winner before the race",
                **{"aria-haspopup": "dialog"},
            ),
            html.Div(
                className="share",
                children=[
                    _button(
                        [
                            html.Span(className="tool-icon icon-link", **{"aria-hidden": "true"}),
                            html.Span("Copy link", className="tool-label"),
                        ],
                        COPY_LINK,
                        "Copy a link to this exact race and view",
                    ),
                    html.Div(
                        id=SHARE_FALLBACK,
                        className="share-fallback",
                        hidden=True,
                        children=[
                            html.Label("Link to this race", htmlFor=SHARE_INPUT),
                            dcc.Input(
                                id=SHARE_INPUT,
                                type="text",
                                readOnly=True,
                                value="",
                                className="share-input",
                            ),
                            html.Span(
                                "Press Ctrl+C (⌘C) to copy.",
                                className="share-hint",
                            ),
                        ],
                    ),
                ],
            ),
            html.Details(
                id=EXPORT_MENU,
                className="tool-menu",
                children=[
                    html.Summary(
                        [
                            html.Span(
                                className="tool-icon icon-download", **{"aria-hidden": "true"}
                            ),
                            html.Span("Export", className="tool-label"),
                        ],
                        className="btn btn-small tool",
                        title="Download this race: trials, trace, or a replay for slides",
                    ),
                    html.Div(
                        className="menu-pop",
                        children=[
                            *[
                                html.Button(
                                    label,
                                    id=item,
                                    className="menu-item",
                                    title=tip,
                                    n_clicks=0,
                                )
                                for item, label, tip in export_items
                            ],
                            html.P(
                                "PNG: point at a plot and press the camera in its corner.",
                                className="menu-note",
                            ),
                            html.P(
                                id=EXPORT_STATUS,
                                className="menu-note export-status",
                                role="status",
                            ),
                        ],
                    ),
                ],
            ),
            _button(
                "Presenter",
                PRESENTER_TOGGLE,
                "Presenter mode: large type and thick markers for projectors (P)",
                **{"aria-pressed": "false"},
            ),
            _button(
                [
                    html.Span("◐", className="tool-icon", **{"aria-hidden": "true"}),
                    html.Span("Dark", className="tool-text"),
                ],
                THEME_TOGGLE,
                "Dark theme (T)",
                **{"aria-pressed": "false"},
            ),
            _button(
                "?",
                SHORTCUTS_BUTTON,
                "Keyboard shortcuts and classroom links (?)",
                **{
                    "aria-haspopup": "dialog",
                    "aria-label": "Keyboard shortcuts and classroom links",
                },
            ),
        ],
    )


def page_extras(landscapes: list[str], titles: dict[str, str]) -> list[Any]:
    """Everything else: dialogs, the link notice, the result banner, the live region, stores."""
    config = link_config(landscapes, titles)
    return [
        html.Div(id=CONFIG, hidden=True, **{"data-config": json.dumps(config)}),
        html.Div(
            id=LINK_NOTICE,
            className="link-notice",
            role="status",
            hidden=True,
            children=[
                html.Div(className="notice-body"),
                html.Button(
                    "×",
                    className="notice-close",
                    title="Dismiss",
                    **{"aria-label": "Dismiss this notice"},
                ),
            ],
        ),
        html.Div(
            id=PREDICT_RESULT,
            className="predict-result",
            hidden=True,
            children=[
                html.Span(className="result-mark", **{"aria-hidden": "true"}),
                html.Div(className="result-text"),
                html.Button(
                    "×",
                    className="result-close",
                    title="Dismiss",
                    **{"aria-label": "Dismiss the prediction result"},
                ),
            ],
        ),
        shortcuts_dialog(landscapes, titles, list(HIDEABLE)),
        predict_dialog(),
        html.Div(
            id=LIVE,
            className="visually-hidden",
            role="status",
            **{"aria-live": "polite", "aria-atomic": "true"},
        ),
        dcc.Download(id=EXPORT_DOWNLOAD),
        *[dcc.Store(id=sink) for sink in SINK.values()],
    ]
