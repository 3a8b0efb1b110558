"""Heavy work bounded (app/work_limits.py, app/heavy.py): cost estimates refuse forged work
above the cap with a sentence, a client holds at most two heavy jobs, a full heavy queue says
when to come back, and cheap requests finish while heavy ones are still running."""

from __future__ import annotations

import itertools
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import callback_body

from hpo_race.app import ids, model_data, work_limits
from hpo_race.app.heavy import HEAVY_SECONDS, BusyError, HeavyWork
from hpo_race.app.model_data import check_many_request, many_chunk, model_payload
from hpo_race.app.race_request import check_request
from hpo_race.app.result_store import DiskStore
from hpo_race.app.shared_cache import counter_name
from hpo_race.app.work_limits import MAX_REQUEST_SECONDS, model_seconds, race_seconds, trials
from hpo_race.strategies.registry import RACERS
from hpo_race.strategies.schema import SettingError

CLIENT_BUSY = re.compile(r"^The server is busy with your earlier requests; try again in (\d+) s\.$")
SERVER_BUSY = re.compile(
    r"^The server is busy with other students' heavy requests; try again in (\d+) s\.$"
)
HEAVIEST = {
    "landscape": "svm-digits",
    "landscape_seed": 0,
    "budget": 3000,
    "racers": ["random", "bayes", "hyperband", "tpe", "halving"],
}


def wait_for(condition, what: str, timeout: float = 20.0) -> None:
    event = threading.Event()
    for _ in range(int(timeout / 0.002)):
        if condition():
            return
        event.wait(0.002)
    raise AssertionError(f"{what} did not happen within {timeout} s")


# ---------------------------------------------------------------- estimates and the cap


@pytest.mark.parametrize(("landscape", "dims"), [("smooth", 2), ("svm-digits", 2), ("bumpy", 6)])
def test_every_race_the_page_can_ask_for_fits_the_cap(landscape, dims):
    for k in range(2, 6):
        for racers in itertools.combinations(RACERS, k):
            settings = check_request(
                {
                    "landscape": landscape,
                    "landscape_seed": 0,
                    "budget": 3000,
                    "seed": 0,
                    "racers": list(racers),
                    "dims": dims,
                }
            )
            assert race_seconds(settings) <= MAX_REQUEST_SECONDS, racers


