"""The settings table is the only place a bound or a default is written.

Greps the runtime tree (app/, assets/ less vendor, strategies/, landscapes/) for a few of the
literals that used to be copied across Python and JS — ξ's and κ's ranges, the budget's
range and default, the seed cap, the repeat limit — and finds each only in the module that
declares it in the table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TREES = ("app", "assets", "strategies", "landscapes")


def runtime_files() -> list[Path]:
    files = []
    for tree in TREES:
        for path in (ROOT / tree).rglob("*"):
            if path.suffix in (".py", ".js") and "vendor" not in path.parts:
                if "data" in path.relative_to(ROOT).parts:  # the SVM measurement script
                    continue
                files.append(path)
    return files


def code_of(path: Path) -> str:
    """The file without comments and docstrings' prose lines (rough, but enough here)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        text = re.sub(r'"""[\s\S]*?"""', "", text)
        text = re.sub(r"#.*", "", text)
    else:
        text = re.sub(r"/\*[\s\S]*?\*/", "", text)
        text = re.sub(r"//.*", "", text)
    return text


LITERALS = {
    # what: (pattern, the files allowed to hold it)
    "ξ's range": (r"low=0\.0,\s*high=10\.0|\[0,\s*10\]|\(0\.0,\s*10\.0\)", {"strategies/bayes.py"}),
    "κ's range": (
        r"low=0\.0,\s*high=100\.0|\[0,\s*100\]|\(0\.0,\s*100\.0\)",
        {"strategies/bayes.py"},
    ),
    "the budget's range": (r"\b3000(\.0)?\b|\b20\.0\b", {"strategies/settings.py"}),
    "the default budget": (r"\b800(\.0)?\b", {"strategies/settings.py"}),
    "the seed cap": (r"2\s*\*\*\s*31\s*-\s*1|2147483647", {"strategies/settings.py"}),
    "the repeat limit": (r"MAX_REPEATS\s*=\s*100|REPEATS\s*=\s*100", set()),
    "ξ's default": (r"xi\s*[:=]\s*0\.01|\"xi\":\s*0\.01", set()),
    "κ's default": (r"kappa\s*[:=]\s*2(\.0)?\b|\"kappa\":\s*2", set()),
}


@pytest.mark.parametrize("what", list(LITERALS))
def test_a_bound_or_default_is_written_only_in_the_table(what: str) -> None:
    pattern, allowed = LITERALS[what]
    found = {
        str(path.relative_to(ROOT)) for path in runtime_files() if re.search(pattern, code_of(path))
    }
    assert found <= allowed, f"{what} is written outside the table: {sorted(found - allowed)}"
    assert allowed <= found | {""}, f"{what} is not where the table says: {sorted(allowed)}"


def test_the_grep_sees_the_tree() -> None:
    names = {str(p.relative_to(ROOT)) for p in runtime_files()}
    assert {"strategies/settings.py", "assets/_codec.js", "app/layout.py"} <= names
