"""Export data of one race: its trials as CSV and its trace as JSON, with a telling file name.

Everything is rebuilt on the server from the race's *settings* (the engine is deterministic and
``app.model_data.race_entry`` caches the result), never from a trace the browser sends, so an
export always matches the race those settings give, bit for bit. ``winner`` is the race
summary's "first to 95%" rule, for the replay's verdict.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any


def export_name(settings: Mapping[str, Any], extension: str) -> str:
    """A file name that says which race it is: hpo-race_smooth_layout0_800min_seed0.csv
    (…_layout0_4knobs_800min… when it has more than two knobs)."""
    budget = float(settings["budget"])
    dims = int(settings.get("dims", 2))
    knobs = f"_{dims}knobs" if dims != 2 else ""
    return (
        f"hpo-race_{settings['landscape']}_layout{int(settings['landscape_seed'])}{knobs}"
        f"_{budget:g}min_seed{int(settings['seed'])}.{extension}"
    )


def _column(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.strip().lower()).strip("_") or "knob"


def _real(knob: Mapping[str, Any], u: float) -> float:
    """A unit coordinate in the knob's real units, 6 significant digits (as the page shows)."""
    low, high = float(knob["low"]), float(knob["high"])
    value = low * (high / low) ** u if knob["log"] else low + u * (high - low)
    return float(f"{value:.6g}")


def unit_columns(dims: int) -> list[str]:
    """Names of the unit-coordinate columns: u, v for the axes, then u3 … ud."""
    return ["u", "v", *(f"u{k}" for k in range(3, dims + 1))]


def trials_csv(trace: Mapping[str, Any]) -> str:
    """One row per trial, strategies in panel order, trials in the order they finished.

    One real-unit column per knob (the two axes first) and one unit-coordinate column each.
    """
    knobs = trace["landscape"]["knobs"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "strategy",
            "trial",
            "finished_at_gpu_minute",
            "cost_gpu_minutes",
            *(_column(knob["name"]) for knob in knobs),
            *unit_columns(len(knobs)),
            "score",
            "best_so_far",
        ]
    )
    for name, result in trace["strategies"].items():
        for i, trial in enumerate(result["trials"]):
            theta = trial["theta"]
            writer.writerow(
                [
                    name,
                    i + 1,
                    repr(float(trial["clock"])),
                    repr(float(trial["cost"])),
                    *(repr(_real(knob, u)) for knob, u in zip(knobs, theta, strict=True)),
                    *(repr(float(u)) for u in theta),
                    repr(float(trial["score"])),
                    repr(float(trial["best"])),
                ]
            )
    return out.getvalue()


def trace_json(trace: Mapping[str, Any]) -> str:
    """The engine's trace, exactly as ``hpo-race simulate`` prints it (its settings replay it)."""
    return json.dumps(trace, indent=1, allow_nan=False)
