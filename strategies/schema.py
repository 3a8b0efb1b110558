"""What one setting is: its type, range or choices, default, URL key, label and help.

In the style of scikit-learn's ``_parameter_constraints`` and TensorFlow Playground's
``State.PROPS``: a setting is declared once, as a ``Setting``, and everything else derives
from it — validation (``check``), the text form used by links and the CLI (``encode`` /
``decode``), the browser's controls and its link codec (``spec``, shipped to the page).

This module is a leaf: it imports nothing of the project, so landscapes, strategies and the
app can all declare settings with it. The tables themselves live in ``strategies.settings``
(the race) and on each strategy class (``Strategy.OPTIONS``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["int", "float", "choice", "flag", "text", "list"]

_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$", re.IGNORECASE)
_WHOLE = re.compile(r"^\s*\d{1,10}\s*$")
_FLAG_WORDS = {"1": True, "0": False}


class SettingError(ValueError):
    """A setting that cannot be used; the message names it and what it may be.

    ``field`` is the setting's name (e.g. ``"budget"`` or ``"bayes.xi"``), so a form can
    mark the control and a link notice can name the parameter.
    """

    def __init__(self, field: str, message: str | None = None) -> None:
        if message is None:  # SettingError("a sentence"): no particular field
            field, message = "", field
        super().__init__(message)
        self.field = field


def format_number(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` (805.0 -> "805", 0.051 -> "0.051").

    The browser's codec writes ``String(x)``, which agrees with this for every value a
    setting allows except exponent spelling; both read back to the same float.
    """
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


