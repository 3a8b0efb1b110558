"""Classroom tools: full-state links, hidden controls, presenter mode, predict-the-winner,
exports, light/dark themes and the accessibility fixes that go with them.

Layout pieces (called from ``app.layout``) and ``register_classroom_callbacks(app)`` (called
from ``app.callbacks.register_callbacks``). The browser side is assets/link.js (links),
keys.js, theme.js and plot-style.js (presenter/theme styling of the plots), predict.js, live.js
(the live summary), dialogs.js and toolbar.js, styled by toolbar.css, dialogs.css, notices.css,
theme.css and presenter.css. One server callback: ``export`` (CSV, JSON or the HTML replay, rebuilt
from the race's settings by ``app.export``).

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
import logging
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, ctx, dcc, html, no_update

from hpo_race.app import ids

log = logging.getLogger(__name__)

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
SHORTCUTS_DIALOG = "shortcuts-dialog"
PREDICT_DIALOG = "predict-dialog"
#: Only the choices of the racers that race show (assets/racers.js).
PREDICT_CHOICES = (*ids.PANEL_ORDER, "nobody")
PREDICT_CHOICE = {name: f"predict-{name}" for name in PREDICT_CHOICES}
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
    """Everything assets/link.js and the classroom tools need: names, defaults, limits."""
    from hpo_race.app.layout import SPEEDS
    from hpo_race.app.model_panel import VIEWS
    from hpo_race.app.theme import GRIDLINE, INK, MUTED, STRATEGY_STYLE
    from hpo_race.strategies.settings import table_spec

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


def shortcuts_dialog(landscapes: list[str], titles: dict[str, str]) -> html.Div:
    """The help overlay opened with ?: every shortcut, and how to share a focused link."""
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
    hide_names = ", ".join(HIDEABLE)
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
    from hpo_race.app.theme import STRATEGY_STYLE

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
        shortcuts_dialog(landscapes, titles),
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


# ---------------------------------------------------------------- server: exports


def link_query(settings: dict[str, Any]) -> str:
    """The page-address query of checked race settings (``strategies.settings.to_query``)."""
    from urllib.parse import urlencode

    from hpo_race.strategies.settings import to_query

    return urlencode(to_query(settings), safe=",;")


def mid_sentence(message: str) -> str:
    """A sentence continued after a colon: its first letter lowered, unless it starts with a
    name ("TPE's startup …", "Hyperband's η …", "Bayesian optimisation has no option …")."""
    from hpo_race.strategies.registry import RACERS

    first = message.split(" ", 1)[0]
    names = [r.title for r in RACERS.values()] + [r.short for r in RACERS.values()]
    if any(c.isupper() for c in first[1:]) or any(message.startswith(n) for n in names):
        return message
    return message[:1].lower() + message[1:]


def export_race(kind: str, request: dict[str, Any], host_url: str | None = None) -> dict:
    """The dcc.Download payload of one export of the race a request asks for.

    ``request`` is what the page sends to race (``app.race_request``); it is checked here
    exactly as the race request is, and the export is rebuilt from the checked settings.
    """
    from hpo_race.app.callbacks import cached_landscape_view
    from hpo_race.app.export import export_name, replay_html, trace_json, trials_csv
    from hpo_race.app.model_data import race_entry
    from hpo_race.app.race_request import check_request

    settings = check_request(request, "export")
    entry = race_entry(settings)
    trace, view = entry["trace"], entry["view"]
    if kind == "csv":
        return dcc.send_string(trials_csv(trace), export_name(settings, "csv"), type="text/csv")
    if kind == "json":
        return dcc.send_string(
            trace_json(trace), export_name(settings, "json"), type="application/json"
        )
    scape = cached_landscape_view(
        settings["landscape"], settings["landscape_seed"], settings["peaks"]
    )
    link = f"{host_url.rstrip('/')}/?{link_query(settings)}" if host_url else None
    page = replay_html(trace, view, scape, list(view["order"]), link)
    return dcc.send_string(page, export_name(settings, "html"), type="text/html")


# ---------------------------------------------------------------- registration


def register_classroom_callbacks(app: Dash) -> None:
    """The export callback (server) and the link callbacks (clientside), on ``app``."""
    from hpo_race.app.model_panel import BAYES_STORE, BAYES_VIEW, SIDE_TAB
    from hpo_race.app.race_request import request_from, request_states

    # axe / screen readers: the page's language
    if "<html>" in app.index_string:
        app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)

    exports = {EXPORT_CSV: "csv", EXPORT_JSON: "json", EXPORT_HTML: "html"}

    @app.callback(
        Output(EXPORT_DOWNLOAD, "data"),
        Output(EXPORT_STATUS, "children"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(EXPORT_CSV, "n_clicks"),
        Input(EXPORT_JSON, "n_clicks"),
        Input(EXPORT_HTML, "n_clicks"),
        *request_states(),
        prevent_initial_call=True,
    )
    def export(_csv, _json, _html, *values):
        """One export of the race the current settings give (the one on screen, if raced)."""
        from flask import request as http

        kind = exports.get(ctx.triggered_id)
        if kind is None:
            return no_update, no_update, no_update
        race = request_from(values)
        try:
            payload = export_race(kind, race, http.host_url)
        except ValueError as exc:
            message = "Export failed: " + mid_sentence(str(exc))
            return no_update, message, message
        except Exception:
            log.exception("export failed")
            message = "The export could not be made with these settings."
            return no_update, message, message
        return payload, f"Saved {payload['filename']}", no_update

    def clientside(name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace="hpoClassroom", function_name=name)

    # A link's view settings (Bayesian settings, view, speed, tab, presenter, theme, hidden
    # controls) and the notice; the race settings themselves are set by race-player.js from the same
    # parse (settingsFromLinkOrDice). Runs on page load: no request.
    app.clientside_callback(
        clientside("fromLink"),
        Output(SINK["link"], "data"),
        Input(ids.URL, "search"),
    )
    # The address bar follows the view settings too (race-player.js writes the race settings).
    app.clientside_callback(
        clientside("toLink"),
        Output(SINK["url"], "data"),
        Input(BAYES_STORE, "data"),
        Input(BAYES_VIEW, "value"),
        Input(ids.SPEED_SELECT, "value"),
        Input(SIDE_TAB, "value"),
        prevent_initial_call=True,
    )
