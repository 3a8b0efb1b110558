"""Server side of the model views and the many-seeds mode: checks, payloads and caches.

- ``check_bayes_options``: every Bayesian setting arriving from the browser, checked by value
  (types, ranges, names), so a typed or forged value becomes one clear sentence.
- ``race_payload``: the race the browser animates (``app.figures.race_view``) plus the
  narration line of every trial and the Bayesian settings it was raced with.
- ``model_payload``: what the Bayesian model believed at every step (quantised GP mean, std
  and acquisition frames from ``strategies.internals``), fetched only when a model view is
  shown, sized so that a race plus its internals stays under 1 MB.
- ``many_chunk``: a few races of a many-seeds run (``strategies.many.run_chunk``'s compact
  records: best-so-far on the summary's minute axis, reach times), so the browser can
  summarise any number of chunks exactly as ``strategies.summary.summarise`` does.

Everything is a pure function of the settings, so results are kept in bounded LRU caches
(``strategies.cache.BoundedCache``); no user state lives in the server.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from strategies.cache import BoundedCache

#: The engine's defaults (strategies/bayes.py), in the order the settings panel shows them.
BAYES_DEFAULTS: dict[str, Any] = {
    "acquisition": "ei",
    "xi": 0.01,
    "kappa": 2.0,
    "kernel": "matern52",
    "length_scale": None,
    "n_initial": 5,
}
XI_RANGE = (0.0, 10.0)
KAPPA_RANGE = (0.0, 100.0)
#: What a fixed length scale may be (the GP's own bounds); the UI slider offers 0.03–1.
LENGTH_RANGE = (0.03, 10.0)
ACQUISITION_NAMES = {"ei": "EI", "pi": "PI", "ucb": "UCB"}
KERNEL_NAMES = {"matern52": "Matérn 5/2", "rbf": "RBF"}

#: Many-seeds limits: at most this many races in one request, and this many GPU minutes of
#: simulated budget summed over them (a 3000-minute race with ~180 trials takes ~1 s).
MAX_REPEATS = 100
MAX_CHUNK = 10
CHUNK_MINUTES = 8000.0
#: The browser aims its next chunk at this many seconds of server time.
CHUNK_TARGET_SECONDS = 1.2

#: Bytes of base64 the model frames may take (3 views × (n+1) steps × res² cells).
MODEL_BYTES = 640_000
MIN_RESOLUTION = 12

_RACES = BoundedCache(maxsize=24)  # settings -> (trace, payload)
_MODELS = BoundedCache(maxsize=12)  # settings -> model payload
_MANY = BoundedCache(maxsize=1000)  # settings of one race -> its compact summary row


class OptionError(ValueError):
    """A setting the user can fix; its message is shown in the alert line as is."""


# ---------------------------------------------------------------- checks


def _number(value: Any, label: str, low: float, high: float) -> float:
    message = f"{label} must be a number from {low:g} to {high:g}."
    if value is None or value == "" or isinstance(value, bool):
        raise OptionError(message)
    if not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        raise OptionError(message)
    return float(value)


def check_bayes_options(raw: Any) -> dict[str, Any]:
    """The Bayesian settings as the engine takes them; ``OptionError`` says what is wrong."""
    from strategies.acquisition import ACQUISITIONS
    from strategies.bayes import MAX_INITIAL
    from strategies.gp import KERNELS

    if raw is None:
        return dict(BAYES_DEFAULTS)
    if not isinstance(raw, dict):
        raise OptionError("The Bayesian settings were not understood; reload the page.")
    unknown = sorted(str(k)[:20] for k in raw if k not in BAYES_DEFAULTS)
    if unknown:
        raise OptionError(f"Unknown Bayesian setting: {', '.join(unknown)}.")
    merged = {**BAYES_DEFAULTS, **raw}
    acquisition = merged["acquisition"]
    if not isinstance(acquisition, str) or acquisition not in ACQUISITIONS:
        names = ", ".join(ACQUISITION_NAMES[a] for a in ACQUISITIONS)
        raise OptionError(f"The acquisition must be one of {names}.")
    kernel = merged["kernel"]
    if not isinstance(kernel, str) or kernel not in KERNELS:
        names = " or ".join(KERNEL_NAMES.get(k, k) for k in KERNELS)
        raise OptionError(f"The kernel must be {names}.")
    xi = _number(merged["xi"], "The EI/PI margin ξ", *XI_RANGE)
    kappa = _number(merged["kappa"], "The UCB exploration weight κ", *KAPPA_RANGE)
    length = merged["length_scale"]
    if length is not None:
        length = _number(length, "A fixed length scale", *LENGTH_RANGE)
    n_initial = merged["n_initial"]
    message = f"Initial random trials must be a whole number from 1 to {MAX_INITIAL}."
    if isinstance(n_initial, float) and math.isfinite(n_initial) and n_initial.is_integer():
        n_initial = int(n_initial)
    if isinstance(n_initial, bool) or not isinstance(n_initial, int):
        raise OptionError(message)
    if not 1 <= n_initial <= MAX_INITIAL:
        raise OptionError(message)
    return {
        "acquisition": acquisition,
        "xi": xi,
        "kappa": kappa,
        "kernel": kernel,
        "length_scale": length,
        "n_initial": n_initial,
    }


def engine_options(bayes: dict[str, Any], strategies: list[str]) -> dict[str, Any]:
    """``run(options=…)`` for these racers: Bayesian settings only if it is racing."""
    return {"bayes": dict(bayes)} if "bayes" in strategies else {}


def check_nonce(value: Any) -> int | float | str | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str) and len(value) > 40:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ---------------------------------------------------------------- one race


def _race_settings(
    landscape: str,
    lseed: int,
    budget: float,
    seed: int,
    bayes: dict,
    *,
    peaks: str | None = None,
    hyperband: bool = False,
) -> dict:
    """``peaks``: the drawn landscape's checked string (app.draw); ``hyperband``: 4th racer."""
    from app.callbacks import racing_strategies

    return {
        "landscape": landscape,
        "landscape_seed": lseed,
        "budget": float(budget),
        "seed": seed,
        "bayes": bayes,
        "strategies": racing_strategies(hyperband),
        "peaks": peaks,
    }


