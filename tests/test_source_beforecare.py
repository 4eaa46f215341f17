"""beforecare ("Before Care & After Care") read beside its article, day by day.

The article's "Day 1" is the day after the session (the cautious reading of an ambiguous
numbering), so its day numbers are smpcare's: "Day 1-3" are days 1-3, the session day (day 0) is
covered by that stage's restrictions, "Day 7 onwards" starts on day 7 and "Day 30 (after all
sessions are complete)" on day 30 after the last session.

Schema 2: "If you live in a warm, sunny climate, take adequate precautions. A quality non-greasy
sunscreen is best." is conditional advice, shown beside the day's advice and never merged.
"""

import re
from datetime import date

import pytest

from conftest import SESSION, day, source_level
from smpcare.engine import advice_on, source_days
from smpcare.loader import bundled_dir, load_paths
from smpcare.model import Level

A, L, OK, DO = Level.AVOID, Level.LIMIT, Level.ALLOWED, Level.RECOMMENDED
LONG_TERM = "long term"  # the day after the last dated day: only open-ended advice remains

# (day, topic, the level beforecare gives, or None where it says nothing, what the article says)
CASES = [
    # Before each treatment.
    (-2, "moisturize", None, "moisturizing before a treatment is the day before and the day"),
    (-1, "moisturize", DO, "before each treatment moisturize your scalp"),
    (-1, "shaving", DO, "the night before, buzz cut your hair with the zero guard"),
    (-1, "wetting", None, "nothing about water before the session"),
    # The session day: the restrictions of "Day 1-3" cover it, the recommendation does not.
    (0, "moisturize", DO, "moisturize before the treatment, on the day itself"),
    (0, "wetting", A, "do not get water on your head, from the session day"),
    (0, "shampoo", A, "do not wash your head, from the session day"),
    (0, "sweating", A, "avoid effort that makes you sweat, from the session day"),
    (0, "shaving", A, "no shaving before the article allows it"),
    (0, "rest", None, "'first of all, relax' is a Day 1-3 recommendation"),
    (0, "tanning", A, "no fake tan until Day 30 after all sessions"),
    (0, "sauna-steam", A, "no saunas until Day 30 after all sessions"),
    (0, "swimming", A, "no pools until Day 30 after all sessions"),
    # Day 1-3.
    (1, "rest", DO, "Day 1: first of all, relax"),
    (1, "wetting", A, "Day 1: do not wash your head or get water on it"),
    (1, "moisturize", None, "Day 1: moisturizing is first allowed at Day 4-6"),
    (3, "wetting", A, "Day 3: the last of the first three days without water"),
    (3, "shampoo", A, "Day 3: resist the temptation to wash"),
    (3, "sweating", A, "Day 3: still no effort that makes you sweat"),
    (3, "shaving", A, "Day 3: shaving is first allowed at Day 4-6"),
    (3, "rest", DO, "Day 3: relax"),
    (3, "scratching", None, "Day 3: scabs are first named at Day 4-6"),
    # Day 4-6.
    (4, "wetting", L, "Day 4: a light shower will do the trick"),
    (4, "shampoo", A, "Day 4: but avoid shampoo"),
    (4, "sweating", L, "Day 4: sweat lightly, no tough cardio"),
    (4, "shaving", L, "Day 4: a buzzer clipper, carefully, away from scabs"),
    (4, "scratching", A, "Day 4: do not try to peel scabs away"),
    (4, "moisturize", OK, "Day 4: you can also moisturize your head"),
    (4, "rest", None, "Day 4: 'relax' was a Day 1-3 item"),
    (6, "wetting", L, "Day 6: still only a light shower"),
    (6, "shampoo", A, "Day 6: still no shampoo"),
    (6, "sweating", L, "Day 6: still no tough cardio"),
    (6, "shaving", L, "Day 6: still carefully, away from scabs"),
    (6, "scratching", A, "Day 6: still do not peel scabs"),
    # Day 7 onwards.
    (7, "wetting", OK, "Day 7: resume your showering sessions"),
    (7, "shampoo", OK, "Day 7: no issues with the shampoo"),
    (7, "sweating", OK, "Day 7: sweat as much as you like"),
    (7, "shaving", None, "Day 7: the article never says more about shaving: no date"),
    (7, "scratching", None, "Day 7: the article never says more about scabs: no date"),
    (7, "moisturize", None, "Day 7: moisturizing was allowed at Day 4-6 only"),
    (29, "tanning", A, "day 29: Day 30 has not come yet"),
    (29, "sauna-steam", A, "day 29: Day 30 has not come yet"),
    (29, "swimming", A, "day 29: Day 30 has not come yet"),
    (29, "sun-exposure", None, "day 29: the sun is first named at Day 30"),
    # Day 30 (after all sessions are complete), and from then on.
    (30, "tanning", OK, "Day 30: fake tan is fine from here on"),
    (30, "sauna-steam", OK, "Day 30: saunas are fine from here on"),
    (30, "swimming", OK, "Day 30: swimming pools are fine from here on"),
    (
        30,
        "sun-exposure",
        None,
        "Day 30: sun precautions only 'if you live in a warm, sunny climate' (a condition, below)",
    ),
    (30, "sunscreen", None, "Day 30: the sunscreen only under that condition"),
    (30, "moisturize", DO, "Day 30: moisturize daily with a light moisturizing cream"),
    (30, "wetting", OK, "Day 30: showers as usual"),
    (LONG_TERM, "sauna-steam", OK, "long term: saunas stay fine"),
    (LONG_TERM, "sun-exposure", None, "long term: sun precautions only under the condition"),
    (LONG_TERM, "moisturize", DO, "long term: moisturize daily"),
]


