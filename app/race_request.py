"""What the browser asks to race, checked against the settings table (``strategies.settings``).

Every server callback that computes from race settings (the race, the model view, many
seeds, the exports) reads them through ``check_request``, so a bound or a message is written
once, in the table. Requests carry ``landscape``, ``landscape_seed``, ``budget``, ``seed``,
``peaks`` (the drawn landscape), ``racers`` (the line-up, 2–5 names), ``bayes`` (the Bayesian
settings panel) and ``options`` (other racers' options, from a link).
"""

from __future__ import annotations

from typing import Any

from dash import Input, State

from hpo_race.app import ids
from hpo_race.landscapes import CUSTOM
from hpo_race.strategies.registry import DEFAULT_RACERS, RACERS
from hpo_race.strategies.schema import SettingError
from hpo_race.strategies.settings import PAGE_RACERS, RACERS_SETTING, check_race

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
        }
    )
    settings["options"] = {k: v for k, v in settings["options"].items() if v}
    return settings


def message(exc: Exception) -> str:
    """An error as the page shows it: a sentence starting with a capital."""
    text = str(exc)
    return text[:1].upper() + text[1:]
