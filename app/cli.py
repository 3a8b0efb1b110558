"""``hpo-race``: serve the app (default), serve a lecture hall (``serve``: gunicorn with the
hall's settings, app/hall.py) or, with ``simulate``, race in the terminal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from hpo_race.app import create_app
from hpo_race.app.hall import (
    COUNTS,
    DEFAULT_HOST,
    DEFAULT_PORT,
    ENV_BIND,
    HallServer,
    gunicorn_settings,
    hall_values,
    port_number,
)
from hpo_race.app.heavy import slots_from_env
from hpo_race.app.narration import with_reasons
from hpo_race.app.result_store import open_store
from hpo_race.app.security import ENV_FRAME_ANCESTORS, parse_frame_ancestors
from hpo_race.strategies.cli import main as simulate


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (and exit code 2) instead of usage + error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _checked(parse: Callable[[str], int]) -> Callable[[str], int]:
    """An argparse ``type`` from a table's check (its ValueError becomes argparse's error)."""

    def check(text: str) -> int:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return check


def _frame_ancestors_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--frame-ancestors",
        default=None,
        help="who may embed the app in a frame, as CSP sources (default 'self'); "
        f"e.g. \"'self' https://course.example.org\"; also {ENV_FRAME_ANCESTORS}",
    )


def _check_frame_ancestors(parser: argparse.ArgumentParser, flag: str | None) -> None:
    """Refuse a nonsense ``--frame-ancestors`` (or environment value) before serving."""
    try:
        parse_frame_ancestors(flag if flag is not None else os.environ.get(ENV_FRAME_ANCESTORS))
    except ValueError as exc:
        parser.error(str(exc))


def build_parser() -> argparse.ArgumentParser:
    """The plain command's flags: one process on loopback, for one person or a test."""
    parser = _Parser(
        prog="hpo-race",
        description="Serve hpo-race: grid, random and Bayesian search racing in the browser.",
        epilog="A lecture hall: hpo-race serve --help. "
        "Race in the terminal instead: hpo-race simulate --help",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument(
        "--port",
        type=_checked(port_number),
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT})",
    )
    _frame_ancestors_flag(parser)
    parser.add_argument(
        "--debug", action="store_true", help="Dash debug mode (development only: shows tracebacks)"
    )
    return parser


def build_serve_parser() -> argparse.ArgumentParser:
    """``hpo-race serve``'s flags, from app/hall.py's table (unset flags: environment, then
    the table's defaults, resolved after parsing so a bad variable is reported only if used)."""
    parser = _Parser(
        prog="hpo-race serve",
        description="Serve a lecture hall: gunicorn with threaded workers sized from the CPU "
        "count, a timeout no bounded request reaches, and no control socket (app/hall.py).",
    )
    parser.add_argument(
        "--host",
        default=None,
        help=f"interface to listen on (default {DEFAULT_HOST}, every interface; "
        f"or the host of {ENV_BIND}=HOST:PORT)",
    )
    parser.add_argument(
        "--port",
        type=_checked(port_number),
        default=None,
        help=f"port (default {DEFAULT_PORT}, or the port of {ENV_BIND})",
    )
    for count in COUNTS:
        parser.add_argument(
            count.flag,
            type=_checked(count.parse),
            default=None,
            metavar="N",
            help=f"{count.help}, 1-{count.high} (default {count.default} here, or {count.env})",
        )
    _frame_ancestors_flag(parser)
    return parser


def serve(argv: Sequence[str]) -> int:
    """Run the hall until SIGTERM or Ctrl+C (gunicorn stops its workers and exits)."""
    parser = build_serve_parser()
    args = parser.parse_args(argv)
    _check_frame_ancestors(parser, args.frame_ancestors)
    flags = {k: v for k, v in vars(args).items() if v is not None and k != "frame_ancestors"}
    try:
        values = hall_values(os.environ, flags)
    except ValueError as exc:
        parser.error(str(exc))
    try:  # what every worker reads from the environment, checked once here: a nonsense
        slots_from_env()  # value would otherwise fail each worker's boot, again and again
        open_store().close()
    except SystemExit as exc:
        parser.error(str(exc))
    settings = gunicorn_settings(values)
    print(
        f"hpo-race serve: a lecture hall on http://{settings['bind'][0]}/ "
        f"({settings['workers']} workers × {settings['threads']} threads; Ctrl+C to stop)",
        flush=True,
    )
    frame_ancestors = args.frame_ancestors
    HallServer(settings, load=lambda: create_app(frame_ancestors=frame_ancestors).server).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The ``hpo-race`` command: serve, ``serve`` a hall, or ``simulate`` (its exit status)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "simulate":
        # the engine's trace, with the Bayesian reasons in words as the page's exports have
        return int(simulate(argv[1:], decorate=with_reasons) or 0)
    if argv and argv[0] == "serve":
        return serve(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_frame_ancestors(parser, args.frame_ancestors)
    app = create_app(frame_ancestors=args.frame_ancestors)

    print(f"hpo-race: serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
