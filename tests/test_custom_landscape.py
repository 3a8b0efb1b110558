"""The user-drawn landscape: validation, the URL string round trip, and racing on it."""

import json

import numpy as np
import pytest
from conftest import rerun
from hypothesis import given, settings
from hypothesis import strategies as st

from hpo_race.landscapes import LANDSCAPES, get_landscape
from hpo_race.landscapes.custom import (
    MAX_PEAKS,
    custom_landscape,
    decode_peaks,
    encode_peaks,
    from_settings,
    normalise_peaks,
    to_settings,
)
from hpo_race.strategies.race import run, run_many

PEAKS = [
    {"u": 0.62, "v": 0.58, "height": 0.8, "width": 0.16},
    {"u": 0.22, "v": 0.25, "height": 0.45, "width": 0.22},
]
TEXT = "0.620,0.580,0.800,0.160;0.220,0.250,0.450,0.220"


def test_string_form_is_fixed_decimals_and_round_trips():
    assert encode_peaks(PEAKS) == TEXT
    assert decode_peaks(TEXT) == PEAKS
    assert to_settings(PEAKS) == {"landscape": "custom", "peaks": TEXT}
    assert from_settings(to_settings(PEAKS)) == PEAKS
    assert to_settings(TEXT) == to_settings(PEAKS)


peak = st.fixed_dictionaries(
    {
        "u": st.floats(0, 1),
        "v": st.floats(0, 1),
        "height": st.floats(0, 1),
        "width": st.floats(0.02, 0.5),
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(peak, min_size=1, max_size=MAX_PEAKS))
def test_any_valid_peaks_round_trip_through_settings(peaks):
    clean = normalise_peaks(peaks)
    assert from_settings(to_settings(peaks)) == clean
    assert encode_peaks(decode_peaks(encode_peaks(peaks))) == encode_peaks(peaks)
    a, b = custom_landscape(peaks), custom_landscape(from_settings(to_settings(peaks)))
    X = np.random.default_rng(0).uniform(size=(64, 2))
    np.testing.assert_array_equal(a.score(X), b.score(X))


def test_the_landscape_is_the_documented_sum_of_bumps():
    land = get_landscape("custom", peaks=PEAKS)
    assert land.name == "custom" and "custom" not in LANDSCAPES
    X = np.array([[0.62, 0.58], [0.0, 1.0]])
    d1 = np.sum((X - [0.62, 0.58]) ** 2, axis=1)
    d2 = np.sum((X - [0.22, 0.25]) ** 2, axis=1)
    expected = 0.1 + 0.8 * np.exp(-d1 / (2 * 0.16**2)) + 0.45 * np.exp(-d2 / (2 * 0.22**2))
    np.testing.assert_allclose(land.score(X), expected, rtol=1e-12)
    opt = land.optimum
    assert np.linalg.norm(np.subtract(opt.theta, [0.62, 0.58])) < 0.02
    assert land.describe()["peaks"] == TEXT and land.describe()["seeded"] is False


def test_seed_is_ignored_and_noise_is_honoured():
    a = get_landscape("custom", 5, peaks=TEXT)
    assert a.seed == 0 and a.optimum == get_landscape("custom", 0, peaks=PEAKS).optimum
    assert get_landscape("custom", noise=0.05, peaks=PEAKS).noise == 0.05


def test_different_peaks_get_their_own_optimum():
    a = get_landscape("custom", peaks="0.200,0.200,0.900,0.100").optimum
    b = get_landscape("custom", peaks="0.800,0.700,0.900,0.100").optimum
    assert a.theta != b.theta


def test_run_races_on_custom_peaks_and_its_settings_replay_it():
    trace = run("custom", ["grid", "random", "hyperband"], 500, seed=3, peaks=PEAKS)
    s = trace["settings"]
    assert s["landscape"] == "custom" and s["peaks"] == TEXT
    again = rerun(s)
    assert json.dumps(again, sort_keys=True) == json.dumps(trace, sort_keys=True)
    assert "peaks" not in run("smooth", ["random"], 100, seed=0)["settings"]
    many = run_many("custom", ["random"], 200, seed=1, repeats=2, peaks=TEXT)
    assert all(r["settings"]["peaks"] == TEXT for r in many["races"])


@pytest.mark.parametrize(
    ("peaks", "message"),
    [
        ([], "between 1 and 12"),
        ([PEAKS[0]] * 13, "between 1 and 12"),
        ("nonsense", "four decimal numbers"),
        ({"u": 0.5}, "list"),
        (42, "list"),
        ([[0.5, 0.5, 0.5, 0.1]], "peak 1 must be an object"),
        ([{"u": 0.5, "v": 0.5, "height": 0.5}], "peak 1: missing width"),
        ([{**PEAKS[0], "colour": "red"}], "unknown colour"),
        ([PEAKS[0], {**PEAKS[0], "u": 1.5}], "peak 2 u must be between 0 and 1"),
        ([{**PEAKS[0], "v": -0.1}], "peak 1 v must be between 0 and 1"),
        ([{**PEAKS[0], "height": 2}], "height must be between 0 and 1"),
        ([{**PEAKS[0], "width": 0.0}], "width must be between 0.02 and 0.5"),
        ([{**PEAKS[0], "width": float("nan")}], "finite"),
        ([{**PEAKS[0], "height": float("inf")}], "finite"),
        ([{**PEAKS[0], "u": "0.5"}], "must be a number"),
        ([{**PEAKS[0], "u": True}], "must be a number"),
        ([{**PEAKS[0], "u": None}], "must be a number"),
        ("0.5,0.5,0.5", "four decimal numbers"),
        ("0.5,0.5,0.5,0.1;", "peak 2 must be four"),
        ("__import__('os'),0.5,0.5,0.1", "four decimal numbers"),
        ("1e0,0.5,0.5,0.1", "four decimal numbers"),
        ("nan,0.5,0.5,0.1", "four decimal numbers"),
        ("0.5,0.5,0.5,0.9", "width must be between"),
        (";".join(["0.5,0.5,0.5,0.1"] * 13), "between 1 and 12"),
        ("0." + "1" * 2000, "too long"),
    ],
)
def test_bad_peaks_are_refused_clearly(peaks, message):
    with pytest.raises(ValueError, match=message):
        get_landscape("custom", peaks=peaks)


def test_peaks_are_required_for_custom_and_refused_elsewhere():
    with pytest.raises(ValueError, match="needs peaks"):
        get_landscape("custom")
    with pytest.raises(ValueError, match="only for the custom landscape"):
        get_landscape("smooth", peaks=PEAKS)
    with pytest.raises(ValueError, match="not for the custom landscape"):
        from_settings({"landscape": "smooth", "peaks": TEXT})
    with pytest.raises(ValueError, match="noise"):
        custom_landscape(PEAKS, noise=-0.1)
