"""The ask/start/tell contract every search strategy follows.

A strategy only proposes points and records results; it never evaluates the landscape.
The race runner (``strategies.race``) owns the landscape, the cost model, the workers and
the clocks.

One trial's life (issue 16: a racer may run several trials at once, one per worker):

1. ``ask()`` proposes θ: repeatable, the same point until the strategy's state changes (a
   ``start`` or a ``tell``). ``fidelity()``, ``trial_info()`` and ``explain_next()`` describe
   that same point. ``None`` means nothing to start *now*: with trials still pending the
   runner waits for one to end and asks again; with nothing pending the strategy is done.
2. ``start(θ)``: the runner started a trial at θ (the point ``ask`` returned, rounded as the
   trace records it). θ is now *pending* (``self.pending``, in start order) and the next
   ``ask`` proposes a different point, knowing θ is being tried.
3. ``tell(θ, score)``: that trial ended. θ is exactly what ``start`` received; trials may
   end in any order.

With one worker the runner calls ask, start, tell, ask, …: nothing is ever pending at a
``tell``, and every strategy behaves exactly as it did before workers existed. A caller
that never calls ``start`` (ask then tell, as replays and older code do) gets the same:
a ``tell`` of a θ that is not pending starts it first (``_finish``).
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from hpo_race.strategies.schema import Setting, check_options

if TYPE_CHECKING:
    from hpo_race.landscapes.cost import CostModel


class Strategy(abc.ABC):
    """Proposes θ in the unit cube [0, 1]^dims (``ask``) and learns from results (``tell``).

    ``ask`` must be repeatable: calling it twice without a ``start`` or ``tell`` in between
    returns the same point, so expensive work belongs in ``tell`` (or is done once by the
    first ``ask`` after a ``start`` and cached). ``dims`` (2 … 6, the landscape's number of
    knobs) is given by the runner; a strategy never sees the landscape itself. See the module
    docstring for pending points (``start``).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    #: True for strategies that ask for partial training runs (``fidelity`` < 1); their
    #: trials also carry ``best_full`` in the trace.
    multi_fidelity: ClassVar[bool] = False
    #: True for strategies whose trials carry ``good``: the indices of the earlier trials the
    #: model counted as "good" when it proposed this one (TPE's top-γ split).
    good_split: ClassVar[bool] = False
    #: The strategy's options (``strategies.schema.Setting``), declared once: the engine, the
    #: CLI, links and the page's controls all derive from this table.
    OPTIONS: ClassVar[tuple[Setting, ...]] = ()

    def __init__(
        self,
        rng: np.random.Generator,
        budget: float,
        cost_model: CostModel,
        *,
        dims: int = 2,
        **options: Any,
    ) -> None:
        #: Every option, checked against ``OPTIONS`` (``SettingError`` if bad), defaults filled.
        self.options = check_options(self.OPTIONS, options, self.title, f"{self.name}.")
        self.rng = rng
        self.budget = float(budget)
        self.cost_model = cost_model
        #: How many knobs θ has: ``ask`` returns points of shape (dims,).
        self.dims = int(dims)
        #: Trials started and not yet told, in start order: (θ as started, the token
        #: ``_started`` returned for it).
        self.pending: list[tuple[np.ndarray, Any]] = []

    @abc.abstractmethod
    def ask(self) -> np.ndarray | None:
        """The next θ (shape (dims,)) to try, or None when the strategy has nothing left."""

    @abc.abstractmethod
    def tell(self, theta: np.ndarray, score: float) -> None:
        """Record that the trial at θ scored ``score`` (higher is better); call ``_finish``."""

    def start(self, theta: np.ndarray) -> None:
        """The runner started a trial at θ, the point ``ask`` returned: θ is pending until its
        ``tell``, and ``ask`` moves on to the next point."""
        theta = np.array(theta, dtype=float).reshape(self.dims)
        self.pending.append((theta, self._started(theta)))

    def _started(self, theta: np.ndarray) -> Any:
        """Hook: move ``ask`` past θ; the returned token comes back from ``_finish`` (e.g. the
        rung position a multi-fidelity strategy needs to file the score)."""
        return None

    def _finish(self, theta: np.ndarray) -> Any:
        """Take θ's trial off the pending list and return its token (the first of equals).

        A θ told without ``start`` (sequential use: ask then tell) is started here first, so
        the sequential protocol keeps working unchanged.
        """
        theta = np.asarray(theta, dtype=float).reshape(self.dims)
        for i, (point, token) in enumerate(self.pending):
            if np.array_equal(point, theta):
                del self.pending[i]
                return token
        self.start(theta)
        return self.pending.pop()[1]

    def pending_points(self) -> np.ndarray:
        """The pending θ as an (n, dims) array, in start order."""
        if not self.pending:
            return np.zeros((0, self.dims))
        return np.array([point for point, _ in self.pending])

    def fidelity(self) -> float:
        """Fraction r ∈ (0, 1] of a full training run for the point ``ask`` returns.

        Repeatable like ``ask``. The runner evaluates the trial at r (``Landscape.observe_at``)
        and charges r × its cost. Default: every trial is a full run.
        """
        return 1.0

    def trial_info(self) -> dict[str, Any]:
        """Extra JSON facts recorded on the pending trial (e.g. Hyperband's bracket, rung)."""
        return {}

    def state(self) -> dict[str, Any]:
        """Extra JSON-serialisable facts for the race trace (e.g. grid's lattice)."""
        return {}
