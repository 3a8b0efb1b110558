"""The racer picker: which of the registered search strategies race (2–5 at once).

Every racer in ``strategies.registry.RACERS`` has a panel, budget bar and curve on the page;
the picker shows the chosen ones at once (clientside, root ``data-racers``) and the next Run
races them. The line-up is a race setting like the others, so it is in the page address
(``&racers=grid,random,tpe``; old ``&hyperband=1`` links add Hyperband).

Racers that ask for partial training runs (``multi_fidelity``: Hyperband, successive
halving) draw runs stopped early as smaller, dark markers with a white outline (smaller =
stopped sooner) and full runs filled with their score's colour (``app.figures.probe_figure``,
drawn by race-renderer.js); their panel head carries the legend for that (``partial_key``).

Layout pieces only; ``app.racer_callbacks`` shows the picked panels.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from hpo_race.app import ids
from hpo_race.app.theme import STRATEGY_STYLE
from hpo_race.strategies.registry import RACERS
from hpo_race.strategies.settings import PAGE_RACERS

SINK = "sink-racers"
MENU = "racer-menu"


def picker() -> html.Div:
    """A compact checklist of every registered racer (glyph in its colour, short name)."""
    low, high = PAGE_RACERS
    options = []
    for name, racer in RACERS.items():
        style = STRATEGY_STYLE[name]
        options.append(
            {
                "label": html.Span(
                    [
                        html.Span(
                            style.glyph,
                            className="racer-glyph",
                            style={"color": style.colour},
                            **{"aria-hidden": "true"},
                        ),
                        style.short,
                    ],
                    title=f"{racer.title}: {racer.tagline}",
                ),
                "value": name,
            }
        )
    glyphs = [
        html.Span(
            STRATEGY_STYLE[name].glyph,
            className=f"racer-chip racer-chip-{name}",
            style={"color": STRATEGY_STYLE[name].colour},
            **{"aria-hidden": "true"},
        )
        for name in RACERS
    ]
    # a compact menu like Export: the button shows who races (race-renderer.js hides the glyphs of
    # racers that are not picked), the checklist opens below it
    return html.Details(
        id=MENU,
        className="tool-menu racer-control",
        children=[
            html.Summary(
                [html.Span("Racers", className="tool-label"), html.Span(glyphs, className="chips")],
                className="btn btn-small tool",
                title=f"Who races: pick {low} to {high} search strategies",
            ),
            html.Div(
                className="menu-pop racer-pop",
                role="group",
                **{"aria-labelledby": "racer-picker-label"},
                children=[
                    html.Span(
                        f"Who races ({low}–{high})", className="menu-note", id="racer-picker-label"
                    ),
                    dcc.Checklist(
                        id=ids.RACER_PICKER,
                        options=options,
                        value=list(ids.STRATEGY_ORDER),
                        className="racer-picker",
                    ),
                ],
            ),
        ],
    )


def partial_key(name: str) -> html.Div:
    """A multi-fidelity racer's panel legend: filled = trained in full, hollow = stopped early."""
    title = RACERS[name].title
    return html.Div(
        id=f"fidelity-key-{name}",
        className="fidelity-key",
        title=f"Filled: a run trained in full, coloured by its score. Dark with a white "
        f"outline: a run {title} stopped early; the smaller, the sooner it was stopped. "
        "Only the most promising settings are trained in full.",
        children=[
            html.Span(STRATEGY_STYLE[name].glyph, className="fk-full", **{"aria-hidden": "true"}),
            " full run",
            html.Span(
                [
                    html.Span(STRATEGY_STYLE[name].glyph, className=f"fk-part fk-{size}")
                    for size in ("s", "m", "l")
                ],
                className="fk-parts",
                **{"aria-hidden": "true"},
            ),
            "stopped early",
        ],
    )


def split_key(name: str) -> html.Div:
    """The legend of a racer with a good/bad split (TPE): what the white rings mean."""
    title = RACERS[name].title
    return html.Div(
        id=f"split-key-{name}",
        className="fidelity-key split-key",
        title=f"Ringed: the trials {title} counted as good (its best γ share, γ(n) = "
        "min(⌈0.1·n⌉, 25)) when it chose its latest trial; it looks where good trials are "
        "dense and the others (bad) sparse.",
        children=[
            html.Span("◯", className="fk-full", **{"aria-hidden": "true"}),
            " good · the rest bad",
        ],
    )


def stores() -> list[Any]:
    return [dcc.Store(id=SINK), dcc.Store(id=ids.RACER_OPTIONS, data={})]
