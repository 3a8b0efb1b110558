"""Registry of search strategies (name -> class); every one follows ``strategies.base``."""

from __future__ import annotations

from strategies.base import Strategy
from strategies.bayes import BayesStrategy
from strategies.grid import GridStrategy
from strategies.random_search import RandomStrategy

#: name -> class, in panel order.
STRATEGIES: dict[str, type[Strategy]] = {
    cls.name: cls for cls in (GridStrategy, RandomStrategy, BayesStrategy)
}

__all__ = ["STRATEGIES", "Strategy"]
