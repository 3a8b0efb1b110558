"""Landscapes with 3 to 6 knobs (landscapes/extra_knobs.py): optimum, importance, 2-knob parity."""

import numpy as np
import pytest

from hpo_race.landscapes import CUSTOM, LANDSCAPES, get_landscape
from hpo_race.landscapes.extra_knobs import MAX_DIMS, WEIGHTS, extra_centres

SEEDED = [name for name in LANDSCAPES if get_landscape(name).seeded]
DIMS = range(3, MAX_DIMS + 1)
SALTS = {"smooth": 101, "bumpy": 202, "one-knob": 303}
PEAKS = "0.700,0.700,0.800,0.120"


@pytest.mark.parametrize("name", SEEDED)
@pytest.mark.parametrize("dims", DIMS)
@pytest.mark.parametrize("seed", [0, 7])
def test_stated_optimum_beats_a_dense_random_sample(name, dims, seed):
    """The documented optimum (2-knob optimum + the extra knobs' centres) is the maximum."""
    land = get_landscape(name, seed, dims=dims)
    rng = np.random.default_rng([seed, dims])
    X = rng.uniform(size=(100_000, dims))
    opt = land.optimum
    near = np.clip(np.array(opt.theta) + 0.02 * rng.standard_normal((20_000, dims)), 0, 1)
    assert opt.score >= land.score(X).max()
    assert opt.score >= land.score(near).max() - 1e-12
    assert land.score(np.array(opt.theta))[0] == pytest.approx(opt.score, abs=1e-12)
    # as the docstrings say: f_d* = f₂*, at (θ₂*, c₃, …, c_d)
    plane = get_landscape(name, seed)
    assert opt.score == pytest.approx(plane.optimum.score, abs=1e-9)  # polishing in d dims
    np.testing.assert_allclose(opt.theta[:2], plane.optimum.theta, atol=1e-6)
    np.testing.assert_allclose(
        opt.theta[2:], extra_centres(seed, SALTS[name])[: dims - 2], atol=1e-6
    )


@pytest.mark.parametrize("name", SEEDED)
def test_two_knobs_is_the_landscape_of_before(name):
    """dims=2 is the very same function; more knobs at their best values give its scores."""
    X = np.random.default_rng(4).uniform(size=(500, 2))
    plane = get_landscape(name, 3)
    np.testing.assert_array_equal(get_landscape(name, 3, dims=2).score(X), plane.score(X))
    for dims in DIMS:
        land = get_landscape(name, 3, dims=dims)
        best = np.broadcast_to(land.optimum.theta[2:], (len(X), dims - 2))
        np.testing.assert_allclose(land.score(np.hstack([X, best])), plane.score(X), atol=1e-14)
        assert land.knobs[:2] == plane.knobs


@pytest.mark.parametrize("name", SEEDED)
def test_more_knobs_keep_the_first_extra_knobs(name):
    """A 6-knob landscape's first extra knobs are the 4-knob one's: same best values, same knobs."""
    four, six = get_landscape(name, 5, dims=4), get_landscape(name, 5, dims=6)
    assert six.knobs[:4] == four.knobs
    np.testing.assert_allclose(six.optimum.theta[:4], four.optimum.theta, atol=1e-9)


@pytest.mark.parametrize("name", SEEDED)
def test_the_third_knob_matters_and_the_rest_barely(name):
    """Sweeping one knob through the optimum: knob 3 costs more score than any of 4, 5, 6
    (at least an eighth of the gain above the floor), and those at most a few per cent."""
    land = get_landscape(name, 2, dims=6)
    opt = np.array(land.optimum.theta)
    sweep = np.linspace(0, 1, 201)
    drops = []
    for k in range(2, 6):
        X = np.tile(opt, (len(sweep), 1))
        X[:, k] = sweep
        drops.append(land.optimum.score - land.score(X).min())
    gain = land.optimum.score - land.floor
    assert drops[0] > max(drops[1:])
    assert drops[0] >= 0.125 * gain - 1e-12
    assert all(d < 0.07 * gain for d in drops[1:])
    assert len(WEIGHTS) == MAX_DIMS - 2


@pytest.mark.parametrize("name", SEEDED)
def test_extra_knobs_have_real_ranges_and_distinct_names(name):
    land = get_landscape(name, dims=6)
    names = [k.name for k in land.knobs]
    assert len(set(names)) == 6
    for knob in land.knobs[2:]:
        assert knob.high > knob.low
        real = knob.to_real(np.array([0.0, 1.0]))
        np.testing.assert_allclose(real, [knob.low, knob.high])
    batch = next(k for k in land.knobs if k.name == "batch size")
    assert batch.log and (batch.low, batch.high) == (16.0, 512.0)


@pytest.mark.parametrize("dims", DIMS)
def test_the_description_lists_every_knob(dims):
    facts = get_landscape("smooth", 1, dims=dims).describe()
    assert len(facts["knobs"]) == dims and len(facts["optimum"]["theta"]) == dims
    assert len(facts["extra_knobs"]) == dims - 2
    assert "extra_knobs" not in get_landscape("smooth", 1).describe()


def test_the_heatmap_is_the_slice_through_the_optimum():
    land = get_landscape("bumpy", 3, dims=5)
    _, _, z = land.grid(80)
    assert z.max() <= land.optimum.score + 1e-12
    assert z.max() > land.optimum.score - 0.02


@pytest.mark.parametrize(
    ("name", "extra"), [("svm-digits", {}), (CUSTOM, {"peaks": PEAKS})], ids=["svm", "custom"]
)
def test_two_knob_landscapes_refuse_more_knobs_clearly(name, extra):
    assert get_landscape(name, dims=2, **extra).dims == 2
    with pytest.raises(ValueError, match="only 2 knobs.*use dims=2"):
        get_landscape(name, dims=3, **extra)


@pytest.mark.parametrize("bad", [1, 7, 2.5, True, "3", None])
def test_impossible_dims_are_refused(bad):
    with pytest.raises(ValueError, match="dims must be a whole number from 2 to 6"):
        get_landscape("smooth", dims=bad)


@pytest.mark.parametrize("dims", [2, 4, 6])
def test_score_wants_one_coordinate_per_knob(dims):
    land = get_landscape("smooth", dims=dims)
    with pytest.raises(ValueError, match=f"\\(n, {dims}\\)"):
        land.score(np.zeros((3, dims + 1)))


@pytest.mark.parametrize("dims", DIMS)
def test_the_cost_model_takes_every_knob(dims):
    """Trial cost is the learning rate's (knob 0) whatever the number of knobs."""
    land = get_landscape("smooth", dims=dims)
    X = np.random.default_rng(dims).uniform(size=(100, dims))
    np.testing.assert_array_equal(land.cost_model.mean(X), land.cost_model.mean(X[:, :2]))
    a = land.cost_model.sample(X, np.random.default_rng(1))
    b = land.cost_model.sample(X[:, :2], np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
