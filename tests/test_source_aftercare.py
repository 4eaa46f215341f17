"""aftercare ("Aftercare Advice for Scalp Micropigmentation Clients") read against its article.

The stages are "Day 0 – Day 5", "Day 5 – Day 10" and "Day 10 – Onward"; the session day is day 0.
Each stage's restrictions hold through its last day, and "after 10 days" (normal activities, the
next session) is read as from day 11, the day after the "still healing" stage.
"""

import re
from datetime import date

import pytest

from conftest import SESSION, day, source_level
from smpcare.engine import advice_on, build_plan, source_days
from smpcare.loader import bundled_dir, load_paths
from smpcare.model import Level

A, L, OK, DO = Level.AVOID, Level.LIMIT, Level.ALLOWED, Level.RECOMMENDED
SOURCE = "aftercare"


@pytest.fixture(scope="module")
def aftercare():
    return load_paths([bundled_dir()]).only(SOURCE)


@pytest.fixture(scope="module")
def days(aftercare):
    return source_days(aftercare)


# (day offset, topic, expected level or None for silence, why)
CASES = [
    # Nothing before the first session: "before your next follow-up appointment" is not before-care.
    (-1, "shampoo", None, "washing the hair is asked before a follow-up, not the first session"),
    (-1, "shaving", None, "cutting the hair is asked before a follow-up, not the first session"),
    # Day 0 - Day 5.
    (0, "sweating", L, "avoid strenuous exercise from the session"),
    (5, "sweating", L, "for 5 days following treatment"),
    (6, "sweating", None, "the days 5-10 list does not repeat it"),
    (10, "sweating", None, "still silent on the last healing day"),
    (11, "sweating", OK, "after 10 days normal activities resume"),
    (40, "sweating", OK, "Day 10 – Onward is open-ended"),
    (0, "sun-exposure", L, "long-term sun exposure for the first five days"),
    (5, "sun-exposure", L, "the fifth day after treatment"),
    (6, "sun-exposure", None, "no date given after the first five days"),
    (40, "sun-exposure", None, "never lifted"),
    (0, "touching", L, "avoid excessively touching your scalp"),
    (5, "touching", L, "the fifth day after treatment"),
    (6, "touching", None, "no date given after the first five days"),
    (0, "exfoliation", A, "no scrubbing in the first five days"),
    (5, "exfoliation", A, "the stages share day 5"),
    (10, "exfoliation", A, "no exfoliants in the next 5 days"),
    (11, "exfoliation", None, "no date given after day 10"),
    # Shampoo: banned through day 10 in both stages, fine after 10 days.
    (0, "shampoo", A, "no shampooing in the first five days"),
    (5, "shampoo", A, "the stages share day 5"),
    (6, "shampoo", A, "still no shampoo in the next 5 days"),
    (10, "shampoo", A, "the ban holds through day 10"),
    (11, "shampoo", OK, "resume normal activities; wash your hair before the follow-up"),
    (40, "shampoo", OK, "Day 10 – Onward is open-ended"),
    # Shaving and irritating: "while the area is healing", and it is "still healing" to day 10.
    (0, "shaving", A, "avoid shaving while the area is healing"),
    (5, "shaving", A, "the first stage's last day"),
    (6, "shaving", A, "it is still healing"),
    (10, "shaving", A, "still healing through day 10"),
    (11, "shaving", OK, "resume normal activities; cut your hair before the follow-up"),
    (40, "shaving", OK, "Day 10 – Onward is open-ended"),
    (0, "irritants", A, "avoid irritating it while the area is healing"),
    (6, "irritants", A, "avoid skin irritants in the next 5 days"),
    (10, "irritants", A, "through day 10"),
    (11, "irritants", None, "no date given after day 10"),
    # "You still must avoid the following again": scratching and self-tanners from day 0.
    (0, "scratching", A, "still ... again: already to be avoided"),
    (4, "scratching", A, "still ... again: already to be avoided"),
    (5, "scratching", A, "do not scratch or pick any scabs"),
    (10, "scratching", A, "through day 10"),
    (11, "scratching", None, "no date given after day 10"),
    (0, "tanning", A, "no self-tanners while your scalp is healing"),
    (10, "tanning", A, "through day 10"),
    (11, "tanning", None, "no date given after day 10"),
]


@pytest.mark.parametrize(
    "offset,topic,expected,why",
    CASES,
    ids=[f"day {o}: {t} is {e.value if e else 'silent'} ({w})" for o, t, e, w in CASES],
)
def test_aftercare_advice_on_each_side_of_every_boundary(days, offset, topic, expected, why):
    assert source_level(days, SOURCE, offset, topic) is expected


def test_aftercare_starts_on_the_session_day_and_dates_up_to_day_11(days):
    first, last, cells = days
    assert (first, last) == (0, 11)
    assert set(cells[last + 1]) == {"sweating", "shampoo", "shaving"}


@pytest.mark.parametrize(
    "offset,expected",
    [
        (4, []),
        (5, ["still healing", "begin to peel"]),
        (10, ["still healing", "begin to peel"]),
        (11, ["may be scheduled"]),
        (12, []),
    ],
    ids=lambda v: str(v),
)
def test_aftercare_what_to_expect_by_day(aftercare, offset, expected):
    notes = [i.note for i in advice_on(aftercare, [SESSION], day(offset)).infos]
    assert len(notes) == len(expected)
    assert all(words in note for words, note in zip(expected, notes, strict=True))


SECOND = date(2024, 5, 15)  # 14 days after the first session


@pytest.mark.parametrize(
    "on,expected",
    [
        (day(10), A),  # session 1's ban still holds
        (day(11), OK),  # hair washing is fine before the follow-up appointment
        (day(-1, SECOND), OK),  # the day before session 2
        (SECOND, A),  # the new session starts the ban again
    ],
    ids=["day 10: avoid", "day 11: fine", "day before session 2: fine", "session 2: avoid"],
)
def test_aftercare_shampoo_between_two_sessions(aftercare, on, expected):
    shampoo = advice_on(aftercare, [SESSION, SECOND], on).topic("shampoo")
    assert shampoo.advice is expected


@pytest.mark.parametrize(
    "second,warned",
    [
        (date(2024, 5, 11), True),  # 10 days: not yet "after 10 days"
        (date(2024, 5, 12), False),  # 11 days
    ],
    ids=["10 days apart warns", "11 days apart is fine"],
)
def test_aftercare_minimum_gap_between_sessions(aftercare, second, warned):
    warnings = build_plan(aftercare, [SESSION, second]).warnings
    assert [(w.source, w.min_days) for w in warnings] == ([(SOURCE, 11)] if warned else [])


def test_no_aftercare_note_names_an_article_day_number(aftercare):
    source = aftercare.get(SOURCE)
    notes = [r.note for r in source.rules] + [i.note for i in source.infos]
    assert [n for n in notes if re.search(r"\bday \d", n, re.IGNORECASE)] == []
