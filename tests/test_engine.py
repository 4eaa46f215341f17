"""The engine against the article texts: per-source and merged advice on exact dates.

Session on Wed 1 May 2024 (day 0). smusa and aftercare number the session day 0; beforecare,
process number it 1, so their "Day 4" is day 3 here. elka counts "days after the treatment",
so its "Day 4" is day 4.
"""

from datetime import date

import pytest

from conftest import SESSION, day
from smpcare.engine import Policy, advice_on, build_plan, phases, today_report
from smpcare.errors import SmpcareError
from smpcare.model import Level, disagree

A, L, OK, DO = Level.AVOID, Level.LIMIT, Level.ALLOWED, Level.RECOMMENDED

# (day offset, topic) -> ({source: level} for the sources that speak, merged cautious level)
SINGLE_SESSION = [
    # Water: everyone keeps the scalp dry at first; elka allows a bath from day 4, showers day 7.
    (0, "wetting", {"beforecare": A, "elka": A, "process": A, "smusa": A}, A),
    (3, "wetting", {"beforecare": A, "elka": A, "process": A, "smusa": A}, A),
    (4, "wetting", {"beforecare": L, "elka": L, "process": A, "smusa": A}, A),
    (6, "wetting", {"beforecare": L, "elka": L, "process": L, "smusa": L}, L),
    (14, "wetting", {"beforecare": OK, "elka": OK, "process": L}, L),
    (15, "wetting", {"beforecare": OK, "elka": OK, "process": DO}, DO),
    # Shampoo: fine from day 7 (beforecare) to day 15 (process); elka gives no date.
    (2, "shampoo", {"aftercare": A, "beforecare": A, "elka": A, "process": A, "smusa": A}, A),
    (5, "shampoo", {"aftercare": A, "beforecare": A, "elka": L, "process": A, "smusa": A}, A),
    (6, "shampoo", {"aftercare": A, "beforecare": A, "elka": L, "process": A, "smusa": A}, A),
    (7, "shampoo", {"aftercare": A, "beforecare": OK, "process": A, "smusa": A}, A),
    (10, "shampoo", {"aftercare": A, "beforecare": OK, "process": L, "smusa": A}, A),
    (11, "shampoo", {"aftercare": OK, "beforecare": OK, "process": L}, L),
    (14, "shampoo", {"aftercare": OK, "beforecare": OK, "process": L}, L),
    (15, "shampoo", {"aftercare": OK, "beforecare": OK, "process": DO}, DO),
    # Sweating: no effort at all at first (beforecare, elka), heavy sweating only (others).
    (2, "sweating", {"aftercare": L, "beforecare": A, "elka": A, "smusa": L}, A),
    (4, "sweating", {"aftercare": L, "beforecare": L, "elka": A, "smusa": L}, A),
    (5, "sweating", {"aftercare": L, "beforecare": L, "elka": A, "process": L, "smusa": L}, A),
    (10, "sweating", {"beforecare": OK, "elka": OK, "process": L, "smusa": L}, L),
    (15, "sweating", {"aftercare": OK, "beforecare": OK, "elka": OK, "process": OK}, OK),
    # Sun.
    (1, "sun-exposure", {"aftercare": L, "elka": L, "smusa": A}, A),
    (10, "sun-exposure", {"elka": L, "process": A}, A),  # "continue to avoid": no gap
    (20, "sun-exposure", {"elka": L, "process": L}, L),  # long term: sunscreen or a hat
    (20, "sunscreen", {"elka": DO, "process": DO}, DO),
    # Shaving.
    (1, "shaving", {"aftercare": A, "beforecare": A, "process": A, "smusa": A}, A),
    (3, "shaving", {"aftercare": A, "beforecare": A, "process": A, "smusa": A}, A),
    (4, "shaving", {"aftercare": A, "beforecare": L, "elka": DO, "process": A, "smusa": A}, A),
    (9, "shaving", {"aftercare": A, "elka": L, "smusa": A}, A),  # process: only "if needed"
    (11, "shaving", {"aftercare": OK, "elka": L}, L),  # process: fine for everyone on day 15
    (15, "shaving", {"aftercare": OK, "elka": L, "process": OK}, L),
    # Saunas and pools: a month in process, until day 30 after the last session in beforecare.
    (20, "sauna-steam", {"beforecare": A, "process": A}, A),
    (29, "sauna-steam", {"beforecare": A, "process": A}, A),
    (30, "sauna-steam", {"beforecare": OK, "process": A}, A),
    (32, "sauna-steam", {"beforecare": OK}, OK),
    (30, "swimming", {"beforecare": OK, "process": A}, A),
    # Before-care.
    (-3, "shampoo", {"smusa": DO}, DO),
    (-2, "topical-products", {"smusa": A}, A),
    (-1, "shaving", {"beforecare": DO, "smusa": DO}, DO),
    (-1, "alcohol-caffeine", {"smusa": A}, A),
    (0, "blood-thinners", {"smusa": A}, A),
    (-1, "moisturize", {"beforecare": DO, "smusa": OK}, DO),
]


