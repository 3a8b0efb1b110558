"""Registry of score landscapes; it drives the UI's dropdown and the CLI's --landscape.

``LANDSCAPES`` holds the ready-made landscapes. The user-drawn ``custom`` landscape is not in
it (it cannot be built without peaks): build it with ``get_landscape("custom", peaks=...)``
or ``landscapes.custom.custom_landscape(peaks)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hpo_race.landscapes import bumpy, custom, one_knob, smooth, svm_digits
from hpo_race.landscapes.base import Knob, Landscape, Optimum, check_noise
from hpo_race.landscapes.cost import CostModel, MeasuredCostModel
from hpo_race.landscapes.extra_knobs import MAX_DIMS, MIN_DIMS, check_dims

#: name -> builder(seed, noise) -> Landscape, in dropdown order.
LANDSCAPES: dict[str, Callable[..., Landscape]] = {
    "smooth": smooth.build,
    "bumpy": bumpy.build,
    "one-knob": one_knob.build,
    "svm-digits": svm_digits.build,
}
#: Name of the user-drawn landscape (``get_landscape(CUSTOM, peaks=...)``).
CUSTOM = custom.NAME


def get_landscape(
    name: str, seed: int = 0, noise: float = 0.0, *, peaks: Any = None, dims: int = 2
) -> Landscape:
    """Build a landscape by name, refusing unknown names and impossible settings clearly.

    The ranges a race allows (landscape seed, noise) are the settings table's
    (``strategies.settings``); here only what cannot be built is refused.

    ``peaks`` (a list of {u, v, height, width} or the string form) is required for
    ``"custom"`` and refused for every other landscape. ``dims`` (2 … 6) is how many knobs
    θ has (``landscapes.extra_knobs``); svm-digits and custom have 2 only and refuse more.
    """
    if name not in LANDSCAPES and name != CUSTOM:
        raise ValueError(
            f"unknown landscape {name!r}; choose one of {', '.join(LANDSCAPES)} (or {CUSTOM})"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"landscape seed must be a whole number ≥ 0, got {seed!r}")
    noise = check_noise(noise)
    if name == CUSTOM:
        return custom.build(seed=seed, noise=noise, peaks=peaks, dims=dims)
    if peaks is not None:
        raise ValueError(f"peaks are only for the {CUSTOM} landscape, not {name!r}")
    return LANDSCAPES[name](seed=seed, noise=noise, dims=dims)


__all__ = [
    "CUSTOM",
    "MAX_DIMS",
    "MIN_DIMS",
    "check_dims",
    "LANDSCAPES",
    "CostModel",
    "Knob",
    "Landscape",
    "MeasuredCostModel",
    "Optimum",
    "get_landscape",
]
