"""process ("The Process of Scalp Micropigmentation") read beside its article, day by day.

The article's "Day 1" is the day after the session (the cautious reading of an ambiguous
numbering), so its day numbers are smpcare's: "Days 1-4" are days 1-4, the session day (day 0)
is covered by that stage's restrictions, "Day 15" and the long-term advice start on day 15.
Schema 2: "at least a month" for pools, saunas and steam rooms is a minimum (at_least), and
"You can shave or cut your hair if it is needed" is a conditional permission, shown beside the
day's advice and never merged.
"""

import re

import pytest

from conftest import SESSION, day, source_level
from smpcare.engine import advice_on, source_days
from smpcare.loader import bundled_dir, load_paths
from smpcare.model import Level

A, L, OK, DO = Level.AVOID, Level.LIMIT, Level.ALLOWED, Level.RECOMMENDED
LONG_TERM = "long term"  # the day after the last dated day: only open-ended advice remains

# (day, topic, the level process gives, or None where it says nothing, what the article says)
CASES = [
    # No before-care for the client.
    (-1, "shaving", None, "no before-care: nothing about shaving before the session"),
    (-1, "moisturize", None, "no before-care: nothing about moisturizing before the session"),
    # The session day: the restrictions of "Days 1-4" cover it, their permission does not.
    (0, "wetting", A, "do not get your head wet, from the session day"),
    (0, "shampoo", A, "no shampoo while the head must stay dry, from the session day"),
    (0, "scratching", A, "do not scratch it, from the session day"),
    (0, "shaving", A, "do not shave within the first four days, from the session day"),
    (0, "touching", A, "do not even touch your head, from the session day"),
    (0, "exfoliation", A, "no scrubbing while the head may not be touched"),
    (0, "headwear", None, "the soft, loose hat is a Days 1-4 permission, not the session day's"),
    (0, "sauna-steam", A, "no saunas or steam rooms for at least a month after treatment"),
    (0, "swimming", A, "no chlorinated pools for at least a month after treatment"),
    (0, "sweating", None, "Days 1-4 say nothing about sweating"),
    (0, "sun-exposure", None, "Days 1-4 say nothing about UV"),
    # Days 1-4.
    (1, "headwear", OK, "you can wear a soft, loose hat from Day 1"),
    (1, "wetting", A, "Day 1: do not get your head wet"),
    (4, "wetting", A, "Day 4: still do not get your head wet"),
    (4, "shampoo", A, "Day 4: still no shampoo"),
    (4, "shaving", A, "Day 4 is the last of the first four days without shaving"),
    (4, "touching", A, "Day 4: do not even touch your head"),
    (4, "scratching", A, "Day 4: do not scratch it"),
    (4, "headwear", OK, "Day 4: a soft, loose hat is fine"),
    (4, "sweating", None, "Day 4: nothing about sweating yet"),
    (4, "sun-exposure", None, "Day 4: nothing about UV yet"),
    (4, "hydration", None, "Day 4: 'stay hydrated' starts with Days 5-7"),
    # Days 5-7.
    (5, "wetting", L, "Day 5: wash your scalp gently with a clean wet cloth"),
    (5, "shampoo", A, "Day 5: do not shampoo your scalp"),
    (5, "exfoliation", A, "Day 5: do not scrub your scalp"),
    (5, "shaving", A, "Day 5: touching is still forbidden, shaving comes with Days 8-14"),
    (5, "touching", A, "Day 5: continue to avoid touching your scalp"),
    (5, "scratching", A, "Day 5: no scratching while touching is forbidden"),
    (5, "sweating", L, "Day 5: avoid sweating heavily, no extreme workouts"),
    (5, "sun-exposure", A, "Day 5: no exposure to ultraviolet rays"),
    (5, "hydration", DO, "Day 5: stay hydrated"),
    (5, "headwear", None, "Day 5: the hat was a Days 1-4 permission"),
    (7, "wetting", L, "Day 7: still only a clean wet cloth"),
    (7, "shampoo", A, "Day 7: still no shampoo"),
    (7, "shaving", A, "Day 7: still no shaving"),
    (7, "scratching", A, "Day 7: still no scratching"),
    (7, "hydration", DO, "Day 7: stay hydrated"),
    (7, "irritants", None, "Day 7: irritants are first named in Days 8-14"),
    (7, "ointment", None, "Day 7: the ointment is first named in Days 8-14"),
    # Days 8-14.
    (8, "wetting", L, "Day 8: a clean wet cloth and a fragrance-free soap"),
    (8, "shampoo", L, "Day 8: only a fragrance-free soap, gently"),
    (8, "shaving", None, "Day 8: shaving is fine only 'if it is needed' (a condition, below)"),
    (8, "touching", A, "Day 8: do not touch your head"),
    (8, "scratching", A, "Day 8: do not touch or pick the scabs"),
    (8, "exfoliation", A, "Day 8: no scrubbing while the head may not be touched"),
    (8, "irritants", A, "Day 8: avoid products with alcohol and alpha-hydroxy acids"),
    (8, "ointment", L, "Day 8: only the technician's ointment, a very thin layer"),
    (8, "sweating", L, "Day 8: no return to the daily routine yet, so no heavy sweating"),
    (8, "sun-exposure", A, "Day 8: UV stays avoided; the article says 'continue'"),
    (8, "hydration", None, "Day 8: 'stay hydrated' was a Days 5-7 item"),
    (14, "shampoo", L, "Day 14: still only a fragrance-free soap"),
    (14, "sweating", L, "Day 14: still no heavy sweating"),
    (14, "sun-exposure", A, "Day 14: still no UV exposure"),
    (14, "touching", A, "Day 14: still do not touch your head"),
    (14, "ointment", L, "Day 14: still only a very thin layer of the advised ointment"),
    (14, "shaving", None, "Day 14: still fine only 'if it is needed'"),
    (14, "moisturize", None, "Day 14: moisturizing is long-term advice"),
    (14, "sunscreen", None, "Day 14: sunscreen is long-term advice"),
    # Day 15 and the long term.
    (15, "wetting", DO, "Day 15: keep washing your scalp with clean water"),
    (15, "shampoo", DO, "Day 15: keep washing your scalp with soap"),
    (15, "sweating", OK, "Day 15: back to your daily routine"),
    (15, "shaving", OK, "Day 15: back to your daily routine, for everyone"),
    (15, "sun-exposure", L, "Day 15: continue to avoid UV with sunscreen or a hat"),
    (15, "sunscreen", DO, "Day 15: a sunscreen over factor 50, or a hat"),
    (15, "headwear", DO, "Day 15: a hat, or a sunscreen over factor 50"),
    (15, "moisturize", DO, "Day 15: moisturize after showering and before bed"),
    (15, "irritants", A, "Day 15: still avoid alcohol and alpha-hydroxy acids"),
    (15, "touching", None, "Day 15: the article never says touching is fine: no date"),
    (15, "scratching", None, "Day 15: the article never says picking is fine: no date"),
    (15, "ointment", None, "Day 15: the ointment is not mentioned again"),
    (31, "sauna-steam", A, "day 31: a month after treatment is not over yet"),
    (31, "swimming", A, "day 31: a month after treatment is not over yet"),
    (LONG_TERM, "sauna-steam", None, "after a month the article gives no date for saunas"),
    (LONG_TERM, "swimming", None, "after a month the article gives no date for pools"),
    (LONG_TERM, "sun-exposure", L, "long term: protect the scalp from UV"),
    (LONG_TERM, "irritants", A, "long term: still avoid alcohol and alpha-hydroxy acids"),
    (LONG_TERM, "wetting", DO, "long term: keep washing with clean water and soap"),
    (LONG_TERM, "moisturize", DO, "long term: moisturize your scalp"),
    (LONG_TERM, "sweating", OK, "long term: your daily routine"),
]


