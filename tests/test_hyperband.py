"""Hyperband: budget accounting at partial fidelity, successive-halving promotions, planning,
determinism, and the trace keys it adds."""

import json
from collections import defaultdict

import numpy as np
import pytest

from hpo_race.landscapes import LANDSCAPES, get_landscape
from hpo_race.strategies import STRATEGIES
from hpo_race.strategies.hyperband import (
    HyperbandStrategy,
    bracket_rungs,
    bracket_units,
    full_bracket_size,
    iteration_units,
)
from hpo_race.strategies.race import DEFAULT_STRATEGIES, MAX_BUDGET, run, strategy_streams


def hyperband_trace(landscape="smooth", budget=800.0, seed=0, **kwargs):
    return run(landscape, ["hyperband"], budget, seed, **kwargs)["strategies"]["hyperband"]


def test_registered_but_not_racing_by_default():
    assert STRATEGIES["hyperband"] is HyperbandStrategy
    assert "hyperband" not in DEFAULT_STRATEGIES
    assert "hyperband" not in run("smooth", budget=100, seed=0)["strategies"]


@pytest.mark.parametrize("landscape", list(LANDSCAPES))
@pytest.mark.parametrize("budget", [20.0, 55.0, 137.5, 800.0, MAX_BUDGET])
@pytest.mark.parametrize("seed", [0, 5])
def test_hyperband_never_overspends(landscape, budget, seed):
    result = hyperband_trace(landscape, budget, seed, noise=0.02)
    clocks = np.array([t["clock"] for t in result["trials"]])
    costs = np.array([t["cost"] for t in result["trials"]])
    assert result["spent"] <= budget and np.all(clocks <= budget)
    np.testing.assert_allclose(np.cumsum(costs), clocks, atol=1e-3)
    assert np.all(costs > 0)
    assert result["stopped"] in {"budget", "trial limit"}
    if budget >= 137.5:
        assert any("fidelity" in t for t in result["trials"])


def test_partial_trials_cost_their_fidelity_times_the_drawn_full_cost():
    """Replays the runner's trial stream: cost = r × the full cost it drew, r recorded."""
    landscape = get_landscape("bumpy", 2)
    result = hyperband_trace("bumpy", 800.0, 3, landscape_seed=2)
    _, trial_rng = strategy_streams(3, "hyperband")
    for t in result["trials"]:
        theta = np.array(t["theta"])[None, :]
        full = float(landscape.cost_model.sample(theta, trial_rng)[0])
        b = result["brackets"][t["bracket"]]
        r = 3.0 ** (t["rung"] - b["s"])  # exact; the trace rounds it to 6 decimals
        assert t.get("fidelity", 1.0) == round(r, 6)
        if r < 1.0:
            trial_rng.standard_normal(1)  # the partial run's noise draw
        assert t["cost"] == pytest.approx(round(full * r, 4), abs=1e-9)


def rungs_of(trials):
    """(bracket, rung) -> list of trials, in run order."""
    groups = defaultdict(list)
    for t in trials:
        groups[(t["bracket"], t["rung"])].append(t)
    return groups


@pytest.mark.parametrize(("landscape", "seed"), [("smooth", 1), ("bumpy", 4), ("svm-digits", 2)])
@pytest.mark.parametrize("eta", [2, 3, 4])
def test_each_rungs_survivors_are_the_best_of_their_rung(landscape, seed, eta):
    result = hyperband_trace(
        landscape, 1500.0, seed, noise=0.03, options={"hyperband": {"eta": eta}}
    )
    groups = rungs_of(result["trials"])
    checked = 0
    for (bracket, rung), trials in groups.items():
        nxt = groups.get((bracket, rung + 1))
        if not nxt:
            continue
        plan = result["brackets"][bracket]["rungs"]
        assert len(trials) == plan[rung][1]  # a rung is complete before promotion
        scores = np.array([t["score"] for t in trials])
        ranked = [trials[k]["theta"] for k in np.argsort(-scores, kind="stable")]
        keep = plan[rung + 1][1]
        assert keep == len(trials) // eta
        assert [t["theta"] for t in nxt] == ranked[: len(nxt)]  # best first, in rank order
        assert {t.get("fidelity", 1.0) for t in nxt} == {round(plan[rung + 1][0], 6)} or (
            plan[rung + 1][0] == 1.0 and all("fidelity" not in t for t in nxt)
        )
        checked += 1
    assert checked >= 3


def test_fidelity_follows_the_bracket_and_is_recorded_only_when_partial():
    result = hyperband_trace("smooth", 800.0, 2)
    for t in result["trials"]:
        b = result["brackets"][t["bracket"]]
        r = b["rungs"][t["rung"]][0]
        assert r == pytest.approx(3.0 ** (t["rung"] - b["s"]), abs=1e-6)
        if r < 1:
            assert t["fidelity"] == pytest.approx(r, abs=1e-6)
        else:
            assert "fidelity" not in t


