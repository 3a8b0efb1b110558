"""Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar, JMLR 2018): successive halving
over brackets that trade many short runs for few long ones.

Resources are fractions of a full training run (``Strategy.fidelity``), with η = 3 by
default and at most ``s_max`` + 1 rungs, so the shortest run is r_min = η^(−s_max) of a full
one. Bracket s ∈ {s_max, …, 0} of an iteration samples

    n = ⌈(s_max + 1)/(s + 1) · η^s⌉ configurations uniformly (from the strategy's own rng),

and runs successive halving on them: rung i = 0..s trains nᵢ = ⌊n·η^(−i)⌋ configurations at
fidelity rᵢ = η^(i − s) and promotes the top ⌊nᵢ/η⌋ by score (ties: earlier first) to the
next rung, whose runs are visited best first; the last rung (r = 1) runs full trials.
Brackets then repeat s_max, …, 0, s_max, … until the budget ends.

Fitting the budget. A bracket's expected cost is E · Σᵢ nᵢ·rᵢ GPU minutes, E =
``cost_model.expected()`` (the mean cost of a full trial at a uniformly random θ); a full
iteration costs about (s_max + 1)² full trials. ``s_max`` (unless given) is the largest
s ≤ 3 whose whole iteration fits the budget, so a small budget gets shallower brackets.
Before each bracket the strategy estimates what is left (budget minus ``cost_model.mean``
of every run it made, times that run's fidelity); if the bracket's expected cost does not
fit, it is shrunk (fewer configurations, keeping n ≥ η^s so one survives to the full rung)
or replaced by the deepest smaller bracket that fits, down to single full trials. The race
runner still enforces the hard rule: a run that does not fit ends the race.

Several workers: synchronous, one bracket at a time. Free workers take the current rung's
runs in order; once all have started, ``ask`` returns None until every score of the rung is
in (then the top 1/η are promoted), and a bracket's last rung ends before the next bracket is
planned, so workers sit idle while a rung drains and the trace's ``start``/``end``/``worker``
show it honestly. The simpler of the two correct forms; ASHA (Li, Jamieson, Rostamizadeh,
Gonina, Ben-tzur, Hardt, Recht & Talwalkar, "A System for Massively Parallel Hyperparameter
Tuning", MLSys 2020) promotes asynchronously instead and keeps every worker busy.

Trace: each trial carries ``bracket`` (0, 1, … in race order) and ``rung`` (0 = first);
``fidelity`` is recorded by the runner when r < 1.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from hpo_race.strategies.base import Strategy
from hpo_race.strategies.schema import Setting

DEFAULT_ETA = 3
MAX_AUTO_S = 3
MAX_S = 4


def bracket_rungs(n: int, s: int, eta: int, rounding: str = "floor") -> list[tuple[float, int]]:
    """(fidelity, size) of each rung of a bracket of n configurations and depth s.

    ``rounding="floor"``: Li et al.'s nᵢ = ⌊n·η^(−i)⌋ (Hyperband); ``"ceil"``: scikit-learn's
    successive halving, nᵢ = ⌈n·η^(−i)⌉ (keeping ⌈nᵢ₋₁/η⌉ each rung, so never none).
    """
    if rounding == "ceil":
        return [(float(eta) ** (i - s), -(-n // eta**i)) for i in range(s + 1)]
    return [(float(eta) ** (i - s), n // eta**i) for i in range(s + 1)]


def bracket_units(n: int, s: int, eta: int, rounding: str = "floor") -> float:
    """Expected cost of a bracket in full-trial units: Σ nᵢ·rᵢ."""
    return sum(r * size for r, size in bracket_rungs(n, s, eta, rounding))


def full_bracket_size(s: int, s_max: int, eta: int) -> int:
    """Li et al.'s n for bracket s: ⌈(s_max + 1)/(s + 1) · η^s⌉."""
    return math.ceil((s_max + 1) / (s + 1) * eta**s)


def iteration_units(s_max: int, eta: int) -> float:
    """Expected cost of one full Hyperband iteration (brackets s_max..0), in full trials."""
    return sum(bracket_units(full_bracket_size(s, s_max, eta), s, eta) for s in range(s_max + 1))


