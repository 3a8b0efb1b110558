"""Successive halving: the budget-sized schedule, promotions, fidelities, determinism, options
and the trace keys it adds."""

import json
from collections import defaultdict

import numpy as np
import pytest

from hpo_race.landscapes import LANDSCAPES, get_landscape
from hpo_race.strategies import RACERS, STRATEGIES
from hpo_race.strategies.halving import (
    TRIAL_LIMIT,
    HalvingStrategy,
    depth_for,
    exhaust,
    plan,
    schedule_trials,
)
from hpo_race.strategies.hyperband import MAX_AUTO_S, bracket_units
from hpo_race.strategies.race import DEFAULT_STRATEGIES, MAX_BUDGET, MAX_TRIALS, MIN_BUDGET, run
from hpo_race.strategies.schema import SettingError

COST = get_landscape("smooth").cost_model
E = COST.expected()


def halving_trace(landscape="smooth", budget=800.0, seed=0, **kwargs):
    return run(landscape, ["halving"], budget, seed, **kwargs)["strategies"]["halving"]


def make(budget=800.0, seed=0, **options):
    return HalvingStrategy(np.random.default_rng(seed), budget, COST, **options)


def test_registered_off_by_default_in_okabe_ito_blue():
    assert STRATEGIES["halving"] is HalvingStrategy
    assert "halving" not in DEFAULT_STRATEGIES
    entry = RACERS["halving"]
    assert (entry.short, entry.colour, entry.symbol, entry.default) == (
        "Halving",
        "#0072B2",
        "cross",
        False,
    )
    colours = [r.colour for r in RACERS.values()]
    assert len(set(colours)) == len(colours)
    assert {s.url for s in HalvingStrategy.OPTIONS} == {"sh_eta", "sh_rmin"}


def test_trial_limit_is_the_runners():
    assert TRIAL_LIMIT == MAX_TRIALS


# -- the schedule rule ----------------------------------------------------------------------
def test_worked_example_at_800_minutes():
    sh = make(800.0)
    assert (sh.s, len(sh.configs)) == (3, 324)
    assert sh.state()["rungs"] == [[0.037037, 324], [0.111111, 108], [0.333333, 36], [1.0, 12]]
    assert sh.state()["planned"] == pytest.approx(800.0)


