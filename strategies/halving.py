"""Successive halving (Jamieson & Talwalkar, AISTATS 2016) as scikit-learn's
``HalvingRandomSearchCV`` runs it: one schedule of rungs, random candidates, ``factor`` η.

Resources are fractions of a full training run (``Strategy.fidelity``). A schedule of depth s
has s + 1 rungs i = 0..s at fidelities rᵢ = η^(i − s), so the first is r_min = η^(−s) and
the last is a full run (r = 1). Rung 0 trains n₀ candidates drawn uniformly in the unit
square (from the strategy's own rng); each rung keeps the best

    nᵢ₊₁ = ⌈nᵢ / η⌉       (scikit-learn's ``n_candidates_to_keep = ceil(n_candidates / factor)``,
                          so nᵢ = ⌈n₀ · η^(−i)⌉ and no rung is ever empty)

by score (ties: earlier first) and trains them η× longer, best first. As in scikit-learn
without ``aggressive_elimination`` (its default), the number of rungs is set by the resources,
not by the candidates, so the full rung may hold more than η runs.

Sizing from the budget B, like ``n_candidates="exhaust"``. scikit-learn draws as many
candidates as its resources allow (n₀ = max_resources // min_resources); here the resource is
the GPU-minute budget and E = ``cost_model.expected()`` is the expected cost of one full run,
so the schedule's expected cost is E · U(n₀, s) with

    U(n₀, s) = Σᵢ₌₀..ₛ ⌈n₀ · η^(−i)⌉ · η^(i − s)       (full-run units)

and n₀ is the largest n with E · U(n, s) ≤ B whose Σᵢ nᵢ trials stay within the runner's
limit of ``TRIAL_LIMIT`` = 500 trials (``strategies.race.MAX_TRIALS``).

The depth s (so r_min):
- ``min_fidelity`` given: like ``min_resources="exhaust"``, the last rung must be exactly a
  full run, so r_min is rounded *up* to a power of η: s = ⌊log_η(1 / min_fidelity)⌋.
- auto (default): the deepest s ≤ 3 (Hyperband's ``MAX_AUTO_S``; r_min = 1/27 for η = 3)
  whose budget-sized schedule fits within the trial limit, so a large budget buys longer
  short runs rather than more of them.
- either way, s is lowered while n₀ < η^s (too small a budget to eliminate down to one
  candidate): scikit-learn's ``n_iterations = min(n_possible_iterations,
  n_required_iterations)``. With s = 0 it is random search with ⌊B/E⌋ full runs.

Worked example (smooth, E = 16.67 GPU min, B = 800, so B/E = 48 full runs; η = 3, auto):
s = 3 and n₀ = 324, so the rungs are [fidelity, size] = [1/27, 324], [1/9, 108], [1/3, 36],
[1, 12]; each costs 12 full runs in expectation, 48 in all (800 GPU min), 480 trials.

When the schedule is finished, the strategy is done (``ask`` returns None; the runner records
``stopped="exhausted"``), as ``HalvingRandomSearchCV.fit`` ends after its last iteration.
n₀ is as large as fits, so what remains is less than adding one more candidate would cost
(≤ Σᵢ rᵢ < 1.5 full runs at η ≥ 2) plus the luck of the drawn costs, unless the trial limit
bound n₀ (only with a small given ``min_fidelity`` and a large budget). Drawn costs can also
run over the expectation: then the runner ends the race mid-rung (``stopped="budget"``), and
because every rung is visited best first, the runs it loses are the least promising.

Several workers: the rungs stay synchronous, as scikit-learn's are (its ``n_jobs`` runs one
rung's fits in parallel): free workers take the rung's runs in order, and once all of them
have started ``ask`` returns None until every score of the rung is in, so workers sit idle
while a rung drains, which the trace's ``start``/``end``/``worker`` show. The simpler of
the two correct forms; ASHA (Li et al., "A System for Massively Parallel Hyperparameter
Tuning", MLSys 2020) would promote asynchronously instead.

Trace: each trial carries ``rung`` (0 = first), ``candidates`` (how many the rung holds) and
``candidate`` (the index of its θ among the n₀ drawn, so a θ can be followed up the rungs);
``why`` is ``explain_next()``; ``state()`` records η, s, n₀ and the planned rungs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from hpo_race.strategies.base import Strategy
from hpo_race.strategies.hyperband import MAX_AUTO_S, bracket_rungs, bracket_units
from hpo_race.strategies.schema import Setting

DEFAULT_ETA = 3
#: The race runner's trial limit (``strategies.race.MAX_TRIALS``; importing the runner here
#: would be circular). A test keeps the two equal.
TRIAL_LIMIT = 500
MIN_FIDELITY = 1 / 81
MAX_FIDELITY = 0.5
_SLACK = 1e-9  # float slack when an expected cost equals the budget exactly


def schedule_trials(n: int, s: int, eta: int) -> int:
    """Σᵢ nᵢ: how many trials a schedule of n candidates and depth s runs."""
    return sum(size for _, size in bracket_rungs(n, s, eta, "ceil"))


def exhaust(units: float, s: int, eta: int, limit: int = TRIAL_LIMIT) -> tuple[int, bool]:
    """(n₀, limited): the most candidates whose depth-s schedule costs ≤ ``units`` full runs
    and runs ≤ ``limit`` trials (0 if not even one fits); ``limited`` is True when the trial
    limit, not the budget, stopped n₀ from growing."""
    n = 0
    while bracket_units(n + 1, s, eta, "ceil") <= units + _SLACK:
        if schedule_trials(n + 1, s, eta) > limit:
            return n, True
        n += 1
    return n, False


def depth_for(min_fidelity: float, eta: int) -> int:
    """The s of r_min = η^(−s): the smallest power of η^(−1) that is ≥ ``min_fidelity``."""
    return int(math.floor(math.log(1.0 / min_fidelity, eta) + 1e-9))


def plan(units: float, eta: int, min_fidelity: float | None) -> tuple[int, int]:
    """(s, n₀) of the schedule for a budget of ``units`` full runs (module docstring)."""
    if min_fidelity is not None:
        depths = range(depth_for(min_fidelity, eta), -1, -1)
    else:
        depths = range(MAX_AUTO_S, -1, -1)
    fallback = None
    for s in depths:
        n, limited = exhaust(units, s, eta)
        if n < eta**s:
            continue  # cannot eliminate down to one candidate: shallower
        if min_fidelity is not None or not limited:
            return s, n
        fallback = fallback or (s, n)
    if fallback is not None:
        return fallback
    return 0, max(1, exhaust(units, 0, eta)[0])


class HalvingStrategy(Strategy):
    """One successive-halving schedule sized to the budget; asks for partial runs."""

    name = "halving"
    title = "Successive halving"
    multi_fidelity = True
    OPTIONS = (
        Setting(
            "eta",
            "int",
            DEFAULT_ETA,
            "Successive halving's η",
            "Each rung keeps the best ⌈1/η⌉ of its runs and trains them η× longer "
            "(scikit-learn's factor)",
            url="sh_eta",
            low=2,
            high=4,
            step=1,
        ),
        Setting(
            "min_fidelity",
            "float",
            None,
            "Successive halving's shortest run",
            "The first rung's share of a full run, rounded up to a power of 1/η so the last "
            f"rung is a full run (auto: η^−{MAX_AUTO_S}, or longer if the budget needs it)",
            url="sh_rmin",
            low=MIN_FIDELITY,
            high=MAX_FIDELITY,
            none="auto",
            log=True,
        ),
    )

    def __init__(self, rng, budget, cost_model, **options: Any) -> None:  # noqa: ANN001
        super().__init__(rng, budget, cost_model, **options)
        self.eta = self.options["eta"]
        self.unit = float(cost_model.expected())
        self.s, n = plan(self.budget / self.unit, self.eta, self.options["min_fidelity"])
        self.configs = self.rng.uniform(0.0, 1.0, size=(n, self.dims))
        self.rungs = bracket_rungs(n, self.s, self.eta, "ceil")
        self.rung = 0
        self.members = list(range(n))  # candidate indices of the current rung, in run order
        self.scores: list[float | None] = [None] * n  # by position in the rung, once told
        self.told = 0  # results in for the current rung
        self.next_position = 0  # the position in the rung of the next run to start
        self.previous: dict[int, float] = {}  # candidate -> its score in the previous rung
        self.history: list[tuple[list[int], list[float]]] = []  # finished rungs
        self.done = False

    # -- ask / start / tell --------------------------------------------------------------
    def _waiting(self) -> bool:
        """Every run of the rung has started: the next rung waits for all their scores."""
        return self.done or self.next_position >= len(self.members)

    def ask(self) -> np.ndarray | None:
        if self._waiting():
            return None
        return self.configs[self.members[self.next_position]].copy()

    def fidelity(self) -> float:
        return self.rungs[min(self.rung, len(self.rungs) - 1)][0]

    def trial_info(self) -> dict[str, Any]:
        if self._waiting():
            return {}
        return {
            "rung": self.rung,
            "candidates": len(self.members),
            "candidate": self.members[self.next_position],
        }

    def explain_next(self) -> dict[str, Any]:
        """Why the next run: a fresh ``candidate`` (rung 0), a ``promotion`` to a longer partial
        run, or a ``full`` run; its rung, fidelity, ``position`` in the rung (1 = first, the
        best of the previous rung for promotions) ``of`` the rung's size, and for promotions
        ``previous_score`` (its score in the rung below)."""
        if self._waiting():
            return {}
        r = self.fidelity()
        kind = "full" if r >= 1.0 else "candidate" if self.rung == 0 else "promotion"
        out = {
            "kind": kind,
            "rung": self.rung,
            "fidelity": round(r, 6),
            "position": self.next_position + 1,
            "of": len(self.members),
        }
        if self.rung > 0:
            out["previous_score"] = self.previous[self.members[self.next_position]]
        return out

    def _started(self, theta: np.ndarray) -> int:
        self.next_position += 1
        return self.next_position - 1

    def tell(self, theta: np.ndarray, score: float) -> None:
        position = self._finish(theta)
        self.scores[position] = float(score)
        self.told += 1
        if self.told < len(self.members):
            return
        scores = [float(x) for x in self.scores]
        self.history.append((list(self.members), scores))
        if self.rung + 1 >= len(self.rungs):
            self.done = True
            return
        keep = self.rungs[self.rung + 1][1]  # = ⌈len(members) / η⌉
        order = np.argsort(-np.asarray(scores), kind="stable")[:keep]
        self.previous = {self.members[k]: scores[k] for k in order}
        self.members = [self.members[k] for k in order]
        self.scores = [None] * len(self.members)
        self.told = 0
        self.next_position = 0
        self.rung += 1

    # -- trace ---------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """η, depth s, n₀ candidates, the planned rungs as [fidelity, size] (the budget may
        end the schedule early) and the schedule's expected cost in GPU minutes."""
        n = len(self.configs)
        return {
            "eta": self.eta,
            "s": self.s,
            "configs": n,
            "rungs": [[round(r, 6), size] for r, size in self.rungs],
            "planned": round(bracket_units(n, self.s, self.eta, "ceil") * self.unit, 4),
        }
