"""The Guide (the side card's guide tab): how to read the race, every mark on screen, and
where hyperparameter search is used with what to read next.

Layout pieces only (``app.layout`` puts the card beside the best-score plot). Every mark a
panel, the shared plot or the model view can draw has a line in ``MARKS``, in the words a
teacher would say; the references are plain links (nothing is fetched: the page works
offline, a click opens the paper in a new tab).
"""

from __future__ import annotations

from typing import Any

from dash import html

from hpo_race.app import ids
from hpo_race.app.theme import STRATEGY_STYLE
from hpo_race.strategies.registry import RACERS

#: Every mark on screen: (its glyph as the Guide shows it, a CSS class for a drawn sample or
#: "", what it means). Grouped by where it appears.
MARKS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "On the panels",
        (
            (
                STRATEGY_STYLE["bayes"].glyph,
                "",
                "the Bayesian racer's trials: its first few are random starts, the rest are "
                "where its model chose to look (the highest expected improvement).",
            ),
            ("◯", "", "the latest trial, in the racer's colour, while the race plays."),
            ("★", "", "the best trial so far."),
            (
                "",
                "gm-fog",
                "the dark cover: the landscape, hidden until it is revealed (Reveal landscape, "
                "or the end of the race).",
            ),
            ("✕", "", "the true optimum, on the landscape once it is revealed."),
            ("⊠", "", "a grid point planned but never reached: the budget ran out first."),
            (
                "",
                "gm-rug",
                "the rugs: a tick on the bottom and left edges for each value of that axis "
                "knob the racer has tried so far (the budget line counts them). Grid tries a "
                "few values again and again, random search a new one every trial "
                "(Bergstra & Bengio's point).",
            ),
            (
                STRATEGY_STYLE["hyperband"].glyph,
                "gm-partial",
                "dark inside a white outline: a run Hyperband or halving stopped early, "
                "smaller the sooner (1/27, 1/9, 1/3 of a run); filled: trained in full.",
            ),
            (
                "◯",
                "gm-good",
                "white rings on TPE's panel: the trials it counted good when it chose its "
                "latest one (the rest it counted bad).",
            ),
            (
                "×4",
                "",
                "more than two knobs: four trials share this point of the two axis knobs; "
                "they differ in the others (the strips under the panel, one tick per trial).",
            ),
            (
                "",
                "gm-strip",
                "more than two knobs: under the panel a strip per other knob, a tick per trial "
                "(the best so far in white); in a model view a line marks the slice it shows, "
                "and ℓ bars the length scale fitted per knob (short: the knob matters).",
            ),
            ("", "gm-budget", "the bar under a panel: the GPU minutes it has spent."),
            (
                "",
                "gm-gantt",
                "several GPUs: a bar per trial on its GPU's row, striped while it still "
                "trains; a gap is a GPU sitting idle.",
            ),
        ),
    ),
    (
        "On the shared plot",
        (
            (
                "",
                "gm-curve",
                "a racer's best score so far against GPU minutes; its marker shows where it "
                "reached 95% of the optimum (the dotted line; dashed: the optimum). A thin "
                "line on to now: no new result yet.",
            ),
            (
                "",
                "gm-band",
                "Many seeds: each racer's median best so far over the races, its band the "
                "middle half of them.",
            ),
            (
                "",
                "gm-now",
                "the race clock, labelled now: a dashed line, not a curve. Drag the grey rail "
                "under the plot (its round handle) to any minute: every panel follows.",
            ),
        ),
    ),
    (
        "In the Bayesian model view (Mean · Std · EI)",
        (
            (
                "⊕",
                "",
                "where the model probes next. Mean: the score it expects; Std: how unsure it "
                "is; EI: what it expects to gain.",
            ),
            (
                "",
                "gm-log",
                "EI is coloured on a log scale, in powers of ten: it falls by many of them as "
                "the model grows sure. When it is tiny everywhere, the panel says there is "
                "nothing left to gain.",
            ),
        ),
    ),
)

#: Where a teacher can say this search runs today.
USES = (
    "Google's Vizier tunes production models across Google's fleet.",
    "Cloud AutoML services tune their customers' models the same way.",
    "Bayesian optimisation chooses the next wet-lab experiment in chemistry and materials "
    "science, where one trial is a day at the bench.",
    "Compilers such as TVM, Triton and XLA search spaces of flags and schedules for the "
    "fastest code.",
)

