"""TPE (strategies/tpe.py): Optuna's TPESampler behind the ask/tell contract.

The good/bad split the trace reports is checked against Optuna's own ``_split_trials``, both
by spying on the call the sampler really makes and by calling it on the study's trials.
"""

import json
import os
import subprocess
import sys

import numpy as np
import optuna
import pytest
from optuna.samplers._tpe import sampler as tpe_sampler
from optuna.trial import TrialState

from hpo_race.landscapes import LANDSCAPES, get_landscape
from hpo_race.strategies import race
from hpo_race.strategies.race import run
from hpo_race.strategies.schema import SettingError
from hpo_race.strategies.tpe import THETA_DIGITS, TPEStrategy, gamma, good_split

LANDSCAPE = get_landscape("smooth")


def make(seed=0, **options):
    return TPEStrategy(np.random.default_rng(seed), 800.0, LANDSCAPE.cost_model, **options)


def drive(strategy, steps, score=None, landscape=LANDSCAPE):
    """Ask/tell as the runner does (θ clipped and rounded first); the θs and the facts."""
    thetas, infos, whys = [], [], []
    for _ in range(steps):
        theta = np.round(np.clip(strategy.ask(), 0.0, 1.0), race.THETA_DIGITS)
        infos.append(strategy.trial_info())
        whys.append(strategy.explain_next())
        value = float(landscape.score(theta)[0])
        strategy.tell(theta, value if score is None else score(value))
        thetas.append(theta)
    return np.array(thetas), infos, whys


@pytest.fixture
def spy(monkeypatch):
    """n (trials told before the proposal) -> sorted numbers of the trials Optuna put below."""
    calls = {}
    real = tpe_sampler._split_trials

    def recording(study, trials, n_below):
        below, above = real(study, trials, n_below)
        n = sum(t.state != TrialState.RUNNING for t in trials)
        got = sorted(t.number for t in below)
        assert calls.setdefault(n, got) == got  # per-knob sampling splits the same way twice
        return below, above

    monkeypatch.setattr(tpe_sampler, "_split_trials", recording)
    return calls


def test_digits_agree_with_the_runner():
    assert THETA_DIGITS == race.THETA_DIGITS


def test_defaults_are_optunas():
    strategy = make()
    assert strategy.options == {"n_startup": 10, "multivariate": True}
    assert strategy.sampler._n_startup_trials == 10 and strategy.sampler._multivariate is True
    assert [gamma(n) for n in (1, 10, 11, 100, 250, 251, 400)] == [1, 1, 2, 10, 25, 25, 25]
    assert all(gamma(n) == tpe_sampler.default_gamma(n) for n in range(1, 600))


def test_same_seed_gives_a_bit_identical_race():
    options = {"tpe": {"n_startup": 4, "multivariate": False}}
    a = json.dumps(run("bumpy", ["tpe"], 800, seed=9, landscape_seed=3), sort_keys=True)
    b = json.dumps(run("bumpy", ["tpe"], 800, seed=9, landscape_seed=3), sort_keys=True)
    c = json.dumps(run("bumpy", ["tpe"], 800, seed=10, landscape_seed=3), sort_keys=True)
    d = json.dumps(run("bumpy", ["tpe"], 800, seed=9, landscape_seed=3, options=options))
    e = json.dumps(run("bumpy", ["tpe"], 800, seed=9, landscape_seed=3, options=options))
    assert a == b and d == e
    assert a != c and a != d


@pytest.mark.slow
def test_fresh_processes_give_the_same_race_whatever_the_hash_seed():
    args = [
        "-m",
        "hpo_race.strategies.cli",
        "--strategies",
        "tpe",
        "--budget",
        "300",
        "--seed",
        "12",
    ]
    outs = [
        subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outs[0] == outs[1]
    assert json.loads(outs[0]) == json.loads(json.dumps(run("smooth", ["tpe"], 300.0, 12)))


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"n_startup": 0}, "tpe.n_startup"),
        ({"n_startup": 101}, "tpe.n_startup"),
        ({"n_startup": 2.5}, "tpe.n_startup"),
        ({"n_startup": "10"}, "tpe.n_startup"),
        ({"n_startup": True}, "tpe.n_startup"),
        ({"n_startup": float("nan")}, "tpe.n_startup"),
        ({"multivariate": 1}, "tpe.multivariate"),
        ({"multivariate": "yes"}, "tpe.multivariate"),
        ({"multivariate": None}, "tpe.multivariate"),
        ({"gamma": 0.25}, "tpe.gamma"),
    ],
)
def test_bad_options_are_refused_naming_the_field(options, field):
    with pytest.raises(SettingError) as caught:
        make(**options)
    assert caught.value.field == field
    with pytest.raises(SettingError):
        run("smooth", ["tpe"], 200, seed=0, options={"tpe": options})


def test_options_reach_the_sampler_and_a_link_round_trips():
    strategy = make(n_startup=100, multivariate=False)
    assert strategy.sampler._n_startup_trials == 100 and strategy.sampler._multivariate is False
    for setting in TPEStrategy.OPTIONS:
        for value in (setting.default, setting.low, setting.high) if setting.low else (True, False):
            assert setting.decode(setting.encode(value)) == value
    assert {s.url for s in TPEStrategy.OPTIONS} == {"tpe_init", "tpe_multi"}