@pytest.mark.parametrize("offset,topic,sources,merged", SINGLE_SESSION)
def test_single_session_advice_from_the_articles(guidelines, offset, topic, sources, merged):
    advice = advice_on(guidelines, [SESSION], day(offset)).topic(topic)
    assert {s.source: s.advice for s in advice.sources} == sources
    assert advice.advice is merged
    assert advice.conflict is disagree(sources.values())


@pytest.mark.parametrize(
    "offset,topic,merged",
    [
        (7, "shampoo", A),  # 3 avoid, 2 allowed
        (11, "shampoo", OK),  # 3 allowed, 1 limit
        (15, "shampoo", OK),  # 3 allowed, 1 recommended
        (4, "wetting", A),  # 2 avoid, 2 limit: a tie goes to the stricter
        (7, "wetting", L),  # 2 limit, 2 allowed: a tie goes to the stricter
        (30, "sauna-steam", A),  # 1 allowed, 1 avoid: tie goes cautious
    ],
)
def test_majority_policy(guidelines, offset, topic, merged):
    advice = advice_on(guidelines, [SESSION], day(offset), policy=Policy.MAJORITY).topic(topic)
    assert advice.advice is merged


def test_one_source_only(guidelines):
    elka = guidelines.only("elka")
    d = advice_on(elka, [SESSION], day(4))
    assert {t.topic: t.advice for t in d.topics} == {
        "wetting": L,
        "shampoo": L,
        "sweating": A,
        "sun-exposure": L,
        "shaving": DO,
    }
    assert not any(t.conflict for t in d.topics)


def test_prefer_makes_one_source_win_but_keeps_the_conflict(guidelines):
    advice = advice_on(guidelines, [SESSION], day(6), prefer="elka").topic("shampoo")
    assert advice.advice is L and advice.conflict  # elka's baby shampoo over the others' avoid


# --- courses ------------------------------------------------------------------------------

SECOND = date(2024, 5, 15)  # two weeks later


def test_a_second_session_restarts_the_restrictions(guidelines):
    advice = advice_on(guidelines, [SESSION, SECOND], day(1, SECOND))
    assert advice.day == 1 and advice.session == 2
    assert advice.topic("wetting").advice is A
    assert {s.source for s in advice.topic("wetting").sources} == {
        "beforecare",
        "elka",
        "process",
        "smusa",
    }


def test_before_care_applies_before_every_session(guidelines):
    advice = advice_on(guidelines, [SESSION, SECOND], day(-1, SECOND))
    assert (advice.day, advice.session) == (13, 1)
    # The night before session 2: beforecare asks for a buzz cut; aftercare has allowed it
    # since its day 11 ("cut it before your next follow-up appointment").
    shaving = {s.source: s.advice for s in advice.topic("shaving").sources}
    assert shaving["beforecare"] is DO and shaving["aftercare"] is OK


def test_course_end_rules_count_from_the_last_session(guidelines):
    # Day 30 after session 1: one session alone frees saunas per beforecare...
    alone = advice_on(guidelines, [SESSION], day(30)).topic("sauna-steam")
    assert {s.source: s.advice for s in alone.sources}["beforecare"] is OK
    # ...but with a second session two weeks later, beforecare waits for Day 30 after it.
    course = advice_on(guidelines, [SESSION, SECOND], day(30)).topic("sauna-steam")
    assert {s.source: s.advice for s in course.sources}["beforecare"] is A
    free = advice_on(guidelines, [SESSION, SECOND], day(30, SECOND)).topic("sauna-steam")
    assert {s.source: s.advice for s in free.sources} == {"beforecare": OK, "process": A}