#: What to read next: (authors and year, title, where, link, what to look at).
READING = (
    (
        "Bergstra & Bengio (2012)",
        "Random Search for Hyper-Parameter Optimization",
        "JMLR 13",
        "https://jmlr.org/papers/v13/bergstra12a.html",
        "Figure 1: nine grid and nine random trials when only one knob matters, the rugs here.",
    ),
    (
        "Agnihotri & Batra (2020)",
        "Exploring Bayesian Optimization",
        "Distill",
        "https://distill.pub/2020/bayesian-optimization/",
        "its interactive acquisition functions: move ξ and κ and watch PI, EI and UCB choose.",
    ),
    (
        "Li et al. (2018)",
        "Hyperband: A Novel Bandit-Based Approach to Hyperparameter Optimization",
        "JMLR 18",
        "https://jmlr.org/papers/v18/16-558.html",
        "its brackets: successive halving run with many short runs, then with fewer longer ones.",
    ),
    (
        "Optuna",
        "A hyperparameter optimization framework",
        "optuna.org",
        "https://optuna.org/",
        "its define-by-run API (the search space is code you write) and its TPE sampler, "
        "which the TPE racer here drives.",
    ),
)


def _section(title: str, children: list[Any], class_name: str) -> html.Details:
    return html.Details(
        className=f"guide-section {class_name}",
        children=[html.Summary(title, className="guide-title"), *children],
    )


def shapes_line() -> str:
    """Each racer's trial shape, in panel order, and what a trial's fill means."""
    shapes = " · ".join(
        f"{STRATEGY_STYLE[name].glyph} {STRATEGY_STYLE[name].short}" for name in RACERS
    )
    return (
        f"A trial is a dot in its racer's shape ({shapes}), filled with the score it "
        "reported (the f(θ) key)."
    )


def _marks() -> html.Details:
    body: list[Any] = []
    for i, (heading, rows) in enumerate(MARKS):
        body.append(html.Div(heading, className="guide-group"))
        if i == 0:  # the panels' first mark: the trials themselves
            body.append(html.Div(shapes_line(), className="guide-shapes"))
        items: list[Any] = []
        for glyph, sample, meaning in rows:
            items.append(
                html.Dt(
                    html.Span(glyph, className=f"gm {sample}".strip()), **{"aria-hidden": "true"}
                )
            )
            items.append(html.Dd(meaning))
        body.append(html.Dl(items, className="guide-marks"))
    return _section("Every mark on screen", body, "guide-marks-section")


def _uses() -> html.Details:
    links = [
        html.Li(
            [
                f"{who}, ",
                html.A(
                    f"“{title}”",
                    href=href,
                    target="_blank",
                    rel="noopener",
                    className="guide-link",
                ),
                f" ({where}): ",
                html.Span(what, className="guide-what"),
            ]
        )
        for who, title, where, href, what in READING
    ]
    return _section(
        "Where it is used, and what to read next",
        [
            html.Div("The same search, beyond this page:", className="guide-group"),
            html.Ul([html.Li(use) for use in USES], className="guide-uses"),
            html.Div("Read next:", className="guide-group"),
            html.Ol(links, className="guide-reading"),
        ],
        "guide-uses-section",
    )


def guide_card() -> html.Aside:
    """The Guide: how to read this (open), with every mark on screen and where it is used
    (each folded, their titles side by side) before the glossary."""

    def term(word: str, meaning: str) -> list[Any]:
        return [html.Dt(word), html.Dd(meaning)]

    return html.Aside(
        id=ids.HELP,
        className="help",
        children=[
            html.Details(
                open=True,
                children=[
                    html.Summary("How to read this"),
                    html.P(
                        "One hidden landscape, one GPU budget, one shared clock: cheap trials "
                        "finish first. ◯ latest trial, ★ best so far."
                    ),
                    # first, so their titles show in the smallest card; each opens below
                    html.Div([_marks(), _uses()], className="guide-more"),
                    html.Dl(
                        [
                            *term("trial", "one training run at one setting θ: a dot."),
                            *term("budget", "GPU minutes each search may spend."),
                            *term("θ", "the two knob settings a trial uses: the axes."),
                            *term("f(θ)", "the score the trial reports: its colour."),
                            *term(
                                "EI",
                                "expected improvement: what the model expects a θ to gain "
                                "over the best so far. After its random starts it probes "
                                "the highest EI (⚙: PI, UCB).",
                            ),
                            *term("keys", "Space run / pause · → step · R reset"),
                        ]
                    ),
                ],
            ),
        ],
    )
