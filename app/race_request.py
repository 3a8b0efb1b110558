"""What the browser asks to race, checked against the settings table (``strategies.settings``).

Every server callback that computes from race settings (the race, the model view, many
seeds, the exports) reads them through ``check_request``, so a bound or a message is written
once, in the table; the preview checks its few values with ``check_landscape``,
``check_budget``, ``check_seed`` and ``check_peaks``. Requests carry ``landscape``,
``landscape_seed``, ``budget``, ``seed``, ``peaks`` (the drawn landscape), ``racers`` (the
line-up, 2–5 names), ``bayes`` (the Bayesian settings panel), ``options`` (other racers'
options, from a link), ``dims`` (how many knobs) and ``workers`` (how many GPUs each racer
has); absent or None, those two take their defaults. ``reply`` turns a server callback's work
into its answer.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

from dash import Dash, Input, Output, State, no_update

from hpo_race.app import ids
from hpo_race.landscapes import CUSTOM
from hpo_race.landscapes.custom import MAX_PEAKS, decode_peaks, encode_peaks
from hpo_race.strategies.registry import DEFAULT_RACERS, RACERS
from hpo_race.strategies.schema import SettingError
from hpo_race.strategies.settings import (
    BUDGET,
    DIMS,
    LANDSCAPE,
    LANDSCAPE_SEED,
    PAGE_RACERS,
    RACERS_SETTING,
    SEED,
    WORKERS,
    check_race,
)

log = logging.getLogger(__name__)

#: One exception type for every bad setting (``strategies.schema.SettingError``).
SettingsError = SettingError

#: Shown when the drawn landscape has no peak yet.
EMPTY_DRAWING = "Your landscape is empty: click a panel to place a peak, then press ▷ Run search."


#: The request's keys, in the order of ``request_states``.
REQUEST_KEYS = (
    "landscape",
    "landscape_seed",
    "budget",
    "seed",
    "bayes",
    "peaks",
    "racers",
    "options",
    "dims",
    "workers",
)


#: Where the page holds each of them: (component id, property).
REQUEST_PROPS = (
    (ids.LANDSCAPE_SELECT, "value"),
    (ids.LANDSCAPE_SEED, "data"),
    (ids.BUDGET_INPUT, "value"),
    (ids.SEED_INPUT, "value"),
    (ids.BAYES_STORE, "data"),
    (ids.PEAKS, "data"),
    (ids.RACER_PICKER, "value"),
    (ids.RACER_OPTIONS, "data"),
    (ids.DIMS_SELECT, "value"),
    (ids.WORKERS_INPUT, "value"),
)


def request_states() -> list[State]:
    """The page's race settings as callback States (in ``REQUEST_KEYS`` order)."""
    return [State(cid, prop) for cid, prop in REQUEST_PROPS]


def request_inputs() -> list[Input]:
    """The same as Inputs: a callback that follows every race setting."""
    return [Input(cid, prop) for cid, prop in REQUEST_PROPS]


