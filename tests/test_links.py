"""Links: any valid race settings survive ``to_query`` -> ``from_query`` exactly, and broken
links each say which parameter they could not use.

The property tests draw settings generically from the tables (``strategies.settings.RACE``
and every racer's ``OPTIONS``), so a new option or racer is covered without touching this
file.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpo_race.landscapes import CUSTOM
from hpo_race.landscapes.custom import KEYS, MAX_PEAKS, RANGES, encode_peaks
from hpo_race.strategies.race import run
from hpo_race.strategies.registry import DEFAULT_RACERS, RACERS
from hpo_race.strategies.schema import Setting
from hpo_race.strategies.settings import (
    LANDSCAPE,
    MAX_SEED,
    PAGE_RACERS,
    RACE,
    check_race,
    from_query,
    race_keys,
    seeded,
    to_query,
)

NAMES = tuple(RACERS)
#: Budgets from the bug report (odd ones included) and the range's ends.
ODD_BUDGETS = (805.0, 25.0, 800.5, 20.0, 3000.0)


# ---------------------------------------------------------------- drawing valid settings


def numbers(setting: Setting) -> st.SearchStrategy[Any]:
    """Any value in the setting's range, with its ends and a few hand-picked odd ones."""
    low, high = setting.low, setting.high
    if setting.kind == "int":
        return st.integers(int(low), int(high))
    odd = [v for v in (0.051, 0.1, 1 / 3, 0.2, 1.0, 2.5) if low <= v <= high]
    return st.one_of(
        st.sampled_from([low, high, *odd]),
        st.floats(low, high, allow_nan=False, allow_infinity=False),
    )


def values(setting: Setting) -> st.SearchStrategy[Any]:
    """Any valid value of one setting, drawn from its kind, range, choices and ``none``."""
    if setting.kind in ("int", "float"):
        drawn = numbers(setting)
    elif setting.kind == "choice":
        drawn = st.sampled_from(setting.choices)
    elif setting.kind == "flag":
        drawn = st.booleans()
    else:  # pragma: no cover - no racer option is text or a list (yet)
        raise AssertionError(f"no generic draw for a {setting.kind} option")
    if setting.none is not None:
        drawn = st.one_of(st.none(), drawn)
    return drawn


def peaks_text() -> st.SearchStrategy[str]:
    """A valid peaks string: 1–12 random peaks, encoded as the page does."""
    peak = st.fixed_dictionaries(
        {key: st.floats(*RANGES[key], allow_nan=False, allow_infinity=False) for key in KEYS}
    )
    return st.lists(peak, min_size=1, max_size=MAX_PEAKS).map(encode_peaks)


def line_ups(low: int = PAGE_RACERS[0], high: int = PAGE_RACERS[1]) -> st.SearchStrategy:
    """low–high distinct racers, either in registry order or in any order."""
    picked = st.lists(st.sampled_from(NAMES), min_size=low, max_size=high, unique=True)
    # a link's line-up is in panel order (from_query puts any order there; tested below)
    return picked.map(lambda names: sorted(names, key=NAMES.index))


@st.composite
def raw_settings(draw, budgets: st.SearchStrategy[float] | None = None) -> dict[str, Any]:
    """Valid raw race settings (what ``check_race`` takes), every option of every racer set."""
    landscape = draw(st.sampled_from(LANDSCAPE.choices))
    raw: dict[str, Any] = {"landscape": landscape}
    if landscape == CUSTOM:
        raw["peaks"] = draw(peaks_text())
    raw["landscape_seed"] = draw(st.integers(0, MAX_SEED)) if seeded(landscape) else 0
    if budgets is None:
        budgets = st.one_of(
            st.sampled_from(ODD_BUDGETS),
            st.floats(20.0, 3000.0, allow_nan=False, allow_infinity=False),
        )
    raw["budget"] = draw(budgets)
    raw["seed"] = draw(st.integers(0, MAX_SEED))
    raw["noise"] = draw(st.one_of(st.sampled_from([0.0, 0.2, 0.05]), st.floats(0.0, 0.2)))
    raw["strategies"] = draw(line_ups())
    raw["options"] = {
        name: {s.name: draw(values(s)) for s in RACERS[name].options} for name in raw["strategies"]
    }
    return raw


def args_from(checked: dict[str, Any]) -> dict[str, Any]:
    """``run``'s keyword arguments for checked settings (``check_race`` / ``from_query``)."""
    return {
        "landscape": checked["landscape"],
        "strategies": checked["strategies"],
        "budget": checked["budget"],
        "seed": checked["seed"],
        "landscape_seed": checked["landscape_seed"],
        "noise": checked["noise"],
        "options": checked["options"],
        "peaks": checked["peaks"],
    }


