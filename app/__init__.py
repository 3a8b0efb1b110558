"""hpo-race in the browser: ``create_app()`` builds the Dash app; ``app``/``server`` serve it.

``gunicorn -w 2 -b 127.0.0.1:8050 --no-control-socket 'hpo_race.app:server'`` serves
the same app as the ``hpo-race`` command (``hpo-race serve``: a lecture hall's gunicorn,
app/hall.py). No user state lives in the server process (it is
all in the browser's stores), so any number of workers can share the load.
"""

from __future__ import annotations

from pathlib import Path

from dash import Dash
from flask import Flask

from hpo_race.app import ids
from hpo_race.app.bundles import (
    ASSETS_IGNORE,
    install_bundles,
    page_bundles,
    scripts,
    stylesheets,
)
from hpo_race.app.classroom_callbacks import register_classroom_callbacks
from hpo_race.app.draw import CUSTOM, MENU_TITLE, menu_title
from hpo_race.app.draw_callbacks import register_draw_callbacks
from hpo_race.app.figures import best_figure, landscape_figure, probe_figures
from hpo_race.app.guard import install_request_guard
from hpo_race.app.landscape_views import cached_landscape_view, landscape_title
from hpo_race.app.layout import build_layout
from hpo_race.app.lesson_callbacks import register_lesson_callbacks
from hpo_race.app.many_callbacks import register_many_callbacks
from hpo_race.app.model_callbacks import register_model_callbacks
from hpo_race.app.race_callbacks import register_race_callbacks
from hpo_race.app.racer_callbacks import register_racer_callbacks
from hpo_race.app.result_store import shared_queue, shared_store
from hpo_race.app.security import install_security_headers
from hpo_race.app.static_files import COMPRESSION, install_static_files
from hpo_race.landscapes import LANDSCAPES
from hpo_race.strategies.race import DEFAULT_BUDGET, MAX_BUDGET, MAX_SEED, MIN_BUDGET

HERE = Path(__file__).resolve().parent
#: hpo_race/assets next to hpo_race/app, in the checkout and in an installed wheel alike.
ASSETS = HERE.parent / "assets"
#: Largest request body accepted (a race request is a few hundred bytes).
MAX_REQUEST_BYTES = 1024 * 1024


def create_app(frame_ancestors: str | None = None) -> Dash:
    """A fresh, fully wired app instance (callbacks registered on it, never globally).

    ``frame_ancestors`` says who may embed the app (see ``app.security``).
    """
    # Flask is told where it lives: it cannot find the roots of a namespace package that an
    # editable install maps (hpo_race has no folder of its own in the checkout).
    server = Flask(__name__, root_path=str(HERE), instance_path=str(HERE / "instance"))
    server.config.update(COMPRESSION)  # read by Flask-Compress when Dash sets it up
    bundles = page_bundles(ASSETS)  # assets/*.js and *.css as one file each (app/bundles.py)
    dash_app = Dash(
        __name__,
        server=server,
        title="hpo-race · hyperparameter search, raced",
        update_title=None,
        assets_folder=str(ASSETS),
        assets_ignore=ASSETS_IGNORE,
        external_scripts=scripts(bundles),
        external_stylesheets=stylesheets(bundles),
        compress=True,
        serve_locally=True,
    )
    dash_app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    # the result cache (HPO_RACE_CACHE_DIR, or HPO_RACE_REDIS_URL's server) and in Redis mode
    # the job queue: a one-line error now if unusable
    shared_store()
    shared_queue()
    install_bundles(dash_app, bundles)

    names = list(LANDSCAPES)
    view = cached_landscape_view(names[0], 0)
    titles = {name: menu_title(landscape_title(name)) for name in names}
    names.append(CUSTOM)  # last in the menu: "✎ Your landscape" (app/draw.py)
    titles[CUSTOM] = MENU_TITLE
    available = list(ids.STRATEGY_ORDER)
    dash_app.layout = build_layout(
        view=view,
        landscape_figure=landscape_figure(view),
        probe_figures=probe_figures(view),
        best=best_figure(view, DEFAULT_BUDGET, available),
        available=available,
        landscapes=names,
        titles=titles,
        budget=DEFAULT_BUDGET,
        budget_range=(MIN_BUDGET, MAX_BUDGET),
        seed=0,
        max_seed=MAX_SEED,
    )
    # one callbacks module per feature; nothing else imports them
    register_model_callbacks(dash_app)
    register_many_callbacks(dash_app)
    register_lesson_callbacks(dash_app)
    register_draw_callbacks(dash_app)
    register_racer_callbacks(dash_app)
    register_classroom_callbacks(dash_app)
    register_race_callbacks(dash_app)
    install_security_headers(dash_app, frame_ancestors)
    install_request_guard(dash_app)
    install_static_files(dash_app, bundles)  # last registered, so it runs before the other hooks
    # Dash finishes setting itself up on a worker's first request, and marks that done before
    # it is: under threaded workers a second first request then finds no registered bundles
    # and gets a 500 ("dash is not a registered library"). One request now, before serving.
    with dash_app.server.test_client() as client:
        client.get("/_dash-dependencies")
    return dash_app


def __getattr__(name: str) -> object:
    """``app.app`` and ``app.server`` (for gunicorn), built on first use, once per process."""
    if name in ("app", "server"):
        dash_app = create_app()
        globals().update(app=dash_app, server=dash_app.server)
        return globals()[name]
    raise AttributeError(f"module 'app' has no attribute {name!r}")


__all__ = ["app", "create_app", "server"]
