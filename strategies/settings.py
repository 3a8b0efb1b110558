"""The race's settings table: every setting of a race declared once (``strategies.schema``).

``RACE`` holds the race settings (landscape, layout, budget, seed, noise, drawn peaks, the
racers); each racer's options are on its class (``Strategy.OPTIONS``, reached through
``strategies.registry.RACERS``). From these tables, and nowhere else, come:

- validation: ``check_race`` (the engine, every server callback) raises one
  ``SettingError`` per bad field, naming the field and what it may be;
- the link codec: ``to_query`` / ``from_query`` (the browser's one JS codec reads the same
  table, shipped to the page by ``table_spec``);
- the CLI's flags (``strategies.cli``) and the controls' ranges, steps and defaults.

``ENGINE_ONLY`` holds race settings the engine and the CLI take before the page has a
control for them (none at the moment): links neither write nor read those.

A link is a flat query: race settings by their URL keys (``landscape``, ``layout``, ``dims``,
``workers``, ``budget``, ``seed``, ``noise``, ``peaks``, ``racers``) and each racer's options
by theirs (``acq``, ``xi``, ``ls`` … for Bayesian optimisation). ``hyperband=1`` is kept as an alias
for adding Hyperband to the racers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from hpo_race.landscapes import CUSTOM, LANDSCAPES, MAX_DIMS, MIN_DIMS, get_landscape
from hpo_race.landscapes.custom import DECIMALS, MAX_PEAKS, RANGES, decode_peaks, encode_peaks
from hpo_race.strategies.registry import DEFAULT_RACERS, RACERS
from hpo_race.strategies.schema import Setting, SettingError, check_options

MAX_SEED = 2**31 - 1
#: How many racers the page races at once (the engine and the CLI take any 1 … all).
PAGE_RACERS = (2, 5)


def canonical_peaks(text: str) -> str:
    """A drawn landscape's peaks string in its one canonical form (ValueError if malformed)."""
    return encode_peaks(decode_peaks(text))


