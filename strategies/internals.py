"""What the Bayesian model believed at every step of a race, rebuilt from its trace.

The model's state after k observations is a pure function of the race settings and the
first k trials, so it is rebuilt here by replaying the trace's trials into a fresh
``BayesStrategy`` seeded exactly as the race runner seeded it. After each replayed ``tell``
the posterior mean, std and acquisition are sampled on a res × res lattice of cell centres
(the same lattice as ``Landscape.grid``), as arrays; the app packs them for the wire
(``app.transport``).

With more than two knobs (``settings["dims"]``) each frame is the slice through the best
point observed so far: the extra knobs held at its values (at the middle of their ranges
before the first observation), recorded per frame in ``slice``; ``length_scale`` holds the
GP's ARD length scales per frame (one per knob: long on knobs the model finds matter little).

Races on several workers (``settings["workers"]``) are refused for now: their choices were
made with trials pending, which a one-after-another replay does not rebuild.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hpo_race.landscapes import get_landscape
from hpo_race.strategies.bayes import BayesStrategy
from hpo_race.strategies.race import strategy_streams

VIEWS = ("mean", "std", "acquisition")
DEFAULT_RESOLUTION = 30
MAX_RESOLUTION = 60


def bayes_internals(trace: dict[str, Any], resolution: int = DEFAULT_RESOLUTION) -> dict[str, Any]:
    """Mean, std and acquisition frames after 0, 1, …, n observations of the race's bayes run.

    Frame k shows the model that chose trial k (frame n: the model after the last trial);
    each frame is a flat array of res² values, row by row (θ₂ rows, θ₁ columns).
    """
    if isinstance(resolution, bool) or not isinstance(resolution, int):
        raise ValueError("resolution must be a whole number")
    if not 4 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be between 4 and {MAX_RESOLUTION}")
    settings = trace["settings"]
    if "bayes" not in trace["strategies"]:
        raise ValueError("this race has no Bayesian strategy to look inside")
    if settings.get("workers", 1) != 1:
        # Replaying ask/tell one trial after another would not rebuild the choices a racer
        # made with trials pending (they used the kriging believer and its own draws).
        raise ValueError(
            "the model view replays races on one GPU only: set GPUs to 1 to see what the "
            "model believed at each step"
        )
    landscape = get_landscape(
        settings["landscape"],
        settings["landscape_seed"],
        settings["noise"],
        peaks=settings.get("peaks"),  # a drawn landscape's peaks (the custom landscape)
        dims=settings.get("dims", 2),
    )
    dims = landscape.dims
    own_rng, _ = strategy_streams(settings["seed"], "bayes")
    options = settings.get("options", {}).get("bayes", {})
    model = BayesStrategy(own_rng, settings["budget"], landscape.cost_model, dims=dims, **options)
    axis = (np.arange(resolution) + 0.5) / resolution
    uu, vv = np.meshgrid(axis, axis)
    lattice = np.column_stack([uu.ravel(), vv.ravel()])
    trials = trace["strategies"]["bayes"]["trials"]
    frames: dict[str, list[np.ndarray]] = {view: [] for view in VIEWS}
    nexts: list[list[float]] = []
    slices: list[list[float]] = []
    scales: list[list[float]] = []
    held = np.full(dims - 2, 0.5)  # the extra knobs' values in the slice drawn

    def snapshot() -> None:
        points = lattice
        if dims > 2:
            points = np.hstack([lattice, np.broadcast_to(held, (len(lattice), dims - 2))])
            slices.append([round(float(v), 6) for v in held])
            scales.append([float(f"{v:.4g}") for v in model.gp.length_scale])
        for view, values in zip(VIEWS, model.posterior_on(points), strict=True):
            frames[view].append(np.array(values, dtype=float))
        nexts.append([round(float(v), 6) for v in model.ask()])

    snapshot()
    best = -np.inf
    for trial in trials:
        model.tell(np.array(trial["theta"], dtype=float), trial["score"])
        if trial["score"] > best:
            best, held = trial["score"], np.array(trial["theta"][2:], dtype=float)
        snapshot()
    out = {
        "resolution": resolution,
        "axis": [round(float(a), 6) for a in axis],
        "acquisition": model.acquisition,
        "frames": frames,
        "next": nexts,
    }
    if dims > 2:
        out["slice"] = slices
        out["length_scale"] = scales
    return out
