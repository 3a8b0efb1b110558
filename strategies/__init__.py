"""Registry of search strategies (name -> class); every one follows ``strategies.base``.

``hyperband`` is registered but races only when asked for: it is not in
``strategies.race.DEFAULT_STRATEGIES``.
"""

from __future__ import annotations

from strategies.base import Strategy
from strategies.bayes import BayesStrategy
from strategies.grid import GridStrategy
from strategies.hyperband import HyperbandStrategy
from strategies.random_search import RandomStrategy

#: name -> class, in panel order.
STRATEGIES: dict[str, type[Strategy]] = {
    cls.name: cls for cls in (GridStrategy, RandomStrategy, BayesStrategy, HyperbandStrategy)
}

__all__ = ["STRATEGIES", "Strategy"]
