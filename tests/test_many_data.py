"""The many-seeds answer (app/many_data.py): each chunk comes with the summary of the run so
far, computed on the server, equal to the engine's own summary of the same races; the
head-to-head counts and the lesson are the engine's; a chunk never computes races it was
not asked for to fill its summary."""

from __future__ import annotations

from hpo_race.app.many_data import many_answer
from hpo_race.app.model_data import cached_row, check_many_request
from hpo_race.strategies.race import run_many
from hpo_race.strategies.summary import compact_race, first_to_reach, head_to_head

RACERS = ["grid", "random", "bayes"]


def request(**extra) -> dict:
    base = {
        "landscape": "smooth",
        "landscape_seed": 0,
        "budget": 200,
        "seed": 61,
        "bayes": None,
        "racers": RACERS,
        "vary": False,
        "total": 5,
        "start": 0,
        "count": 2,
    }
    return {**base, **extra}


def play(**extra) -> list[dict]:
    """Ask for a run as the page does: from the first race the server did not count."""
    answers, start, count = [], 0, 2
    total = request(**extra)["total"]
    while start < total:
        answer = many_answer(check_many_request(request(start=start, count=count, **extra)))
        answers.append(answer)
        assert answer["done"] > start, "the page would ask for the same races again"
        start, count = answer["done"], min(answer["next_count"], total - answer["done"])
    return answers


def test_every_chunk_carries_the_engines_summary_of_the_races_so_far() -> None:
    answers = play()
    done = [a["done"] for a in answers]
    # the first chunk is the two races asked for; the next ones are sized by the server
    assert done[0] == 2 and done[-1] == 5 and len(answers) >= 2
    for answer in answers:
        many = run_many("smooth", RACERS, 200, 61, repeats=answer["done"])
        assert answer["summary"] == many["summary"]
        races = [compact_race(race) for race in many["races"]]
        assert answer["h2h"] == head_to_head(races, "grid", "random")
        assert answer["optimum"] == races[0]["optimum"]
        assert answer["gpus"] is None  # one GPU each: no wall clock to compare
    assert all("lesson" not in a for a in answers[:-1])
    lesson = answers[-1]["lesson"]
    assert lesson is not None and lesson["tally"]["races"] == 5


def test_varied_layouts_are_summarised_relative_to_each_optimum() -> None:
    answers = play(vary=True, seed=71)
    many = run_many("smooth", RACERS, 200, 71, repeats=5, vary_landscape=True)
    assert answers[-1]["summary"] == many["summary"]
    assert answers[-1]["summary"]["bayes"]["relative"] is True


def test_several_gpus_count_who_reached_95_first_on_both_clocks() -> None:
    answers = play(workers=4, seed=81, total=3)
    many = run_many("smooth", RACERS, 200, 81, repeats=3, workers=4)
    races = [compact_race(race) for race in many["races"]]
    assert answers[-1]["summary"] == many["summary"]
    assert answers[-1]["gpus"] == {
        "wall": first_to_reach(races, "bayes", "random", "0.95", wall=True),
        "gpu": first_to_reach(races, "bayes", "random", "0.95"),
    }


def test_no_head_to_head_without_both_racers() -> None:
    answer = many_answer(check_many_request(request(racers=["random", "bayes"], seed=91)))
    assert answer["h2h"] is None and set(answer["summary"]) == {"random", "bayes"}


def test_a_chunk_that_skips_ahead_summarises_nothing_and_computes_only_its_own_races() -> None:
    settings = check_many_request(request(seed=101, start=2, count=2))
    answer = many_answer(settings)
    # races 0 and 1 were never computed: nothing is counted, and the page asks from race 0
    assert answer["done"] == 0 and answer["summary"] is None and answer["h2h"] is None
    assert cached_row(settings, 0) is None and cached_row(settings, 1) is None
    assert cached_row(settings, 2) is not None and cached_row(settings, 3) is not None
    # once the first races are in, the cached ones count too
    first = many_answer(check_many_request(request(seed=101, start=0, count=2)))
    assert first["done"] == 4
    assert first["summary"] == run_many("smooth", RACERS, 200, 101, repeats=4)["summary"]
