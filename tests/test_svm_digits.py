"""The measured svm-digits landscape: data file, recomputed cells, interpolation and cost."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from hpo_race.landscapes import LANDSCAPES, get_landscape
from hpo_race.landscapes.cost import MeasuredCostModel
from hpo_race.landscapes.svm_digits import (
    C_KNOB,
    DATA_FILE,
    EXPECTED_MINUTES,
    GAMMA_KNOB,
    lattice_axis,
    load_table,
)

#: The measuring script lives in bench/ (scikit-learn is not needed to race).
MEASURE = Path(__file__).resolve().parents[1] / "bench" / "measure_svm_digits.py"


def measuring_script():
    spec = importlib.util.spec_from_file_location("measure_svm_digits", MEASURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table():
    return load_table()


@pytest.fixture(scope="module")
def land():
    return get_landscape("svm-digits")


def test_data_file_is_small_and_complete(table):
    assert DATA_FILE.stat().st_size < 100_000
    n = len(table["accuracy"])
    assert n >= 20 and table["accuracy"].shape == table["fit_seconds"].shape == (n, n)
    assert np.all((table["accuracy"] >= 0) & (table["accuracy"] <= 1))
    assert np.all(table["fit_seconds"] > 0)
    axis = lattice_axis(n)
    np.testing.assert_allclose(table["C_values"], C_KNOB.to_real(axis), rtol=1e-5)
    np.testing.assert_allclose(table["gamma_values"], GAMMA_KNOB.to_real(axis), rtol=1e-5)
    assert table["folds"] == 3 and table["fold_seed"] == 0


def cheapest_cells(table, k):
    """k cheap cells spread over the accuracy range (so both chance and the ridge are hit)."""
    secs, acc = table["fit_seconds"], table["accuracy"]
    cells = sorted(np.ndindex(secs.shape), key=lambda ij: secs[ij])[: 6 * k]
    cells.sort(key=lambda ij: acc[ij])
    return [cells[int(round(q))] for q in np.linspace(0, len(cells) - 1, k)]


@pytest.mark.slow  # refits SVMs on digits: seconds
def test_recomputed_cells_match_the_data_file(table):
    script = measuring_script()
    data = script.cv_data()
    cells = cheapest_cells(table, 4)
    cells.append((0, len(table["accuracy"]) - 1))  # smallest C, largest γ: chance level
    for i, j in cells:
        axis = lattice_axis(len(table["accuracy"]))  # exact values, as the script used
        c, g = float(C_KNOB.to_real(axis[i])), float(GAMMA_KNOB.to_real(axis[j]))
        acc, secs = script.measure_cell(c, g, data)
        assert acc == pytest.approx(table["accuracy"][i][j], abs=1e-6), (c, g)
        assert secs > 0


def test_score_interpolates_the_lattice_and_stays_within_measured_range(land, table):
    acc = table["accuracy"]
    axis = lattice_axis(len(acc))
    uu, vv = np.meshgrid(axis, axis, indexing="ij")
    on_lattice = land.score(np.column_stack([uu.ravel(), vv.ravel()])).reshape(acc.shape)
    np.testing.assert_allclose(on_lattice, acc, atol=1e-9)
    X = np.random.default_rng(0).uniform(size=(20_000, 2))
    z = land.score(X)
    assert z.min() >= acc.min() and z.max() <= acc.max()


def test_the_ridge_is_where_svm_folklore_says(land, table):
    opt = land.optimum
    c, g = C_KNOB.to_real(opt.theta[0]), GAMMA_KNOB.to_real(opt.theta[1])
    assert opt.score == pytest.approx(table["accuracy"].max(), abs=1e-9)
    assert opt.score > 0.98 and c >= 0.5 and 1e-4 <= g <= 1e-2
    # Large γ or tiny C is no better than guessing.
    assert land.score(np.array([[0.9, 1.0]]))[0] < 0.3
    assert land.score(np.array([[0.0, 0.5]]))[0] < 0.3


def test_the_landscape_seed_is_ignored_and_said_so(land):
    other = get_landscape("svm-digits", 12345)
    X = np.random.default_rng(1).uniform(size=(100, 2))
    np.testing.assert_array_equal(land.score(X), other.score(X))
    assert other.seed == 0 and not other.seeded and land.describe()["seeded"] is False
    assert all(get_landscape(n).seeded for n in LANDSCAPES if n != "svm-digits")


def test_cost_comes_from_measured_fit_times(land, table):
    cost = land.cost_model
    assert isinstance(cost, MeasuredCostModel)
    axis = lattice_axis(len(table["fit_seconds"]))
    uu, vv = np.meshgrid(axis, axis, indexing="ij")
    minutes = cost.mean(np.column_stack([uu.ravel(), vv.ravel()])).reshape(uu.shape)
    np.testing.assert_allclose(minutes, cost.scale * table["fit_seconds"], rtol=1e-9)
    # expected() is the mean over a uniform θ, as grid sizing and Hyperband's planning assume.
    uniform = np.random.default_rng(0).uniform(size=(200_000, 2))
    assert cost.mean(uniform).mean() == pytest.approx(cost.expected(), rel=0.01)
    assert cost.expected() == pytest.approx(EXPECTED_MINUTES)
    X = np.full((100_000, 2), 0.5)
    draws = cost.sample(X, np.random.default_rng(4))
    assert draws.mean() == pytest.approx(cost.mean(X[:1])[0], rel=0.01)
    described = cost.describe()
    assert described["scale"] == cost.scale and "measured" in described["formula"]


def test_races_on_the_real_landscape():
    from hpo_race.strategies.race import run

    trace = run("svm-digits", ["grid", "random", "bayes", "hyperband"], 800, seed=1)
    assert trace["landscape"]["name"] == "svm-digits"
    assert trace["settings"]["landscape_seed"] == 0
    for result in trace["strategies"].values():
        assert result["spent"] <= 800 and len(result["trials"]) >= 5
    grid = trace["strategies"]["grid"]
    expected = trace["landscape"]["cost"]["expected"] * grid["shape"][0] * grid["shape"][1]
    assert expected > 0.5 * 800
