"""Server side of the model views and many-seeds mode: checks, payload sizes, chunk results."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from hpo_race.app.model_data import (
    BAYES_DEFAULTS,
    MODEL_BYTES,
    OptionError,
    check_bayes_options,
    check_many_request,
    chunk_limit,
    many_chunk,
    model_payload,
    model_resolution,
    race_entry,
    race_payload,
)
from hpo_race.app.model_frames import ACQ_DECADES, NOTHING_TO_GAIN_SHARE, acquisition_view
from hpo_race.app.narration import narrate_trace, with_reasons
from hpo_race.app.race_request import check_request
from hpo_race.app.transport import dequantise, quantise
from hpo_race.strategies.internals import bayes_internals
from hpo_race.strategies.race import run, run_many
from hpo_race.strategies.summary import _quantiles, summarise_compact


def test_defaults_are_the_engines() -> None:
    from hpo_race.strategies.bayes import BayesStrategy

    rng = np.random.default_rng(0)
    from hpo_race.landscapes import get_landscape

    model = BayesStrategy(rng, 800.0, get_landscape("smooth").cost_model)
    state = model.state()
    assert check_bayes_options(None) == BAYES_DEFAULTS
    for key in ("acquisition", "xi", "kappa", "kernel", "n_initial"):
        assert state[key] == BAYES_DEFAULTS[key], key
    assert state["length_scale_fitted"] is True and BAYES_DEFAULTS["length_scale"] is None


def test_good_options_come_back_canonical() -> None:
    got = check_bayes_options(
        {"acquisition": "ucb", "kappa": 5, "kernel": "rbf", "length_scale": 0.1, "n_initial": 7.0}
    )
    assert got == {
        "acquisition": "ucb",
        "xi": 0.03,
        "kappa": 5.0,
        "kernel": "rbf",
        "length_scale": 0.1,
        "n_initial": 7,
        "edge_prior": True,
    }
    assert isinstance(got["n_initial"], int) and isinstance(got["kappa"], float)


@pytest.mark.parametrize(
    ("raw", "field", "fragment"),
    [
        ("ei", "bayes", "options of Bayesian optimisation were not understood"),
        ({"acquisition": "greedy"}, "bayes.acquisition", "one of ei, pi, ucb (got 'greedy')"),
        ({"acquisition": ["ei"]}, "bayes.acquisition", "one of ei, pi, ucb"),
        ({"kernel": "linear"}, "bayes.kernel", "one of matern52, rbf (got 'linear')"),
        ({"xi": -1}, "bayes.xi", "The EI/PI margin ξ must be a number from 0 to 10 (got -1"),
        ({"xi": "0.1"}, "bayes.xi", "margin ξ"),
        ({"xi": float("nan")}, "bayes.xi", "margin ξ"),
        ({"xi": None}, "bayes.xi", "margin ξ"),
        ({"kappa": 101}, "bayes.kappa", "weight κ must be a number from 0 to 100"),
        ({"kappa": True}, "bayes.kappa", "weight κ"),
        ({"length_scale": 0.001}, "bayes.length_scale", "length scale ℓ must be a number from"),
        ({"length_scale": 11}, "bayes.length_scale", 'or "fitted"'),
        ({"length_scale": "short"}, "bayes.length_scale", "length scale"),
        ({"n_initial": 0}, "bayes.n_initial", "Initial random trials must be a whole number"),
        ({"n_initial": 2.5}, "bayes.n_initial", "Initial random trials"),
        ({"n_initial": 10_000}, "bayes.n_initial", "Initial random trials"),
        ({"n_initial": False}, "bayes.n_initial", "Initial random trials"),
        ({"lr": 1}, "bayes.lr", "Bayesian optimisation has no option lr (its options: "),
    ],
)
def test_bad_options_say_what_is_wrong(raw, field, fragment) -> None:
    with pytest.raises(OptionError) as caught:
        check_bayes_options(raw)
    message = str(caught.value)
    assert fragment in message and message[0].isupper() and message.endswith(".")
    assert caught.value.field == field


def race_settings(landscape="smooth", landscape_seed=0, budget=800.0, seed=0, **extra):
    """The checked settings of a page's race request (``app.race_request.check_request``)."""
    request = {
        "landscape": landscape,
        "landscape_seed": landscape_seed,
        "budget": budget,
        "seed": seed,
        **extra,
    }
    return check_request(request)


