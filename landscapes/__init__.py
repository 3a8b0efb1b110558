"""Registry of score landscapes; it drives the UI's dropdown and the CLI's --landscape.

``LANDSCAPES`` holds the ready-made landscapes. The user-drawn ``custom`` landscape is not in
it (it cannot be built without peaks): build it with ``get_landscape("custom", peaks=...)``
or ``landscapes.custom.custom_landscape(peaks)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from landscapes import bumpy, custom, one_knob, smooth, svm_digits
from landscapes.base import Knob, Landscape, Optimum
from landscapes.cost import CostModel, MeasuredCostModel

#: name -> builder(seed, noise) -> Landscape, in dropdown order.
LANDSCAPES: dict[str, Callable[..., Landscape]] = {
    "smooth": smooth.build,
    "bumpy": bumpy.build,
    "one-knob": one_knob.build,
    "svm-digits": svm_digits.build,
}
#: Name of the user-drawn landscape (``get_landscape(CUSTOM, peaks=...)``).
CUSTOM = custom.NAME

MAX_LANDSCAPE_SEED = 2**31 - 1
MAX_NOISE = 0.2


def get_landscape(name: str, seed: int = 0, noise: float = 0.0, *, peaks: Any = None) -> Landscape:
    """Build a landscape by name, refusing unknown names and out-of-range settings clearly.

    ``peaks`` (a list of {u, v, height, width} or the string form) is required for
    ``"custom"`` and refused for every other landscape.
    """
    if name not in LANDSCAPES and name != CUSTOM:
        raise ValueError(
            f"unknown landscape {name!r}; choose one of {', '.join(LANDSCAPES)} (or {CUSTOM})"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_LANDSCAPE_SEED:
        raise ValueError(f"landscape seed must be a whole number from 0 to {MAX_LANDSCAPE_SEED}")
    noise = float(noise)
    if not 0.0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be between 0 and {MAX_NOISE}")
    if name == CUSTOM:
        return custom.build(seed=seed, noise=noise, peaks=peaks)
    if peaks is not None:
        raise ValueError(f"peaks are only for the {CUSTOM} landscape, not {name!r}")
    return LANDSCAPES[name](seed=seed, noise=noise)


__all__ = [
    "CUSTOM",
    "LANDSCAPES",
    "CostModel",
    "Knob",
    "Landscape",
    "MeasuredCostModel",
    "Optimum",
    "get_landscape",
]
