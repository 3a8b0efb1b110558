"""Wiring: two server callbacks (landscape preview, the race) and the clientside ones.

Server callbacks compute, in one request each:
- ``preview``: when the landscape, its seed or the budget changes, fresh panel figures and the
  best-score axes (the landscape heatmap stays hidden until revealed);
- ``compute_race``: on Run/Step for settings not raced yet, the whole race into RACE_STORE.
Everything else (play, pause, step, reset, reveal, speed, the dice, settings from a shared
link) runs in the browser, in assets/race-player.js, so an animation costs no requests.

Every value arriving from the browser is checked here: a bad budget, seed or landscape, typed
or forged, becomes a message in the alert line, never an exception. Results are cached per
worker: the race is a pure function of its settings, so a lecture hall pressing Run with the
default settings costs one computation, and no user state lives on the server.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from hpo_race.app import ids
from hpo_race.app.figures import (
    best_figure,
    landscape_figure,
    landscape_view,
    probe_figure,
    race_view,
)
from hpo_race.app.race_request import check_racers, check_request, request_inputs, request_states
from hpo_race.app.race_request import message as sentence
from hpo_race.strategies.schema import SettingError
from hpo_race.strategies.settings import BUDGET, LANDSCAPE, LANDSCAPE_SEED, SEED

log = logging.getLogger(__name__)


#: One exception type for every bad setting (``strategies.schema.SettingError``).
SettingsError = SettingError


def check_landscape(name: Any, seed: Any) -> tuple[str, int]:
    """A landscape name (a built-in one, or "custom": its peaks are checked by app.draw)."""
    return LANDSCAPE.check(name), LANDSCAPE_SEED.check(seed)


def check_budget(budget: Any) -> float:
    return BUDGET.check(None if budget == "" else budget)


def check_seed(seed: Any) -> int:
    return SEED.check(None if seed == "" else seed)


# ---------------------------------------------------------------- cached engine calls


@functools.lru_cache(maxsize=32)
def cached_landscape_view(name: str, seed: int, peaks: str | None = None) -> dict[str, Any]:
    """A landscape's view; ``peaks`` (checked string form) for the drawn one ("" = empty)."""
    from hpo_race.app.draw import CUSTOM, drawn_view
    from hpo_race.landscapes import get_landscape

    if name == CUSTOM:
        return drawn_view(peaks or "")
    return landscape_view(get_landscape(name, seed))


def landscape_title(name: str) -> str:
    """The dropdown label of a landscape; its name if it cannot be built right now."""
    from hpo_race.landscapes import get_landscape

    try:
        return get_landscape(name).title
    except Exception:  # a broken landscape must not take the whole page down
        log.exception("landscape %r could not be built", name)
        return name.replace("-", " ").capitalize()


@functools.lru_cache(maxsize=64)
def cached_race_view(landscape: str, landscape_seed: int, budget: float, seed: int) -> dict:
    from hpo_race.landscapes import get_landscape
    from hpo_race.strategies.race import run

    scape = get_landscape(landscape, landscape_seed)
    trace = run(scape, list(ids.STRATEGY_ORDER), budget, seed)
    return race_view(trace, scape)


def probe_figures(view: dict[str, Any]) -> dict[str, Any]:
    return {name: probe_figure(view, name) for name in ids.PANEL_ORDER}


# ---------------------------------------------------------------- registration