def _compute_race(settings: dict[str, Any]) -> dict[str, Any]:
    from app.figures import race_view
    from landscapes import get_landscape
    from strategies.narration import narrate_trace
    from strategies.race import run

    scape = get_landscape(
        settings["landscape"], settings["landscape_seed"], peaks=settings["peaks"]
    )
    trace = run(
        scape,
        settings["strategies"],
        settings["budget"],
        settings["seed"],
        options=engine_options(settings["bayes"], settings["strategies"]),
    )
    view = race_view(trace, scape)
    view["bayes"] = settings["bayes"]
    view["peaks"] = settings["peaks"]
    view["narration"] = narrate_trace(trace)
    bayes = trace["strategies"].get("bayes")
    if bayes is not None:
        view["strategies"]["bayes"]["model"] = {
            key: bayes.get(key)
            for key in ("acquisition", "kernel", "n_initial", "length_scale_fitted")
        }
    return {"trace": trace, "view": view}


def race_entry(
    landscape: str, lseed: int, budget: float, seed: int, bayes: dict, **extra: Any
) -> dict:
    """The trace and the browser's view of one race (cached; a copy each time)."""
    settings = _race_settings(landscape, lseed, budget, seed, bayes, **extra)
    return _RACES.get_or_compute(settings, lambda: _compute_race(settings))


def race_payload(
    landscape: str, lseed: int, budget: float, seed: int, bayes: dict, **extra: Any
) -> dict:
    """What RACE_STORE carries: race_view + narration + the Bayesian settings used.

    ``extra``: ``peaks`` (a drawn landscape) and ``hyperband`` (the fourth racer).
    """
    return race_entry(landscape, lseed, budget, seed, bayes, **extra)["view"]


def model_resolution(n_trials: int) -> int:
    """Cells per side so that (n+1) steps × 3 views of base64 frames fit MODEL_BYTES."""
    from strategies.internals import DEFAULT_RESOLUTION

    per_cell = 3 * (n_trials + 1) * 4 / 3
    return max(MIN_RESOLUTION, min(DEFAULT_RESOLUTION, int(math.sqrt(MODEL_BYTES / per_cell))))


def _real_edges(knob: Any, resolution: int) -> list[float]:
    """Cell edges of a res × res lattice of the unit square, in the knob's real units."""
    units = np.linspace(0.0, 1.0, resolution + 1)
    return [float(f"{v:.6g}") for v in np.atleast_1d(knob.to_real(units)).tolist()]


def _compute_model(settings: dict[str, Any]) -> dict[str, Any]:
    from app.callbacks import cached_landscape_view
    from landscapes import get_landscape
    from strategies.internals import bayes_internals

    entry = race_entry(
        settings["landscape"],
        settings["landscape_seed"],
        settings["budget"],
        settings["seed"],
        settings["bayes"],
        peaks=settings["peaks"],
        hyperband="hyperband" in settings["strategies"],
    )
    trace = entry["trace"]
    n = len(trace["strategies"]["bayes"]["trials"])
    internals = bayes_internals(trace, resolution=model_resolution(n))
    scape = get_landscape(
        settings["landscape"], settings["landscape_seed"], peaks=settings["peaks"]
    )
    ku, kv = scape.knobs
    # the probes' colour range, so the GP mean and the probes share one score scale
    shown = cached_landscape_view(
        settings["landscape"], settings["landscape_seed"], settings["peaks"]
    )
    return {
        **internals,
        "x_edges": _real_edges(ku, internals["resolution"]),
        "y_edges": _real_edges(kv, internals["resolution"]),
        "score_range": [shown["zmin"], shown["zmax"]],
        "knobs": [knob.as_dict() for knob in scape.knobs],
    }


