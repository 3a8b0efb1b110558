"""``hpo-race simulate``: print a race trace (or many, summarised) as JSON on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn

from landscapes import LANDSCAPES
from strategies import STRATEGIES
from strategies.race import DEFAULT_BUDGET, MAX_REPEATS, run, run_many

USAGE = (
    "hpo-race simulate --landscape NAME --budget MINUTES --seed N [--landscape-seed N] [--peaks P] "
    "[--strategies grid,random,bayes] [--repeats N] [--vary-landscape] [--noise SD] [--indent N]"
)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad flag costs one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"hpo-race simulate: error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="hpo-race simulate", usage=USAGE, description=__doc__)
    parser.add_argument("--landscape", default="smooth", choices=[*LANDSCAPES, "custom"])
    parser.add_argument(
        "--peaks",
        default=None,
        help='for --landscape custom: peaks as "u,v,height,width;..." (unit square, ≤ 12 peaks)',
    )
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, help="GPU minutes")
    parser.add_argument("--seed", type=int, default=0, help="race seed")
    parser.add_argument("--landscape-seed", type=int, default=0, help="0 = canonical layout")
    parser.add_argument(
        "--strategies",
        default=",".join(s for s in ("grid", "random", "bayes") if s in STRATEGIES),
        help=f"comma-separated, from: {', '.join(STRATEGIES)}",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help=f"run N races (seeds seed..seed+N-1, N ≤ {MAX_REPEATS}) and summarise",
    )
    parser.add_argument(
        "--vary-landscape", action="store_true", help="with --repeats, also step the landscape seed"
    )
    parser.add_argument("--noise", type=float, default=0.0, help="observation noise sd")
    parser.add_argument("--indent", type=int, default=None, help="pretty-print JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
    if (args.landscape == "custom") != (args.peaks is not None):
        parser.error("--peaks goes with --landscape custom, and custom needs --peaks")
    try:
        if args.repeats is None:
            if args.vary_landscape:
                parser.error("--vary-landscape needs --repeats")
            result = run(
                args.landscape,
                strategies,
                args.budget,
                args.seed,
                landscape_seed=args.landscape_seed,
                noise=args.noise,
                peaks=args.peaks,
            )
        else:
            result = run_many(
                args.landscape,
                strategies,
                args.budget,
                args.seed,
                args.repeats,
                landscape_seed=args.landscape_seed,
                noise=args.noise,
                vary_landscape=args.vary_landscape,
                peaks=args.peaks,
            )
    except ValueError as err:
        parser.error(str(err))
    try:
        json.dump(result, sys.stdout, indent=args.indent, allow_nan=False)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wanted
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