@pytest.mark.parametrize("multivariate", [True, False])
@pytest.mark.parametrize("landscape", ["smooth", "bumpy", "svm-digits"])
def test_the_reported_good_trials_are_optunas_split(spy, landscape, multivariate):
    options = {"tpe": {"n_startup": 5, "multivariate": multivariate}}
    trace = run(landscape, ["tpe"], 800, seed=3, landscape_seed=7, options=options)
    trials = trace["strategies"]["tpe"]["trials"]
    model = [i for i, t in enumerate(trials) if t["why"]["kind"] == "model"]
    assert model == list(range(5, len(trials)))
    assert sorted(spy) == model or sorted(spy) == [*model, len(trials)]  # + the untold last ask
    for i in model:
        assert trials[i]["good"] == spy[i], i


@pytest.mark.parametrize("multivariate", [True, False])
def test_ties_are_broken_as_optuna_breaks_them(spy, multivariate):
    """Scores rounded to one decimal tie often: the earlier trial counts as good."""
    strategy = make(seed=5, n_startup=3, multivariate=multivariate)
    _, infos, _ = drive(strategy, 60, score=lambda v: round(v, 1))
    scores = [t.value for t in strategy.study.trials if t.state == TrialState.COMPLETE]
    assert len(set(scores)) < 12  # plenty of ties
    tied_at_the_cut = 0
    for i in range(3, 60):
        assert infos[i]["good"] == spy[i] == good_split(scores[:i], 3)
        cut = sorted(scores[:i], reverse=True)
        k = gamma(i)
        tied_at_the_cut += k < i and cut[k - 1] == cut[k]
    assert tied_at_the_cut > 10


def test_the_split_matches_optunas_split_function_on_the_studys_trials():
    strategy = make(seed=2, n_startup=4)
    _, infos, _ = drive(strategy, 50, score=lambda v: round(v, 2))
    study = strategy.study
    done = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    for i in range(4, 50):
        below, _ = tpe_sampler._split_trials(study, done[:i], tpe_sampler.default_gamma(i))
        assert infos[i]["good"] == sorted(t.number for t in below)


def test_startup_trials_are_reported_as_such():
    strategy = make(seed=1, n_startup=7)
    _, infos, whys = drive(strategy, 30)
    for i, (info, why) in enumerate(zip(infos, whys, strict=True)):
        if i < 7:
            assert why == {"kind": "startup"} and info == {"good": []}
        else:
            assert why == {"kind": "model", "n_good": gamma(i), "n_bad": i - gamma(i)}
            assert len(info["good"]) == gamma(i) and all(0 <= j < i for j in info["good"])
    trace = run("smooth", ["tpe"], 800, seed=1)["strategies"]["tpe"]
    kinds = [t["why"]["kind"] for t in trace["trials"]]
    assert kinds[:10] == ["startup"] * 10 and set(kinds[10:]) == {"model"}
    assert trace["n_startup"] == 10 and trace["multivariate"] is True


def test_optuna_stores_exactly_the_theta_the_runner_evaluates():
    strategy = make(seed=4)
    thetas, _, _ = drive(strategy, 40)
    asked = strategy.ask()
    assert np.array_equal(np.round(np.clip(asked, 0, 1), race.THETA_DIGITS), asked)
    trials = strategy.study.trials
    assert [t.state for t in trials[:40]] == [TrialState.COMPLETE] * 40
    stored = np.array([[t.params["x"], t.params["y"]] for t in trials[:40]])
    assert np.array_equal(stored, thetas)  # bit for bit
    assert np.all((thetas >= 0) & (thetas <= 1))
    assert strategy.numbers == list(range(40))


def test_a_told_theta_other_than_the_asked_one_is_what_optuna_learns():
    strategy = make(seed=6, n_startup=2)
    drive(strategy, 3)
    strategy.tell(np.array([0.25, 0.75]), 0.99)  # not what it asked
    info = strategy.trial_info()
    assert info["good"] == [3]  # race index 3, though Optuna numbers it 4
    study = strategy.study
    assert study.trials[3].state == TrialState.FAIL
    assert study.best_trial.params == {"x": 0.25, "y": 0.75} and study.best_value == 0.99
    assert strategy.numbers == [0, 1, 2, 4]
    drive(strategy, 5)
    assert len(strategy.numbers) == 9


@pytest.mark.parametrize("landscape", list(LANDSCAPES))
@pytest.mark.parametrize("budget", [20.0, 800.0])
def test_theta_in_bounds_and_never_overspends(landscape, budget):
    result = run(landscape, ["tpe"], budget, seed=8, landscape_seed=1)["strategies"]["tpe"]
    assert result["spent"] <= budget and result["stopped"] in ("budget", "trial limit")
    thetas = np.array([t["theta"] for t in result["trials"]]).reshape(-1, 2)
    assert np.all((thetas >= 0) & (thetas <= 1))


def test_optuna_logs_nothing(capfd):
    run("smooth", ["tpe"], 200, seed=0)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert optuna.logging.get_verbosity() == optuna.logging.WARNING