def test_race_payload_ships_narration_and_the_settings() -> None:
    bayes = check_bayes_options({"acquisition": "pi", "n_initial": 4})
    view = race_payload(race_settings("bumpy", 2, 600.0, 5, bayes=bayes))
    trace = run(
        "bumpy", ["grid", "random", "bayes"], 600.0, 5, landscape_seed=2, options={"bayes": bayes}
    )
    assert view["bayes"] == bayes
    assert view["options"] == {"bayes": bayes}
    assert view["narration"] == narrate_trace(trace)
    assert view["strategies"]["bayes"]["model"]["acquisition"] == "pi"
    assert view["strategies"]["bayes"]["model"]["n_initial"] == 4
    assert view["strategies"]["grid"]["score"] == [
        t["score"] for t in trace["strategies"]["grid"]["trials"]
    ]


def test_race_payload_races_the_picked_racers_with_their_options() -> None:
    settings = race_settings(
        "smooth",
        0,
        500.0,
        2,
        racers=["halving", "tpe", "grid"],
        options={"tpe": {"n_startup": 4}, "hyperband": {"eta": 3}},  # hyperband: not racing
    )
    assert settings["strategies"] == ["grid", "tpe", "halving"]  # panel order
    assert "hyperband" not in settings["options"]  # only racers that race have options
    assert settings["options"]["tpe"]["n_startup"] == 4
    view = race_payload(settings)
    assert view["order"] == settings["strategies"]
    assert "bayes" not in view["strategies"] and view["bayes"] is None
    trace = run("smooth", settings["strategies"], 500.0, 2, options=settings["options"])
    for name in settings["strategies"]:
        assert view["strategies"][name]["score"] == [
            t["score"] for t in trace["strategies"][name]["trials"]
        ], name
    with pytest.raises(OptionError, match="not racing"):
        model_payload(settings)


def test_race_entry_races_with_the_settings_noise() -> None:
    settings = {**race_settings("smooth", 0, 400.0, 3), "noise": 0.1}
    entry = race_entry(settings)
    assert entry["trace"]["settings"]["noise"] == 0.1
    trace = run("smooth", settings["strategies"], 400.0, 3, noise=0.1, options=settings["options"])
    assert entry["trace"] == json.loads(json.dumps(with_reasons(trace)))  # reasons in words
    quiet = race_entry(race_settings("smooth", 0, 400.0, 3))
    assert quiet["trace"]["strategies"] != entry["trace"]["strategies"]


def test_many_chunk_races_with_the_settings_noise() -> None:
    settings = {**check_many_request(good_many(start=0, count=2)), "noise": 0.1}
    chunk = many_chunk(settings)
    want = run_many("smooth", budget=400, seed=3, repeats=2, noise=0.1)["summary"]
    assert summarise_compact(chunk["races"]) == want
    quiet = many_chunk(check_many_request(good_many(start=0, count=2)))
    assert quiet["races"] != chunk["races"]


@pytest.mark.parametrize("trials", [10, 50, 187, 359, 500])
def test_model_frames_fit_their_byte_budget(trials) -> None:
    res = model_resolution(trials)
    assert 12 <= res <= 30
    frame = math.ceil(res * res / 3) * 4
    assert 3 * (trials + 1) * frame <= MODEL_BYTES * 1.02 or res == 12


