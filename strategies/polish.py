"""Polishing the best candidates of an acquisition function: projected gradient ascent.

One job: given a few starting points in the unit cube and a function that returns the
acquisition value and its gradient at many points at once, climb from every start together
and return where each got. Each iteration is ONE vectorised call for all starts (no scipy
per-call overhead), which is what makes a Bayesian step cheap: it replaced a joint L-BFGS-B
run (5 iterations, ~12 calls) that was half of the racer's time.

The rule, for each start independently: step a distance ``s`` along the normalised gradient
projected onto the box (components pushing out through a face it sits on are dropped), clip
into the box, keep the move only if the value rose; after a kept move ``s`` doubles (up to
``MAX_STEP``), after a refused one it shrinks by 4. Monotone by construction: a polished
point is never worse than its start. A normalised step makes the step size a distance in
the unit cube whatever the acquisition's scale (log EI, PI, UCB alike).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

FIRST_STEP = 0.01  # ~ a third of the spacing of 1,024 Sobol candidates in 2-D
MAX_STEP = 0.1
GROW, SHRINK = 2.0, 0.25

ValueAndGrad = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def polish(
    value_and_grad: ValueAndGrad, starts: np.ndarray, iterations: int
) -> tuple[np.ndarray, np.ndarray]:
    """Climb from every start at once; returns (points (k, d), their values (k,)).

    ``value_and_grad(P)`` returns the values (k,) and gradients (k, d) at the rows of P.
    Calls it ``iterations + 1`` times.
    """
    x = np.clip(np.asarray(starts, float), 0.0, 1.0)
    value, grad = value_and_grad(x)
    step = np.full(len(x), FIRST_STEP)
    for _ in range(iterations):
        g = np.where(((x <= 0.0) & (grad < 0.0)) | ((x >= 1.0) & (grad > 0.0)), 0.0, grad)
        norm = np.linalg.norm(g, axis=1)
        moving = (norm > 0.0) & np.isfinite(norm)
        if not np.any(moving):
            break
        direction = np.where(moving[:, None], g / np.where(moving, norm, 1.0)[:, None], 0.0)
        trial = np.clip(x + step[:, None] * direction, 0.0, 1.0)
        t_value, t_grad = value_and_grad(trial)
        better = moving & (t_value > value)
        x = np.where(better[:, None], trial, x)
        value = np.where(better, t_value, value)
        grad = np.where(better[:, None], t_grad, grad)
        step = np.where(better, np.minimum(step * GROW, MAX_STEP), step * SHRINK)
    return x, value
