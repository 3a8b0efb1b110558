"""The race for a given link is byte-identical to the one recorded (tests/recorded_races.py).

A refactor must not change a race: the engine's trace, the page's payload (narration
included) and the Bayesian model view are compared by digest against the recording.
"""

from __future__ import annotations

import json

import pytest
from recorded_races import LINKS, RECORD, fingerprint


def test_every_link_is_recorded() -> None:
    assert sorted(json.loads(RECORD.read_text())) == sorted(LINKS)


#: The links whose race (and model view) takes seconds to compute: run by plain `pytest` and
#: CI, left out of the quick `-m "not browser"` round (tests/conftest.py).
HEAVY = ("budget=1200", "one-knob&layout=3", "svm-digits", "landscape=custom")


@pytest.mark.parametrize(
    "link",
    [
        pytest.param(link, marks=pytest.mark.slow) if any(h in link for h in HEAVY) else link
        for link in LINKS
    ],
)
def test_race_matches_recording(link: str) -> None:
    recorded = json.loads(RECORD.read_text())[link]
    assert fingerprint(link) == recorded, (
        f"the race for ?{link} changed; if an issue changed a racer on purpose, re-record with "
        "`python tests/recorded_races.py` and say so in the commit"
    )
