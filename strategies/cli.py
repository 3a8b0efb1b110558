"""``hpo-race simulate``: print a race trace (or many, summarised) as JSON on stdout.

Every flag comes from the settings table (``strategies.settings``) and the racers' option
tables (``--<racer>-<option>``, e.g. ``--bayes-xi 0.1``), so its ranges, defaults and
messages are the same as the page's and the links'.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from hpo_race.strategies.race import run, run_many
from hpo_race.strategies.registry import RACERS
from hpo_race.strategies.schema import Setting, SettingError
from hpo_race.strategies.settings import ALL_RACE, REPEATS, VARY_LANDSCAPE

PROG = "hpo-race simulate"


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad flag costs one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{PROG}: error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def flag_name(setting: Setting, racer: str | None = None) -> str:
    """``--landscape-seed``, ``--bayes-n-initial``: the flag of a setting (or of an option)."""
    base = setting.cli or setting.name.replace("_", "-")
    if racer is not None:
        base = f"{racer}-{setting.name.replace('_', '-')}"
    return f"--{base}"


def _reader(setting: Setting) -> Callable[[str], Any]:
    """argparse ``type=``: the setting's own decoder, its message as argparse's error."""

    def read(text: str) -> Any:
        try:
            return setting.decode(text)
        except SettingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    read.__name__ = setting.name  # argparse names the type in some messages
    return read


def _help(setting: Setting) -> str:
    default = setting.encode(setting.default) if setting.default is not None else setting.none
    text = setting.help if setting.kind == "text" else f"{setting.help}; {setting.allowed()}"
    return f"{text} (default: {default})" if default else text


def build_parser() -> argparse.ArgumentParser:
    """The parser, every flag derived from the settings and option tables."""
    racers = "".join(f"\n  {name} ({r.title})" for name, r in RACERS.items())
    parser = OneLineParser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Print a race trace (or many, summarised) as JSON on stdout.",
        epilog=f"racers (--strategies):{racers}",
    )
    for setting in ALL_RACE:
        parser.add_argument(
            flag_name(setting),
            dest=setting.name,
            metavar=setting.name.upper(),
            type=_reader(setting),
            default=setting.default,
            help=_help(setting),
        )
    parser.add_argument(
        flag_name(REPEATS),
        dest="repeats",
        type=_reader(REPEATS),
        default=None,
        help=f"run N races (seeds seed … seed+N−1) and summarise; {REPEATS.allowed()}",
    )
    parser.add_argument(
        flag_name(VARY_LANDSCAPE),
        dest="vary_landscape",
        action="store_true",
        help=VARY_LANDSCAPE.help,
    )
    for name, racer in RACERS.items():
        group = parser.add_argument_group(f"{racer.title} options ({name})")
        for setting in racer.options:
            group.add_argument(
                flag_name(setting, name),
                dest=f"option:{name}:{setting.name}",
                metavar=setting.name.upper(),
                type=_reader(setting),
                default=argparse.SUPPRESS,
                help=_help(setting),
            )
    parser.add_argument("--indent", type=int, default=None, help="pretty-print JSON")
    return parser


def main(
    argv: list[str] | None = None, decorate: Callable[[dict[str, Any]], Any] | None = None
) -> int:
    """Entry point; returns the process exit status.

    ``decorate`` may add to the result before it is printed (``hpo-race simulate`` words the
    Bayesian reasons with ``app.narration.with_reasons``); the engine's own trace is facts.
    """
    parser = build_parser()
    args = vars(parser.parse_args(argv))
    options: dict[str, dict[str, Any]] = {}
    for key, value in args.items():
        if key.startswith("option:"):
            _, racer, option = key.split(":")
            options.setdefault(racer, {})[option] = value
    strategies = list(args["strategies"])
    for racer in options:
        if racer not in strategies:
            parser.error(f"--{racer}-… options given, but {racer} is not in --strategies")
    if (args["landscape"] == "custom") != (args["peaks"] is not None):
        parser.error("--peaks goes with --landscape custom, and custom needs --peaks")
    if args["repeats"] is None and args["vary_landscape"]:
        parser.error("--vary-landscape needs --repeats")
    common = {
        "landscape_seed": args["landscape_seed"],
        "noise": args["noise"],
        "options": options,
        "peaks": args["peaks"],
        "dims": args["dims"],
        "workers": args["workers"],
    }
    try:
        if args["repeats"] is None:
            result = run(args["landscape"], strategies, args["budget"], args["seed"], **common)
        else:
            result = run_many(
                args["landscape"],
                strategies,
                args["budget"],
                args["seed"],
                args["repeats"],
                vary_landscape=args["vary_landscape"],
                **common,
            )
    except ValueError as err:
        parser.error(str(err))
    if decorate is not None:
        decorate(result)
    try:
        json.dump(result, sys.stdout, indent=args["indent"], allow_nan=False)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wanted
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
