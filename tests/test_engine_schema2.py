"""The engine's side of schema 2: next-session windows, conditional advice, minimums."""

from datetime import date
from typing import Any

from conftest import SESSION, day
from smpcare.engine import advice_on, build_plan, phases, today_report
from smpcare.model import Anchor, Guidelines, Level, Rule, Source, Window

SECOND = date(2024, 5, 11)  # day 10


def clinic(*rules: Rule) -> Guidelines:
    return Guidelines((Source("clinic", "Sheet", "Clinic", 0, rules=rules),))


def rule(topic: str, advice: Level, start: int, end: int | None, **extra: Any) -> Rule:
    return Rule(
        "clinic", topic, advice, Window(start, end), f"{topic} {advice.value}", "q", **extra
    )


def test_until_the_next_session_ends_the_day_before_it():
    g = clinic(rule("moisturize", Level.RECOMMENDED, 1, None, anchor=Anchor.NEXT_SESSION))
    course = [SESSION, SECOND]
    assert advice_on(g, course, day(9)).topic("moisturize") is not None
    assert advice_on(g, course, SECOND).topic("moisturize") is None  # session 2, day 0
    assert advice_on(g, course, day(11)).topic("moisturize") is not None  # its day 1
    assert advice_on(g, course, day(400)).topic("moisturize") is not None  # open after the last


def test_conditional_advice_is_shown_beside_the_day_and_never_merged():
    g = clinic(
        rule("shaving", Level.ALLOWED, 3, None),
        rule("shaving", Level.AVOID, 3, 5, condition="if you see flaking or scabbing"),
    )
    d = advice_on(g, [SESSION], day(4))
    assert d.topic("shaving").advice is Level.ALLOWED  # the unconditional advice
    [cond] = d.conditions
    assert cond.condition == "if you see flaking or scabbing" and cond.advice is Level.AVOID
    assert advice_on(g, [SESSION], day(6)).conditions == ()


def test_a_condition_starting_splits_the_plan_into_a_new_phase():
    g = clinic(
        rule("shaving", Level.ALLOWED, 0, None),
        rule("shaving", Level.AVOID, 3, 5, condition="if scabs"),
    )
    firsts = [p.first.day for p in phases(build_plan(g, [SESSION]))]
    assert firsts == [0, 3, 6]


def test_an_at_least_restriction_says_so_in_its_lift():
    g = clinic(
        rule("swimming", Level.AVOID, 0, 4, at_least=True), rule("swimming", Level.ALLOWED, 5, None)
    )
    [lift] = today_report(g, [SESSION], day(1)).lifts
    [source] = lift.sources
    assert lift.date == day(5) and source.at_least


def test_what_to_expect_after_one_session_stops_when_the_next_starts():
    from smpcare.model import Info, InfoKind

    g = Guidelines(
        (
            Source(
                "clinic",
                "Sheet",
                "Clinic",
                0,
                infos=(
                    Info(
                        "clinic",
                        InfoKind.EXPECT,
                        Window(14, None),
                        "Healed: back to your routine.",
                        "q",
                    ),
                ),
            ),
        )
    )
    assert advice_on(g, [SESSION], day(20)).infos  # one session: from day 14 on
    course = [SESSION, date(2024, 5, 20)]  # day 19
    assert advice_on(g, course, day(15)).infos  # session 1's day 15
    assert advice_on(g, course, day(20)).infos == ()  # session 2's day 1
    assert advice_on(g, course, day(19 + 14)).infos  # session 2's own day 14
