"""The model internals the Bayesian view draws: replayed faithfully, compact, decodable."""

import json

import numpy as np
import pytest

from hpo_race.app.transport import dequantise, packed, quantise
from hpo_race.strategies.internals import VIEWS, bayes_internals
from hpo_race.strategies.race import run


@pytest.fixture(scope="module", params=[("smooth", 1, {}), ("bumpy", 4, {"acquisition": "ucb"})])
def race_and_internals(request):
    landscape, seed, options = request.param
    trace = run(landscape, ["grid", "random", "bayes"], 800, seed, options={"bayes": options})
    return trace, packed(bayes_internals(trace))  # as the page receives them


def test_replay_rebuilds_the_model_that_made_every_choice(race_and_internals):
    trace, internals = race_and_internals
    trials = trace["strategies"]["bayes"]["trials"]
    assert len(internals["next"]) == len(trials) + 1
    for k, trial in enumerate(trials):
        assert internals["next"][k] == trial["theta"], f"step {k}"
    assert internals["acquisition"] == trace["settings"]["options"]["bayes"].get(
        "acquisition", "ei"
    )


def test_one_frame_per_step_per_view_that_decodes_to_finite_values(race_and_internals):
    trace, internals = race_and_internals
    res = internals["resolution"]
    n = len(trace["strategies"]["bayes"]["trials"])
    for view in VIEWS:
        frames = internals["frames"][view]
        assert len(frames) == n + 1
        for frame in frames:
            values = dequantise(frame, (res, res))
            assert np.all(np.isfinite(values)) and frame["lo"] <= frame["hi"]
    std_last = dequantise(internals["frames"]["std"][-1], (res, res))
    std_first = dequantise(internals["frames"]["std"][1], (res, res))
    assert std_last.mean() < std_first.mean()  # the model grows surer as it observes


def test_mean_tracks_the_landscape_where_the_model_has_looked(race_and_internals):
    trace, internals = race_and_internals
    from hpo_race.landscapes import get_landscape

    s = trace["settings"]
    landscape = get_landscape(s["landscape"], s["landscape_seed"])
    res = internals["resolution"]
    _, _, truth = landscape.grid(res)
    mean = dequantise(internals["frames"]["mean"][-1], (res, res))
    best = np.array(trace["strategies"]["bayes"]["trials"][-1]["theta"])
    axis = np.array(internals["axis"])
    near = (np.abs(axis[None, :] - best[0]) < 0.1) & (np.abs(axis[:, None] - best[1]) < 0.1)
    assert np.abs(mean[near] - truth[near]).max() < 0.1


def test_a_race_with_its_internals_fits_in_one_megabyte(race_and_internals):
    trace, internals = race_and_internals
    assert len(json.dumps(trace)) + len(json.dumps(internals)) < 1_000_000


def test_quantise_round_trips_within_half_a_level():
    values = np.random.default_rng(0).normal(size=(7, 9))
    frame = quantise(values)
    back = dequantise(frame, values.shape)
    assert np.abs(back - values).max() <= (values.max() - values.min()) / 255 / 2 + 1e-6
    flat = dequantise(quantise(np.full((3, 3), 0.4)), (3, 3))
    assert np.allclose(flat, 0.4)


def test_bad_requests_are_refused_clearly():
    trace = run("smooth", ["grid"], 200, 0)
    with pytest.raises(ValueError, match="no Bayesian"):
        bayes_internals(trace)
    with pytest.raises(ValueError, match="resolution"):
        bayes_internals(run("smooth", ["bayes"], 200, 0), resolution=10_000)
