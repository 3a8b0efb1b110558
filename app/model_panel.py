"""The model's reasoning on screen: Bayesian views and settings, narration, scrubber, many seeds.

Layout pieces (called from ``app.layout``) and ``register_model_callbacks(app)`` (called from
``app.callbacks.register_callbacks``). The browser side lives in assets/bayes-model.js
(views), bayes-settings.js, narration.js, scrubber.js, side-tab.js and many.js (many-seeds
mode); the server side in ``app.model_data``. Server requests:

- ``compute_model``: the Bayesian model's frames for the loaded race, fetched once per race,
  only when a model view (mean, std, acquisition) is shown, so a Run stays ≤ 2 requests;
- ``compute_many``: one chunk of a many-seeds run (the browser asks for chunks one after
  another and shows its progress).
"""

from __future__ import annotations

import logging
import math
from typing import Any

import plotly.graph_objects as go
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from hpo_race.app import ids
from hpo_race.app.figures import GRAPH_CONFIG
from hpo_race.app.model_data import (
    BAYES_DEFAULTS,
    MAX_REPEATS,
    check_many_request,
    check_nonce,
    many_chunk,
    model_payload,
)
from hpo_race.app.theme import STRATEGY_STYLE
from hpo_race.strategies.bayes import BayesStrategy

#: The Bayesian options' table (strategies/bayes.py): ranges, steps and defaults of the panel.
OPTION = {o.name: o for o in BayesStrategy.OPTIONS}

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- ids (a contract with the JS)

BAYES_VIEW = "bayes-view"  # probes | mean | std | acquisition
MODEL_LAYER = "model-bayes"  # the model's heatmap, between the fog and the probes
MODEL_KEY = "model-key"  # what the model view shows, with its colour ramp
BAYES_SETTINGS = "bayes-settings"  # the collapsible settings panel (html.Details)
BAYES_ACQ = "bayes-acq"
BAYES_XI = "bayes-xi"
BAYES_KAPPA = "bayes-kappa"
BAYES_KERNEL = "bayes-kernel"
BAYES_LS_MODE = "bayes-ls-mode"  # fitted | fixed
BAYES_LS = "bayes-ls"  # slider over log10(length scale)
BAYES_LS_VALUE = "bayes-ls-value"
BAYES_INIT = "bayes-init"
BAYES_DEFAULTS_BUTTON = "bayes-defaults"
BAYES_STORE = ids.BAYES_STORE  # the checked-in-browser settings the next Run sends
MODEL_REQUEST = "model-request"
MODEL_STORE = "model-store"
NARRATION = {name: f"narration-{name}" for name in ids.PANEL_ORDER}
SCRUBBER = "scrubber"
SIDE_TAB = "side-tab"  # guide | many
MANY_CARD = "many-card"
MANY_N = "many-n"
MANY_VARY = "many-vary"
MANY_RUN = "many-run"
MANY_PROGRESS = "many-progress"
MANY_TABLE = "many-table"
MANY_PLOT = "many-plot"
MANY_REQUEST = "many-request"
MANY_CHUNK = "many-chunk"
MANY_SINK = "sink-many"
MODEL_SINK = {name: f"sink-model-{name}" for name in ("view", "data", "side", "chunk")}

VIEWS = (
    ("probes", "Probes", "The probes on the landscape (hidden until revealed)"),
    ("mean", "Mean", "GP mean μ(θ): the score the model expects at each θ"),
    ("std", "Std", "GP standard deviation σ(θ): how unsure the model is"),
    ("acquisition", "EI", "The acquisition function: the model probes where it is highest"),
)
#: The slider's ends, as log10 of the length scale (0.03 … 1 of the unit square).
LS_SLIDER = (
    round(math.log10(OPTION["length_scale"].low), 3),
    round(math.log10(OPTION["length_scale"].high), 3),
)
LS_MARKS = {round(math.log10(v), 3): f"{v:g}" for v in (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)}
LS_DEFAULT = round(math.log10(0.2), 3)


# ---------------------------------------------------------------- layout pieces