def register_callbacks(app: Dash) -> None:
    """Register every callback on ``app`` (never globally, so several apps can coexist)."""
    from hpo_race.app import classroom, draw, racers
    from hpo_race.app.model_data import race_payload
    from hpo_race.app.model_panel import register_model_callbacks

    register_model_callbacks(app)
    draw.register_draw_callbacks(app)
    racers.register_racer_callbacks(app)
    classroom.register_classroom_callbacks(app)
    panel_outputs = [
        Output(layer[name], "figure")
        for layer in (ids.LANDSCAPE_LAYER, ids.PANEL)
        for name in ids.PANEL_ORDER
    ]

    @app.callback(
        *panel_outputs,
        Output(ids.BEST_PLOT, "figure"),
        Output(ids.LANDSCAPE_INFO, "children"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(ids.LANDSCAPE_SELECT, "value"),
        Input(ids.LANDSCAPE_SEED, "data"),
        Input(ids.BUDGET_INPUT, "value"),
        Input(draw.PEAKS, "data"),
        Input(ids.RACER_PICKER, "value"),
        prevent_initial_call=True,
    )
    def preview(landscape, landscape_seed, budget, peaks, picked):
        """New landscape, seed, budget, drawn peaks or racers: redraw what they change.

        The panels (and the landscape's description) follow the landscape, its seed and the
        drawn peaks; the best-score axes follow everything, including the line-up.
        """
        from hpo_race.app.layout import landscape_info

        trigger = ctx.triggered_id
        unchanged = [no_update] * (len(panel_outputs) + 2)
        if trigger == draw.PEAKS and landscape != draw.CUSTOM:
            return *unchanged, no_update  # the drawing is not what is on screen
        try:
            name, lseed = check_landscape(landscape, landscape_seed)
            drawn = draw.check_peaks(name, peaks) if name == draw.CUSTOM and peaks else ""
            view = cached_landscape_view(name, lseed, drawn)
        except SettingsError as exc:
            return *unchanged, str(exc)
        except Exception:  # the engine failed: say so, keep the page alive
            log.exception("landscape preview failed")
            return *unchanged, "That landscape could not be drawn; try another one."
        redraw = trigger not in (ids.BUDGET_INPUT, ids.RACER_PICKER)
        if redraw:
            back = landscape_figure(view)
            front = probe_figures(view)
            panels = [back] * len(ids.PANEL_ORDER) + [front[n] for n in ids.PANEL_ORDER]
        else:  # only the budget or the racers changed: the panels stay as they are
            panels = [no_update] * len(panel_outputs)
        info = landscape_info(view) if redraw else no_update
        try:
            spend = check_budget(budget)
            lineup = check_racers(picked)
        except SettingsError as exc:
            return *panels, no_update, info, str(exc)
        best = best_figure(view, spend, lineup)
        if view.get("empty"):
            draw.empty_best(best)
        return *panels, best, info, ""

    @app.callback(
        Output(ids.RACE_STORE, "data"),
        Output(ids.ALERT, "children", allow_duplicate=True),
        Input(ids.RACE_REQUEST, "data"),
        prevent_initial_call=True,
    )
    def compute_race(request):
        """The one request per Run: the whole race, ready for the browser to animate."""
        nonce = request.get("nonce") if isinstance(request, dict) else None
        if not isinstance(nonce, int | float | str) or isinstance(nonce, bool):
            nonce = None
        try:
            # the race view + narration + the options it was raced with
            view = race_payload(check_request(request))
        except ValueError as exc:
            message = sentence(exc)
            return {"ok": False, "error": message, "nonce": nonce}, message
        except Exception:
            log.exception("race failed")
            message = "The race could not be computed with these settings; try another seed."
            return {"ok": False, "error": message, "nonce": nonce}, message
        return {"ok": True, "view": view, "nonce": nonce}, ""

    def clientside(name: str) -> ClientsideFunction:
        return ClientsideFunction(namespace="hpoRace", function_name=name)

    settings_states = request_states()
    app.clientside_callback(
        clientside("request"),
        Output(ids.RACE_REQUEST, "data"),
        Input(ids.RUN_BUTTON, "n_clicks"),
        Input(ids.STEP_BUTTON, "n_clicks"),
        *settings_states,
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("transport"),
        Output(ids.REVEAL_TOGGLE, "value"),
        Input(ids.PAUSE_BUTTON, "n_clicks"),
        Input(ids.RESET_BUTTON, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("reveal"),
        Output(ids.SINK["reveal"], "data"),
        Input(ids.REVEAL_TOGGLE, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("settings"),
        Output(ids.SINK["settings"], "data"),
        *request_inputs(),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("speed"),
        Output(ids.SINK["speed"], "data"),
        Input(ids.SPEED_SELECT, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        clientside("race"),
        Output(ids.SINK["race"], "data"),
        Input(ids.RACE_STORE, "data"),
        prevent_initial_call=True,
    )
    # The dice, and settings from a shared link (?landscape=…&layout=…&budget=…&seed=…).
    # Runs on page load too, but changes nothing (so asks the server nothing) without a query.
    app.clientside_callback(
        clientside("settingsFromLinkOrDice"),
        Output(ids.LANDSCAPE_SELECT, "value"),
        Output(ids.LANDSCAPE_SEED, "data"),
        Output(ids.LANDSCAPE_SEED_LABEL, "children"),
        Output(ids.BUDGET_INPUT, "value"),
        Output(ids.SEED_INPUT, "value"),
        Input(ids.URL, "search"),
        Input(ids.DICE_BUTTON, "n_clicks"),
        State(ids.LANDSCAPE_SELECT, "options"),
        State(ids.LANDSCAPE_SEED, "data"),
    )
