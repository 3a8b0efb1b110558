"""Generic controls and the top bar's: transport buttons, race settings, a segmented switch.

Layout pieces only: ``transport`` (Run / Pause / Step / Reset), ``settings_controls``
(landscape, knobs, GPUs, budget, seed, speed, Reveal) and ``segmented``, the small switch
other pieces build on. assets/race-player.js drives them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from hpo_race.app import ids
from hpo_race.strategies.settings import DIMS, WORKERS

#: Animation speeds offered in the toolbar (1× plays the whole budget in BASE_SECONDS).
SPEEDS = (0.5, 1, 2, 4)
BASE_SECONDS = 15


def _label(text: str, html_for: str) -> html.Label:
    return html.Label(text, htmlFor=html_for, className="control-label")


def segmented(component_id: str, options: list[tuple[Any, str, str]], value: Any) -> Any:
    """A small segmented switch (radio items side by side); each label has its tooltip."""
    return dcc.RadioItems(
        id=component_id,
        options=[{"label": html.Span(label, title=tip), "value": v} for v, label, tip in options],
        value=value,
        inline=True,
        className="segmented segmented-small",
    )


def _transport_button(
    glyph: str, label: str, button_id: str, title: str, cls: str = "btn", glyph_cls: str = "glyph"
) -> html.Button:
    """One of the race's transport buttons: a glyph, its label, a tooltip saying what it does."""
    return html.Button(
        [html.Span(glyph, className=glyph_cls), label],
        id=button_id,
        className=cls,
        title=title,
        n_clicks=0,
    )


def transport() -> html.Div:
    """Run / Pause (one shows at a time), Step and Reset."""
    return html.Div(
        className="transport",
        children=[
            _transport_button(
                "▷",
                "Run search",
                ids.RUN_BUTTON,
                "Run the race (or carry on after a pause)",
                "btn btn-primary",
            ),
            _transport_button(
                "❚❚",
                "Pause",
                ids.PAUSE_BUTTON,
                "Stop the clock",
                "btn btn-primary",
                "glyph glyph-pause",
            ),
            _transport_button(
                "▷|", "Step", ids.STEP_BUTTON, "Move the shared clock on to the next finished trial"
            ),
            _transport_button("↺", "Reset", ids.RESET_BUTTON, "Clear the panels and start again"),
        ],
    )


def knobs_control() -> html.Div:
    """How many knobs the racers tune (``DIMS``): the two on the axes plus extra ones."""
    low, high = int(DIMS.low), int(DIMS.high)
    return html.Div(
        className="control control-knobs",
        title=DIMS.help,
        children=[
            _label("Knobs", ids.DIMS_SELECT),
            dcc.Dropdown(
                id=ids.DIMS_SELECT,
                options=[{"label": str(d), "value": d} for d in range(low, high + 1)],
                value=DIMS.default,
                clearable=False,
                searchable=False,
                className="knobs-select",
            ),
        ],
    )


def workers_control() -> html.Div:
    """How many GPUs each racer runs trials on at once (``WORKERS``)."""
    return html.Div(
        className="control",
        title=f"{WORKERS.help} ({WORKERS.low:g}–{WORKERS.high:g})",
        children=[
            _label("GPUs", ids.WORKERS_INPUT),
            dcc.Input(
                id=ids.WORKERS_INPUT,
                type="number",
                value=WORKERS.default,
                min=WORKERS.low,
                max=WORKERS.high,
                step=1,
                debounce=True,
                className="num-input num-workers",
            ),
        ],
    )


def scenario_label(dims: int, workers: int) -> str:
    """The knobs menu's summary: "2 knobs · 1 GPU" (assets/race-player.js keeps it current)."""
    return f"{dims} knobs · {workers} GPU{'' if workers == 1 else 's'}"


def scenario_menu() -> html.Details:
    """How many knobs and how many GPUs, in one small menu: the topbar keeps one row."""
    return html.Details(
        id=ids.SCENARIO_MENU,
        className="tool-menu scenario-menu",
        children=[
            html.Summary(
                html.Span(
                    scenario_label(int(DIMS.default), int(WORKERS.default)),
                    id=ids.SCENARIO_LABEL,
                ),
                className="btn scenario-summary",
                title="How many knobs the racers tune, and how many GPUs each has: click to change",
            ),
            html.Div(
                className="menu-pop scenario-pop",
                children=[
                    knobs_control(),
                    workers_control(),
                    html.P(
                        "More knobs: the panels show the first two, the strips under them the "
                        "rest. More GPUs: trials run side by side; switch the plot to the wall "
                        "clock to see the time to a result.",
                        className="menu-note",
                    ),
                ],
            ),
        ],
    )


def settings_controls(
    landscapes: Sequence[str],
    titles: Mapping[str, str],
    *,
    landscape: str,
    budget: float,
    budget_range: tuple[float, float],
    seed: int,
    max_seed: int,
) -> html.Div:
    """Landscape, knobs, GPUs, budget, speed, seed (+ the dice for a new landscape) and
    Reveal."""
    return html.Div(
        className="settings",
        children=[
            html.Div(
                className="control control-landscape",
                children=[
                    _label("Landscape", ids.LANDSCAPE_SELECT),
                    dcc.Dropdown(
                        id=ids.LANDSCAPE_SELECT,
                        options=[{"label": titles[name], "value": name} for name in landscapes],
                        value=landscape,
                        clearable=False,
                        searchable=False,
                        className="landscape-select",
                    ),
                ],
            ),
            scenario_menu(),
            html.Div(
                className="control",
                title=f"GPU minutes each search may spend "
                f"({budget_range[0]:g}–{budget_range[1]:g})",
                children=[
                    _label("Budget", ids.BUDGET_INPUT),
                    dcc.Input(
                        id=ids.BUDGET_INPUT,
                        type="number",
                        value=budget,
                        min=budget_range[0],
                        max=budget_range[1],
                        step="any",  # every value in the range, e.g. 805 or 800.5
                        debounce=True,
                        className="num-input num-budget",
                    ),
                    html.Span("GPU min", className="unit"),
                ],
            ),
            html.Div(
                className="control",
                title="Seed of the searches' random choices: same seed, same race",
                children=[
                    _label("Seed", ids.SEED_INPUT),
                    dcc.Input(
                        id=ids.SEED_INPUT,
                        type="number",
                        value=seed,
                        min=0,
                        max=max_seed,
                        step=1,
                        debounce=True,
                        className="num-input num-seed",
                    ),
                ],
            ),
            html.Div(
                className="control",
                children=[
                    html.Span("Speed", className="control-label"),
                    dcc.RadioItems(
                        id=ids.SPEED_SELECT,
                        options=[{"label": f"{s:g}×", "value": s} for s in SPEEDS],
                        value=1,
                        inline=True,
                        className="segmented",
                    ),
                ],
            ),
            dcc.Checklist(
                id=ids.REVEAL_TOGGLE,
                options=[{"label": "Reveal landscape", "value": "on"}],
                value=[],
                className="reveal-toggle",
            ),
        ],
    )
