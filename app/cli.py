"""``hpo-race``: serve the app (default) or, with ``simulate``, race in the terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hpo_race.app import create_app
from hpo_race.app.narration import with_reasons
from hpo_race.app.security import parse_frame_ancestors
from hpo_race.strategies.cli import main as simulate


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (and exit code 2) instead of usage + error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 1-65535, got {port}")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hpo-race",
        description="Serve hpo-race: grid, random and Bayesian search racing in the browser.",
        epilog="Race in the terminal instead: hpo-race simulate --help",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=_port, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--frame-ancestors",
        default=None,
        help="who may embed the app in a frame, as CSP sources (default 'self'); "
        "e.g. \"'self' https://course.example.org\"",
    )
    parser.add_argument(
        "--debug", action="store_true", help="Dash debug mode (development only: shows tracebacks)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "simulate":
        # the engine's trace, with the Bayesian reasons in words as the page's exports have
        return int(simulate(argv[1:], decorate=with_reasons) or 0)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        parse_frame_ancestors(args.frame_ancestors)
    except ValueError as exc:
        parser.error(str(exc))
    app = create_app(frame_ancestors=args.frame_ancestors)

    print(f"hpo-race: serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
