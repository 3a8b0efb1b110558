"""What the Bayesian model believed at every step of a race, compact enough to ship whole.

The model's state after k observations is a pure function of the race settings and the
first k trials, so it is rebuilt here by replaying the trace's trials into a fresh
``BayesStrategy`` seeded exactly as the race runner seeded it. After each replayed ``tell``
the posterior mean, std and acquisition are sampled on a res × res lattice of cell centres
(the same lattice as ``Landscape.grid``) and quantised to one byte per cell with a per-frame
[lo, hi] range: 50 steps × 3 views × 30² cells ≈ 180 kB of base64, so a whole race's
internals travel with one request and the browser can scrub through them with no more.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from hpo_race.landscapes import get_landscape
from hpo_race.strategies.bayes import BayesStrategy
from hpo_race.strategies.race import strategy_streams

VIEWS = ("mean", "std", "acquisition")
DEFAULT_RESOLUTION = 30
MAX_RESOLUTION = 60


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


def bayes_internals(trace: dict[str, Any], resolution: int = DEFAULT_RESOLUTION) -> dict[str, Any]:
    """Mean, std and acquisition frames after 0, 1, …, n observations of the race's bayes run.

    Frame k shows the model that chose trial k (frame n: the model after the last trial).
    """
    if isinstance(resolution, bool) or not isinstance(resolution, int):
        raise ValueError("resolution must be a whole number")
    if not 4 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be between 4 and {MAX_RESOLUTION}")
    settings = trace["settings"]
    if "bayes" not in trace["strategies"]:
        raise ValueError("this race has no Bayesian strategy to look inside")
    landscape = get_landscape(
        settings["landscape"],
        settings["landscape_seed"],
        settings["noise"],
        peaks=settings.get("peaks"),  # a drawn landscape's peaks (the custom landscape)
    )
    own_rng, _ = strategy_streams(settings["seed"], "bayes")
    options = settings.get("options", {}).get("bayes", {})
    model = BayesStrategy(own_rng, settings["budget"], landscape.cost_model, **options)
    axis = (np.arange(resolution) + 0.5) / resolution
    uu, vv = np.meshgrid(axis, axis)
    lattice = np.column_stack([uu.ravel(), vv.ravel()])
    trials = trace["strategies"]["bayes"]["trials"]
    frames: dict[str, list[dict[str, Any]]] = {view: [] for view in VIEWS}
    nexts = []

    def snapshot() -> None:
        for view, values in zip(VIEWS, model.posterior_on(lattice), strict=True):
            frames[view].append(quantise(values))
        nexts.append([round(float(v), 6) for v in model.ask()])

    snapshot()
    for trial in trials:
        model.tell(np.array(trial["theta"], dtype=float), trial["score"])
        snapshot()
    return {
        "resolution": resolution,
        "axis": [round(float(a), 6) for a in axis],
        "acquisition": model.acquisition,
        "frames": frames,
        "next": nexts,
    }
