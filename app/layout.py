"""The page: one screen (1366×768) with the controls, three race panels and the best-score plot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from hpo_race.app import bayes_panel, classroom, draw, guide, ids, many_panel, racers
from hpo_race.app.controls import BASE_SECONDS, segmented, settings_controls, transport
from hpo_race.app.figures import BEST_MARGIN, GRAPH_CONFIG, PANEL_MARGIN
from hpo_race.app.landscape_views import unseeded_landscapes
from hpo_race.app.theme import FOG, STRATEGY_STYLE, VIRIDIS_CSS
from hpo_race.strategies.registry import RACERS


def info_bar(view: Mapping[str, Any]) -> html.Div:
    """The landscape's name, description and seed; the score colour key; status and alerts."""
    return html.Div(
        className="infobar",
        children=[
            html.Div(
                className="landscape-facts",
                children=[
                    html.Span(landscape_info(view), id=ids.LANDSCAPE_INFO),
                    html.Span(id=ids.LESSON, className="lesson"),
                    html.Span(
                        f"layout #{view['seed']}",
                        id=ids.LANDSCAPE_SEED_LABEL,
                        className="seed-chip",
                        title="Landscape seed: which layout of this landscape is hidden",
                    ),
                    html.Button(
                        [
                            html.Span(className="dice-icon", **{"aria-hidden": "true"}),
                            "New landscape",
                        ],
                        id=ids.DICE_BUTTON,
                        className="btn btn-small btn-dice",
                        title="🎲 Draw a new layout of this landscape (a new landscape seed)",
                        n_clicks=0,
                    ),
                ],
            ),
            html.Div(
                className="status-line",
                children=html.Span(id=ids.ALERT, className="alert", role="alert"),
            ),
            classroom.toolbar(),  # Predict, Copy link, Export, Presenter, Dark, ?
            racers.picker(),
            html.Div(
                className="score-key",
                title="Probe colour: the score f(θ) that trial reported",
                children=[
                    html.Span("f(θ) low", className="key-end"),
                    html.Span(
                        className="key-ramp",
                        style={"background": f"linear-gradient(90deg, {VIRIDIS_CSS})"},
                    ),
                    html.Span("high", className="key-end"),
                ],
            ),
        ],
    )


def landscape_info(view: Mapping[str, Any]) -> list[Any]:
    """Landscape title and description (race-player.js swaps in the lesson at the end)."""
    return [
        html.B(view["title"]),
        html.Span(f" — {view['description']}", className="description"),
    ]


def budget_bar(name: str, budget: float, available: bool) -> html.Div:
    """Filled by race-renderer.js: GPU minutes spent of the budget, trials run, best so far."""
    if not available:
        stats = [html.Span("not racing on this server", className="muted")]
    else:
        stats = [
            html.Span("0", className="b-spent"),
            " / ",
            html.Span(f"{budget:g}", className="b-budget"),
            " GPU min · ",
            html.Span("0", className="b-trials"),
            html.Span(" trials", className="b-trials-word"),
            # the rugs' count: how many values of each axis knob those trials tried
            html.Span(className="b-rug"),
            " · best ",
            html.Span("—", className="b-best"),
            html.Span(className="b-note muted"),
        ]
    return html.Div(
        id=ids.BUDGET[name],
        className="budget",
        **{"data-strategy": name},
        children=[
            html.Div(
                className="bar",
                children=html.Div(className="fill", style={"width": "0%"}),
            ),
            html.Div(className="stats", children=stats),
        ],
    )


