"""The Bayesian panel's extras: its view switcher, settings, model layer and model key.

Layout pieces only (called from ``app.layout``): the panel head's legend of the model view,
the switcher between probes and what the model believes (GP mean, std, acquisition), the
settings folded behind ⚙ and the model heatmap layer. The browser side is
assets/bayes-model.js and assets/bayes-settings.js; the callbacks are
``app.model_callbacks``, the frames come from ``app.model_data``.
"""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
from dash import dcc, html

from hpo_race.app import ids
from hpo_race.app.controls import segmented
from hpo_race.app.figures import GRAPH_CONFIG
from hpo_race.app.model_data import BAYES_DEFAULTS
from hpo_race.strategies.bayes import BayesStrategy

#: The Bayesian options' table (strategies/bayes.py): ranges, steps and defaults of the panel.
OPTION = {o.name: o for o in BayesStrategy.OPTIONS}

# ---------------------------------------------------------------- ids (a contract with the JS)

BAYES_VIEW = "bayes-view"  # probes | mean | std | acquisition
MODEL_LAYER = "model-bayes"  # the model's heatmap, between the fog and the probes
MODEL_KEY = "model-key"  # what the model view shows, with its colour ramp
MODEL_NOTE = "model-note"  # the acquisition view's "nothing left to gain anywhere" state
BAYES_SETTINGS = "bayes-settings"  # the collapsible settings panel (html.Details)
BAYES_ACQ = "bayes-acq"
BAYES_XI = "bayes-xi"
BAYES_KAPPA = "bayes-kappa"
BAYES_KERNEL = "bayes-kernel"
BAYES_LS_MODE = "bayes-ls-mode"  # fitted | fixed
BAYES_LS = "bayes-ls"  # slider over log10(length scale)
BAYES_LS_VALUE = "bayes-ls-value"
BAYES_INIT = "bayes-init"
BAYES_EDGES = "bayes-edges"  # on | off: the GP's edge prior
BAYES_DEFAULTS_BUTTON = "bayes-defaults"
BAYES_STORE = ids.BAYES_STORE  # the checked-in-browser settings the next Run sends
MODEL_REQUEST = "model-request"
MODEL_STORE = "model-store"
MODEL_SINK = {name: f"sink-model-{name}" for name in ("view", "data")}

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


def view_switcher() -> html.Div:
    """What the Bayesian panel shows: its probes, or what its model believes right now."""
    return html.Div(
        className="view-switch",
        title="What the Bayesian panel shows at the current moment of the race",
        children=segmented(BAYES_VIEW, list(VIEWS), "probes"),
    )


def _row(label: str, html_for: str | None, control: Any, **extra: Any) -> html.Div:
    head = (
        html.Label(label, htmlFor=html_for, className="bs-label")
        if html_for
        else html.Span(label, className="bs-label")
    )
    return html.Div(className="bs-row", children=[head, control], **extra)


#: A number box of the settings panel (its id, value and bounds are added per option).
_NUMBER = {"type": "number", "debounce": True, "className": "num-input bs-num"}


def _explore_row(label: str, control_id: str, option: str, title: str) -> html.Div:
    """A number row for an acquisition's exploration knob (ξ or κ): its box, its range."""
    setting = OPTION[option]
    return _row(
        label,
        control_id,
        html.Div(
            className="bs-inline",
            children=[
                dcc.Input(
                    id=control_id,
                    value=BAYES_DEFAULTS[option],
                    min=setting.low,
                    max=setting.high,
                    step="any",
                    **_NUMBER,
                ),
                html.Span(f"{setting.span()} · higher explores more", className="bs-hint"),
            ],
        ),
        id=f"bs-row-{option}",
        title=title,
    )


def settings_panel() -> html.Details:
    """Acquisition (+ ξ or κ), kernel, length scale, the edge prior and initial trials,
    folded behind ⚙."""
    initial = OPTION["n_initial"]

    number = _NUMBER
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
                        segmented(
                            BAYES_ACQ,
                            [
                                ("ei", "EI", "Expected improvement over the best so far"),
                                ("pi", "PI", "Probability of improving on the best so far"),
                                ("ucb", "UCB", "Upper confidence bound: mean + κ · std"),
                            ],
                            BAYES_DEFAULTS["acquisition"],
                        ),
                    ),
                    _explore_row(
                        "ξ margin",
                        BAYES_XI,
                        "xi",
                        "EI/PI only count improvements beyond the best by ξ "
                        "(in units of the scores' spread, shrinking as the model grows sure): "
                        "higher ξ explores more",
                    ),
                    _explore_row(
                        "κ weight",
                        BAYES_KAPPA,
                        "kappa",
                        "UCB = mean + κ · std: higher κ favours uncertain places",
                    ),
                    _row(
                        "Kernel",
                        None,
                        segmented(
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
                        segmented(
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
                        "Edges",
                        None,
                        segmented(
                            BAYES_EDGES,
                            [
                                (
                                    "on",
                                    "Unlikely",
                                    "The model's prior: the best setting is rarely on the edge "
                                    "of a knob's range (strategies/edge_prior.py)",
                                ),
                                (
                                    "off",
                                    "Plain GP",
                                    "No such prior: a plain GP is most unsure on the edges, "
                                    "so it probes edges and corners often",
                                ),
                            ],
                            "on" if BAYES_DEFAULTS["edge_prior"] else "off",
                        ),
                        title=OPTION["edge_prior"].help,
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
        # the acquisition view when the model expects nothing worth a trial anywhere
        # ("nothing left to gain anywhere: EI is below … everywhere"; bayes-model.js)
        html.Div(className="model-note", children=html.Span(id=MODEL_NOTE)),
    ]


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


def stores() -> list[Any]:
    """The stores of the Bayesian panel (its settings, the model request and answer)."""
    return [
        dcc.Store(id=BAYES_STORE, data=dict(BAYES_DEFAULTS)),
        dcc.Store(id=MODEL_REQUEST),
        dcc.Store(id=MODEL_STORE),
    ]


def sinks() -> list[Any]:
    """The effect sinks of its clientside callbacks."""
    return [dcc.Store(id=sink) for sink in MODEL_SINK.values()]