def test_sessions_closer_than_a_sources_minimum_gap_warn_and_still_plan(guidelines):
    plan = build_plan(guidelines, [SESSION, date(2024, 5, 6)])
    assert [(w.source, w.min_days) for w in plan.warnings] == [("aftercare", 11)]
    assert "5 days apart" in plan.warnings[0].message()
    assert plan.days[-1].session == 2


def test_plan_runs_from_first_before_care_day_to_the_long_term_advice(guidelines):
    plan = build_plan(guidelines, [SESSION])
    assert plan.days[0].date == day(-3) and plan.days[0].day == -3
    assert plan.days[-1].date == day(32) and plan.continues
    last = phases(plan)[-1]
    assert last.open_ended and last.first.day == 32


def test_phases_group_identical_days(guidelines):
    plan = build_plan(guidelines, [SESSION])
    spans = [(p.first.day, p.last.day) for p in phases(plan)]
    assert spans[:5] == [(-3, -3), (-2, -2), (-1, -1), (0, 0), (1, 3)]
    assert (15, 29) in spans


def test_no_session_is_an_error(guidelines):
    with pytest.raises(SmpcareError) as err:
        build_plan(guidelines, [])
    assert err.value.code == "E206"


# --- today --------------------------------------------------------------------------------


def test_today_counts_down_to_when_shampoo_is_fine(guidelines):
    report = today_report(guidelines, [SESSION], day(5))
    shampoo = next(f for f in report.lifts if f.topic == "shampoo")
    assert shampoo.date == date(2024, 5, 16)  # cautious: the last source to say it is fine
    assert [(s.source, s.date and s.date.isoformat()) for s in shampoo.sources] == [
        ("beforecare", "2024-05-08"),
        ("aftercare", "2024-05-12"),
        ("process", "2024-05-16"),
        ("elka", None),
        ("smusa", None),
    ]
    # elka's baby shampoo ends after day 6 and smusa falls silent after day 10: no date, never
    # a lift.
    assert [s.ends for s in shampoo.sources[-2:]] == [date(2024, 5, 7), date(2024, 5, 11)]


def test_today_long_after_every_window_keeps_long_term_advice(guidelines):
    report = today_report(guidelines, [SESSION], date(2025, 1, 1))
    assert report.status == "long-term"
    assert report.day.topic("sun-exposure").advice is L  # process: sunscreen or a hat
    assert report.day.topic("sauna-steam").advice is OK


def test_today_long_before_the_session_has_no_advice(guidelines):
    report = today_report(guidelines, [SESSION], date(2024, 1, 1))
    assert report.status == "before" and report.day.topics == ()
    assert report.first_day == day(-3)


def test_what_a_source_allowed_after_one_session_stops_at_the_next(guidelines):
    # process: "return to your daily routine" from Day 15 after session 1 (16 May) is not
    # carried into session 2 (15 May), whose own Days 1-4 say nothing about sweating; elka's
    # weekly scrub is not carried either.
    day0 = advice_on(guidelines, [SESSION, SECOND], SECOND)
    day1 = advice_on(guidelines, [SESSION, SECOND], day(1, SECOND))
    sweating = {s.source: s.advice for s in day1.topic("sweating").sources}
    assert sweating == {"aftercare": L, "beforecare": A, "elka": A, "smusa": L}
    assert "elka" not in {s.source for s in day0.topic("exfoliation").sources}
    # Restrictions run their course: process still keeps UV off the scalp from session 1.
    assert {s.source: s.advice for s in day0.topic("sun-exposure").sources}["process"] is A


def test_elkas_permission_resumes_with_the_new_session(guidelines):
    d = advice_on(guidelines, [SESSION, SECOND], day(11, SECOND))
    assert {s.source: s.advice for s in d.topic("exfoliation").sources}["elka"] is DO
