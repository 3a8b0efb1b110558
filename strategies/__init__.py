"""Registry of search strategies (name -> class); every one follows ``strategies.base``."""

from __future__ import annotations

from strategies.base import Strategy
from strategies.grid import GridStrategy
from strategies.random_search import RandomStrategy

STRATEGIES: dict[str, type[Strategy]] = {cls.name: cls for cls in (GridStrategy, RandomStrategy)}

__all__ = ["STRATEGIES", "Strategy"]
