"""Cached landscape views: what the panels show of a landscape, built once per worker.

A landscape's view (``app.views.landscape_view``: knobs, a real-unit heatmap, the optimum) is
a pure function of its name and seed, or of the drawn peaks, so it is cached per worker.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from hpo_race.app.views import landscape_view
from hpo_race.landscapes import CUSTOM, LANDSCAPES, get_landscape
from hpo_race.landscapes.custom import custom_landscape

log = logging.getLogger(__name__)

#: A flat stand-in while nothing is drawn: one peak of height 0 (the floor, 0.1, everywhere).
FLAT = "0.500,0.500,0.000,0.100"
#: The best-score axis while nothing is drawn (0.1 floor … 1.1, the highest a peak can reach).
EMPTY_TOP = 1.1


@functools.lru_cache(maxsize=32)
def cached_landscape_view(name: str, seed: int, peaks: str | None = None) -> dict[str, Any]:
    """A landscape's view; ``peaks`` (checked string form) for the drawn one ("" = empty)."""
    if name == CUSTOM:
        return drawn_view(peaks or "")
    return landscape_view(get_landscape(name, seed))


@functools.lru_cache(maxsize=64)
def drawn_view(peaks: str) -> dict[str, Any]:
    """The panels' view of a drawn landscape ("" = nothing drawn yet: a flat, dark square)."""
    view = landscape_view(custom_landscape(peaks or FLAT))
    if not peaks:
        view.update(
            description="nothing drawn yet: click a panel to place a peak",
            zmax=EMPTY_TOP,
            optimum={"x": None, "y": None, "score": EMPTY_TOP},
            empty=True,
        )
    return view


def landscape_title(name: str) -> str:
    """The dropdown label of a landscape; its name if it cannot be built right now."""
    try:
        return get_landscape(name).title
    except Exception:  # a broken landscape must not take the whole page down
        log.exception("landscape %r could not be built", name)
        return name.replace("-", " ").capitalize()


def unseeded_landscapes() -> list[str]:
    """Landscapes with a single layout: the dice cannot draw a new one for them."""
    names = []
    for name in LANDSCAPES:
        try:
            if not get_landscape(name).seeded:
                names.append(name)
        except Exception:  # a broken landscape is reported elsewhere; keep the page up
            continue
    return [*names, CUSTOM]
