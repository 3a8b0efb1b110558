"""``custom``: a landscape drawn by the user as a handful of Gaussian peaks.

    f(θ) = 0.1 + Σᵢ hᵢ · exp(−|θ − (uᵢ, vᵢ)|² / 2wᵢ²),   i = 1..n, 1 ≤ n ≤ 12

Each peak is ``{"u": .., "v": .., "height": .., "width": ..}`` with u, v ∈ [0, 1] (the
peak's centre in the unit square), height ∈ [0, 1] and width ∈ [0.02, 0.5]. Values are
checked (real, finite numbers in range; exactly those four keys) and then rounded to
``DECIMALS`` = 3 decimals, so a landscape and its URL string describe exactly the same
function. Nothing the user sends is ever evaluated: the string form is split on ``;`` and
``,`` and each field must match a plain decimal-number pattern before ``float()`` sees it.

String form (for URLs and trace settings): ``"u,v,h,w;u,v,h,w"`` with 3 fixed decimals,
e.g. ``"0.620,0.580,0.800,0.160;0.220,0.250,0.450,0.220"``.

The knobs and cost model are the smooth landscape's (learning rate × weight decay, small
learning rates cost more). It has two knobs only (``build`` refuses ``dims`` ≠ 2 with a
ValueError: peaks are drawn on a square). The landscape seed is ignored
(``extra["seeded"]`` is False): the peaks *are* the layout. Build it with
``custom_landscape(peaks)`` or ``get_landscape("custom", peaks=peaks)``;
``strategies.race.run(..., peaks=...)`` races on it and records the string in
``settings["peaks"]``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hpo_race.landscapes._shapes import bump
from hpo_race.landscapes.base import Landscape, check_noise
from hpo_race.landscapes.extra_knobs import only_two_knobs
from hpo_race.landscapes.smooth import LEARNING_RATE, LR_COST, WEIGHT_DECAY

NAME = "custom"
MAX_PEAKS = 12
BASE = 0.1
DECIMALS = 3
KEYS = ("u", "v", "height", "width")
RANGES: dict[str, tuple[float, float]] = {
    "u": (0.0, 1.0),
    "v": (0.0, 1.0),
    "height": (0.0, 1.0),
    "width": (0.02, 0.5),
}
#: Longest accepted string form (12 peaks of 4 fields of up to 9 characters, separators).
MAX_ENCODED = MAX_PEAKS * (4 * 9 + 4)
_NUMBER = re.compile(r"[+-]?\d{1,3}(\.\d{1,9})?")

Peak = dict[str, float]


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{where} must be a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{where} must be a finite number")
    return value


def normalise_peaks(peaks: Sequence[Mapping[str, Any]]) -> list[Peak]:
    """Checked peaks, each rounded to 3 decimals; a ValueError says what is wrong and where."""
    if isinstance(peaks, str | bytes | Mapping) or not isinstance(peaks, Sequence):
        raise ValueError("peaks must be a list of {u, v, height, width} objects")
    if not 1 <= len(peaks) <= MAX_PEAKS:
        raise ValueError(f"draw between 1 and {MAX_PEAKS} peaks (got {len(peaks)})")
    out: list[Peak] = []
    for i, peak in enumerate(peaks, start=1):
        if not isinstance(peak, Mapping):
            raise ValueError(f"peak {i} must be an object with keys u, v, height, width")
        keys = set(peak)
        if keys != set(KEYS):
            missing = [k for k in KEYS if k not in keys]
            unknown = sorted(str(k) for k in keys - set(KEYS))
            problem = f"missing {', '.join(missing)}" if missing else ""
            if unknown:
                problem += ("; " if problem else "") + f"unknown {', '.join(unknown)}"
            raise ValueError(f"peak {i}: {problem}")
        clean: Peak = {}
        for key in KEYS:
            value = _number(peak[key], f"peak {i} {key}")
            low, high = RANGES[key]
            if not low <= value <= high:
                raise ValueError(f"peak {i} {key} must be between {low:g} and {high:g}")
            clean[key] = round(value, DECIMALS)
        out.append(clean)
    return out


def encode_peaks(peaks: Sequence[Mapping[str, Any]]) -> str:
    """The compact string form ``"u,v,h,w;…"`` with 3 fixed decimals (peaks are checked)."""
    return ";".join(",".join(f"{p[k]:.{DECIMALS}f}" for k in KEYS) for p in normalise_peaks(peaks))


def decode_peaks(text: str) -> list[Peak]:
    """Parse the string form back into checked peaks; malformed text is a ValueError."""
    if not isinstance(text, str):
        raise ValueError("peaks text must be a string like 'u,v,h,w;u,v,h,w'")
    if len(text) > MAX_ENCODED:
        raise ValueError(f"peaks text is too long (at most {MAX_ENCODED} characters)")
    parts = [p for p in text.strip().split(";")]
    if len(parts) > MAX_PEAKS:
        raise ValueError(f"draw between 1 and {MAX_PEAKS} peaks (got {len(parts)})")
    peaks = []
    for i, part in enumerate(parts, start=1):
        fields = [f.strip() for f in part.split(",")]
        if len(fields) != len(KEYS) or not all(_NUMBER.fullmatch(f) for f in fields):
            raise ValueError(f"peak {i} must be four decimal numbers 'u,v,height,width'")
        peaks.append(dict(zip(KEYS, (float(f) for f in fields), strict=True)))
    return normalise_peaks(peaks)


def to_settings(peaks: Sequence[Mapping[str, Any]] | str) -> dict[str, str]:
    """Settings that rebuild the landscape: ``{"landscape": "custom", "peaks": "<string>"}``."""
    text = decode_peaks(peaks) if isinstance(peaks, str) else peaks
    return {"landscape": NAME, "peaks": encode_peaks(text)}


def from_settings(settings: Mapping[str, Any]) -> list[Peak]:
    """The checked peaks stored in settings made by ``to_settings`` (or a race trace)."""
    if not isinstance(settings, Mapping) or settings.get("landscape") != NAME:
        raise ValueError("these settings are not for the custom landscape")
    if "peaks" not in settings:
        raise ValueError("custom landscape settings need 'peaks'")
    return decode_peaks(settings["peaks"])


def custom_landscape(
    peaks: Sequence[Mapping[str, Any]] | str, noise: float = 0.0, seed: int = 0
) -> Landscape:
    """The landscape for the given peaks (list of dicts or string form); ``seed`` is ignored."""
    del seed
    noise = check_noise(noise)
    clean = decode_peaks(peaks) if isinstance(peaks, str) else normalise_peaks(peaks)
    text = encode_peaks(clean)
    centres = np.array([[p["u"], p["v"]] for p in clean])
    heights = np.array([p["height"] for p in clean])
    widths = np.array([p["width"] for p in clean])

    def score(X: np.ndarray) -> np.ndarray:
        f = np.full(len(X), BASE)
        for c, h, w in zip(centres, heights, widths, strict=True):
            f = f + h * bump(X, c, w)
        return f

    n = len(clean)
    return Landscape(
        name=NAME,
        title="Your landscape",
        description=f"A landscape you drew: {n} peak{'s' if n != 1 else ''}.",
        knobs=(LEARNING_RATE, WEIGHT_DECAY),
        score_fn=score,
        cost_model=LR_COST,
        seed=0,
        noise=noise,
        lesson="Draw a landscape that fools one strategy, then race them on it.",
        extra={"seeded": False, "floor": BASE, "peaks": text, "cache_key": text},
    )


def build(seed: int = 0, noise: float = 0.0, peaks: Any = None, dims: int = 2) -> Landscape:
    """Registry-style builder; ``peaks`` is required and ``dims`` must be 2 (peaks are drawn
    on the page's square, so there is no d-knob form)."""
    only_two_knobs(NAME, dims, "its peaks are drawn on the square")
    if peaks is None:
        raise ValueError("the custom landscape needs peaks")
    return custom_landscape(peaks, noise=noise, seed=seed)