@pytest.fixture(scope="module")
def days():
    return source_days(load_paths([bundled_dir()]).only("process"))


def _id(case: tuple) -> str:
    day, topic, level, _ = case
    return f"{day}-{topic}-{level.value if level else 'silent'}"


@pytest.mark.parametrize("day,topic,level,why", CASES, ids=[_id(c) for c in CASES])
def test_process_says_on_each_day(days, day, topic, level, why):
    offset = days[1] + 1 if day == LONG_TERM else day
    assert source_level(days, "process", offset, topic) is level, why


def test_the_dated_advice_runs_from_the_session_day_to_a_month_after(days):
    first, last, _ = days
    assert (first, last) == (0, 31)


@pytest.mark.parametrize("topic", sorted({c[1] for c in CASES}))
def test_no_restriction_goes_silent_in_the_middle(days, topic):
    """Once process restricts a topic it does not fall silent and then speak again: a gap
    between a restriction and a later word on the topic is a restriction the article continues.
    Conditional advice is the article speaking too ("You can shave ... if it is needed")."""
    first, last, cells = days
    conditional = {
        o
        for r in load_paths([bundled_dir()]).get("process").rules
        if r.topic == topic and r.condition is not None
        for o in range(r.window.start, (r.window.end or last + 1) + 1)
    }
    said = [
        o
        for o in range(first, last + 2)
        if "process" in cells[o].get(topic, {}) or o in conditional
    ]
    restricted = [
        o
        for o in said
        if "process" in cells[o].get(topic, {}) and cells[o][topic]["process"].advice.restricts
    ]
    if restricted:
        gaps = [o for o in range(restricted[0], said[-1] + 1) if o not in said]
        assert gaps == [], f"{topic}: silent on day(s) {gaps} after a restriction"


