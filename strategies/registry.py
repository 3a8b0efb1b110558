"""The racers: one entry per search strategy, carrying everything the app and the CLI need.

Adding a racer is one strategy module, one ``Racer`` entry here and its tests: the panels,
budget bars, curves, legend, racer picker, many-seeds mode, links and exports all follow
from this table. Colours are Okabe–Ito (colour-blind safe) and every racer also has its own
marker shape, so no panel depends on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hpo_race.strategies.base import Strategy
from hpo_race.strategies.bayes import BayesStrategy
from hpo_race.strategies.grid import GridStrategy
from hpo_race.strategies.halving import HalvingStrategy
from hpo_race.strategies.hyperband import HyperbandStrategy
from hpo_race.strategies.random_search import RandomStrategy
from hpo_race.strategies.schema import Setting
from hpo_race.strategies.tpe import TPEStrategy


@dataclass(frozen=True)
class Racer:
    """A strategy class and how it appears: names, colour, marker, tagline, default line-up."""

    cls: type[Strategy]
    short: str  # one word, for the legend, the status line and the picker
    colour: str
    symbol: str  # plotly marker symbol for its trials
    glyph: str  # the same shape as a text character, for HTML legends
    tagline: str  # one line under the panel title: how it chooses θ
    default: bool  # in the default line-up

    @property
    def name(self) -> str:
        return self.cls.name

    @property
    def title(self) -> str:
        return self.cls.title

    @property
    def options(self) -> tuple[Setting, ...]:
        return self.cls.OPTIONS

    def spec(self) -> dict[str, Any]:
        """The entry as JSON for the page (everything but the class)."""
        return {
            "name": self.name,
            "title": self.title,
            "short": self.short,
            "colour": self.colour,
            "symbol": self.symbol,
            "glyph": self.glyph,
            "tagline": self.tagline,
            "default": self.default,
            "multi_fidelity": self.cls.multi_fidelity,
            "good_split": self.cls.good_split,
            "options": [s.spec() for s in self.options],
        }


_ENTRIES = (
    Racer(
        GridStrategy, "Grid", "#E69F00", "square", "■", "a fixed lattice, column by column", True
    ),
    Racer(RandomStrategy, "Random", "#56B4E9", "circle", "●", "independent random draws", True),
    Racer(
        BayesStrategy,
        "Bayesian",
        "#009E73",
        "diamond",
        "◆",
        "a model picks the most promising θ",
        True,
    ),
    # Reddish purple, a triangle; its early-stopped runs are drawn hollow and smaller.
    Racer(
        HyperbandStrategy,
        "Hyperband",
        "#CC79A7",
        "triangle-up",
        "▲",
        "many short runs; only the best train in full",
        False,
    ),
    # Vermillion, the Okabe–Ito colour not yet used; a triangle pointing down (the best-so-far
    # marker is the star).
    Racer(
        TPEStrategy,
        "TPE",
        "#D55E00",
        "triangle-down",
        "▼",
        "picks θ where good trials are dense and bad ones sparse",
        False,
    ),
    # Blue, a cross; one successive-halving schedule (strategies/halving.py).
    Racer(
        HalvingStrategy,
        "Halving",
        "#0072B2",
        "cross",
        "✚",
        "random θ in short runs; each rung's best train η× longer",
        False,
    ),
)

#: name -> entry, in panel order.
RACERS: dict[str, Racer] = {entry.name: entry for entry in _ENTRIES}
#: The line-up a race has unless told otherwise.
DEFAULT_RACERS: tuple[str, ...] = tuple(name for name, r in RACERS.items() if r.default)
