"""ELKA SMP's "SMP healing process" read day by day, as smpcare shows it.

The article counts from the treatment ("Do not take a shower from 1 to 3 days after the
micropigmentation treatment"), so its "Day 1 to 3" is days 1-3 here, with the session day (day 0)
covered as implied; "Day 4 to 6" is days 4-6 and "Day 7" on is day 7 on. Scabs are normal "up
until 10 days after the treatment" (day 10). The weekly scrub starts on day 11, after them.

Schema 2: "If the scabs continue to show up, use shampoos for greasy hair" is conditional advice,
shown beside the day's advice (the baby shampoo) and never merged with it.
"""

import re

import pytest

from conftest import SESSION, day, source_level
from smpcare.engine import advice_on, source_days
from smpcare.loader import bundled_dir, load_paths
from smpcare.model import InfoKind, Level

A, L, OK, DO = Level.AVOID, Level.LIMIT, Level.ALLOWED, Level.RECOMMENDED
LONG_TERM = 12  # the day after the last dated day (11), where only open-ended advice remains

# (day offset, topic, elka's level on that day or None for silence, why)
DAYS = [
    # Water: no shower in the first stage, a bath (not yet a shower) in the second, showers
    # from day 7.
    (0, "wetting", A, "no shower on the session day itself (implied)"),
    (3, "wetting", A, "no shower 3 days after the treatment"),
    (4, "wetting", L, "a bath from 4 days after, not yet a shower"),
    (6, "wetting", L, "still only a bath on day 6"),
    (7, "wetting", OK, "showers start again a week after"),
    (LONG_TERM, "wetting", OK, "showers stay fine"),
    # Shampoo: none while dry, baby shampoo only for the second stage, then no date given.
    (0, "shampoo", A, "no shampoo on the session day"),
    (3, "shampoo", A, "no shampoo while no shower"),
    (4, "shampoo", L, "baby or fragrance-free shampoo only from day 4"),
    (6, "shampoo", L, "baby shampoo only through day 6"),
    (7, "shampoo", None, "the article never says when other shampoos are fine"),
    (LONG_TERM, "shampoo", None, "no shampoo permission is invented"),
    # Sweating: avoided until physical activity "can start again" on day 7.
    (0, "sweating", A, "no sweaty activity on the session day"),
    (3, "sweating", A, "no sweaty activity on day 3"),
    (4, "sweating", A, "still none on day 4: nothing has lifted it yet"),
    (6, "sweating", A, "still none on day 6"),
    (7, "sweating", OK, "as much physical activity as you want from day 7"),
    (LONG_TERM, "sweating", OK, "physical activity stays fine"),
    # Sun: limited all along ("But still"), with sunblock from day 7.
    (0, "sun-exposure", L, "not many hours in direct sun on the session day"),
    (3, "sun-exposure", L, "not many hours in direct sun on day 3"),
    (4, "sun-exposure", L, "the sun limit runs on through the second stage"),
    (6, "sun-exposure", L, "the sun limit runs on through day 6"),
    (7, "sun-exposure", L, "from day 7 the sun is fine with sunblock"),
    (LONG_TERM, "sun-exposure", L, "sunblock in the sun for good"),
    (6, "sunscreen", None, "sunblock is first mentioned on day 7"),
    (7, "sunscreen", DO, "apply sunblock from day 7"),
    (LONG_TERM, "sunscreen", DO, "apply sunblock for good"),
    (0, "headwear", DO, "a cap or hat outdoors on the session day"),
    (3, "headwear", DO, "a cap or hat outdoors on day 3"),
    (4, "headwear", None, "the hat advice belongs to the first stage"),
    # Rest and the soothing cream (a permission, not moved onto the session day).
    (0, "rest", DO, "rest on the session day"),
    (3, "rest", DO, "rest on day 3"),
    (4, "rest", None, "rest is first-stage advice"),
    (0, "ointment", None, "the cream is permitted 1 to 3 days after, not earlier"),
    (1, "ointment", OK, "a soothing cream could be applied on day 1"),
    (3, "ointment", OK, "and on day 3"),
    (4, "ointment", None, "but not said for the second stage"),
    # Trimming: constantly in the second stage, razors only without scars from day 7.
    (3, "shaving", None, "nothing on trimming in the first stage"),
    (4, "shaving", DO, "trim constantly from day 4"),
    (6, "shaving", DO, "trim constantly through day 6"),
    (7, "shaving", L, "sharp razors only if no scars are left, from day 7"),
    (LONG_TERM, "shaving", L, "that condition stays"),
    # Long-term care: moistening after the healing week, the scrub after the scabs.
    (6, "moisturize", None, "no moistening within the healing week"),
    (7, "moisturize", DO, "moisten once a day from day 7"),
    (LONG_TERM, "moisturize", DO, "moisten once a day for good"),
    (10, "exfoliation", None, "no scrub while scabs are still expected"),
    (11, "exfoliation", DO, "a weekly scrub from day 11"),
    (LONG_TERM, "exfoliation", DO, "a weekly scrub for good"),
]