@pytest.fixture(scope="module")
def days():
    return source_days(load_paths([bundled_dir()]).only("beforecare"))


def _id(case: tuple) -> str:
    day, topic, level, _ = case
    return f"{day}-{topic}-{level.value if level else 'silent'}"


@pytest.mark.parametrize("day,topic,level,why", CASES, ids=[_id(c) for c in CASES])
def test_beforecare_says_on_each_day(days, day, topic, level, why):
    offset = days[1] + 1 if day == LONG_TERM else day
    assert source_level(days, "beforecare", offset, topic) is level, why


def test_the_dated_advice_runs_from_the_day_before_to_day_30(days):
    first, last, _ = days
    assert (first, last) == (-1, 30)


@pytest.mark.parametrize("topic", sorted({c[1] for c in CASES}))
def test_no_restriction_goes_silent_in_the_middle(days, topic):
    """Once beforecare restricts a topic it does not fall silent and then speak again: a gap
    between a restriction and a later word on the topic is a restriction the article continues."""
    first, last, cells = days
    said = [o for o in range(first, last + 2) if "beforecare" in cells[o].get(topic, {})]
    restricted = [o for o in said if cells[o][topic]["beforecare"].advice.restricts]
    if restricted:
        gaps = [o for o in range(restricted[0], said[-1] + 1) if o not in said]
        assert gaps == [], f"{topic}: silent on day(s) {gaps} after a restriction"


SUNNY = "if you live in a warm, sunny climate"
SECOND = date(2024, 6, 15)  # 45 days after the first session

# (sessions, day after the first session, topic, the condition and level beforecare gives it
# under, or None where it gives none, why)
CONDITIONS = [
    ([SESSION], 29, "sun-exposure", None, "day 29: the sun is first named at Day 30"),
    (
        [SESSION],
        30,
        "sun-exposure",
        (SUNNY, L),
        "Day 30: in a warm, sunny climate, take adequate precautions",
    ),
    ([SESSION], 29, "sunscreen", None, "day 29: sunscreen is first named at Day 30"),
    ([SESSION], 30, "sunscreen", (SUNNY, DO), "Day 30: a quality non-greasy sunscreen is best"),
    ([SESSION], 400, "sun-exposure", (SUNNY, L), "from here on: no end"),
    ([SESSION], 400, "sunscreen", (SUNNY, DO), "from here on: no end"),
    ([SESSION], 30, "moisturize", None, "'Moisturize daily' is a bullet of its own, for everyone"),
    (
        [SESSION, SECOND],
        30,
        "sun-exposure",
        None,
        "Day 30 counts after all sessions are complete, not after the first",
    ),
    ([SESSION, SECOND], 75, "sunscreen", (SUNNY, DO), "day 30 after the last session"),
]


@pytest.mark.parametrize(
    "sessions,offset,topic,expected,why",
    CONDITIONS,
    ids=[f"{len(c[0])}s-{c[1]}-{c[2]}-{'if' if c[3] else 'none'}" for c in CONDITIONS],
)
def test_beforecare_conditional_advice(sessions, offset, topic, expected, why):
    d = advice_on(load_paths([bundled_dir()]).only("beforecare"), sessions, day(offset))
    found = [(r.condition, r.advice) for r in d.conditions if r.topic == topic]
    assert found == ([expected] if expected else []), why
    if expected:  # shown beside the day's advice, never merged into it
        assert d.topic(topic) is None, why


def test_no_note_quotes_an_article_day_number():
    source = load_paths([bundled_dir()]).get("beforecare")
    notes = [r.note for r in source.rules] + [i.note for i in source.infos]
    assert [n for n in notes if re.search(r"\bdays?\s*\d", n, re.IGNORECASE)] == []