# (day, topic, the condition process gives it under, or None where it gives none, why)
CONDITIONS = [
    (7, "shaving", None, "Day 7: shaving is still avoided, with no condition"),
    (8, "shaving", "if it is needed", "Day 8: you can shave or cut your hair if it is needed"),
    (14, "shaving", "if it is needed", "Day 14: the last day of Days 8-14"),
    (15, "shaving", None, "Day 15: back to the daily routine, without a condition"),
]


@pytest.mark.parametrize(
    "offset,topic,condition,why",
    CONDITIONS,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'none'}" for c in CONDITIONS],
)
def test_process_conditional_advice_on_each_side_of_its_days(offset, topic, condition, why):
    d = advice_on(load_paths([bundled_dir()]).only("process"), [SESSION], day(offset))
    found = [(r.condition, r.advice) for r in d.conditions if r.topic == topic]
    assert found == ([(condition, OK)] if condition else []), why
    if condition:  # shown beside the day's advice, never merged into it
        assert d.topic(topic) is None, why


# (day, topic, whether the day's restriction is a minimum ("at least"), why)
MINIMUMS = [
    (0, "sauna-steam", True, "the session day starts the month, a minimum"),
    (31, "sauna-steam", True, "day 31: the last day of the month, still at least"),
    (31, "swimming", True, "day 31: the last day of the month, still at least"),
    (14, "touching", False, "'Do not touch your head' is no minimum"),
    (15, "irritants", False, "'Still, avoid products with alcohol' is no minimum"),
]


@pytest.mark.parametrize(
    "offset,topic,at_least,why", MINIMUMS, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in MINIMUMS]
)
def test_process_minimums(days, offset, topic, at_least, why):
    _, _, cells = days
    rule = cells[offset][topic]["process"]
    assert rule.advice is A and rule.at_least is at_least, why


@pytest.mark.parametrize("topic", ["sauna-steam", "swimming"])
def test_process_after_the_month_asks_the_artist(topic):
    """Day 32: the month is over, but the article says only "at least": no date, ask."""
    from smpcare.engine import today_report

    report = today_report(load_paths([bundled_dir()]).only("process"), [SESSION], day(31))
    [lift] = [f for f in report.lifts if f.topic == topic]
    assert lift.date is None
    [said] = lift.sources
    assert (said.source, said.at_least, said.ends) == ("process", True, day(31))


def test_day_7_says_shaving_is_fine_on_day_15_not_that_it_has_no_date(run):
    """Days 8-14 allow shaving only "if it is needed": process falls silent for everyone, but
    it lifts the ban on Day 15, and the same screen's lift dates say so."""
    out = run(
        "today", "--session", "2024-05-01", "--on", "2024-05-08", "--source", "process", columns=200
    ).stdout
    assert (
        "shaving and haircuts process says nothing more until Thu 16 May, when it is fine "
        "again;" in out
    )
    assert "If it is needed" not in out.split("Tomorrow")[0]  # not yet: from day 8
    assert "no date given" not in out


def test_no_note_quotes_an_article_day_number():
    source = load_paths([bundled_dir()]).get("process")
    notes = [r.note for r in source.rules] + [i.note for i in source.infos]
    assert [n for n in notes if re.search(r"\bdays?\s*\d", n, re.IGNORECASE)] == []
