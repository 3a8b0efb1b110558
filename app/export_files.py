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
    """A file name that says which race it is: hpo-race_smooth_layout0_800min_seed0.csv."""
    budget = float(settings["budget"])
    return (
        f"hpo-race_{settings['landscape']}_layout{int(settings['landscape_seed'])}"
        f"_{budget:g}min_seed{int(settings['seed'])}.{extension}"
    )


def _column(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.strip().lower()).strip("_") or "knob"


def _real(knob: Mapping[str, Any], u: float) -> float:
    """A unit coordinate in the knob's real units, 6 significant digits (as the page shows)."""
    low, high = float(knob["low"]), float(knob["high"])
    value = low * (high / low) ** u if knob["log"] else low + u * (high - low)
    return float(f"{value:.6g}")


def trials_csv(trace: Mapping[str, Any]) -> str:
    """One row per trial, strategies in panel order, trials in the order they finished."""
    knobs = trace["landscape"]["knobs"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "strategy",
            "trial",
            "finished_at_gpu_minute",
            "cost_gpu_minutes",
            _column(knobs[0]["name"]),
            _column(knobs[1]["name"]),
            "u",
            "v",
            "score",
            "best_so_far",
        ]
    )
    for name, result in trace["strategies"].items():
        for i, trial in enumerate(result["trials"]):
            u, v = trial["theta"]
            writer.writerow(
                [
                    name,
                    i + 1,
                    repr(float(trial["clock"])),
                    repr(float(trial["cost"])),
                    repr(_real(knobs[0], u)),
                    repr(_real(knobs[1], v)),
                    repr(float(u)),
                    repr(float(v)),
                    repr(float(trial["score"])),
                    repr(float(trial["best"])),
                ]
            )
    return out.getvalue()


def trace_json(trace: Mapping[str, Any]) -> str:
    """The engine's trace, exactly as ``hpo-race simulate`` prints it (its settings replay it)."""
    return json.dumps(trace, indent=1, allow_nan=False)
