"""The ask/tell contract every search strategy follows.

A strategy only proposes points and records results; it never evaluates the landscape.
The race runner (``strategies.race``) owns the landscape, the cost model and the clock.
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

    ``ask`` must be repeatable: calling it twice without a ``tell`` in between returns the
    same point, so any expensive work belongs in ``tell``. ``dims`` (2 … 6, the landscape's
    number of knobs) is given by the runner; a strategy never sees the landscape itself.
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

    @abc.abstractmethod
    def ask(self) -> np.ndarray | None:
        """The next θ (shape (dims,)) to try, or None when the strategy has nothing left."""

    @abc.abstractmethod
    def tell(self, theta: np.ndarray, score: float) -> None:
        """Record that θ scored ``score`` (higher is better)."""

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
