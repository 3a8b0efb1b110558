"""The lesson line and the summary in a real browser: the share the lesson quotes is the
server's count for the settings on screen, a race that goes against it says so and offers
Many seeds, another seed keeps the count, and a lesson that can't be checked says why.
The sentences themselves are checked against the races in tests/test_lesson_sentences.py.
"""

from __future__ import annotations

from pathlib import Path

from conftest import count_posts, link_settings, open_app, race_fast, wait_js, wait_state
from playwright.sync_api import Page, expect
from test_browser_model import posts_to

from hpo_race.app.lesson_data import lesson_answer
from hpo_race.app.model_data import race_entry

DONE = "window.hpoLesson.state.answer && window.hpoLesson.state.answer.state === 'done'"


def lesson_text(page: Page) -> str:
    return page.locator("#lesson").inner_text().strip()


def test_the_lesson_quotes_the_count_and_a_race_against_it_says_so(
    page: Page, app_url: str, artifacts: Path
) -> None:
    query = "landscape=smooth&seed=14"
    errors = open_app(page, app_url + "?" + query)
    posts = count_posts(page)
    race_fast(page)
    wait_js(page, DONE, 180_000)
    view = page.evaluate("window.hpoRace.view")
    settings = link_settings(query)
    assert view == race_entry(settings)["view"]
    # this seed goes against the lesson: the summary says so, and Many seeds is offered
    assert view["lesson_check"]["outcome"] == "against"
    expect(page.locator("#race-status")).to_have_text(view["summary"])
    assert "against the lesson: Random got to 95% first" in view["summary"]
    # the share is the server's count for these settings (the same races as Many seeds)
    counted = lesson_answer(settings)
    shown = page.evaluate("window.hpoLesson.state.answer")
    assert {k: shown[k] for k in counted} == counted
    assert lesson_text(page) == f"{view['lesson']} {counted['sentence']}"
    offer = page.locator("#lesson-many")
    expect(offer).to_be_visible()
    page.screenshot(path=str(artifacts / "lesson-against.png"))
    offer.click()
    expect(page.locator("#many-card")).to_be_visible()
    assert len(posts_to(posts, "lesson-request")) >= 1
    asked = len(posts_to(posts, "lesson-request"))

    # another seed, the same settings otherwise: the lesson's count stands, nothing is asked
    holds = link_settings("landscape=smooth&seed=0")
    assert race_entry(holds)["view"]["lesson_check"]["outcome"] == "holds"
    page.fill("#seed-input", "0")
    page.press("#seed-input", "Enter")
    wait_state(page, "idle")  # the seed's race is not loaded yet
    race_fast(page)
    assert len(posts_to(posts, "lesson-request")) == asked
    assert lesson_text(page) == f"{view['lesson']} {counted['sentence']}"
    expect(page.locator("#race-status")).to_contain_text("as the lesson says, Bayesian got to")
    expect(offer).to_be_hidden()
    assert errors == []


def test_a_lesson_that_cannot_be_checked_says_why_and_asks_nothing(
    page: Page, app_url: str
) -> None:
    errors = open_app(page, app_url + "?landscape=smooth&racers=grid,bayes&budget=300")
    posts = count_posts(page)
    race_fast(page)
    expect(page.locator("#lesson")).to_contain_text(
        "It compares Bayesian with Random: add Random to the race to check it."
    )
    expect(page.locator("#lesson-many")).to_be_hidden()
    assert posts_to(posts, "lesson-request") == []
    # a landscape whose lesson is a measured fact: the fact alone
    open_app(page, app_url + "?landscape=svm-digits&budget=200")
    race_fast(page)
    view = page.evaluate("window.hpoRace.view")
    assert view["lesson_claim"] is None
    expect(page.locator("#lesson")).to_have_text(view["lesson"])
    assert posts_to(posts, "lesson-request") == []
    assert errors == []
