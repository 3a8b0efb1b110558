"""Registry of score landscapes; it drives the UI's dropdown and the CLI's --landscape."""

from __future__ import annotations

from collections.abc import Callable

from landscapes import bumpy, one_knob, smooth
from landscapes.base import Knob, Landscape, Optimum
from landscapes.cost import CostModel

#: name -> builder(seed, noise) -> Landscape, in dropdown order.
LANDSCAPES: dict[str, Callable[..., Landscape]] = {
    "smooth": smooth.build,
    "bumpy": bumpy.build,
    "one-knob": one_knob.build,
}

MAX_LANDSCAPE_SEED = 2**31 - 1
MAX_NOISE = 0.2


def get_landscape(name: str, seed: int = 0, noise: float = 0.0) -> Landscape:
    """Build a landscape by name, refusing unknown names and out-of-range settings clearly."""
    if name not in LANDSCAPES:
        raise ValueError(f"unknown landscape {name!r}; choose one of {', '.join(LANDSCAPES)}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_LANDSCAPE_SEED:
        raise ValueError(f"landscape seed must be a whole number from 0 to {MAX_LANDSCAPE_SEED}")
    noise = float(noise)
    if not 0.0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be between 0 and {MAX_NOISE}")
    return LANDSCAPES[name](seed=seed, noise=noise)


__all__ = ["LANDSCAPES", "CostModel", "Knob", "Landscape", "Optimum", "get_landscape"]