def panel(
    name: str,
    landscape: Any,
    probes: Any,
    budget: float,
    available: bool,
    racing: bool,
    tab_shown: bool = False,
) -> html.Section:
    """One strategy: the landscape (back), the fog that hides it, the probes (front), its budget."""
    style = STRATEGY_STYLE[name]
    margin = PANEL_MARGIN
    fog_box = {
        "left": f"{margin['l']}px",
        "right": f"{margin['r']}px",
        "top": f"{margin['t']}px",
        "bottom": f"{margin['b']}px",
    }
    stage = [
        dcc.Graph(
            id=ids.LANDSCAPE_LAYER[name],
            figure=landscape,
            config=GRAPH_CONFIG,
            className="layer layer-landscape",
            responsive=True,
        ),
        html.Div(
            id=ids.FOG[name],
            className="fog",
            style={**fog_box, "background": FOG},
            children=html.Span(
                ["Landscape hidden", html.Br(), "probes appear as the race runs"]
                if available
                else [f"{style.label}", html.Br(), "is not available on this server"],
                className="fog-hint" if available else "fog-hint fog-unavailable",
            ),
        ),
        *(bayes_panel.model_layer(probes) if name == "bayes" and available else []),
        dcc.Graph(
            id=ids.PANEL[name],
            figure=probes,
            config=GRAPH_CONFIG,
            className="layer layer-probes",
            responsive=True,
        ),
        *draw.surface(name),
    ]
    return html.Section(
        className=f"panel panel-{name}" + ("" if available else " unavailable"),
        style={"--accent": style.colour},
        # the panel a phone shows (its racer's tab; assets/screens.js)
        **{"data-tab-shown": "true" if tab_shown else "false"},
        # only the picked racers show (assets/racers.js)
        **{"data-racing": "true" if racing else "false"},
        children=[
            html.Div(
                className="panel-head",
                children=[
                    html.Span(style.glyph, className="panel-glyph"),
                    # the short name shows when four panels share the width (lineup.css)
                    html.H2(
                        [
                            html.Span(style.label, className="label-long"),
                            html.Span(style.short, className="label-short"),
                        ],
                        title=style.label,
                    ),
                    html.Span(style.tagline, className="panel-tagline"),
                    *(bayes_panel.bayes_head_controls() if name == "bayes" and available else []),
                    *([racers.partial_key(name)] if RACERS[name].cls.multi_fidelity else []),
                    *([racers.split_key(name)] if RACERS[name].cls.good_split else []),
                ],
            ),
            html.Div(className="panel-stage", children=stage),
            # with several GPUs: when each trial ran on which (assets/workers.js); with more
            # than two knobs: one strip per knob off the axes (assets/knobs.js)
            html.Div(
                [
                    html.Div(id=ids.GANTT[name], className="gantt", hidden=True),
                    html.Div(id=ids.STRIPS[name], className="knob-strips", hidden=True),
                ],
                className="panel-extras",
            ),
            budget_bar(name, budget, available),
            narration_line(name),
        ],
    )


def narration_line(name: str) -> html.P:
    """One line under a panel: what the strategy just did and why (filled by narration.js)."""
    return html.P(id=ids.NARRATION[name], className="narration", **{"aria-live": "off"})


def racer_tabs(available: Sequence[str]) -> html.Div:
    """A phone shows one panel at a time (screens.css): a tab per racer picks which one
    (assets/screens.js; only the racing ones show). Hidden on wider screens."""
    first = available[0] if available else ids.PANEL_ORDER[0]
    return html.Div(
        id=ids.RACER_TABS,
        className="racer-tabs",
        role="tablist",
        **{"aria-label": "Racer panel shown"},
        children=[
            html.Button(
                [
                    html.Span(STRATEGY_STYLE[name].glyph, className="racer-tab-glyph"),
                    html.Span(STRATEGY_STYLE[name].short, className="racer-tab-name"),
                ],
                id=ids.RACER_TAB[name],
                className="racer-tab",
                role="tab",
                title=STRATEGY_STYLE[name].label,
                style={"--accent": STRATEGY_STYLE[name].colour},
                n_clicks=0,
                **{
                    "data-tab": name,
                    "aria-selected": "true" if name == first else "false",
                    "tabIndex": "0" if name == first else "-1",
                    "data-racing": "true" if name in available else "false",
                },
            )
            for name in ids.PANEL_ORDER
        ],
    )


