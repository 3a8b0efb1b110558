"""Search strategies (ask/tell, ``strategies.base``) and their registry (``strategies.registry``).

``STRATEGIES`` maps each registered name to its class, in panel order; ``RACERS`` holds the
full entries (names, colours, markers, options). Only ``DEFAULT_RACERS`` race unless asked.
"""

from __future__ import annotations

from hpo_race.strategies.base import Strategy
from hpo_race.strategies.registry import DEFAULT_RACERS, RACERS, Racer

#: name -> class, in panel order.
STRATEGIES: dict[str, type[Strategy]] = {name: entry.cls for name, entry in RACERS.items()}

__all__ = ["DEFAULT_RACERS", "RACERS", "STRATEGIES", "Racer", "Strategy"]
