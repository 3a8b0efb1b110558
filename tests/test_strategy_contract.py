"""Contract tests run over the whole strategy registry, at every number of knobs (2 … 6)."""

import numpy as np
import pytest

from hpo_race.landscapes import MAX_DIMS, MIN_DIMS, get_landscape
from hpo_race.strategies import STRATEGIES

NAMES = list(STRATEGIES)
DIMS = list(range(MIN_DIMS, MAX_DIMS + 1))
LANDSCAPES = {d: get_landscape("smooth", dims=d) for d in DIMS}
LANDSCAPE = LANDSCAPES[2]


def make(name, seed=0, budget=800.0, dims=2):
    return STRATEGIES[name](
        np.random.default_rng(seed), budget, LANDSCAPES[dims].cost_model, dims=dims
    )


def drive(strategy, steps=20):
    landscape = LANDSCAPES[strategy.dims]
    points = []
    for _ in range(steps):
        theta = strategy.ask()
        if theta is None:
            break
        points.append(np.array(theta, dtype=float))
        strategy.tell(theta, float(landscape.score(theta)[0]))
    return np.array(points)


@pytest.mark.parametrize("dims", DIMS)
@pytest.mark.parametrize("name", NAMES)
def test_points_have_the_right_shape_stay_in_bounds_and_search_every_knob(name, dims):
    """One coordinate per knob, inside the cube; no racer leaves a knob at one value (grid
    may, on an extra knob it cannot afford to vary)."""
    points = drive(make(name, dims=dims), 30)
    assert points.shape[1:] == (dims,) and len(points) >= 20
    assert np.all((points >= 0) & (points <= 1))
    distinct = [len(np.unique(points[:, k])) for k in range(dims)]
    if name == "grid":
        assert min(distinct[:2]) >= 2
    else:
        assert min(distinct) >= 10


@pytest.mark.parametrize("dims", DIMS)
@pytest.mark.parametrize("name", NAMES)
def test_ask_is_repeatable_until_tell(name, dims):
    strategy = make(name, seed=3, dims=dims)
    for _ in range(8):
        first = strategy.ask()
        assert np.array_equal(first, strategy.ask())
        strategy.tell(first, float(LANDSCAPES[dims].score(first)[0]))


@pytest.mark.parametrize("dims", DIMS)
@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_points(name, dims):
    np.testing.assert_array_equal(
        drive(make(name, seed=11, dims=dims)), drive(make(name, seed=11, dims=dims))
    )


@pytest.mark.parametrize("dims", DIMS)
@pytest.mark.parametrize("name", [n for n in NAMES if n != "grid"])
def test_different_seed_different_points(name, dims):
    assert not np.array_equal(
        drive(make(name, seed=1, dims=dims)), drive(make(name, seed=2, dims=dims))
    )


def test_grid_is_deterministic_by_design_and_sized_by_budget():
    """Grid ignores its seed (a lattice is a lattice); its size follows the budget instead."""
    np.testing.assert_array_equal(drive(make("grid", seed=1)), drive(make("grid", seed=2)))
    small, large = make("grid", budget=200), make("grid", budget=2000)
    assert len(small.lattice) < len(large.lattice)
    for g in (small, large):
        expected = LANDSCAPE.cost_model.mean(g.lattice).sum()
        assert expected <= g.budget


def test_grid_visits_first_knob_outer_and_reports_unreached_points():
    grid = make("grid")
    a, b = grid.shape
    points = drive(grid, a * b)
    assert np.all(points[:b, 0] == points[0, 0])  # first knob fixed while the second sweeps
    assert np.all(np.diff(points[:b, 1]) > 0)
    grid = make("grid")
    drive(grid, 5)
    assert len(grid.state()["unreached"]) == a * b - 5


@pytest.mark.parametrize("name", NAMES)
def test_unknown_options_are_refused(name):
    with pytest.raises((ValueError, TypeError)):
        STRATEGIES[name](np.random.default_rng(0), 800.0, LANDSCAPE.cost_model, bogus=1)
