"""The hall's queue worker in Redis mode: ``celery -A hpo_race.app.hall_worker worker``.

It serves the Celery queue on ``HPO_RACE_REDIS_URL`` (``app.redis_hall``) that the app's web
processes send heavy computations to: one task, ``compute(kind, key, job)``, computes a race,
a model view or a many-seeds race from its JSON arguments (``app.model_data.compute_sent``)
and stores the result in the shared store under ``key``, where the web process that sent it,
and every other that asks, reads it. A worker never sends work on (``WORK.sends``), so it
cannot wait on its own queue. Start as many as the hall needs, on any machine that reaches
the Redis server, with the same version of hpo-race as the app (a job from another version
fails with a message instead of storing a result under the wrong code's key).
"""

from __future__ import annotations

import logging
from typing import Any

from hpo_race.app.model_data import WORK, compute_sent
from hpo_race.app.redis_hall import TASK, celery_app
from hpo_race.app.result_store import ENV_REDIS, redis_url, shared_store
from hpo_race.app.shared_cache import CLAIM_SECONDS

log = logging.getLogger(__name__)

_URL = redis_url()
if _URL is None:
    raise SystemExit(f"{ENV_REDIS} must name the hall's Redis server for a queue worker.")
shared_store()  # a one-line error now if the server cannot be used
WORK.sends = False

#: The Celery app ``celery -A`` finds (its name ``app`` is what Celery looks for).
app = celery_app(_URL)


@app.task(name=TASK, time_limit=CLAIM_SECONDS, acks_late=False)
def compute(kind: str, key: str, job: Any) -> bool:
    """One sent computation, stored under ``key``; True if computed here (False when
    another worker had it or has it under way)."""
    done = compute_sent(kind, key, job)
    log.info("%s %s", "computed" if done else "already there", key[:80])
    return done
