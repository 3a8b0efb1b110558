"""Colours, symbols and names shared by the layout, the figures and assets/race-renderer.js.

Strategy colours are Okabe–Ito (colour-blind safe) and every strategy also has its own
marker symbol, so the panels never depend on colour alone; both are declared with the racer
in its registry entry. Scores use viridis, which is
perceptually uniform and readable in greyscale on a washed-out projector.
"""

from __future__ import annotations

from typing import NamedTuple

from hpo_race.strategies.registry import RACERS


class StrategyStyle(NamedTuple):
    label: str  # panel title
    colour: str
    symbol: str  # plotly marker symbol for its probes
    glyph: str  # the same shape as a text character, for HTML legends
    tagline: str  # one line under the panel title: how it chooses θ
    short: str  # one word, for the legend and the status line


#: Every registered racer's look, from its registry entry (strategies/registry.py).
STRATEGY_STYLE: dict[str, StrategyStyle] = {
    name: StrategyStyle(r.title, r.colour, r.symbol, r.glyph, r.tagline, r.short)
    for name, r in RACERS.items()
}

SCORE_COLOURSCALE = "Viridis"
#: Viridis stops for the HTML colour legend (CSS linear-gradient), matching SCORE_COLOURSCALE.
VIRIDIS_CSS = (
    "#440154, #482878, #3e4989, #31688e, #26828e, #1f9e89, #35b779, #6ece58, #b5de2b, #fde725"
)

INK = "#1d2433"  # text
MUTED = "#5b6474"  # secondary text
GRIDLINE = "#d9dee7"
FOG = "#2a303c"  # covers the landscape until it is revealed (assets/panels.css: .fog)
FONT_FAMILY = (
    "Inter, 'Segoe UI', system-ui, -apple-system, Roboto, 'Helvetica Neue', Arial, sans-serif"
)