@dataclass(frozen=True)
class Setting:
    """One setting. ``check`` validates a Python value, ``decode`` a link's or a flag's text.

    kind: ``int`` (whole number in [low, high]), ``float`` (number in [low, high]),
    ``choice`` (one of ``choices``), ``flag`` (on/off), ``text`` (free text that ``parse``
    checks and returns in its canonical form, or ValueError) or ``list`` (comma-separated
    ``choices``, ``low``–``high`` of them, no repeats).
    ``none``: the word that stands for ``None`` (e.g. ``"fitted"``, ``"auto"``); a setting
    with ``none`` set accepts ``None``. ``step`` and ``log`` only shape the controls; a typed
    value anywhere in the range is accepted whatever the step. ``ui_low``/``ui_high``: the
    part of the range a slider offers (a link or a typed value may use all of it).
    """

    name: str
    kind: Kind
    default: Any
    label: str
    help: str
    url: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()
    none: str | None = None
    step: float | None = None
    log: bool = False
    ui_low: float | None = None
    ui_high: float | None = None
    cli: str | None = None
    unit: str = ""
    parse: Callable[[str], Any] | None = field(default=None, compare=False, repr=False)
    max_length: int = 400

    # ---------------------------------------------------------------- describing
    def allowed(self) -> str:
        """What the setting may be, in words (ends every error message)."""
        unit = f" {self.unit}" if self.unit else ""
        orelse = f' or "{self.none}"' if self.none else ""
        low = high = ""
        if self.low is not None and self.high is not None:
            low, high = _shown(self.low), _shown(self.high)
        if self.kind == "int":
            return f"a whole number from {low} to {high}{unit}{orelse}"
        if self.kind == "float":
            return f"a number from {low} to {high}{unit}{orelse}"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices) + orelse
        if self.kind == "flag":
            return "1 (on) or 0 (off)"
        if self.kind == "list":
            many = f"{self.low:g}" if self.low == self.high else f"{self.low:g} to {self.high:g}"
            return f"{many} different names from {', '.join(self.choices)}, comma-separated"
        return self.help

    def span(self) -> str:
        """The range as a control's hint shows it: "0–10"."""
        return f"{_shown(self.low)}–{_shown(self.high)}"

    def _fail(self, value: Any = None) -> SettingError:
        shown = "" if value is None else f" (got {_clip(value)})"
        return SettingError(self.name, f"{self.label} must be {self.allowed()}{shown}.")

    # ---------------------------------------------------------------- values
    def check(self, value: Any) -> Any:
        """The value in its canonical type, or ``SettingError`` naming the setting and range."""
        if value is None:
            if self.none is not None or (self.kind == "text" and self.default is None):
                return None
            raise self._fail()
        kind = self.kind
        if kind in ("int", "float"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self._fail(value)
            if not math.isfinite(value):
                raise self._fail(value)
            if kind == "int":
                if isinstance(value, float) and not value.is_integer():
                    raise self._fail(value)
                value = int(value)
            else:
                value = float(value)
            if not self.low <= value <= self.high:
                raise self._fail(value)
            return value
        if kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise self._fail(value)
            return value
        if kind == "flag":
            if not isinstance(value, bool):
                raise self._fail(value)
            return value
        if kind == "list":
            if isinstance(value, str):
                value = [part.strip() for part in value.split(",") if part.strip()]
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise self._fail(value)
            items = list(value)
            if (
                any(v not in self.choices for v in items)
                or len(set(items)) != len(items)
                or not self.low <= len(items) <= self.high
            ):
                raise self._fail(",".join(items))
            return items
        # text
        if not isinstance(value, str):
            raise self._fail(value)
        if len(value) > self.max_length:
            raise SettingError(
                self.name, f"{self.label}: it is too long (at most {self.max_length} characters)."
            )
        if self.parse is not None:
            try:
                return self.parse(value)
            except ValueError as exc:
                raise SettingError(self.name, f"{self.label}: {exc}.") from None
        return value

    def decode(self, text: str) -> Any:
        """Read the setting from a link's or a command line's text, then ``check`` it."""
        if not isinstance(text, str):
            raise self._fail(text)
        if self.none is not None and text.strip().lower() == self.none:
            return None
        kind = self.kind
        if kind == "int":
            if not _WHOLE.match(text):
                raise self._fail(text)
            return self.check(int(text))
        if kind == "float":
            if not _NUMBER.match(text):
                raise self._fail(text)
            return self.check(float(text))
        if kind == "choice":
            word = text.strip().lower()
            return self.check(word if word in self.choices else text)
        if kind == "flag":
            word = text.strip().lower()
            if word not in _FLAG_WORDS:
                raise self._fail(text)
            return _FLAG_WORDS[word]
        return self.check(text)

    def encode(self, value: Any) -> str:
        """The text form ``decode`` reads back as the same value."""
        if value is None:
            return self.none or ""
        if self.kind == "flag":
            return "1" if value else "0"
        if self.kind == "list":
            return ",".join(value)
        if self.kind in ("int", "float"):
            return format_number(value)
        return str(value)

    def spec(self) -> dict[str, Any]:
        """What the browser needs to build the control and read and write links (JSON)."""
        out = {
            "name": self.name,
            "kind": self.kind,
            "default": self.default,
            "label": self.label,
            "help": self.help,
            "url": self.url,
            "allowed": self.allowed(),
        }
        if self.kind == "text":
            out["max_length"] = self.max_length
        for key in ("low", "high", "none", "step", "ui_low", "ui_high", "unit"):
            value = getattr(self, key)
            if value not in (None, ""):
                out[key] = value
        if self.log:
            out["log"] = True
        if self.choices:
            out["choices"] = list(self.choices)
            out["choice_labels"] = list(self.choice_labels or self.choices)
        return out


def _shown(value: float) -> str:
    """A bound as a person reads it: 3000, 0.03, 0.01235 (1/81), 2147483647."""
    text = format_number(value)
    return text if len(text) <= 10 else f"{value:.4g}"


def _clip(value: Any, size: int = 40) -> str:
    text = repr(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= size else text[: size - 1] + "…"


def check_options(
    settings: Iterable[Setting], given: Mapping[str, Any], owner: str, prefix: str = ""
) -> dict[str, Any]:
    """Every option of ``owner`` checked, with defaults for those not given.

    Unknown names are refused; ``prefix`` (e.g. ``"bayes."``) goes in front of the field
    names of errors so a caller can tell whose option it was.
    """
    table = {s.name: s for s in settings}
    if not isinstance(given, Mapping):
        raise SettingError(
            prefix.rstrip(".") or owner, f"The options of {owner} were not understood."
        )
    unknown = sorted(str(k)[:30] for k in given if k not in table)
    if unknown:
        names = ", ".join(table) or "none"
        raise SettingError(
            prefix + unknown[0],
            f"{owner} has no option {', '.join(unknown)} (its options: {names}).",
        )
    out = {}
    for name, setting in table.items():
        try:
            out[name] = setting.check(given[name]) if name in given else setting.default
        except SettingError as exc:
            raise SettingError(prefix + name, str(exc)) from None
    return out