class HyperbandStrategy(Strategy):
    """Successive halving in Hyperband's brackets; asks for partial runs via ``fidelity``."""

    name = "hyperband"
    title = "Hyperband"
    multi_fidelity = True
    OPTIONS = (
        Setting(
            "eta",
            "int",
            DEFAULT_ETA,
            "Hyperband's η",
            "Each rung keeps the best 1/η of its runs and trains them η× longer",
            url="hb_eta",
            low=2,
            high=4,
            step=1,
        ),
        Setting(
            "s_max",
            "int",
            None,
            "Hyperband's deepest bracket s_max",
            "The shortest run is η^(−s_max) of a full one (auto: the deepest whose round of "
            f"brackets fits the budget, at most {MAX_AUTO_S})",
            url="hb_smax",
            low=0,
            high=MAX_S,
            none="auto",
            step=1,
        ),
    )

    def __init__(self, rng, budget, cost_model, **options: Any) -> None:  # noqa: ANN001
        super().__init__(rng, budget, cost_model, **options)
        self.eta = self.options["eta"]
        s_max = self.options["s_max"]
        self.unit = float(cost_model.expected())
        if s_max is None:
            s_max = 0
            for s in range(MAX_AUTO_S, -1, -1):
                if iteration_units(s, self.eta) * self.unit <= self.budget:
                    s_max = s
                    break
        self.s_max = s_max
        self.spent_estimate = 0.0
        self.brackets: list[dict[str, Any]] = []
        self._cycle = 0  # position in s_max, …, 0
        self._start_bracket()

    # -- planning ------------------------------------------------------------------------
    def _plan(self, remaining: float) -> tuple[int, int]:
        """(s, n) of the next bracket: the scheduled one, shrunk or replaced to fit."""
        s_next = self.s_max - self._cycle
        self._cycle = (self._cycle + 1) % (self.s_max + 1)
        units = remaining / self.unit
        n_full = full_bracket_size(s_next, self.s_max, self.eta)
        if bracket_units(n_full, s_next, self.eta) <= units:
            return s_next, n_full
        for s in range(s_next, -1, -1):
            n_min = self.eta**s
            top = n_full if s == s_next else full_bracket_size(s, self.s_max, self.eta)
            fitting = [n for n in range(n_min, top + 1) if bracket_units(n, s, self.eta) <= units]
            if fitting:
                return s, max(fitting)
        return 0, 1

    def _start_bracket(self) -> None:
        s, n = self._plan(self.budget - self.spent_estimate)
        configs = self.rng.uniform(0.0, 1.0, size=(n, self.dims))
        rungs = bracket_rungs(n, s, self.eta)
        self.brackets.append(
            {
                "s": s,
                "configs": configs,
                "rungs": rungs,
                "rung": 0,
                "members": list(range(n)),  # config indices of the current rung, in run order
                "scores": [None] * n,  # by position in the rung, once told
                "next": 0,  # the position in the rung of the next run to start
                "in": 0,  # results in for the current rung
                "history": [],  # per finished rung: (members, scores)
                "told": 0,
            }
        )

    @property
    def _current(self) -> dict[str, Any]:
        return self.brackets[-1]

    # -- ask / start / tell ----------------------------------------------------------------
    def ask(self) -> np.ndarray | None:
        b = self._current
        if b["next"] >= len(b["members"]):
            return None  # the rung's runs have all started: wait for their scores
        return b["configs"][b["members"][b["next"]]].copy()

    def fidelity(self) -> float:
        b = self._current
        return b["rungs"][b["rung"]][0]

    def trial_info(self) -> dict[str, Any]:
        return {"bracket": len(self.brackets) - 1, "rung": self._current["rung"]}

    def _started(self, theta: np.ndarray) -> int:
        b = self._current
        b["next"] += 1
        return b["next"] - 1

    def tell(self, theta: np.ndarray, score: float) -> None:
        position = self._finish(theta)
        b = self._current
        r = b["rungs"][b["rung"]][0]
        self.spent_estimate += r * float(self.cost_model.mean(np.asarray(theta)[None, :])[0])
        b["scores"][position] = float(score)
        b["told"] += 1
        b["in"] += 1
        if b["in"] < len(b["members"]):
            return
        scores = [float(x) for x in b["scores"]]
        b["history"].append((list(b["members"]), scores))
        if b["rung"] + 1 >= len(b["rungs"]):
            self._start_bracket()
            return
        keep = b["rungs"][b["rung"] + 1][1]
        order = np.argsort(-np.asarray(scores), kind="stable")[:keep]
        b["members"] = [b["members"][k] for k in order]
        b["scores"] = [None] * len(b["members"])
        b["next"] = 0
        b["in"] = 0
        b["rung"] += 1

    # -- trace ---------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """η, s_max and the plan of each bracket that ran at least one trial: depth s, number
        of configurations, and its rungs as [fidelity, size] (sizes are planned; the budget
        may end a bracket early)."""
        return {
            "eta": self.eta,
            "s_max": self.s_max,
            "brackets": [
                {
                    "s": b["s"],
                    "configs": len(b["configs"]),
                    "rungs": [[round(r, 6), size] for r, size in b["rungs"]],
                }
                for b in self.brackets
                if b["told"]
            ],
        }