def _segmented(component_id: str, options: list[tuple[Any, str, str]], value: Any) -> Any:
    return dcc.RadioItems(
        id=component_id,
        options=[{"label": html.Span(label, title=tip), "value": v} for v, label, tip in options],
        value=value,
        inline=True,
        className="segmented segmented-small",
    )


def view_switcher() -> html.Div:
    """What the Bayesian panel shows: its probes, or what its model believes right now."""
    return html.Div(
        className="view-switch",
        title="What the Bayesian panel shows at the current moment of the race",
        children=_segmented(BAYES_VIEW, list(VIEWS), "probes"),
    )


def _row(label: str, html_for: str | None, control: Any, **extra: Any) -> html.Div:
    head = (
        html.Label(label, htmlFor=html_for, className="bs-label")
        if html_for
        else html.Span(label, className="bs-label")
    )
    return html.Div(className="bs-row", children=[head, control], **extra)


def settings_panel() -> html.Details:
    """Acquisition (+ ξ or κ), kernel, length scale and initial trials, folded behind ⚙."""
    initial = OPTION["n_initial"]

    number = {"type": "number", "debounce": True, "className": "num-input bs-num"}
    return html.Details(
        id=BAYES_SETTINGS,
        className="bayes-settings",
        children=[
            html.Summary(
                html.Span("⚙", className="gear"),
                title="Bayesian settings: acquisition, kernel, length scale, initial trials",
                **{"aria-label": "Bayesian settings"},
            ),
            html.Div(
                className="bs-pop",
                children=[
                    html.Div("Bayesian optimisation settings", className="bs-title"),
                    _row(
                        "Acquisition",
                        None,
                        _segmented(
                            BAYES_ACQ,
                            [
                                ("ei", "EI", "Expected improvement over the best so far"),
                                ("pi", "PI", "Probability of improving on the best so far"),
                                ("ucb", "UCB", "Upper confidence bound: mean + κ · std"),
                            ],
                            BAYES_DEFAULTS["acquisition"],
                        ),
                    ),
                    _row(
                        "ξ margin",
                        BAYES_XI,
                        html.Div(
                            className="bs-inline",
                            children=[
                                dcc.Input(
                                    id=BAYES_XI,
                                    value=BAYES_DEFAULTS["xi"],
                                    min=OPTION["xi"].low,
                                    max=OPTION["xi"].high,
                                    step="any",
                                    **number,
                                ),
                                html.Span(
                                    f"{OPTION['xi'].span()} · higher explores more",
                                    className="bs-hint",
                                ),
                            ],
                        ),
                        id="bs-row-xi",
                        title="EI/PI only count improvements beyond the best by ξ "
                        "(in units of the scores' spread): higher ξ explores more",
                    ),
                    _row(
                        "κ weight",
                        BAYES_KAPPA,
                        html.Div(
                            className="bs-inline",
                            children=[
                                dcc.Input(
                                    id=BAYES_KAPPA,
                                    value=BAYES_DEFAULTS["kappa"],
                                    min=OPTION["kappa"].low,
                                    max=OPTION["kappa"].high,
                                    step="any",
                                    **number,
                                ),
                                html.Span(
                                    f"{OPTION['kappa'].span()} · higher explores more",
                                    className="bs-hint",
                                ),
                            ],
                        ),
                        id="bs-row-kappa",
                        title="UCB = mean + κ · std: higher κ favours uncertain places",
                    ),
                    _row(
                        "Kernel",
                        None,
                        _segmented(
                            BAYES_KERNEL,
                            [
                                ("matern52", "Matérn 5/2", "Rougher functions (the default)"),
                                ("rbf", "RBF", "Very smooth functions"),
                            ],
                            BAYES_DEFAULTS["kernel"],
                        ),
                    ),
                    _row(
                        "Length scale",
                        None,
                        _segmented(
                            BAYES_LS_MODE,
                            [
                                ("fitted", "Fitted", "Learned from the data at every step"),
                                ("fixed", "Fixed", "Set by hand with the slider"),
                            ],
                            "fitted",
                        ),
                    ),
                    html.Div(
                        className="bs-slider",
                        id="bs-row-ls",
                        title="How far apart two settings can be and still score alike "
                        "(a fraction of each axis)",
                        children=[
                            dcc.Slider(
                                id=BAYES_LS,
                                min=LS_SLIDER[0],
                                max=LS_SLIDER[1],
                                step=0.001,
                                value=LS_DEFAULT,
                                marks=LS_MARKS,
                                updatemode="mouseup",
                                allow_direct_input=False,  # it would show log10(ℓ)
                                className="ls-slider",
                                disabled=True,  # until "Fixed" is chosen
                            ),
                            html.Span("ℓ = 0.2", id=BAYES_LS_VALUE, className="bs-value"),
                        ],
                    ),
                    _row(
                        "Initial random",
                        BAYES_INIT,
                        html.Div(
                            className="bs-inline",
                            children=[
                                dcc.Input(
                                    id=BAYES_INIT,
                                    value=BAYES_DEFAULTS["n_initial"],
                                    min=initial.low,
                                    max=initial.high,
                                    step=1,
                                    **number,
                                ),
                                html.Span(
                                    f"trials before the model ({initial.span()})",
                                    className="bs-hint",
                                ),
                            ],
                        ),
                    ),
                    html.Div(
                        className="bs-foot",
                        children=[
                            html.Span(
                                "Changes only the Bayesian race. Press ▷ Run search.",
                                className="bs-hint",
                            ),
                            html.Button(
                                "Defaults",
                                id=BAYES_DEFAULTS_BUTTON,
                                className="btn btn-small",
                                n_clicks=0,
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def bayes_head_controls() -> list[Any]:
    """The Bayesian panel's head extras: the model view's legend (shown instead of the title
    while a model view is on), the view switcher and the settings."""
    return [model_key(), view_switcher(), settings_panel()]


def model_figure(probes: go.Figure) -> go.Figure:
    """The model layer: an (empty) heatmap and the next-probe marker, on the probes' axes."""
    fig = go.Figure(layout=probes.layout)
    fig.add_trace(
        go.Heatmap(
            uid="model",
            x=[],
            y=[],
            z=[],
            showscale=False,
            zsmooth="best",
            hoverinfo="skip",
        )
    )
    for uid, size, colour, width in (("next-rim", 30, "#111827", 6), ("next", 30, "#ffffff", 3)):
        fig.add_trace(
            go.Scatter(
                uid=uid,
                x=[],
                y=[],
                mode="markers",
                marker={
                    "symbol": "circle-cross-open",
                    "size": size,
                    "color": colour,
                    "line": {"width": width, "color": colour},
                },
                cliponaxis=False,
                hoverinfo="skip",
            )
        )
    return fig


def model_layer(probes: go.Figure) -> list[Any]:
    """The model heatmap layer and its hint, stacked over the fog and under the probes."""
    return [
        dcc.Graph(
            id=MODEL_LAYER,
            figure=model_figure(probes),
            config=GRAPH_CONFIG,
            className="layer layer-model",
            responsive=True,
        ),
        html.Div(
            className="model-hint",
            children=html.Span(
                ["The model's view appears here", html.Br(), "press ▷ Run search or Step"]
            ),
        ),
    ]


def narration_line(name: str) -> html.P:
    """One line under a panel: what the strategy just did and why (filled by narration.js)."""
    return html.P(id=NARRATION[name], className="narration", **{"aria-live": "off"})


def model_key() -> html.Div:
    """What the Bayesian model view shows: its name, colour ramp and range (bayes-model.js)."""
    return html.Div(
        id=MODEL_KEY,
        className="model-key",
        children=[
            html.Span(className="mk-label"),
            html.Span(className="mk-lo"),
            html.Span(className="mk-ramp"),
            html.Span(className="mk-hi"),
            html.Span(
                [html.Span("⊕", className="mk-next-glyph"), " next"],
                className="mk-next",
            ),
        ],
    )


def scrubber() -> html.Div:
    """A timeline over the best-score plot's minute axis: drag to any GPU minute."""
    return html.Div(
        id=SCRUBBER,
        className="scrubber",
        role="slider",
        tabIndex="0",
        title="Drag to any GPU minute of the race (← → step through trials)",
        **{
            "aria-label": "Race clock in GPU minutes",
            "aria-valuemin": "0",
            "aria-valuenow": "0",
            "aria-disabled": "true",
        },
        children=[
            html.Div(className="scrub-track"),
            html.Div(className="scrub-fill"),
            html.Div(className="scrub-thumb"),
        ],
    )


def many_plot() -> dcc.Graph:
    """The many-seeds plot (median and interquartile band per strategy), over the best plot."""
    from hpo_race.app.figures_many import many_figure

    return dcc.Graph(
        id=MANY_PLOT,
        figure=many_figure(),
        config=GRAPH_CONFIG,
        className="many-graph",
        responsive=True,
    )


def side_tabs() -> html.Div:
    return html.Div(
        className="side-tabs",
        children=_segmented(
            SIDE_TAB,
            [
                ("guide", "Guide", "How to read the race"),
                ("many", "Many seeds", "Repeat the race over many seeds: medians and bands"),
            ],
            "guide",
        ),
    )


def many_card() -> html.Div:
    """Repeat × N seeds: controls, progress and the table of reach times."""
    return html.Div(
        id=MANY_CARD,
        className="many-card",
        children=[
            html.Div("Many seeds", className="many-title"),
            html.Div(
                className="many-controls",
                children=[
                    html.Label("Repeat ×", htmlFor=MANY_N, className="control-label"),
                    dcc.Input(
                        id=MANY_N,
                        type="number",
                        value=30,
                        min=1,
                        max=MAX_REPEATS,
                        step=1,
                        debounce=False,
                        className="num-input many-n",
                    ),
                    html.Span("seeds", className="control-label"),
                    dcc.Checklist(
                        id=MANY_VARY,
                        options=[
                            {
                                "label": html.Span(
                                    "vary layout",
                                    title="Off: every race on the same hidden layout, only the "
                                    "strategies' seeds change. On: a new layout per race too.",
                                ),
                                "value": "on",
                            }
                        ],
                        value=[],
                        className="many-vary",
                    ),
                    html.Button(
                        [html.Span("▷", className="glyph"), html.Span("Run", className="mr")],
                        id=MANY_RUN,
                        className="btn btn-small btn-primary many-run",
                        n_clicks=0,
                        title="Race every strategy once per seed (seed, seed+1, …) with the "
                        "current settings",
                    ),
                ],
            ),
            html.Div(
                id=MANY_PROGRESS,
                className="many-progress",
                children=[
                    html.Div(className="mp-bar", children=html.Div(className="mp-fill")),
                    html.Span(
                        "Same landscape, a new seed per race: luck averages out.",
                        className="mp-text",
                    ),
                ],
            ),
            html.Div(id=MANY_TABLE, className="many-table"),
        ],
    )


def side_column(help_card: Any) -> html.Div:
    """The bottom-right card: the guide, or the many-seeds controls and table."""
    return html.Div(className="side", children=[side_tabs(), help_card, many_card()])


def stores() -> list[Any]:
    """The stores and effect sinks this feature adds to the page."""
    return [
        dcc.Store(id=BAYES_STORE, data=dict(BAYES_DEFAULTS)),
        dcc.Store(id=MODEL_REQUEST),
        dcc.Store(id=MODEL_STORE),
        dcc.Store(id=MANY_REQUEST),
        dcc.Store(id=MANY_CHUNK),
        dcc.Store(id=MANY_SINK),
        *[dcc.Store(id=sink) for sink in MODEL_SINK.values()],
    ]


# ---------------------------------------------------------------- callbacks


def _message(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:]


def register_model_callbacks(app: Dash) -> None:
    """Register this feature's server and clientside callbacks on ``app``."""
    from hpo_race.app.race_request import check_request, request_states

    @app.callback(
        Output(MODEL_STORE, "data"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(MODEL_REQUEST, "data"),
        prevent_initial_call=True,
    )
    def compute_model(request):
        """The Bayesian model's frames for the loaded race (one request, only when shown)."""
        nonce = check_nonce(request.get("nonce")) if isinstance(request, dict) else None
        try:
            settings = check_request(request, "model")
            model = model_payload(settings)
        except ValueError as exc:
            message = _message(exc)
            return {"ok": False, "error": message, "nonce": nonce}, message
        except Exception:
            log.exception("model internals failed")
            message = "The model's view could not be computed for this race."
            return {"ok": False, "error": message, "nonce": nonce}, message
        key = {
            "landscape": settings["landscape"],
            "landscape_seed": settings["landscape_seed"],
            "budget": settings["budget"],
            "seed": settings["seed"],
            "bayes": settings["options"].get("bayes"),
            "peaks": settings["peaks"],
            "racers": settings["strategies"],
            "options": settings["options"],
        }
        return {"ok": True, "key": key, "model": model, "nonce": nonce}, no_update

    @app.callback(
        Output(MANY_CHUNK, "data"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(MANY_REQUEST, "data"),
        prevent_initial_call=True,
    )
    def compute_many(request):
        """One chunk of a many-seeds run: a few races, each reduced to a summary row."""
        nonce = check_nonce(request.get("nonce")) if isinstance(request, dict) else None
        try:
            settings = check_many_request(request)
            chunk = many_chunk(settings)
        except ValueError as exc:
            message = _message(exc)
            return {"ok": False, "error": message, "nonce": nonce}, message
        except Exception:
            log.exception("many-seeds chunk failed")
            message = "These races could not be computed; try other settings."
            return {"ok": False, "error": message, "nonce": nonce}, message
        return {"ok": True, "nonce": nonce, **chunk}, no_update

    def clientside(namespace: str, name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace=namespace, function_name=name)

    app.clientside_callback(
        clientside("hpoModel", "bayesSettings"),
        Output(BAYES_STORE, "data"),
        Output(BAYES_LS_VALUE, "children"),
        Output(BAYES_VIEW, "options"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(BAYES_ACQ, "value"),
        Input(BAYES_XI, "value"),
        Input(BAYES_KAPPA, "value"),
        Input(BAYES_KERNEL, "value"),
        Input(BAYES_LS_MODE, "value"),
        Input(BAYES_LS, "value"),
        Input(BAYES_INIT, "value"),
        State(BAYES_VIEW, "options"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoModel", "defaults"),
        Output(BAYES_ACQ, "value"),
        Output(BAYES_XI, "value"),
        Output(BAYES_KAPPA, "value"),
        Output(BAYES_KERNEL, "value"),
        Output(BAYES_LS_MODE, "value"),
        Output(BAYES_LS, "value"),
        Output(BAYES_INIT, "value"),
        Input(BAYES_DEFAULTS_BUTTON, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoModel", "lengthScaleDisabled"),
        Output(BAYES_LS, "disabled"),
        Input(BAYES_LS_MODE, "value"),
    )
    app.clientside_callback(
        clientside("hpoModel", "view"),
        Output(MODEL_SINK["view"], "data"),
        Input(BAYES_VIEW, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoModel", "model"),
        Output(MODEL_SINK["data"], "data"),
        Input(MODEL_STORE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoModel", "side"),
        Output(MODEL_SINK["side"], "data"),
        Input(SIDE_TAB, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoMany", "start"),
        Output(MANY_REQUEST, "data"),
        Input(MANY_RUN, "n_clicks"),
        State(MANY_N, "value"),
        State(MANY_VARY, "value"),
        *request_states(),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoMany", "chunk"),
        Output(MODEL_SINK["chunk"], "data"),
        Input(MANY_CHUNK, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("hpoMany", "count"),
        Output(MANY_SINK, "data"),
        Input(MANY_N, "value"),
        prevent_initial_call=True,
    )


def strategy_colours() -> dict[str, str]:
    return {name: STRATEGY_STYLE[name].colour for name in ids.STRATEGY_ORDER}