def scrubber() -> html.Div:
    """A timeline over the best-score plot's minute axis: drag to any GPU minute."""
    return html.Div(
        id=ids.SCRUBBER,
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


def best_card(figure: Any, strategies: Sequence[str]) -> html.Div:
    """The best-score plot, with the "now" line and each curve's live tail drawn over it."""
    margin = BEST_MARGIN
    overlay = html.Div(
        id=ids.BEST_OVERLAY,
        className="best-overlay",
        style={
            "left": f"{margin['l']}px",
            "right": f"{margin['r']}px",
            "top": f"{margin['t']}px",
            "bottom": f"{margin['b']}px",
        },
        children=[
            *[
                html.Div(
                    id=ids.TAIL[name],
                    className="tail",
                    style={"--accent": STRATEGY_STYLE[name].colour},
                )
                for name in strategies
            ],
            html.Div(
                id=ids.NOW_LINE,
                className="now-line",
                children=html.Span("now", id=ids.NOW_LABEL, className="now-label"),
            ),
        ],
    )
    return html.Div(
        className="best-card",
        children=[
            # the summary is a line of its own over the plot: it wraps, never cut
            html.Div(
                className="best-head",
                children=[
                    html.Div(
                        "Ready: press ▷ Run search.",
                        id=ids.STATUS,
                        className="status",
                        # not live: the race summary is announced at milestones by #race-live
                    ),
                    html.Button(
                        "Many seeds",
                        id=ids.LESSON_MANY,
                        className="btn btn-small lesson-many",
                        title="One race can be luck: see how often it goes this way",
                        hidden=True,
                        n_clicks=0,
                    ),
                    # several GPUs only (CSS): the clock of the plot, the player and the scrubber
                    html.Div(
                        className="time-axis",
                        title="GPU minutes: what the budget counts (cost). Wall clock: minutes "
                        "until a result, with every GPU of a racer running at once (time).",
                        children=segmented(
                            ids.TIME_AXIS,
                            [
                                ("gpu", "GPU minutes", "The race on its cost: GPU minutes spent"),
                                ("wall", "wall clock", "The race on the wall clock"),
                            ],
                            "gpu",
                        ),
                    ),
                ],
            ),
            html.Div(
                className="best-stage",
                children=[
                    dcc.Graph(
                        id=ids.BEST_PLOT,
                        figure=figure,
                        config=GRAPH_CONFIG,
                        className="best-graph",
                        responsive=True,
                    ),
                    overlay,
                    scrubber(),
                    many_panel.many_plot(),
                ],
            ),
        ],
    )


def build_layout(
    *,
    view: Mapping[str, Any],
    landscape_figure: Any,
    probe_figures: Mapping[str, Any],
    best: Any,
    available: Sequence[str],
    landscapes: Sequence[str],
    titles: Mapping[str, str],
    budget: float,
    budget_range: tuple[float, float],
    seed: int,
    max_seed: int,
) -> html.Div:
    """The whole page. Everything the animation needs later arrives through the stores."""
    return html.Div(
        id=ids.APP_ROOT,
        className="app",
        **{
            "data-state": "idle",
            "data-base-seconds": str(BASE_SECONDS),
            "data-strategies": ",".join(available),  # who races (the picker; racers.js)
            "data-count": str(len(available)),
            "data-panels": ",".join(ids.PANEL_ORDER),  # every registered racer's panel
            "data-draw": "off",  # "on" while "Your landscape" is chosen
        },
        children=[
            html.Header(
                className="topbar",
                children=[
                    html.Div(
                        className="brand",
                        title="hpo-race: hyperparameter search, raced",
                        children=html.H1(["hpo", html.Span("·race", className="brand-accent")]),
                    ),
                    transport(),
                    settings_controls(
                        landscapes,
                        titles,
                        landscape=view["name"],
                        budget=budget,
                        budget_range=budget_range,
                        seed=seed,
                        max_seed=max_seed,
                    ),
                ],
            ),
            info_bar(view),
            draw.draw_bar(unseeded_landscapes()),
            racer_tabs(available),
            html.Main(
                className="panels",
                children=[
                    panel(
                        name,
                        landscape_figure,
                        probe_figures[name],
                        budget,
                        name in RACERS,
                        name in available,
                        tab_shown=bool(available) and name == available[0],
                    )
                    for name in ids.PANEL_ORDER
                ],
            ),
            html.Section(
                className="bottom",
                children=[
                    best_card(best, ids.PANEL_ORDER),
                    many_panel.side_column(guide.guide_card()),
                ],
            ),
            html.Div(
                id=ids.CLOCK,
                hidden=True,
                **{"data-clock": "0", "data-state": "idle", "data-trials": "", "data-fps": ""},
            ),
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANDSCAPE_SEED, data=int(view["seed"])),
            dcc.Store(id=ids.RACE_REQUEST),
            dcc.Store(id=ids.RACE_STORE),
            dcc.Store(id=ids.LESSON_REQUEST),
            dcc.Store(id=ids.LESSON_STORE),
            *bayes_panel.stores(),
            *many_panel.stores(),
            *bayes_panel.sinks(),
            *many_panel.sinks(),
            *draw.stores(),
            *racers.stores(),
            *classroom.page_extras(list(landscapes), dict(titles)),  # dialogs, notices, stores
            *[dcc.Store(id=sink) for sink in ids.SINK.values()],
        ],
    )