LANDSCAPE = Setting(
    "landscape",
    "choice",
    next(iter(LANDSCAPES)),
    "The landscape",
    "The hidden score surface the racers search",
    url="landscape",
    choices=(*LANDSCAPES, CUSTOM),
)
LANDSCAPE_SEED = Setting(
    "landscape_seed",
    "int",
    0,
    "The landscape seed (layout)",
    "Moves the landscape's hills; 0 is the canonical layout",
    url="layout",
    low=0,
    high=MAX_SEED,
    step=1,
    cli="landscape-seed",
)
BUDGET = Setting(
    "budget",
    "float",
    800.0,
    "The budget",
    "GPU minutes each racer may spend",
    url="budget",
    low=20.0,
    high=3000.0,
    step=10.0,
    unit="GPU minutes",
)
SEED = Setting(
    "seed",
    "int",
    0,
    "The seed",
    "The race's dice: the same seed gives the same race",
    url="seed",
    low=0,
    high=MAX_SEED,
    step=1,
)
NOISE = Setting(
    "noise",
    "float",
    0.0,
    "The observation noise",
    "Standard deviation of the noise on every observed score",
    url="noise",
    low=0.0,
    high=0.2,
    step=0.01,
)
PEAKS = Setting(
    "peaks",
    "text",
    None,
    "The drawn peaks",
    'Peaks of your own landscape as "u,v,height,width;…"',
    url="peaks",
    parse=canonical_peaks,
)
RACERS_SETTING = Setting(
    "strategies",
    "list",
    DEFAULT_RACERS,
    "The racers",
    "Which search strategies race, in panel order",
    url="racers",
    choices=tuple(RACERS),
    low=1,
    high=len(RACERS),
    cli="strategies",
)
DIMS = Setting(
    "dims",
    "int",
    MIN_DIMS,
    "Knobs",
    "How many knobs the racers tune: the two on the axes plus up to four more that matter "
    "less (svm-digits and drawn landscapes have 2)",
    url="dims",
    low=MIN_DIMS,
    high=MAX_DIMS,
    step=1,
)
#: How many trials each racer may run at once (GPUs): the budget stays GPU minutes summed over
#: them (issue 16, ``strategies.race``).
MAX_WORKERS = 32
WORKERS = Setting(
    "workers",
    "int",
    1,
    "Workers (GPUs)",
    "How many trials each racer runs at once, one per GPU; the budget is GPU minutes summed "
    "over all of them",
    url="workers",
    low=1,
    high=MAX_WORKERS,
    step=1,
)
_DEFAULT_LINEUP = ",".join(DEFAULT_RACERS)
#: Race settings in the order a link writes them.
RACE: tuple[Setting, ...] = (
    LANDSCAPE,
    LANDSCAPE_SEED,
    DIMS,
    WORKERS,
    BUDGET,
    SEED,
    NOISE,
    PEAKS,
    RACERS_SETTING,
)
#: Race settings the engine and the CLI take but the page does not offer yet: links neither
#: write nor read them (so the page never shows a race it did not run) until the page has a
#: control for them; then they move into ``RACE``.
ENGINE_ONLY: tuple[Setting, ...] = ()
#: Every race setting ``check_race`` and the CLI know.
ALL_RACE: tuple[Setting, ...] = (*RACE, *ENGINE_ONLY)
#: Landscapes with no d-knob form (measured data, drawn peaks).
TWO_KNOBS_ONLY = ("svm-digits", CUSTOM)
#: Many seeds: how many races, and whether the layout steps with the seed.
REPEATS = Setting(
    "repeats",
    "int",
    30,
    "The number of races",
    "Races with seeds seed … seed + N − 1",
    url="repeats",
    low=1,
    high=100,
    step=1,
)
VARY_LANDSCAPE = Setting(
    "vary_landscape",
    "flag",
    False,
    "Vary the layout",
    "Step the landscape seed with the race seed too",
    url="vary",
    cli="vary-landscape",
)
#: Old links said ``hyperband=1`` for "add Hyperband"; still read, never written.
HYPERBAND_ALIAS = Setting(
    "hyperband",
    "flag",
    False,
    "The Hyperband switch",
    "Old links: add Hyperband to the racers",
    url="hyperband",
)


@functools.cache
def seeded(landscape: str) -> bool:
    """Does the landscape seed move this landscape (False for measured data and drawn ones)?"""
    return landscape != CUSTOM and get_landscape(landscape).seeded


def _page_allowed(setting: Setting) -> str:
    """What a link may say for a setting: the racers within the page's 2–5."""
    if setting is RACERS_SETTING:
        low, high = PAGE_RACERS
        names = ", ".join(setting.choices)
        return f"{low} to {high} different names from {names}, comma-separated"
    return setting.allowed()


def option_table(racer: str) -> tuple[Setting, ...]:
    return RACERS[racer].options