@pytest.mark.parametrize("eta", [2, 3, 4])
@pytest.mark.parametrize("budget", [MIN_BUDGET, 50.0, 100.0, 137.5, 200.0, 800.0, 1500.0, 3000.0])
def test_auto_schedule_exhausts_the_budget_as_documented(budget, eta):
    sh = make(budget, eta=eta)
    s, n = sh.s, len(sh.configs)
    units = budget / E
    sizes = [size for _, size in sh.rungs]
    # nᵢ = ⌈nᵢ₋₁/η⌉ and rᵢ = η^(i−s), the last a full run
    assert sizes[0] == n and all(b == -(-a // eta) for a, b in zip(sizes, sizes[1:], strict=False))
    np.testing.assert_allclose([r for r, _ in sh.rungs], [eta ** (i - s) for i in range(s + 1)])
    assert sh.rungs[-1][0] == 1.0
    # fits the budget in expectation and the runner's trial limit; one more would not
    assert bracket_units(n, s, eta, "ceil") * E <= budget + 1e-6
    assert sum(sizes) <= MAX_TRIALS
    more_fits = bracket_units(n + 1, s, eta, "ceil") * E <= budget + 1e-6
    assert not more_fits or schedule_trials(n + 1, s, eta) > MAX_TRIALS
    # the depth: ≤ 3, enough candidates to eliminate down to one, and the deepest such
    # whose schedule is not cut by the trial limit
    assert 0 <= s <= MAX_AUTO_S
    assert s == 0 or n >= eta**s
    for deeper in range(s + 1, MAX_AUTO_S + 1):
        m, limited = exhaust(units, deeper, eta)
        assert m < eta**deeper or limited


def test_depth_follows_the_budget():
    assert [make(b).s for b in (20.0, 50.0, 100.0, 800.0, 1500.0, 3000.0)] == [0, 2, 3, 3, 2, 1]
    small = make(20.0)
    assert small.state()["rungs"] == [[1.0, 1]]  # one full run: all 20 minutes allow


@pytest.mark.parametrize(
    ("min_fidelity", "eta", "s"),
    [(1 / 81, 3, 4), (0.05, 3, 2), (1 / 9, 3, 2), (0.5, 3, 0), (0.5, 2, 1), (1 / 81, 4, 3)],
)
def test_given_min_fidelity_is_rounded_up_to_a_power_of_eta(min_fidelity, eta, s):
    assert depth_for(min_fidelity, eta) == s
    sh = make(MAX_BUDGET, eta=eta, min_fidelity=min_fidelity)
    assert sh.s == s
    assert sh.rungs[0][0] == pytest.approx(eta**-s) and sh.rungs[0][0] >= min_fidelity
    assert schedule_trials(len(sh.configs), s, eta) <= MAX_TRIALS


def test_a_given_depth_is_lowered_only_when_the_budget_is_too_small():
    assert plan(800.0 / E, 3, 1 / 27)[0] == 3
    s, n = plan(60.0 / E, 3, 1 / 27)  # 3.6 full runs: 27 candidates at depth 3 cost 4
    assert s == 2 and n >= 9


# -- the trace ------------------------------------------------------------------------------
def rungs_of(trials):
    groups = defaultdict(list)
    for t in trials:
        groups[t["rung"]].append(t)
    return groups


@pytest.mark.parametrize(("landscape", "seed"), [("smooth", 1), ("bumpy", 4), ("svm-digits", 2)])
@pytest.mark.parametrize("eta", [2, 3, 4])
def test_each_rung_promotes_the_best_of_the_one_below_best_first(landscape, seed, eta):
    result = halving_trace(landscape, 800.0, seed, noise=0.03, options={"halving": {"eta": eta}})
    plan_ = result["rungs"]
    groups = rungs_of(result["trials"])
    assert sorted(groups) == list(range(len(groups)))
    for rung, trials in groups.items():
        r, size = plan_[rung]
        assert all(t["candidates"] == size for t in trials)
        assert {t.get("fidelity", 1.0) for t in trials} == {r}
        assert (r == 1.0) == all("fidelity" not in t for t in trials)
        nxt = groups.get(rung + 1)
        if not nxt:
            continue
        assert len(trials) == size  # a rung is complete before promotion
        scores = np.array([t["score"] for t in trials])
        ranked = [trials[k]["candidate"] for k in np.argsort(-scores, kind="stable")]
        assert plan_[rung + 1][1] == -(-size // eta)
        assert [t["candidate"] for t in nxt] == ranked[: len(nxt)]
        by_id = {t["candidate"]: t for t in trials}
        for position, t in enumerate(nxt, start=1):
            assert t["theta"] == by_id[t["candidate"]]["theta"]
            assert t["why"]["previous_score"] == by_id[t["candidate"]]["score"]
            assert t["why"]["position"] == position
    assert len(groups) >= 2
    assert plan_[-1][0] == 1.0


def test_explanations_are_structured_facts():
    result = halving_trace("bumpy", 800.0, 3)
    kinds = defaultdict(set)
    for t in result["trials"]:
        why = t["why"]
        assert set(why) >= {"kind", "rung", "fidelity", "position", "of"}
        assert why["rung"] == t["rung"] and why["of"] == t["candidates"]
        assert why["fidelity"] == t.get("fidelity", 1.0)
        kinds[why["kind"]].add(t["rung"])
        assert all(not isinstance(v, str) or v == why["kind"] for v in why.values())
    assert kinds == {"candidate": {0}, "promotion": {1, 2}, "full": {3}}


def test_a_finished_schedule_ends_the_race_as_exhausted():
    result = halving_trace("smooth", 800.0, 1)
    assert result["stopped"] == "exhausted"
    assert len(result["trials"]) == sum(size for _, size in result["rungs"])
    sh = make(20.0)
    theta = sh.ask()
    sh.tell(theta, 0.5)
    assert sh.ask() is None and sh.trial_info() == {} and sh.explain_next() == {}


@pytest.mark.parametrize("landscape", list(LANDSCAPES))
@pytest.mark.parametrize("budget", [MIN_BUDGET, 55.0, 137.5, 800.0, MAX_BUDGET])
@pytest.mark.parametrize("seed", [0, 5])
def test_halving_never_overspends_and_fidelities_are_at_most_one(landscape, budget, seed):
    result = halving_trace(landscape, budget, seed, noise=0.02)
    trials = result["trials"]
    clocks = np.array([t["clock"] for t in trials])
    costs = np.array([t["cost"] for t in trials])
    assert result["spent"] <= budget and np.all(clocks <= budget)
    assert trials or budget == MIN_BUDGET  # one full run may cost more than 20 minutes
    np.testing.assert_allclose(np.cumsum(costs), clocks, atol=max(1e-3, 0.5e-4 * len(costs)))
    assert np.all(costs > 0)
    assert all(0 < t.get("fidelity", 1.0) <= 1.0 for t in trials)
    assert result["rungs"][-1][0] == 1.0
    assert result["stopped"] in {"budget", "exhausted"}
    assert (result["stopped"] == "exhausted") == (len(trials) == sum(n for _, n in result["rungs"]))
    assert len(trials) <= MAX_TRIALS
    if budget >= 137.5:
        assert any("fidelity" in t for t in trials)
        assert any("fidelity" not in t for t in trials)  # it reaches the full rung
        # E-sized: on svm-digits the promising θ fit faster than average, so more is left
        assert result["spent"] >= (0.45 if landscape == "svm-digits" else 0.6) * budget


def test_small_and_large_budgets():
    small = halving_trace("smooth", MIN_BUDGET, 2)
    assert small["rungs"] == [[1.0, 1]] and len(small["trials"]) <= 1
    large = halving_trace("smooth", MAX_BUDGET, 2)
    assert large["rungs"] == [[0.333333, 270], [1.0, 90]] and large["spent"] >= 0.8 * MAX_BUDGET
    assert len(halving_trace("svm-digits", MAX_BUDGET, 2)["trials"]) == 360


def test_halving_is_deterministic_and_independent_of_rivals():
    a = json.dumps(run("bumpy", ["halving"], 900, seed=8, landscape_seed=3), sort_keys=True)
    b = json.dumps(run("bumpy", ["halving"], 900, seed=8, landscape_seed=3), sort_keys=True)
    assert a == b
    c = json.dumps(run("bumpy", ["halving"], 900, seed=9, landscape_seed=3), sort_keys=True)
    assert a != c
    together = run("bumpy", ["random", "halving", "hyperband"], 900, seed=8, landscape_seed=3)
    assert together["strategies"]["halving"] == json.loads(a)["strategies"]["halving"]


def test_ask_is_repeatable_and_fidelity_follows_the_rung():
    sh = make(800.0, seed=4)
    rng = np.random.default_rng(0)
    for _ in range(400):
        theta, r = sh.ask(), sh.fidelity()
        assert np.array_equal(theta, sh.ask()) and r == sh.fidelity()
        assert r == sh.rungs[sh.rung][0]
        sh.tell(theta, float(rng.uniform()))


# -- options --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"eta": 1}, "halving.eta"),
        ({"eta": 5}, "halving.eta"),
        ({"eta": 2.5}, "halving.eta"),
        ({"eta": True}, "halving.eta"),
        ({"eta": "3"}, "halving.eta"),
        ({"min_fidelity": 0.0}, "halving.min_fidelity"),
        ({"min_fidelity": 0.6}, "halving.min_fidelity"),
        ({"min_fidelity": 1 / 100}, "halving.min_fidelity"),
        ({"min_fidelity": float("nan")}, "halving.min_fidelity"),
        ({"s_max": 2}, "halving.s_max"),
    ],
)
def test_bad_options_are_refused_naming_the_field(options, field):
    with pytest.raises(SettingError) as info:
        make(800.0, **options)
    assert info.value.field == field
    with pytest.raises(SettingError):
        run("smooth", ["halving"], 800.0, 0, options={"halving": options})


def test_options_decode_from_their_link_text():
    eta, rmin = HalvingStrategy.OPTIONS
    assert eta.decode("2") == 2 and rmin.decode("auto") is None
    assert rmin.decode("0.05") == 0.05
    result = halving_trace("smooth", 800.0, 0, options={"halving": {"eta": 2, "min_fidelity": 0.3}})
    assert result["eta"] == 2 and result["s"] == 1
    assert result["rungs"][0][0] == 0.5
