"""The Bayesian model's frames as the page draws them: the acquisition on a log scale where
a linear one would be one flat colour, and every frame quantised for the wire.

Pure functions of ``strategies.internals.bayes_internals``'s frames (``app.model_data``
computes and caches them); split from it so each file keeps one job.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from hpo_race.app.transport import packed

#: The acquisition view of EI or PI draws log10 of it: EI falls by tens of orders of magnitude
#: over a race (1e-91 at the end of a default one), so a linear map of a late frame, quantised
#: to 256 levels, is one flat colour. Each frame is clipped this many decades below its own
#: largest value: a point a million times less promising than the best one is not a
#: contender while that one stands, and six decades keep about 40 colour levels a decade.
ACQ_DECADES = 6
#: "Nothing left to gain anywhere": the largest EI of a frame is below this share of the
#: landscape's score range (max − min of its scores). Scores are shown to 3 decimals on
#: ranges of 0.5–0.9, so a gain of 1e-4 of the range (< 0.0001) is under a tenth of the last
#: digit on screen: no trial the model could pick would change a number the class sees.
NOTHING_TO_GAIN_SHARE = 1e-4


def acquisition_view(
    frames: list[np.ndarray], acquisition: str, score_range: list[float]
) -> tuple[list[np.ndarray], dict[str, Any]]:
    """The acquisition frames as the page draws them, and the facts its legend states.

    EI and PI: log10 of each frame clipped ``ACQ_DECADES`` below its largest value, plus per
    frame that largest value (``peak``) and, for EI, whether it is below ``threshold``
    (``NOTHING_TO_GAIN_SHARE`` of the score range) after at least one trial (``nothing``).
    A frame whose values are all 0 (the prior, or EI underflowed everywhere) stays 0s.
    UCB is a score, not a gain, and stays linear. Done here, not in the browser, because the
    frames are quantised to 256 levels over their range before they travel: a linear
    quantisation of a late EI frame has already lost everything but its maximum.
    """
    peaks = [float(np.max(f)) if len(f) else 0.0 for f in frames]
    facts: dict[str, Any] = {"scale": "linear", "peak": [float(f"{p:.6g}") for p in peaks]}
    if acquisition not in ("ei", "pi"):
        return list(frames), facts
    out = []
    for frame, peak in zip(frames, peaks, strict=True):
        if peak > 0:
            top = math.log10(peak)
            out.append(np.log10(np.maximum(frame, 10.0 ** (top - ACQ_DECADES))))
        else:
            out.append(np.zeros_like(frame))
    facts.update(scale="log10", decades=ACQ_DECADES)
    if acquisition == "ei":
        threshold = NOTHING_TO_GAIN_SHARE * (float(score_range[1]) - float(score_range[0]))
        facts.update(
            threshold=float(f"{threshold:.6g}"),
            threshold_share=NOTHING_TO_GAIN_SHARE,
            nothing=[k > 0 and peak < threshold for k, peak in enumerate(peaks)],
        )
    return out, facts


def page_frames(raw: dict[str, Any], score_range: list[float]) -> dict[str, Any]:
    """``strategies.internals.bayes_internals``'s frames as the page receives them: the
    acquisition drawn as ``acquisition_view`` says (its facts under ``acquisition_view``),
    every frame quantised for the wire (``app.transport.packed``)."""
    frames, facts = acquisition_view(raw["frames"]["acquisition"], raw["acquisition"], score_range)
    internals = packed({**raw, "frames": {**raw["frames"], "acquisition": frames}})
    return {**internals, "acquisition_view": facts}
