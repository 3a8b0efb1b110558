"""Packing for the wire: the Bayesian model's frames as one byte per cell, base64-encoded.

Each frame of ``strategies.internals.bayes_internals`` is quantised to bytes 0..255 over its
own [lo, hi] range: 50 steps × 3 views × 30² cells ≈ 180 kB of base64, so a whole race's
internals travel with one request and the browser (assets/bayes-model.js) can scrub through them
with no more.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np


def quantise(values: np.ndarray) -> dict[str, Any]:
    """One frame as bytes 0..255 over [lo, hi], base64-encoded: decode as lo + b/255·(hi−lo)."""
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo
    scaled = np.zeros(values.shape) if span <= 0 else (values - lo) / span
    data = np.rint(scaled * 255).astype(np.uint8)
    return {
        # 6 significant digits, not 6 decimals: late in a race EI is ~1e-7 everywhere, and
        # rounding it to 0 would blank the acquisition view for half the race.
        "lo": float(f"{lo:.6g}"),
        "hi": float(f"{hi:.6g}"),
        "b64": base64.b64encode(data.tobytes()).decode(),
    }


def dequantise(frame: dict[str, Any], shape: tuple[int, int]) -> np.ndarray:
    """Inverse of ``quantise`` (to within half a level), for tests and offline tools."""
    data = np.frombuffer(base64.b64decode(frame["b64"]), dtype=np.uint8).astype(float)
    return (frame["lo"] + data / 255 * (frame["hi"] - frame["lo"])).reshape(shape)


def packed(internals: dict[str, Any]) -> dict[str, Any]:
    """The model internals with every frame quantised (what the browser receives)."""
    frames = {view: [quantise(f) for f in fs] for view, fs in internals["frames"].items()}
    return {**internals, "frames": frames}
