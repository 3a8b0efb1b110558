"""Callbacks of the lesson: count how often it holds, and offer Many seeds when a race went
against it.

``count_lesson`` answers one request of the page's count (``app.lesson_data``); the page
(assets/lesson.js, namespace hpoLesson) asks when a race arrives, again after each answer
until the count is done, and writes the lesson line at the end of the race. The lesson's
errors stay out of the alert line: the race request beside it already reports bad settings.
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output

from hpo_race.app import ids
from hpo_race.app.lesson_data import lesson_answer
from hpo_race.app.race_request import check_request, reply, request_nonce

FAILURE = "The lesson's races could not be counted."


def register_lesson_callbacks(app: Dash) -> None:
    """Register the lesson's server and clientside callbacks on ``app``."""

    @app.callback(
        Output(ids.LESSON_STORE, "data"),
        Input(ids.LESSON_REQUEST, "data"),
        prevent_initial_call=True,
    )
    def count_lesson(request: Any) -> dict[str, Any]:
        """One step of the lesson's count for the race settings in ``request``."""
        nonce = request_nonce(request)
        body, _alert = reply(
            nonce,
            lambda: {"nonce": nonce, **lesson_answer(check_request(request, "lesson"))},
            FAILURE,
            None,
        )
        return body

    app.clientside_callback(
        ClientsideFunction(namespace="hpoLesson", function_name="answer"),
        Output(ids.SINK["lesson"], "data"),
        Input(ids.LESSON_STORE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="hpoLesson", function_name="many"),
        Output(ids.SINK["lesson"], "data", allow_duplicate=True),
        Input(ids.LESSON_MANY, "n_clicks"),
        prevent_initial_call=True,
    )