def model_payload(
    landscape: str, lseed: int, budget: float, seed: int, bayes: dict, **extra: Any
) -> dict:
    """The Bayesian model's frames for one race (cached; a copy each time)."""
    from app.callbacks import SettingsError

    settings = _race_settings(landscape, lseed, budget, seed, bayes, **extra)
    if "bayes" not in settings["strategies"]:
        raise SettingsError("Bayesian optimisation is not available on this server.")
    return _MODELS.get_or_compute(settings, lambda: _compute_model(settings))


# ---------------------------------------------------------------- many seeds


def chunk_limit(budget: float) -> int:
    """The most races one many-seeds request may ask for at this budget."""
    return max(1, min(MAX_CHUNK, int(CHUNK_MINUTES // budget)))


def check_many_request(request: Any) -> dict[str, Any]:
    """A many-seeds chunk request, checked value by value (``SettingsError`` / ``OptionError``)."""
    from app.callbacks import (
        SettingsError,
        check_budget,
        check_landscape,
        check_seed,
        racing_strategies,
    )
    from app.draw import check_peaks
    from app.fourth import check_hyperband
    from landscapes import MAX_LANDSCAPE_SEED
    from strategies.race import MAX_SEED

    if not isinstance(request, dict):
        raise SettingsError("The many-seeds request was not understood; reload the page.")
    landscape, lseed = check_landscape(request.get("landscape"), request.get("landscape_seed"))
    budget = check_budget(request.get("budget"))
    seed = check_seed(request.get("seed"))
    bayes = check_bayes_options(request.get("bayes"))
    peaks = check_peaks(landscape, request.get("peaks"))  # a drawn landscape (app.draw)
    hyperband = check_hyperband(request.get("hyperband"))  # the fourth racer (app.fourth)
    vary = request.get("vary", False)
    if not isinstance(vary, bool):
        raise SettingsError("“Vary the landscape too” must be on or off.")

    def whole(key: str, low: int, high: int, label: str) -> int:
        value = request.get(key)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingsError(f"{label} must be a whole number from {low} to {high}.")
        return value

    total = whole("total", 1, MAX_REPEATS, "The number of seeds")
    start = whole("start", 0, total - 1, "The first race of a chunk")
    limit = min(chunk_limit(budget), total - start)
    count = whole("count", 1, limit, f"A chunk at {budget:g} GPU minutes")
    if seed + total - 1 > MAX_SEED:
        raise SettingsError(f"Seed + number of seeds must stay below {MAX_SEED + 1}.")
    if vary and lseed + total - 1 > MAX_LANDSCAPE_SEED:
        raise SettingsError("Layout + number of seeds runs past the largest landscape seed.")
    if not racing_strategies():
        raise SettingsError("No search strategies are available on this server.")
    return {
        "landscape": landscape,
        "landscape_seed": lseed,
        "budget": budget,
        "seed": seed,
        "bayes": bayes,
        "peaks": peaks,
        "hyperband": hyperband,
        "vary": vary,
        "total": total,
        "start": start,
        "count": count,
    }


def many_chunk(settings: dict[str, Any]) -> dict[str, Any]:
    """Races start … start+count−1 of a many-seeds run, compact, with a next-chunk hint.

    Each race is ``strategies.many.run_chunk``'s compact record, cached per race, so a repeated
    run (or one with more seeds) recomputes nothing it has seen.
    """
    from app.callbacks import racing_strategies
    from strategies.many import run_chunk
    from strategies.summary import axis

    strategies = racing_strategies(settings.get("hyperband", False))
    peaks = settings.get("peaks")
    budget = settings["budget"]
    began = time.perf_counter()
    races = []
    for i in range(settings["start"], settings["start"] + settings["count"]):
        key = {
            "landscape": settings["landscape"],
            "landscape_seed": settings["landscape_seed"] + (i if settings["vary"] else 0),
            "budget": budget,
            "seed": settings["seed"] + i,
            "bayes": settings["bayes"],
            "strategies": strategies,
            "peaks": peaks,
        }

        def compute(i: int = i) -> dict[str, Any]:
            (record,) = run_chunk(
                settings["landscape"],
                strategies,
                budget,
                settings["seed"],
                start=i,
                count=1,
                landscape_seed=settings["landscape_seed"],
                vary_landscape=settings["vary"],
                options=engine_options(settings["bayes"], strategies),
                peaks=peaks,
            )
            return record

        races.append(_MANY.get_or_compute(key, compute))
    elapsed = time.perf_counter() - began
    per_race = elapsed / settings["count"]
    hint = int(CHUNK_TARGET_SECONDS / per_race) if per_race > 0 else MAX_CHUNK
    return {
        "start": settings["start"],
        "count": settings["count"],
        "total": settings["total"],
        "races": races,
        "minutes": [round(float(m), 4) for m in axis(budget)],
        "seconds": round(elapsed, 3),
        "next_count": max(1, min(chunk_limit(budget), hint)),
    }