def check_race(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Every race setting checked and filled in with its default, in canonical form.

    Rules across fields: a drawn landscape needs its peaks and no other landscape takes
    them; measured and drawn landscapes have 2 knobs only; options may be given only for
    racers that race. The result's keys are the setting names (``ALL_RACE``) plus
    ``options`` ({racer: {option: value}}, every option filled in).
    """
    if not isinstance(raw, Mapping):
        raise SettingError("settings", "The race settings were not understood.")
    known = {s.name for s in ALL_RACE} | {"options"}
    unknown = sorted(str(k)[:30] for k in raw if k not in known)
    if unknown:
        raise SettingError(unknown[0], f"{unknown[0]} is not a setting of a race.")
    out = {s.name: s.check(raw[s.name]) if s.name in raw else s.default for s in ALL_RACE}
    out["strategies"] = list(out["strategies"])
    if out["landscape"] == CUSTOM and out["peaks"] is None:
        raise SettingError("peaks", "The drawn landscape needs its peaks.")
    if out["landscape"] != CUSTOM and out["peaks"] is not None:
        raise SettingError("peaks", f"Peaks are only for the {CUSTOM} landscape.")
    if out["landscape"] in TWO_KNOBS_ONLY and out["dims"] != DIMS.default:
        raise SettingError(
            "dims",
            f"The {out['landscape']} landscape has {DIMS.default} knobs only "
            f"(got {out['dims']}); use {DIMS.default}.",
        )
    given = raw.get("options") or {}
    if not isinstance(given, Mapping):
        raise SettingError("options", "The racers' options were not understood.")
    for name in given:
        if name not in out["strategies"]:
            raise SettingError(
                f"{str(name)[:30]}",
                f"Options were given for {str(name)[:30]!r}, which is not racing.",
            )
    out["options"] = {
        name: check_options(option_table(name), given.get(name, {}), RACERS[name].title, f"{name}.")
        for name in out["strategies"]
    }
    return out


# ---------------------------------------------------------------- links


def to_query(settings: Mapping[str, Any]) -> dict[str, str]:
    """A link's query for checked settings (``check_race``): every setting written out, so
    it replays the same race even if a default changes later."""
    query = {}
    for setting in RACE:
        value = settings.get(setting.name, setting.default)
        if value is None and setting.none is None:
            continue
        query[setting.url] = setting.encode(value)
    for name in settings.get("strategies", ()):
        for setting in option_table(name):
            value = settings.get("options", {}).get(name, {}).get(setting.name, setting.default)
            query[setting.url] = setting.encode(value)
    return query


def option_by_url() -> dict[str, tuple[str, Setting]]:
    """URL key -> (racer, option setting), for every racer's options."""
    return {s.url: (name, s) for name, r in RACERS.items() for s in r.options}


def from_query(query: Mapping[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Settings read from a link, and one problem per parameter it could not use.

    ``landscape=custom`` without (readable) peaks gives the drawn landscape with nothing drawn
    (``peaks`` None): the page opens in drawing mode, though there is nothing to race yet.
    A problem is ``{"param", "value", "why", "fallback"}`` (the fallback in its text form, or
    None when the parameter is simply ignored). Settings are checked (``check_race``) and
    carry options for every racer in the line-up; page-only parameters (view, theme …) are
    not read here.
    """
    problems: list[dict[str, Any]] = []

    def problem(param: str, why: str, fallback: str | None) -> None:
        problems.append(
            {"param": param, "value": query.get(param), "why": why, "fallback": fallback}
        )

    raw: dict[str, Any] = {}
    for setting in RACE:
        if setting.url in query:
            try:
                raw[setting.name] = setting.decode(query[setting.url])
            except SettingError as exc:
                if setting.kind == "text":  # the parser's own words say what is wrong
                    detail = str(exc).removeprefix(f"{setting.label}: ").rstrip(".")
                    problem(setting.url, f"could not be read: {detail}", None)
                else:
                    default = setting.encode(setting.default)
                    problem(setting.url, f"must be {_page_allowed(setting)}", default)
    low, high = PAGE_RACERS
    racers = raw.get("strategies", list(DEFAULT_RACERS))
    if not low <= len(racers) <= high:
        problem(RACERS_SETTING.url, f"must be {_page_allowed(RACERS_SETTING)}", _DEFAULT_LINEUP)
        racers = list(DEFAULT_RACERS)
    if HYPERBAND_ALIAS.url in query:  # old links: add Hyperband to the line-up
        try:
            on = HYPERBAND_ALIAS.decode(query[HYPERBAND_ALIAS.url])
        except SettingError:
            problem(HYPERBAND_ALIAS.url, f"must be {HYPERBAND_ALIAS.allowed()}", "0")
        else:
            if on and "hyperband" not in racers:
                if len(racers) < high:
                    racers = [*racers, "hyperband"]
                else:
                    problem(HYPERBAND_ALIAS.url, f"cannot add a racer to {high} racers", "0")
    raw["strategies"] = [name for name in RACERS if name in racers]  # panel order
    landscape = raw.get("landscape", LANDSCAPE.default)
    if landscape != CUSTOM and "peaks" in raw:
        problem(PEAKS.url, f"is only used with landscape={CUSTOM}", None)
        del raw["peaks"]
    if not seeded(landscape) and raw.get("landscape_seed", 0) != 0:
        what = "your drawn landscape" if landscape == CUSTOM else f"{landscape} is measured data,"
        problem(LANDSCAPE_SEED.url, f"does not apply: {what} with one layout", "0")
        raw["landscape_seed"] = 0
    if landscape in TWO_KNOBS_ONLY and raw.get("dims", DIMS.default) != DIMS.default:
        what = "your drawn landscape" if landscape == CUSTOM else f"{landscape} is measured data"
        default = DIMS.encode(DIMS.default)
        problem(DIMS.url, f"does not apply: {what} with {default} knobs only", default)
        raw["dims"] = DIMS.default
    by_url = option_by_url()
    options: dict[str, dict[str, Any]] = {}
    for key, (name, setting) in by_url.items():
        if key not in query:
            continue
        try:
            value = setting.decode(query[key])
        except SettingError:
            problem(
                key,
                f"({setting.label}) must be {setting.allowed()}",
                setting.encode(setting.default),
            )
            continue
        if name in racers:
            options.setdefault(name, {})[setting.name] = value
    raw["options"] = options
    if landscape == CUSTOM and raw.get("peaks") is None:
        # the drawn landscape with nothing drawn yet (no peaks, or unreadable ones): the page
        # opens in drawing mode; everything else is checked as for any race
        raw.pop("peaks", None)
        checked = check_race({**raw, "landscape": LANDSCAPE.default})
        return {**checked, "landscape": CUSTOM}, problems
    return check_race(raw), problems


def race_keys() -> set[str]:
    """Every query key ``from_query`` reads."""
    return {s.url for s in RACE} | set(option_by_url()) | {HYPERBAND_ALIAS.url}


def table_spec() -> dict[str, Any]:
    """The whole table as JSON, for the page's controls and its link codec."""
    return {
        "race": [s.spec() for s in RACE],
        # settings links do not carry yet (ENGINE_ONLY): the page fills their
        # defaults, as ``check_race`` does, so its settings read as Python's
        "engine_only": [s.spec() for s in ENGINE_ONLY],
        "repeats": REPEATS.spec(),
        "vary_landscape": VARY_LANDSCAPE.spec(),
        "hyperband_alias": HYPERBAND_ALIAS.spec(),
        "page_racers": list(PAGE_RACERS),
        "racers_allowed": _page_allowed(RACERS_SETTING),
        "racers": [r.spec() for r in RACERS.values()],
        "unseeded": [name for name in (*LANDSCAPES, CUSTOM) if not seeded(name)],
        "two_knobs_only": list(TWO_KNOBS_ONLY),
        "custom": CUSTOM,
        # what a drawn landscape's peaks string may be (landscapes/custom.py)
        "peaks": {
            "max": MAX_PEAKS,
            "decimals": DECIMALS,
            "ranges": {key: list(bounds) for key, bounds in RANGES.items()},
        },
    }


def decode_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``check_race`` for settings recorded in a trace (``run``'s ``settings``)."""
    keys = {s.name for s in ALL_RACE}
    return check_race({k: v for k, v in raw.items() if k in keys or k == "options"})


__all__ = [
    "ALL_RACE",
    "BUDGET",
    "DIMS",
    "ENGINE_ONLY",
    "LANDSCAPE",
    "LANDSCAPE_SEED",
    "MAX_SEED",
    "NOISE",
    "PAGE_RACERS",
    "PEAKS",
    "RACE",
    "RACERS_SETTING",
    "REPEATS",
    "SEED",
    "VARY_LANDSCAPE",
    "WORKERS",
    "check_race",
    "from_query",
    "to_query",
    "table_spec",
]
