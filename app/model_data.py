"""Cached engine calls for the page: the race, the Bayesian model's frames, many-seeds chunks.

- ``check_bayes_options``: every Bayesian setting arriving from the browser, checked by value
  (types, ranges, names), so a typed or forged value becomes one clear sentence.
- ``race_payload``: the race the browser animates (``app.views.race_view``) plus the
  narration line of every trial and the Bayesian settings it was raced with.
- ``model_payload``: what the Bayesian model believed at every step (GP mean, std and
  acquisition frames from ``strategies.internals``, quantised by ``app.transport``), fetched
  only when a model view is shown, sized so that a race plus its internals stays under 1 MB
  (drawn as ``app.model_frames`` says).
- ``many_chunk``: a few races of a many-seeds run (``strategies.many.run_chunk``'s compact
  records: best-so-far on the summary's minute axis, reach times), each cached, which
  ``app.many_data`` summarises with the run's other races for the page.

Everything is a pure function of the settings, so results are kept in the machine's shared
cache (``app.shared_cache``: a small LRU per worker over one on-disk store for all workers),
computed once however many workers ask at once; no user state lives in the server. Every
request's cost is estimated first (``app.work_limits``): one above the cap is refused with
a sentence, a heavy one holds a client ticket and computes on the heavy pool (``app.heavy``).
In Redis mode heavy computations and every many-seeds race go to the hall's job queue
instead, as jobs (``_JOBS``: a kind and JSON arguments) that ``compute_sent`` runs in a
queue worker (``app.hall_worker``); the answers are the same.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from hpo_race.app.cache import BoundedCache
from hpo_race.app.heavy import HeavyWork, slots_from_env
from hpo_race.app.landscape_views import cached_landscape_view
from hpo_race.app.model_frames import page_frames
from hpo_race.app.narration import narrate_trace, with_reasons
from hpo_race.app.race_request import check_request
from hpo_race.app.shared_cache import SharedCache
from hpo_race.app.views import race_view
from hpo_race.app.work_limits import (
    MAX_REQUEST_SECONDS,
    check_cost,
    model_seconds,
    race_seconds,
    trials,
)
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

_RACES = SharedCache("race", memory=24)  # settings -> (trace, payload)
_MODELS = SharedCache("model", memory=12)  # settings -> model payload
_MANY = SharedCache("many", memory=1000)  # settings of one race -> its compact summary row
#: Identical many-seeds chunk requests on this worker: one computes, the others wait for it.
_CHUNKS = BoundedCache(maxsize=32)
#: This worker's heavy pool and the clients' tickets (``app.heavy``).
WORK = HeavyWork(slots=slots_from_env())


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


def _cached(
    cache: SharedCache,
    settings: dict[str, Any],
    seconds: float,
    job: Any,
    compute: Callable[[Any], Any],
    batch: bool = False,
) -> Any:
    """``compute(job)``'s result for these settings from the shared cache, computed once: by
    a queue worker in Redis mode when the work is heavy (or ``batch``), else here (on the
    heavy pool when heavy)."""
    queue = WORK.queue_for(batch)
    if queue is not None:
        return WORK.wait_sent(
            seconds, lambda timeout: cache.get_or_send(settings, job, queue, timeout)
        )
    return cache.get_or_compute(settings, lambda: WORK.compute(seconds, lambda: compute(job)))


def _race(settings: dict[str, Any]) -> dict:
    return _cached(_RACES, settings, race_seconds(settings), settings, _compute_race)


def race_entry(settings: dict[str, Any]) -> dict:
    """The trace and the browser's view of one race (``app.race_request.check_request``'s
    settings; cached, a copy each time). Refused above the cost cap; heavy ones wait their
    turn on the heavy pool (``BusyError`` if they would wait too long)."""
    seconds = check_cost("This race", race_seconds(settings), settings, race_seconds)
    found = _RACES.peek(settings)
    if found is not None:
        return found
    with WORK.request(seconds):
        return _race(settings)


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
    trace = _race(settings)["trace"]
    n = len(trace["strategies"]["bayes"]["trials"])
    raw = bayes_internals(trace, resolution=model_resolution(n))
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
    score_range = [shown["zmin"], shown["zmax"]]
    internals = page_frames(raw, score_range)
    return {
        **internals,
        "x_edges": _real_edges(ku, internals["resolution"]),
        "y_edges": _real_edges(kv, internals["resolution"]),
        "score_range": score_range,
        "knobs": [knob.as_dict() for knob in scape.knobs],
    }


def model_cost(settings: dict[str, Any]) -> float:
    """Estimated seconds of a model view: its frames, plus the race if nobody has it yet."""
    n = trials(settings, "bayes")
    frames = model_seconds(n, model_resolution(n))
    return frames + (0.0 if _RACES.has(settings) else race_seconds(settings))


def model_payload(settings: dict[str, Any]) -> dict:
    """The Bayesian model's frames for one race (cached; a copy each time), refused above
    the cost cap like a race."""
    if "bayes" not in settings["strategies"]:
        raise SettingError("strategies", "Bayesian optimisation is not racing in this race.")
    seconds = check_cost("This model view", model_cost(settings), settings, model_cost)
    found = _MODELS.peek(settings)
    if found is not None:
        return found
    with WORK.request(seconds):
        return _cached(_MODELS, settings, seconds, settings, _compute_model)


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


def _row_settings(settings: dict[str, Any], i: int) -> dict[str, Any]:
    """The settings of race ``i`` of a many-seeds run: the key of its cached summary row."""
    return {
        "landscape": settings["landscape"],
        "landscape_seed": settings["landscape_seed"] + (i if settings["vary"] else 0),
        "budget": settings["budget"],
        "seed": settings["seed"] + i,
        "noise": settings.get("noise", 0.0),
        "options": settings["options"],
        "strategies": settings["strategies"],
        "peaks": settings.get("peaks"),
        "dims": settings["dims"],
        "workers": settings["workers"],
    }


def _compute_row(job: dict[str, Any]) -> dict[str, Any]:
    """Race ``job["index"]`` of the many-seeds run ``job["settings"]``, compact."""
    settings = job["settings"]
    (record,) = run_chunk(
        settings["landscape"],
        settings["strategies"],
        settings["budget"],
        settings["seed"],
        start=job["index"],
        count=1,
        landscape_seed=settings["landscape_seed"],
        vary_landscape=settings["vary"],
        noise=settings.get("noise", 0.0),
        options=settings["options"],
        peaks=settings.get("peaks"),
        dims=settings["dims"],
        workers=settings["workers"],
    )
    return record


def _row(settings: dict[str, Any], i: int, seconds: float, spent: list[float]) -> dict[str, Any]:
    """Race ``i``'s compact record (``strategies.many.run_chunk``), cached, on the heavy pool
    when the chunk is heavy (in Redis mode by a queue worker); the seconds it took, if
    computed here, go to ``spent``."""

    def compute(job: dict[str, Any]) -> dict[str, Any]:
        began = time.perf_counter()
        record = _compute_row(job)
        spent.append(time.perf_counter() - began)
        return record

    job = {"settings": settings, "index": i}
    return _cached(_MANY, _row_settings(settings, i), seconds, job, compute, batch=True)


def _send_row(settings: dict[str, Any], i: int) -> bool:
    """In Redis mode, start a queue worker on race ``i`` unless someone has or computes it."""
    queue = WORK.queue_for(batch=True)
    if queue is None:
        return False
    job = {"settings": settings, "index": i}
    return _MANY.send(_row_settings(settings, i), job, queue)


#: What a queue worker may be sent: kind -> (its cache, its computation from the job).
_JOBS = {
    "race": (_RACES, _compute_race),
    "model": (_MODELS, _compute_model),
    "many": (_MANY, _compute_row),
}


def compute_sent(kind: str, key: str, job: Any) -> bool:
    """A queue worker's side of a sent job (``app.hall_worker``): compute it and store the
    result under ``key`` for the app that waits for it; True if computed here."""
    if kind not in _JOBS:
        raise ValueError(f"no such job kind: {kind!r}")
    cache, compute = _JOBS[kind]
    return cache.fill(key, lambda: compute(job))


def cached_row(settings: dict[str, Any], i: int) -> dict[str, Any] | None:
    """Race ``i`` of a many-seeds run (``check_many_request``'s settings) if some request on
    this machine has computed it, else None (nothing is computed)."""
    return _MANY.peek(_row_settings(settings, i))


def row_busy(settings: dict[str, Any], i: int) -> bool:
    """Is some request on this machine computing race ``i`` of this many-seeds run now?"""
    return _MANY.busy(_row_settings(settings, i))


#: Seconds between looks at rows other students' requests are computing.
SHARE_POLL = 0.05


def _share_rows(
    settings: dict[str, Any],
    wanted: list[int],
    per_race: float,
    rows: dict[int, dict[str, Any]],
    spent: list[float],
) -> None:
    """Fill ``rows`` with races ``wanted``, sharing the work with identical requests.

    A row is taken when it is in the cache, or computed here when nobody is computing it and
    this worker has a heavy slot free; other rows are looked at again shortly. So thirty
    students pressing the same many-seeds run keep every worker's heavy slot busy with a
    different race instead of queueing the same races behind one worker. When nothing can be
    taken and nobody computes any of the rest, the first is queued here (never a stall).
    """
    remaining = list(wanted)
    while remaining:
        progressed = False
        for i in list(remaining):
            key = _row_settings(settings, i)
            if _MANY.has(key) or (not _MANY.busy(key) and WORK.has_free_slot()):
                rows[i] = _row(settings, i, per_race, spent)
                remaining.remove(i)
                progressed = True
        if remaining and not progressed:
            if not any(_MANY.busy(_row_settings(settings, i)) for i in remaining):
                i = remaining.pop(0)
                rows[i] = _row(settings, i, per_race, spent)
            else:
                _read_ahead(settings, wanted[-1] + 1, per_race)
                time.sleep(SHARE_POLL)  # another request computes them; they land in the store


def _read_ahead(settings: dict[str, Any], after: int, per_race: float) -> None:
    """While this chunk waits for rows another worker computes, an idle heavy slot here
    computes the run's next row nobody has (the page asks for it next): identical runs
    that ask one race at a time then still keep every worker busy. (In Redis mode the
    chunk has sent the next chunk's races to the queue already: ``_chunk``.)"""
    if WORK.queue_for(batch=True) is not None:
        return
    for j in range(after, settings["total"]):
        key = _row_settings(settings, j)
        if not _MANY.has(key) and not _MANY.busy(key):
            WORK.spawn(per_race, lambda j=j: _row(settings, j, per_race, []))
            return


def chunk_fit(per_race: float, seconds: float | None = None) -> int:
    """The most races of this estimated cost one request may compute (in ``seconds``, by
    default the request cap)."""
    seconds = MAX_REQUEST_SECONDS if seconds is None else seconds
    return max(1, int(seconds // per_race)) if per_race > 0 else MAX_CHUNK


def many_chunk(settings: dict[str, Any]) -> dict[str, Any]:
    """Races start … start+count−1 of a many-seeds run, compact, with a next-chunk hint.

    Each race is ``strategies.many.run_chunk``'s compact record, cached per race on the
    machine, so a repeated run (or one with more seeds, or another student's identical one)
    recomputes nothing it has seen. A chunk whose estimate passes the cost cap is shortened
    to the races that fit (the page asks for the rest next). Rows another worker is computing
    are shared out, so students asking for the same run share its races out; identical chunk
    requests on one worker wait for one of them instead of each polling the store.
    """
    per_race = check_cost("One race", race_seconds(settings), settings, race_seconds)
    count = min(settings["count"], chunk_fit(per_race))
    return _CHUNKS.get_or_compute(
        {**settings, "count": count}, lambda: _chunk(settings, count, per_race)
    )


def _chunk(settings: dict[str, Any], count: int, per_race: float) -> dict[str, Any]:
    first = settings["start"]
    began = time.perf_counter()
    wanted = range(first, first + count)
    missing = [i for i in wanted if not _MANY.has(_row_settings(settings, i))]
    rows: dict[int, dict[str, Any]] = {}
    spent: list[float] = []  # seconds of the races computed by this request
    with WORK.request(per_race * len(missing)):
        # Redis mode: the queue's workers start on this chunk's races and, ahead of the page
        # asking, the next chunk's, all at once (Stop leaves at most that chunk queued)
        ahead = range(first + count, min(settings["total"], first + 2 * count))
        for i in [*missing, *ahead]:
            _send_row(settings, i)
        _share_rows(settings, list(wanted), per_race, rows, spent)
    elapsed = time.perf_counter() - began
    # the next chunk aims at CHUNK_TARGET_SECONDS of computing: waiting for another
    # student's races, or reading them from the cache, says nothing about what a race costs
    per_race_seen = sum(spent) / len(spent) if spent else 0.0
    hint = int(CHUNK_TARGET_SECONDS / per_race_seen) if per_race_seen > 0 else MAX_CHUNK
    budget = settings["budget"]
    return {
        "start": first,
        "count": count,
        "total": settings["total"],
        "races": [rows[i] for i in wanted],
        "minutes": [round(float(m), 4) for m in axis(budget)],
        "seconds": round(elapsed, 3),
        "next_count": max(1, min(chunk_limit(budget), chunk_fit(per_race), hint)),
    }