# ---------------------------------------------------------------- round trips


@pytest.mark.slow  # 300 generated links: seconds
@settings(derandomize=True, max_examples=300, deadline=None)
@given(raw_settings())
def test_any_valid_settings_survive_the_link_exactly(raw):
    checked = check_race(raw)
    query = to_query(checked)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items()), query
    assert set(query) <= race_keys()
    back, problems = from_query(query)
    assert problems == []
    assert back == checked
    # Exactly, not just ==: 0.051 stays 0.051 and 805 stays 805.0 (a float).
    assert json.dumps(back, sort_keys=True) == json.dumps(checked, sort_keys=True)
    # A second trip writes the very same link.
    assert to_query(back) == query


@settings(derandomize=True, max_examples=20, deadline=None)
@given(
    raw_settings(
        budgets=st.one_of(
            st.sampled_from([20.0, 25.0, 200.0, 120.5]),
            st.floats(20.0, 200.0, allow_nan=False, allow_infinity=False),
        )
    )
)
def test_a_link_replays_the_bit_identical_race(raw):
    checked = check_race(raw)
    back, problems = from_query(to_query(checked))
    assert problems == []
    first = json.dumps(run(**args_from(checked)))
    again = json.dumps(run(**args_from(back)))
    assert again == first


def test_url_keys_are_unique_across_race_settings_and_every_racers_options():
    keys = [s.url for s in RACE] + [s.url for r in RACERS.values() for s in r.options]
    assert len(keys) == len(set(keys)), keys
    assert "hyperband" not in keys  # the alias has its key to itself


def test_the_default_link_round_trips():
    checked = check_race({})
    assert from_query(to_query(checked)) == (checked, [])
    assert from_query({}) == (checked, [])


# ---------------------------------------------------------------- the bug report's links