@pytest.fixture(scope="module")
def elka_days():
    return source_days(load_paths([bundled_dir()]).only("elka"))


@pytest.fixture(scope="module")
def elka():
    source = load_paths([bundled_dir()]).get("elka")
    assert source is not None
    return source


def test_elka_dates_its_days_from_the_session_to_a_long_term_day_after_day_11(elka_days):
    first, last, cells = elka_days
    assert (first, last) == (0, 11)
    assert last + 1 == LONG_TERM and LONG_TERM in cells


@pytest.mark.parametrize(
    ("offset", "topic", "level", "why"), DAYS, ids=[f"day {d} {t}: {w}" for d, t, _, w in DAYS]
)
def test_elka_on_each_side_of_every_stage_boundary(elka_days, offset, topic, level, why):
    assert source_level(elka_days, "elka", offset, topic) is level, why


SCABS = "if the scabs continue to show up"

# (day offset, topic, the condition and level elka gives it under, or None for none, why)
CONDITIONS = [
    (3, "shampoo", None, "no shampoo at all in the first stage, under any condition"),
    (4, "shampoo", (SCABS, DO), "if the scabs continue to show up, shampoo for greasy hair"),
    (6, "shampoo", (SCABS, DO), "still in the second stage"),
    (10, "shampoo", (SCABS, DO), "while scabs are expected, up until 10 days after"),
    (11, "shampoo", None, "scabs are no longer expected, and the article says no more"),
]


@pytest.mark.parametrize(
    ("offset", "topic", "expected", "why"),
    CONDITIONS,
    ids=[f"day {d} {t}: {w}" for d, t, _, w in CONDITIONS],
)
def test_elka_conditional_advice(offset, topic, expected, why):
    d = advice_on(load_paths([bundled_dir()]).only("elka"), [SESSION], day(offset))
    found = [(r.condition, r.advice) for r in d.conditions if r.topic == topic]
    assert found == ([expected] if expected else []), why


@pytest.mark.parametrize(("offset", "level"), [(4, L), (6, L), (7, None)])
def test_elka_greasy_hair_shampoo_never_overrules_the_baby_shampoo(offset, level):
    """The day's shampoo advice is the baby shampoo alone; the condition stands beside it."""
    t = advice_on(load_paths([bundled_dir()]).only("elka"), [SESSION], day(offset)).topic("shampoo")
    assert (t.advice if t else None) is level
    assert t is None or [r.note for r in t.sources] == [
        "Use baby shampoo or a fragrance-free shampoo only."
    ]


def test_elka_gives_no_before_care(elka_days, elka):
    _, _, cells = elka_days
    assert -1 not in cells
    assert all(r.window.start >= 0 for r in elka.rules)


def test_elka_states_no_minimum_gap_between_sessions(elka):
    # "at least a week for the skin to heal" is about healing, not booking the next session.
    assert elka.min_gap is None


# (kind, first words of the note, first day shown, last day shown)
INFOS = [
    (InfoKind.EXPECT, "After each session the skin takes at least a week", 0, 7),
    (InfoKind.EXPECT, "Redness is the first sign", 1, 3),  # "Day 1 to 3", not the session day
    (InfoKind.EXPECT, "Slight inflammation is natural", 1, 3),
    (InfoKind.EXPECT, "You may notice scabs forming", 0, 10),
    (InfoKind.EXPECT, "As the scabs fall off the colour may seem to lighten", 4, 10),
    (InfoKind.CONTACT, "If the scabs continue to show up", 4, 10),
    (InfoKind.CONTACT, "If you think something may be wrong", 0, 10),
]


@pytest.mark.parametrize(
    ("kind", "starts", "first", "last"),
    INFOS,
    ids=[f"{k.value} '{s}' on days {f}-{t}" for k, s, f, t in INFOS],
)
def test_elka_dates_what_to_expect_and_when_to_call(elka, kind, starts, first, last):
    [info] = [i for i in elka.infos if i.note.startswith(starts)]
    assert (info.kind, info.window.start, info.window.end) == (kind, first, last)


def test_every_elka_expectation_and_contact_is_in_the_table(elka):
    assert len(elka.infos) == len(INFOS)


def test_no_elka_note_names_an_article_day_number(elka):
    notes = [r.note for r in elka.rules] + [i.note for i in elka.infos]
    assert [n for n in notes if re.search(r"\bDays? \d", n)] == []
