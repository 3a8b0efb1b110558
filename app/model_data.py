"""Cached engine calls for the page: the race, the Bayesian model's frames, many-seeds chunks.

- ``check_bayes_options``: every Bayesian setting arriving from the browser, checked by value
  (types, ranges, names), so a typed or forged value becomes one clear sentence.
- ``race_payload``: the race the browser animates (``app.views.race_view``) plus the
  narration line of every trial and the Bayesian settings it was raced with.
- ``model_payload``: what the Bayesian model believed at every step (GP mean, std and
  acquisition frames from ``strategies.internals``, quantised by ``app.transport``), fetched
  only when a model view is shown, sized so that a race plus its internals stays under 1 MB.
- ``many_chunk``: a few races of a many-seeds run (``strategies.many.run_chunk``'s compact
  records: best-so-far on the summary's minute axis, reach times), so the browser can
  summarise any number of chunks exactly as ``strategies.summary.summarise`` does.

Everything is a pure function of the settings, so results are kept in bounded LRU caches
(``app.cache.BoundedCache``); no user state lives in the server.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from hpo_race.app.cache import BoundedCache
from hpo_race.app.landscape_views import cached_landscape_view
from hpo_race.app.narration import narrate_trace, with_reasons
from hpo_race.app.race_request import check_request
from hpo_race.app.transport import packed
from hpo_race.app.views import race_view
from hpo_race.landscapes import get_landscape
from hpo_race.strategies.bayes import BayesStrategy
from hpo_race.strategies.internals import DEFAULT_RESOLUTION, bayes_internals
from hpo_race.strategies.many import run_chunk
from hpo_race.strategies.race import run
from hpo_race.strategies.schema import Setting, SettingError, check_options
from hpo_race.strategies.settings import LANDSCAPE_SEED, REPEATS, SEED, VARY_LANDSCAPE
from hpo_race.strategies.summary import axis

#: Display names of the Bayesian choices, from its option table (strategies/bayes.py).
_BAYES_OPTIONS = {o.name: o for o in BayesStrategy.OPTIONS}


def _labels(name: str) -> dict[str, str]:
    option = _BAYES_OPTIONS[name]
    return dict(zip(option.choices, option.choice_labels, strict=True))


ACQUISITION_NAMES = _labels("acquisition")
KERNEL_NAMES = _labels("kernel")
#: The engine's defaults, in the order the settings panel shows them.
BAYES_DEFAULTS: dict[str, Any] = {o.name: o.default for o in BayesStrategy.OPTIONS}

#: Many-seeds limits: at most this many races in one request, and this many GPU minutes of
#: simulated budget summed over them (a race at the budget cap with ~180 trials takes ~1 s).
MAX_REPEATS = REPEATS.high
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


#: One exception type for every bad setting (kept under its old name for callers).
OptionError = SettingError


def check_bayes_options(raw: Any) -> dict[str, Any]:
    """The Bayesian settings as the engine takes them, every one filled in."""
    if raw is None:
        return dict(BAYES_DEFAULTS)
    return check_options(BayesStrategy.OPTIONS, raw, BayesStrategy.title, "bayes.")


# ---------------------------------------------------------------- one race


def _compute_race(settings: dict[str, Any]) -> dict[str, Any]:
    # the noise belongs to the landscape (``run`` reads it from there)
    scape = get_landscape(
        settings["landscape"],
        settings["landscape_seed"],
        settings.get("noise", 0.0),
        peaks=settings["peaks"],
        dims=settings["dims"],
    )
    trace = run(
        scape,
        settings["strategies"],
        settings["budget"],
        settings["seed"],
        options=settings["options"],
        workers=settings["workers"],
    )
    with_reasons(trace)  # the Bayesian trials' reasons, in words (the exports carry them)
    view = race_view(trace, scape)
    view["bayes"] = settings["options"].get("bayes")
    view["options"] = settings["options"]
    view["peaks"] = settings["peaks"]
    view["narration"] = narrate_trace(trace)
    bayes = trace["strategies"].get("bayes")
    if bayes is not None:
        view["strategies"]["bayes"]["model"] = {
            key: bayes.get(key)
            for key in ("acquisition", "kernel", "n_initial", "length_scale_fitted")
        }
    return {"trace": trace, "view": view}


def race_entry(settings: dict[str, Any]) -> dict:
    """The trace and the browser's view of one race (``app.race_request.check_request``'s
    settings; cached, a copy each time)."""
    return _RACES.get_or_compute(settings, lambda: _compute_race(settings))


def race_payload(settings: dict[str, Any]) -> dict:
    """What RACE_STORE carries: race_view + narration + the options it was raced with."""
    return race_entry(settings)["view"]


def model_resolution(n_trials: int) -> int:
    """Cells per side so that (n+1) steps × 3 views of base64 frames fit MODEL_BYTES."""
    per_cell = 3 * (n_trials + 1) * 4 / 3
    return max(MIN_RESOLUTION, min(DEFAULT_RESOLUTION, int(math.sqrt(MODEL_BYTES / per_cell))))


def _real_edges(knob: Any, resolution: int) -> list[float]:
    """Cell edges of a res × res lattice of the unit square, in the knob's real units."""
    units = np.linspace(0.0, 1.0, resolution + 1)
    return [float(f"{v:.6g}") for v in np.atleast_1d(knob.to_real(units)).tolist()]