def read(query: dict[str, str]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Settings read from the link and its problems keyed by parameter (one each)."""
    checked, problems = from_query(query)
    by_param = {p["param"]: p for p in problems}
    assert len(by_param) == len(problems), problems
    for p in problems:
        assert p["value"] == query.get(p["param"])
        assert isinstance(p["why"], str) and p["why"]
    return checked, by_param


def test_a_fixed_length_scale_is_kept_exactly():
    checked, problems = read({"ls": "0.051"})
    assert problems == {}
    assert checked["options"]["bayes"]["length_scale"] == 0.051
    assert to_query(checked)["ls"] == "0.051"


@pytest.mark.parametrize("text, value", [("805", 805.0), ("25", 25.0), ("800.5", 800.5)])
def test_odd_budgets_are_kept(text, value):
    checked, problems = read({"budget": text})
    assert problems == {}
    assert checked["budget"] == value
    assert to_query(checked)["budget"] == text


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-inf", "10", "3001", "", "lots"])
def test_a_budget_that_is_not_a_usable_number_is_a_problem(text):
    checked, problems = read({"budget": text})
    assert set(problems) == {"budget"}
    assert "20 to 3000" in problems["budget"]["why"]
    assert checked["budget"] == 800.0


def test_unreadable_peaks_say_why_and_the_drawing_starts_empty():
    checked, problems = read({"landscape": "custom", "peaks": "garbage"})
    assert set(problems) == {"peaks"}
    assert "four decimal numbers" in problems["peaks"]["why"]
    assert checked["landscape"] == "custom"
    assert checked["peaks"] is None


def test_unreadable_peaks_alone_are_a_problem_saying_why():
    checked, problems = read({"peaks": "garbage"})
    assert set(problems) == {"peaks"}
    assert "could not be read" in problems["peaks"]["why"]
    assert "four decimal numbers" in problems["peaks"]["why"]
    assert checked["peaks"] is None


def test_a_drawn_landscape_without_peaks_opens_an_empty_drawing():
    checked, problems = read({"landscape": "custom", "seed": "4"})
    assert problems == {}
    assert checked["landscape"] == "custom" and checked["peaks"] is None
    assert checked["seed"] == 4
    assert to_query(checked)["landscape"] == "custom" and "peaks" not in to_query(checked)


def test_page_only_parameters_are_ignored_here():
    checked, problems = read({"presenter": "yes", "view": "many", "theme": "dark"})
    assert problems == {}
    assert checked == check_race({})


def test_a_layout_for_measured_data_is_a_problem_on_layout():
    checked, problems = read({"landscape": "svm-digits", "layout": "7"})
    assert set(problems) == {"layout"}
    assert "svm-digits" in problems["layout"]["why"]
    assert problems["layout"]["fallback"] == "0"
    assert checked["landscape"] == "svm-digits"
    assert checked["landscape_seed"] == 0


def test_the_old_hyperband_switch():
    checked, problems = read({"hyperband": "on"})
    assert set(problems) == {"hyperband"}
    assert checked["strategies"] == list(DEFAULT_RACERS)
    checked, problems = read({"hyperband": "1"})
    assert problems == {}
    assert checked["strategies"] == [*DEFAULT_RACERS, "hyperband"]
    assert "hyperband" in checked["options"]
    checked, problems = read({"hyperband": "1", "racers": "tpe,hyperband"})
    assert problems == {}
    assert checked["strategies"] == ["hyperband", "tpe"]  # panel order
    checked, problems = read({"hyperband": "0"})
    assert problems == {}
    assert checked["strategies"] == list(DEFAULT_RACERS)


@pytest.mark.parametrize(
    "text", ["grid", "grid,nope", "grid,grid", "", "grid,random,bayes,hyperband,tpe,halving"]
)
def test_a_line_up_the_page_cannot_show_is_a_problem(text):
    checked, problems = read({"racers": text})
    assert set(problems) == {"racers"}
    assert problems["racers"]["fallback"] == ",".join(DEFAULT_RACERS)
    assert checked["strategies"] == list(DEFAULT_RACERS)


@pytest.mark.parametrize(
    "key, text, racers",
    [
        ("xi", "99", "grid,bayes"),
        ("ls", "0.001", "grid,bayes"),
        ("acq", "best", "grid,bayes"),
        ("init", "0", "grid,bayes"),
        ("tpe_init", "0", "grid,tpe"),
        ("tpe_multi", "yes", "grid,tpe"),
        ("sh_eta", "9", "grid,halving"),
        ("sh_rmin", "0.9", "grid,halving"),
        ("hb_eta", "1", "grid,hyperband"),
        ("hb_smax", "99", "grid,hyperband"),
    ],
)
def test_an_unknown_option_value_is_a_problem_naming_its_key(key, text, racers):
    checked, problems = read({key: text, "racers": racers})
    assert set(problems) == {key}
    name, setting = next((n, s) for n, r in RACERS.items() for s in r.options if s.url == key)
    assert setting.label in problems[key]["why"]
    assert problems[key]["fallback"] == setting.encode(setting.default)
    assert checked["strategies"] == racers.split(",")
    assert checked["options"][name][setting.name] == setting.default


def test_a_bad_option_of_a_racer_not_racing_is_still_a_problem():
    checked, problems = read({"sh_eta": "9"})
    assert set(problems) == {"sh_eta"}
    assert "halving" not in checked["options"]


def test_a_broken_link_still_keeps_what_it_could_read():
    checked, problems = read(
        {"budget": "NaN", "seed": "7", "racers": "tpe,halving", "tpe_init": "3", "sh_eta": "9"}
    )
    assert set(problems) == {"budget", "sh_eta"}
    assert checked["seed"] == 7
    assert checked["strategies"] == ["tpe", "halving"]
    assert checked["options"]["tpe"]["n_startup"] == 3


def test_an_unusable_racers_list_falls_back_to_the_default_and_the_alias_still_adds():
    checked, problems = read({"racers": "grid,nope", "hyperband": "1"})
    assert set(problems) == {"racers"}
    assert "2 to 5 different names" in problems["racers"]["why"]
    assert problems["racers"]["fallback"] == "grid,random,bayes"
    assert checked["strategies"] == ["grid", "random", "bayes", "hyperband"]


def test_the_alias_cannot_add_a_sixth_racer_and_says_so():
    five = "grid,random,bayes,tpe,halving"
    checked, problems = read({"racers": five, "hyperband": "1"})
    assert set(problems) == {"hyperband"}
    assert checked["strategies"] == five.split(",")


def test_a_drawn_landscape_has_one_layout_and_a_link_says_so():
    peaks = "0.300,0.400,0.800,0.100"
    checked, problems = read({"landscape": "custom", "peaks": peaks, "layout": "7"})
    assert set(problems) == {"layout"} and "drawn landscape" in problems["layout"]["why"]
    assert checked["landscape_seed"] == 0 and checked["peaks"] == peaks


def test_a_line_up_in_any_order_reads_back_in_panel_order():
    checked, problems = read({"racers": "halving,grid,tpe"})
    assert problems == {} and checked["strategies"] == ["grid", "tpe", "halving"]