def request_from(values: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """The request the page would send for these State values (as race-player.js ``request``)."""
    return dict(zip(REQUEST_KEYS, values, strict=True))


def check_racers(raw: Any) -> list[str]:
    """The page's line-up in panel order: 2–5 registered racers (None: the default three)."""
    if raw is None:
        return list(DEFAULT_RACERS)
    names = RACERS_SETTING.check(raw)
    low, high = PAGE_RACERS
    if not low <= len(names) <= high:
        raise SettingError("strategies", f"Choose {low} to {high} racers (got {len(names)}).")
    return [name for name in RACERS if name in names]


def check_request(request: Any, what: str = "race") -> dict[str, Any]:
    """The checked race settings of a request (``check_race``'s form, empty options dropped).

    ``SettingError`` says which field is wrong and what it may be, in a sentence for the page.
    """
    if not isinstance(request, dict):
        raise SettingError("request", f"The {what} request was not understood; reload the page.")
    racers = check_racers(request.get("racers"))
    landscape = request.get("landscape")
    peaks = request.get("peaks") if landscape == CUSTOM else None
    if landscape == CUSTOM and (peaks is None or peaks == ""):
        raise SettingError("peaks", EMPTY_DRAWING)
    others = request.get("options")
    if others is None:
        others = {}
    if not isinstance(others, dict):
        raise SettingError("options", "The racers' options were not understood; reload the page.")
    options = {}
    for name in racers:
        given = request.get("bayes") if name == "bayes" else others.get(name)
        if given is not None:
            options[name] = given
    settings = check_race(
        {
            "landscape": landscape,
            "landscape_seed": request.get("landscape_seed"),
            "budget": request.get("budget"),
            "seed": request.get("seed"),
            "peaks": peaks,
            "strategies": racers,
            "options": options,
            "dims": DIMS.default if request.get("dims") is None else request["dims"],
            "workers": WORKERS.default
            if request.get("workers") in (None, "")
            else request["workers"],
        }
    )
    settings["options"] = {k: v for k, v in settings["options"].items() if v}
    return settings


def message(exc: Exception) -> str:
    """An error as the page shows it: a sentence starting with a capital."""
    text = str(exc)
    return text[:1].upper() + text[1:]


def check_nonce(value: Any) -> int | float | str | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str) and len(value) > 40:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def request_nonce(request: Any) -> int | float | str | None:
    """The nonce a request carries (echoed back so the browser can match the answer), checked."""
    return check_nonce(request.get("nonce")) if isinstance(request, dict) else None


def reply(
    nonce: Any, compute: Callable[[], dict[str, Any]], failure: str, alert: Any
) -> tuple[dict[str, Any], Any]:
    """A server callback's (store data, alert line): ``{"ok": True, **compute()}`` and
    ``alert``, or ``{"ok": False, "error", "nonce"}`` and the error as the alert line.

    A bad setting (``ValueError``) says what is wrong; anything else is logged and the page
    says ``failure``, so an engine error never becomes a 500.
    """
    try:
        body = compute()
    except ValueError as exc:
        text = message(exc)
        return {"ok": False, "error": text, "nonce": nonce}, text
    except Exception:
        log.exception(failure)
        return {"ok": False, "error": failure, "nonce": nonce}, failure
    return {"ok": True, **body}, alert


def check_landscape(name: Any, seed: Any) -> tuple[str, int]:
    """A landscape name (a built-in one, or "custom": its peaks are checked by check_peaks)."""
    return LANDSCAPE.check(name), LANDSCAPE_SEED.check(seed)


def check_budget(budget: Any) -> float:
    return BUDGET.check(None if budget == "" else budget)


def check_seed(seed: Any) -> int:
    return SEED.check(None if seed == "" else seed)


def check_peaks(landscape: str, raw: Any) -> str | None:
    """The drawn peaks as their canonical string, for the custom landscape; else None.

    Raises ``SettingsError`` with a sentence a student can act on.
    """
    if landscape != CUSTOM:
        return None
    if raw is None or raw == "":
        raise SettingsError("peaks", EMPTY_DRAWING)
    if not isinstance(raw, str):
        raise SettingsError(
            "peaks", "The drawn peaks were not understood; press Clear and draw again."
        )
    try:
        return encode_peaks(decode_peaks(raw))
    except ValueError as exc:
        text = str(exc)
        if text.startswith("draw between"):
            raise SettingsError(
                "peaks", f"Your landscape can have 1 to {MAX_PEAKS} peaks."
            ) from None
        raise SettingsError("peaks", f"Your landscape: {text}.") from None


def serve(
    app: Dash,
    request_id: str,
    store: str,
    work: Callable[[Any, Any], dict[str, Any]],
    failure: str,
    *,
    alert: Any = no_update,
    nonce_of: Callable[[Any], Any] = request_nonce,
) -> None:
    """Register one server callback on ``app``: the request store ``request_id`` in, the answer
    store ``store`` and the alert line out; ``work(request, nonce)`` computes the answer's body
    (see ``reply``)."""

    @app.callback(
        Output(store, "data"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(request_id, "data"),
        prevent_initial_call=True,
    )
    def answer(request):
        nonce = nonce_of(request)
        return reply(nonce, lambda: work(request, nonce), failure, alert)