def _compute_model(settings: dict[str, Any]) -> dict[str, Any]:
    trace = race_entry(settings)["trace"]
    n = len(trace["strategies"]["bayes"]["trials"])
    internals = packed(bayes_internals(trace, resolution=model_resolution(n)))
    scape = get_landscape(
        settings["landscape"],
        settings["landscape_seed"],
        peaks=settings["peaks"],
        dims=settings["dims"],
    )
    ku, kv = scape.knobs[:2]  # the axes; frames at d > 2 are slices (``internals["slice"]``)
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


def model_payload(settings: dict[str, Any]) -> dict:
    """The Bayesian model's frames for one race (cached; a copy each time)."""
    if "bayes" not in settings["strategies"]:
        raise SettingError("strategies", "Bayesian optimisation is not racing in this race.")
    return _MODELS.get_or_compute(settings, lambda: _compute_model(settings))


# ---------------------------------------------------------------- many seeds


def chunk_limit(budget: float) -> int:
    """The most races one many-seeds request may ask for at this budget."""
    return max(1, min(MAX_CHUNK, int(CHUNK_MINUTES // budget)))


def check_many_request(request: Any) -> dict[str, Any]:
    """A many-seeds chunk request: the race settings (``check_request``) plus the chunk."""
    settings = check_request(request, "many-seeds")
    vary = VARY_LANDSCAPE.check(request.get("vary", False))
    total = REPEATS.check(request.get("total"))

    def whole(key: str, high: int, label: str) -> int:
        setting = Setting(key, "int", 0, label, label, url=key, low=0, high=high)
        return setting.check(request.get(key))

    start = whole("start", total - 1, "The first race of a chunk")
    limit = min(chunk_limit(settings["budget"]), total - start)
    count = whole("count", limit, f"A chunk at {settings['budget']:g} GPU minutes")
    if count < 1:
        raise SettingError("count", "A chunk must hold at least one race.")
    top = SEED.high
    if settings["seed"] + total - 1 > top:
        raise SettingError("seed", f"Seed + number of seeds must stay below {top + 1}.")
    if vary and settings["landscape_seed"] + total - 1 > LANDSCAPE_SEED.high:
        raise SettingError(
            "landscape_seed", "Layout + number of seeds runs past the largest landscape seed."
        )
    return {**settings, "vary": vary, "total": total, "start": start, "count": count}


def many_chunk(settings: dict[str, Any]) -> dict[str, Any]:
    """Races start … start+count−1 of a many-seeds run, compact, with a next-chunk hint.

    Each race is ``strategies.many.run_chunk``'s compact record, cached per race, so a repeated
    run (or one with more seeds) recomputes nothing it has seen.
    """
    strategies = settings["strategies"]
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
            "noise": settings.get("noise", 0.0),
            "options": settings["options"],
            "strategies": strategies,
            "peaks": peaks,
            "dims": settings["dims"],
            "workers": settings["workers"],
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
                noise=settings.get("noise", 0.0),
                options=settings["options"],
                peaks=peaks,
                dims=settings["dims"],
                workers=settings["workers"],
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