def test_the_default_race_is_cheap_and_one_at_the_cap_is_heavy():
    default = check_request({"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 0})
    assert race_seconds(default) < HEAVY_SECONDS
    assert race_seconds(check_request({**HEAVIEST, "seed": 0})) >= HEAVY_SECONDS


def test_a_forged_model_view_of_an_unraced_heavy_race_is_refused_before_any_work():
    store = model_data._MODELS.store
    before = store.count(counter_name("race")), store.count(counter_name("model"))
    settings = check_request({**HEAVIEST, "seed": 424242})
    with pytest.raises(SettingError) as refused:
        model_payload(settings)
    text = str(refused.value)
    found = re.fullmatch(
        r"This model view would take about (\d+) s of server time, more than the 12 s one "
        r"request may take; lower the budget to (\d+) GPU minutes or race fewer racers\.",
        text,
    )
    assert found, text
    assert int(found[1]) > MAX_REQUEST_SECONDS
    fits = {**settings, "budget": float(found[2])}
    n = trials(fits)
    assert model_seconds(n, model_data.model_resolution(n)) + race_seconds(fits) <= 12
    assert (store.count(counter_name("race")), store.count(counter_name("model"))) == before


@pytest.mark.parametrize(
    ("forged", "fragment"),
    [
        ({"budget": 1e9}, "budget must be a number from 20 to 3000"),
        ({"count": 10**6}, "chunk at 800 GPU minutes"),
        ({"total": 10**6}, "number of races"),
        ({"dims": 99}, "Knobs"),
        ({"racers": list(RACERS) * 50}, "racers"),
    ],
)
def test_forged_many_seeds_requests_asking_for_hours_are_one_sentence(forged, fragment):
    request = {
        "landscape": "smooth",
        "landscape_seed": 0,
        "budget": 800,
        "seed": 0,
        "total": 30,
        "start": 0,
        "count": 5,
        **forged,
    }
    with pytest.raises(SettingError) as refused:
        check_many_request(request)
    assert fragment.lower() in str(refused.value).lower()
    assert str(refused.value)[:1].isupper() and str(refused.value).endswith(".")


def test_a_chunk_asking_more_races_than_fit_is_shortened_and_hints_no_more(monkeypatch):
    settings = check_many_request(
        {
            "landscape": "smooth",
            "landscape_seed": 0,
            "budget": 100,
            "seed": 31337,
            "total": 10,
            "start": 0,
            "count": 10,
        }
    )
    per_race = race_seconds(settings)
    cap = 2.5 * per_race  # two races fit
    monkeypatch.setattr(work_limits, "MAX_REQUEST_SECONDS", cap)
    monkeypatch.setattr(model_data, "MAX_REQUEST_SECONDS", cap)
    chunk = many_chunk(settings)
    assert chunk["count"] == 2 and len(chunk["races"]) == 2
    assert chunk["next_count"] <= 2


# ---------------------------------------------------------------- the heavy pool and tickets


def test_a_client_holds_two_heavy_jobs_and_a_third_is_told_when_to_come_back(tmp_path):
    work = HeavyWork(slots=3, client_jobs=2, store=DiskStore(tmp_path))
    release = threading.Event()
    inside: list[str] = []

    def heavy(client: str) -> str:
        with work.request(5.0, client):

            def job() -> str:
                inside.append(client)
                assert release.wait(20)
                return "done"

            return work.compute(5.0, job)

    with ThreadPoolExecutor(4) as pool:
        first = [pool.submit(heavy, "10.0.0.1") for _ in range(2)]
        wait_for(lambda: len(inside) == 2, "two heavy jobs running")
        with pytest.raises(BusyError) as busy:
            heavy("10.0.0.1")
        seconds = int(CLIENT_BUSY.fullmatch(str(busy.value))[1])
        assert 1 <= seconds <= 5  # the sooner of the two running jobs' estimates
        other = pool.submit(heavy, "10.0.0.2")  # another student is not held back
        wait_for(lambda: len(inside) == 3, "the other client's job running")
        release.set()
        assert [f.result(20) for f in [*first, other]] == ["done"] * 3
    assert heavy("10.0.0.1") == "done"  # tickets given back


def test_a_full_heavy_queue_says_when_to_come_back(tmp_path):
    work = HeavyWork(slots=1, max_wait=10.0, store=DiskStore(tmp_path))
    release = threading.Event()

    def heavy(client: str) -> str:
        with work.request(8.0, client):
            return work.compute(8.0, lambda: release.wait(20) and "done")

    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(heavy, "a")
        wait_for(lambda: work.running() == 1, "the first heavy job")
        queued = pool.submit(heavy, "b")
        wait_for(lambda: work.running() == 2, "the second heavy job queued")
        with pytest.raises(BusyError) as busy:
            heavy("c")
        assert 10 < int(SERVER_BUSY.fullmatch(str(busy.value))[1]) <= 16
        release.set()
        assert running.result(20) == queued.result(20) == "done"


def test_cheap_work_runs_at_once_on_its_own_thread_while_the_pool_is_full(tmp_path):
    work = HeavyWork(slots=1, store=DiskStore(tmp_path))
    release = threading.Event()
    where: dict[str, int] = {}

    def heavy(client: str) -> bool:
        with work.request(5.0, client):

            def job() -> bool:
                where[client] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
                return release.wait(20)

            return work.compute(5.0, job)

    with ThreadPoolExecutor(2) as pool:
        held = [pool.submit(heavy, c) for c in ("a", "b")]
        wait_for(lambda: work.running() == 2 and len(where) == 1, "one running, one queued")
        with work.request(0.2, "c"):
            me = threading.get_ident()
            ran_on = work.compute(0.2, threading.get_ident)
        assert ran_on == me and not any(f.done() for f in held)
        release.set()
        assert all(f.result(20) for f in held)
    niced = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
    assert where == {"a": niced, "b": niced}  # the pool's threads yield the CPU


def test_work_nested_in_a_heavy_computation_runs_inline_instead_of_deadlocking(tmp_path):
    work = HeavyWork(slots=1, store=DiskStore(tmp_path))
    with work.request(5.0, "a"):
        assert work.compute(5.0, lambda: work.compute(2.0, lambda: "inner")) == "inner"


# ---------------------------------------------------------------- through the callback endpoint


def race_post(dash_app, value: dict, address: str) -> dict:
    body = callback_body(dash_app, ids.RACE_REQUEST, [value])
    client = dash_app.server.test_client()
    response = client.post(
        "/_dash-update-component", json=body, environ_base={"REMOTE_ADDR": address}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    reply = response.get_json()["response"]
    return {"store": reply[ids.RACE_STORE]["data"], "alert": reply[ids.ALERT]["children"]}


def test_over_http_a_third_heavy_race_is_a_sentence_and_a_cheap_one_is_served(
    dash_app, monkeypatch
):
    release = threading.Event()
    blocked: list[int] = []
    real = model_data._compute_race

    def compute(settings):
        if settings["landscape"] != "svm-digits":
            return real(settings)
        blocked.append(settings["seed"])
        assert release.wait(30)
        return {"trace": {}, "view": {"fake": settings["seed"]}}

    monkeypatch.setattr(model_data, "_compute_race", compute)
    heavy = [{**HEAVIEST, "seed": 770001 + i, "nonce": i} for i in range(3)]
    with ThreadPoolExecutor(3) as pool:
        first = [pool.submit(race_post, dash_app, v, "10.1.1.1") for v in heavy[:2]]
        wait_for(lambda: len(blocked) == 1 and model_data.WORK.running() == 2, "heavy races")
        third = race_post(dash_app, heavy[2], "10.1.1.1")
        assert third["store"]["ok"] is False
        assert CLIENT_BUSY.fullmatch(third["store"]["error"]), third
        assert third["alert"] == third["store"]["error"]
        cheap = race_post(
            dash_app,
            {"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 770099},
            "10.1.1.2",
        )
        assert cheap["store"]["ok"] is True and cheap["store"]["view"]["order"]
        assert not any(f.done() for f in first)  # the heavy races are still running
        release.set()
        answers = [f.result(30)["store"] for f in first]
    assert [a["view"] for a in answers] == [{"fake": 770001}, {"fake": 770002}]


def test_a_read_ahead_starts_only_inside_a_heavy_request_on_an_idle_pool(tmp_path):
    work = HeavyWork(slots=1, store=DiskStore(tmp_path))
    release, ran = threading.Event(), threading.Event()
    assert not work.spawn(1.0, ran.set)  # outside a heavy request: nothing starts
    with work.request(5.0, "a"):
        assert work.spawn(1.0, lambda: release.wait(20) and ran.set())
        assert not work.spawn(1.0, ran.set)  # the pool is busy with the first
        release.set()
        assert ran.wait(20)
    wait_for(lambda: work.running() == 0, "the read-ahead finished")