@pytest.mark.slow
def test_a_race_with_its_model_is_under_one_megabyte() -> None:
    bayes = dict(BAYES_DEFAULTS)
    settings = race_settings("smooth", 0, 3000.0, 0, bayes=bayes)
    view = race_payload(settings)
    model = model_payload(settings)
    size = len(json.dumps(view)) + len(json.dumps(model))
    assert size < 1_000_000, size
    n = len(view["strategies"]["bayes"]["clock"])
    assert len(model["frames"]["mean"]) == n + 1 and len(model["next"]) == n + 1


# ---------------------------------------------------------------- the acquisition view


def test_acquisition_view_draws_log10_clipped_below_each_frames_largest_value() -> None:
    prior = np.zeros(4)  # before the first trial: nothing to improve on
    early = np.array([2e-2, 1e-5, 3e-12, 0.0])
    late = np.array([1.9e-91, 4e-95, 1e-120, 0.0])
    frames, facts = acquisition_view([prior, early, late], "ei", [0.1, 0.9])
    assert facts["scale"] == "log10" and facts["decades"] == ACQ_DECADES
    assert facts["peak"] == [0.0, 0.02, 1.9e-91]
    assert np.array_equal(frames[0], prior)
    top = math.log10(2e-2)
    assert np.allclose(frames[1], [top, -5.0, top - ACQ_DECADES, top - ACQ_DECADES])
    assert np.allclose(frames[2][:2], [math.log10(1.9e-91), math.log10(4e-95)])
    assert np.isclose(frames[2].min(), math.log10(1.9e-91) - ACQ_DECADES)
    # the threshold is a share of the score range; the prior is not "nothing left to gain"
    assert math.isclose(facts["threshold"], NOTHING_TO_GAIN_SHARE * 0.8)
    assert facts["nothing"] == [False, False, True]


def test_acquisition_view_keeps_ucb_linear_and_pi_has_no_gain_threshold() -> None:
    frame = np.array([0.2, 0.5, 0.9])
    frames, facts = acquisition_view([frame], "ucb", [0.1, 0.9])
    assert facts == {"scale": "linear", "peak": [0.9]} and frames[0] is frame
    frames, facts = acquisition_view([np.array([0.5, 1e-30])], "pi", [0.1, 0.9])
    assert facts["scale"] == "log10" and "nothing" not in facts  # a chance, not a gain
    assert np.allclose(frames[0], [math.log10(0.5), math.log10(0.5) - ACQ_DECADES])


def test_the_acquisition_frames_are_readable_until_nothing_is_left_to_gain() -> None:
    """The default race's EI frames as the page receives them. Linearly, most of a frame sat
    on the lowest colour from a few trials in (the end read "0 … 1.9e−91"); in log10 most of
    it spreads over the colours until EI is negligible everywhere, and from then on to the
    end the page says so (``nothing``) with numbers computed here."""
    settings = race_settings()
    model = model_payload(settings)
    res = model["resolution"]
    facts = model["acquisition_view"]
    raw = bayes_internals(race_entry(settings)["trace"], resolution=res)["frames"]["acquisition"]

    def coloured(frame: dict) -> float:  # share of cells above a tenth of the colour range
        values = dequantise(frame, (res, res))
        return float(np.mean(values - frame["lo"] > 0.1 * (frame["hi"] - frame["lo"])))

    assert facts["peak"] == [float(f"{f.max():.6g}") for f in raw]
    low, high = model["score_range"]
    threshold = NOTHING_TO_GAIN_SHARE * (high - low)
    assert facts["threshold"] == pytest.approx(threshold, rel=1e-5)
    assert facts["nothing"] == [k > 0 and f.max() < threshold for k, f in enumerate(raw)]
    first = facts["nothing"].index(True)
    assert first > 5 and all(facts["nothing"][first:]), "negligible late, and for good"
    n_init = BAYES_DEFAULTS["n_initial"]
    for k in range(n_init, first):
        frame = model["frames"]["acquisition"][k]
        assert frame["hi"] == pytest.approx(math.log10(raw[k].max()), abs=1e-5)
        assert frame["hi"] - frame["lo"] == pytest.approx(ACQ_DECADES, abs=1e-4)
        assert coloured(frame) > 0.4, k
    assert max(coloured(quantise(raw[k])) for k in range(n_init, first)) < 0.25  # as it was


