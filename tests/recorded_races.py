"""Fingerprints of the races a set of links give: what a refactor must leave byte-identical.

``python tests/recorded_races.py`` records them into ``tests/data/recorded_races.json``; the
test ``test_recorded_races.py`` recomputes and compares. Re-record only when an issue
deliberately changes a racer or the page's payload, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

RECORD = Path(__file__).resolve().parent / "data" / "recorded_races.json"

PEAKS = "0.700,0.700,0.800,0.120;0.250,0.300,0.500,0.100"

#: One link per kind of race: every landscape, every racer, options, noise and a drawing.
LINKS = (
    "",
    "landscape=bumpy&seed=5&budget=1200",
    "landscape=one-knob&layout=3&racers=grid,random,bayes,hyperband",
    "landscape=svm-digits&budget=600&racers=grid,random,bayes,tpe,halving",
    f"landscape=custom&peaks={PEAKS}&racers=random,bayes,hyperband&init=3&acq=ucb&kappa=3",
    "landscape=smooth&seed=9&kernel=rbf&ls=0.1&racers=grid,bayes,tpe,halving"
    "&tpe_init=5&sh_eta=2&hb_eta=2",
    "landscape=bumpy&layout=4&budget=300&seed=2&racers=bayes,hyperband,halving&acq=pi&xi=0.05",
    "landscape=smooth&dims=4&seed=3&racers=grid,random,bayes,tpe",
    "landscape=one-knob&workers=8&seed=5&racers=grid,random,hyperband,tpe,halving",
)


def _rounded(value: Any) -> Any:
    """Floats to 12 significant digits: a CPU's BLAS kernels may differ in the last bits."""
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def digest(value: Any) -> str:
    """sha256 of the canonical JSON form (floats to 12 digits): equal digests, equal races."""
    text = json.dumps(_rounded(value), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(link: str) -> dict[str, str]:
    """Digests of the engine's trace, the page's race payload and (with Bayes) the model view."""
    from hpo_race.app.model_data import model_payload, race_entry
    from hpo_race.strategies.settings import check_race, from_query

    settings, problems = from_query(dict(parse_qsl(link)))
    if problems:
        raise ValueError(f"recorded link {link!r} has problems: {problems}")
    settings = check_race(settings)
    settings["options"] = {k: v for k, v in settings["options"].items() if v}
    entry = race_entry(settings)
    out = {"trace": digest(entry["trace"]), "payload": digest(entry["view"])}
    if "bayes" in settings["strategies"]:
        out["model"] = digest(model_payload(settings))
    return out


def record() -> dict[str, dict[str, str]]:
    return {link: fingerprint(link) for link in LINKS}


if __name__ == "__main__":
    RECORD.parent.mkdir(parents=True, exist_ok=True)
    RECORD.write_text(json.dumps(record(), indent=1, sort_keys=True) + "\n")
    sys.stdout.write(f"recorded {len(LINKS)} races into {RECORD}\n")