def test_best_counts_every_run_and_best_full_only_full_runs():
    result = hyperband_trace("smooth", 800.0, 6, noise=0.02)
    best, best_full = -np.inf, None
    for t in result["trials"]:
        best = max(best, t["score"])
        if "fidelity" not in t:
            best_full = t["score"] if best_full is None else max(best_full, t["score"])
        assert t["best"] == pytest.approx(best)
        assert t["best_full"] == (None if best_full is None else pytest.approx(best_full))
    assert result["trials"][0]["best_full"] is None


def test_other_strategies_traces_carry_no_fidelity_keys():
    trace = run("smooth", ["grid", "random", "bayes", "hyperband"], 300, seed=1)
    for name in ("grid", "random", "bayes"):
        for t in trace["strategies"][name]["trials"]:
            assert not {"fidelity", "best_full", "bracket", "rung"} & set(t)


def test_hyperband_is_deterministic_and_independent_of_rivals():
    a = json.dumps(run("bumpy", ["hyperband"], 900, seed=8, landscape_seed=3), sort_keys=True)
    b = json.dumps(run("bumpy", ["hyperband"], 900, seed=8, landscape_seed=3), sort_keys=True)
    assert a == b
    c = json.dumps(run("bumpy", ["hyperband"], 900, seed=9, landscape_seed=3), sort_keys=True)
    assert a != c
    together = run("bumpy", ["grid", "hyperband", "random"], 900, seed=8, landscape_seed=3)
    assert together["strategies"]["hyperband"] == json.loads(a)["strategies"]["hyperband"]


@pytest.mark.parametrize(("budget", "s_max"), [(20.0, 0), (100.0, 1), (200.0, 2), (800.0, 3)])
def test_bracket_depth_follows_the_budget(budget, s_max):
    cost = get_landscape("smooth").cost_model
    strategy = HyperbandStrategy(np.random.default_rng(0), budget, cost)
    assert strategy.s_max == s_max
    assert iteration_units(s_max, 3) * cost.expected() <= budget
    if s_max < 3:
        assert iteration_units(s_max + 1, 3) * cost.expected() > budget


def test_li_et_al_bracket_sizes():
    # Li et al. (2018), Table 1 shape with η = 3, s_max = 3 (R = 27 units of r_min).
    assert [full_bracket_size(s, 3, 3) for s in (3, 2, 1, 0)] == [27, 12, 6, 4]
    rungs = bracket_rungs(27, 3, 3)
    assert [size for _, size in rungs] == [27, 9, 3, 1]
    np.testing.assert_allclose([r for r, _ in rungs], [1 / 27, 1 / 9, 1 / 3, 1.0])
    assert bracket_units(27, 3, 3) == pytest.approx(4.0)
    assert iteration_units(3, 3) == pytest.approx(4 + 12 / 9 + 4 / 3 + 1 + 2 + 2 + 4)


@pytest.mark.parametrize("budget", [20.0, 60.0, 137.5, 250.0, 800.0, 2000.0])
def test_each_bracket_is_planned_to_fit_what_is_left(budget):
    """Driven with costs at their means: every bracket's expected cost fits the estimate of
    what was left when it started (or it is the last resort, one full trial)."""
    cost = get_landscape("smooth").cost_model
    hb = HyperbandStrategy(np.random.default_rng(1), budget, cost)
    spent, left_at_start = 0.0, []
    score_rng = np.random.default_rng(2)
    for _ in range(2000):
        if len(hb.brackets) > len(left_at_start):
            left_at_start.append(budget - hb.spent_estimate)
        theta, r = hb.ask(), hb.fidelity()
        c = r * float(cost.mean(theta[None, :])[0])
        if spent + c > budget:
            break
        spent += c
        hb.tell(theta, float(score_rng.uniform()))
    assert hb.spent_estimate == pytest.approx(spent)
    for b, left in zip(hb.brackets, left_at_start, strict=True):
        planned = bracket_units(len(b["configs"]), b["s"], hb.eta) * hb.unit
        assert planned <= left + 1e-9 or (b["s"] == 0 and len(b["configs"]) == 1)
    if budget >= 137.5:
        assert spent >= 0.75 * budget


@pytest.mark.parametrize(
    "options",
    [{"eta": 1}, {"eta": 5}, {"eta": 2.5}, {"eta": True}, {"s_max": -1}, {"s_max": 9}, {"x": 1}],
)
def test_bad_options_are_refused(options):
    with pytest.raises(ValueError):
        HyperbandStrategy(
            np.random.default_rng(0), 800.0, get_landscape("smooth").cost_model, **options
        )


def test_explicit_s_max_and_eta_are_used():
    hb = hyperband_trace("smooth", 800.0, 0, options={"hyperband": {"eta": 2, "s_max": 2}})
    assert hb["eta"] == 2 and hb["s_max"] == 2
    assert hb["brackets"][0]["rungs"] == [[0.25, 4], [0.5, 2], [1.0, 1]]