def good_many(**extra):
    request = {
        "landscape": "smooth",
        "landscape_seed": 0,
        "budget": 400,
        "seed": 3,
        "bayes": None,
        "vary": False,
        "total": 6,
        "start": 0,
        "count": 3,
    }
    request.update(extra)
    return request


@pytest.mark.parametrize(
    ("extra", "field", "fragment"),
    [
        ({"total": 0}, "repeats", "The number of races must be a whole number from 1 to 100"),
        ({"total": 101}, "repeats", "The number of races must be a whole number from 1 to 100"),
        ({"total": "30"}, "repeats", "The number of races"),
        ({"start": 6}, "start", "The first race of a chunk must be a whole number from 0 to 5"),
        ({"start": -1}, "start", "first race"),
        ({"count": 0}, "count", "at least one race"),
        ({"count": 4, "start": 3}, "count", "chunk"),
        ({"count": 11, "total": 30}, "count", "chunk"),
        ({"budget": 3000, "count": 3}, "count", "A chunk at 3000 GPU minutes"),
        ({"vary": "yes"}, "vary_landscape", "Vary the layout must be"),
        ({"seed": 2**31 - 2}, "seed", "number of seeds must stay below"),
        ({"bayes": {"kappa": -1}}, "bayes.kappa", "weight κ"),
        ({"racers": ["grid"]}, "strategies", "2 to 5 racers"),
        ({"racers": ["grid", "tpe"], "options": {"tpe": {"zz": 1}}}, "tpe.zz", "no option zz"),
        ({"landscape": "nope"}, "landscape", "The landscape must be one of smooth, bumpy"),
        ({"budget": 5}, "budget", "from 20 to 3000 GPU minutes"),
    ],
)
def test_many_requests_are_checked(extra, field, fragment) -> None:
    with pytest.raises(OptionError, match=re.escape(fragment)) as caught:
        check_many_request(good_many(**extra))
    assert caught.value.field == field
    with pytest.raises(ValueError, match="not understood"):
        check_many_request([1, 2])


def test_many_request_carries_the_lineup_and_its_options() -> None:
    got = check_many_request(
        good_many(racers=["tpe", "random"], options={"tpe": {"multivariate": False}})
    )
    assert got["strategies"] == ["random", "tpe"]
    assert list(got["options"]) == ["tpe"] and got["options"]["tpe"]["multivariate"] is False
    assert (got["vary"], got["total"], got["start"], got["count"]) == (False, 6, 0, 3)


def test_chunks_limit_their_work() -> None:
    assert chunk_limit(800) == 10 and chunk_limit(3000) == 2 and chunk_limit(20) == 10
    assert chunk_limit(2999) == 2 and chunk_limit(1600) == 5


@pytest.mark.slow
@pytest.mark.parametrize("vary", [False, True])
def test_chunks_summarise_to_run_many(vary) -> None:
    records = []
    for start, count in ((0, 2), (2, 3), (5, 1)):
        chunk = many_chunk(check_many_request(good_many(start=start, count=count, vary=vary)))
        assert chunk["start"] == start and len(chunk["races"]) == count
        assert 1 <= chunk["next_count"] <= chunk_limit(400)
        records += chunk["races"]
    want = run_many("smooth", budget=400, seed=3, repeats=6, vary_landscape=vary)["summary"]
    assert summarise_compact(records) == want


def test_quartiles_resting_on_unstarted_races_are_null() -> None:
    """Interpolating towards the 'not started' filler must never leak a huge negative score."""
    for n in (2, 4, 5, 12, 30, 99, 100):
        for started in range(n + 1):
            column = np.array([[np.nan]] * (n - started) + [[0.3]] * started)
            for quartile in _quantiles(column):
                assert quartile[0] is None or quartile[0] == 0.3, (n, started, quartile)
