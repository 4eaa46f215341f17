"""smusa ("Scalp Micropigmentation: Preparation And Aftercare") read against its article.

The article numbers no days; the session day is day 0. It keeps the scalp dry "for the first
four days after treatment" (days 0-4: the four days after the session day, the session day
covered too) and lets a light rinse start after them (day 5). "While the skin is healing" and
"until the scalp heals" run through day 10 ("it may take more than 10 days before you can resume
your usual hair care routine"); after that the article gives no date, so smusa is silent.

Schema 2: the hair-care restrictions that end on day 10 are minimums (at_least: "it may take
more than 10 days before you can resume your usual hair care routine"), and "at least 48 hours
before" for NSAIDs is given in hours.
"""

import re

import pytest

from conftest import SESSION, day, source_level
from smpcare.engine import advice_on, source_days
from smpcare.loader import bundled_dir, load_paths
from smpcare.model import Level

A, L, OK, DO = Level.AVOID, Level.LIMIT, Level.ALLOWED, Level.RECOMMENDED
SOURCE = "smusa"


@pytest.fixture(scope="module")
def smusa():
    return load_paths([bundled_dir()]).only(SOURCE)


@pytest.fixture(scope="module")
def days(smusa):
    return source_days(smusa)


# (day offset, topic, expected level or None for silence, why)
CASES = [
    # Before the session: "several days before" (three), "48 hours before", "the night before".
    (-4, "shampoo", None, "washing starts several (three) days before"),
    (-3, "shampoo", DO, "wash your hair and scalp regularly several days before"),
    (-1, "shampoo", DO, "washing runs to the day before"),
    (-3, "moisturize", OK, "you can use a fragrance-free moisturizer before the session"),
    (-1, "moisturize", OK, "the moisturizer is fine up to the day before"),
    (-3, "exfoliation", OK, "a mild exfoliant is fine if needed"),
    (-1, "exfoliation", OK, "the exfoliant is fine up to the day before"),
    (-3, "shaving", DO, "have the hair cut short before treatment"),
    (-1, "shaving", DO, "the haircut belongs to the days before"),
    (-3, "scratching", A, "keep the scalp free of scratches before treatment"),
    (-1, "scratching", A, "no scratches up to the day before"),
    (-3, "topical-products", None, "hair creams and oils are skipped only for 48 hours"),
    (-2, "topical-products", A, "skip hair creams and oils 48 hours before"),
    (0, "topical-products", A, "the 48 hours run up to the appointment"),
    (1, "topical-products", None, "the skip is before-care only"),
    (-2, "alcohol-caffeine", None, "alcohol and coffee only the night before and the day"),
    (-1, "alcohol-caffeine", A, "the night before"),
    (0, "alcohol-caffeine", A, "the day of the procedure"),
    (1, "alcohol-caffeine", None, "nothing said after the session"),
    (-3, "blood-thinners", None, "NSAIDs at least 48 hours before"),
    (-2, "blood-thinners", A, "NSAIDs at least 48 hours before"),
    (0, "blood-thinners", A, "the 48 hours run up to the appointment"),
    (1, "blood-thinners", None, "nothing said after the session"),
    # The dry days: the session day and the four days after it.
    (0, "wetting", A, "the scalp stays dry from the session"),
    (4, "wetting", A, "the fourth day after treatment is still dry"),
    (5, "wetting", L, "the first shower is a light rinse"),
    (10, "wetting", L, "the light rinse holds while the skin heals"),
    (11, "wetting", None, "the article gives no date after the healing time"),
    (0, "sun-exposure", A, "no sun on the first few days"),
    (4, "sun-exposure", A, "the first few days are the dry days"),
    (5, "sun-exposure", None, "no date given after the first few days"),
    (0, "headwear", OK, "you can cover your head with a soft hat"),
    (4, "headwear", OK, "the hat goes with the sun rule"),
    (5, "headwear", None, "the hat goes with the sun rule"),
    # While the skin heals: through day 10, then silence (never a lift).
    (0, "shampoo", A, "no shampoo while the scalp must stay dry"),
    (4, "shampoo", A, "no shampoo on the last dry day"),
    (5, "shampoo", A, "rinse without shampooing"),
    (10, "shampoo", A, "usual hair care may take more than 10 days to resume"),
    (11, "shampoo", None, "the article names no day when shampoo is fine again"),
    (0, "exfoliation", A, "no scrubbing after the session"),
    (10, "exfoliation", A, "no scrubbing while the skin heals"),
    (11, "exfoliation", None, "no date given after the healing time"),
    (0, "sweating", L, "avoid excessive sweating from the session"),
    (4, "sweating", L, "excessive sweating is not only a dry-day rule"),
    (10, "sweating", L, "excessive sweating could disrupt the recovery"),
    (11, "sweating", None, "no date given after the healing time"),
    (0, "touching", A, "avoid touching your head"),
    (10, "touching", A, "while the skin is healing"),
    (11, "touching", None, "no date given after the healing time"),
    (0, "scratching", A, "avoid scratching your head"),
    (10, "scratching", A, "while the skin is healing"),
    (11, "scratching", None, "no date given after the healing time"),
    (0, "shaving", A, "avoid shaving your head"),
    (10, "shaving", A, "while the skin is healing"),
    (11, "shaving", None, "no date given after the healing time"),
    (0, "sauna-steam", A, "no saunas until the scalp heals"),
    (10, "sauna-steam", A, "until the scalp heals"),
    (11, "sauna-steam", None, "no date given after the healing time"),
    (0, "tanning", A, "no tanning beds or sprays until the scalp heals"),
    (10, "tanning", A, "until the scalp heals"),
    (11, "tanning", None, "no date given after the healing time"),
    (0, "irritants", A, "nothing that might irritate the scalp until it heals"),
    (10, "irritants", A, "until the scalp heals"),
    (11, "irritants", None, "no date given after the healing time"),
    (0, "hydration", DO, "being well hydrated helps the healing"),
    (10, "hydration", DO, "for the healing time"),
    (11, "hydration", None, "for the healing time only"),
    (0, "ointment", DO, "take any aftercare medication required"),
    (10, "ointment", DO, "for the healing time"),
    (11, "ointment", None, "for the healing time only"),
    (0, "moisturize", None, "no moisturizer on the scalp that must stay dry and untouched"),
    (4, "moisturize", None, "no moisturizer on the last dry day"),
    (5, "moisturize", OK, "you can also use a mild moisturizer (allowed, not recommended)"),
    (10, "moisturize", OK, "while the scalp heals"),
    (11, "moisturize", None, "for the healing time only"),
    (40, "shampoo", None, "no long-term advice: smusa lifts nothing"),
]


@pytest.mark.parametrize(
    "offset,topic,expected,why",
    CASES,
    ids=[f"day {o}: {t} is {e.value if e else 'silent'} ({w})" for o, t, e, w in CASES],
)
def test_smusa_advice_on_each_side_of_every_boundary(days, offset, topic, expected, why):
    assert source_level(days, SOURCE, offset, topic) is expected


def test_smusa_runs_from_three_days_before_to_day_10(days):
    first, last, cells = days
    assert (first, last) == (-3, 10)
    assert cells[last + 1] == {}  # no open-ended advice: silence after the healing time


@pytest.mark.parametrize(
    "offset,expected",
    [
        (0, {"redness", "shade"}),
        (4, {"redness", "shade"}),
        (5, {"shade"}),
        (10, {"shade"}),
        (11, set()),
    ],
    ids=lambda v: str(v),
)
def test_smusa_what_to_expect_by_day(smusa, offset, expected):
    infos = advice_on(smusa, [SESSION], day(offset)).infos
    got = {"redness" if "redness" in i.note else "shade" for i in infos}
    assert got == expected


def test_smusa_session_day_shows_after_care_words_for_scratching(smusa):
    """On the session day the words shown for scratching fit after the appointment."""
    scratching = advice_on(smusa, [SESSION], SESSION).topic("scratching")
    assert scratching.sources[0].note == "Do not scratch your head."


# (day offset, topic, the words smusa shows that day): what a client reads must fit the day.
NOTES = [
    (0, "shampoo", "No shampoo while your scalp must stay dry."),
    (4, "shampoo", "No shampoo while your scalp must stay dry."),
    (
        5,
        "shampoo",
        "No shampoo while the skin heals; when you shower, rinse the scalp lightly. "
        "Your usual hair care routine may take more than 10 days to resume.",
    ),
    (
        10,
        "shampoo",
        "No shampoo while the skin heals; when you shower, rinse the scalp lightly. "
        "Your usual hair care routine may take more than 10 days to resume.",
    ),
    (
        -1,
        "shaving",
        "Have your hair cut short before the treatment; many SMP centres can help, or "
        "you can go to any salon or barbershop, taking extra care not to scratch or "
        "irritate the scalp.",
    ),
]


@pytest.mark.parametrize(
    "offset,topic,note", NOTES, ids=[f"day {o}: {t} says '{n[:40]}'" for o, t, n in NOTES]
)
def test_smusa_words_shown_on_each_day(days, offset, topic, note):
    assert days[2][offset][topic][SOURCE].note == note


@pytest.mark.parametrize("offset", range(0, 5), ids=lambda o: f"day {o}")
def test_smusa_never_says_rinse_while_the_scalp_must_stay_dry(days, offset):
    notes = [
        by_source[SOURCE].note for by_source in days[2][offset].values() if SOURCE in by_source
    ]
    assert notes and [n for n in notes if "rinse" in n.lower()] == []


# (day offset, topic, words the quote must hold): the quote carries the advice, not only a reason.
QUOTES = [
    (0, "shampoo", "avoid getting your scalp wet"),
    (5, "shampoo", "without scrubbing or shampooing"),
    (0, "hydration", "Stay Hydrated"),
    (-1, "shaving", "cut their hair short before treatment"),
]


@pytest.mark.parametrize(
    "offset,topic,words", QUOTES, ids=[f"day {o}: {t} quotes '{w}'" for o, t, w in QUOTES]
)
def test_smusa_quote_carries_the_advice(days, offset, topic, words):
    assert words in days[2][offset][topic][SOURCE].quote


# (day offset, topic, whether smusa's restriction that day is a minimum ("at least"), why)
MINIMUMS = [
    (4, "wetting", False, "the dry days are 'the first four days', no minimum"),
    (5, "wetting", True, "the light rinse: usual hair care may take more than 10 days"),
    (10, "wetting", True, "day 10: at least until then"),
    (4, "shampoo", False, "no shampoo on the dry days: those end with the four days"),
    (5, "shampoo", True, "rinse without shampooing: hair care, more than 10 days"),
    (10, "shampoo", True, "day 10: at least until then"),
    (0, "exfoliation", True, "no scrubbing: hair care, more than 10 days"),
    (10, "exfoliation", True, "day 10: at least until then"),
    (0, "shaving", True, "no shaving: hair care, more than 10 days"),
    (10, "shaving", True, "day 10: at least until then"),
    (10, "touching", False, "'while the skin is healing' is not the hair-care sentence"),
    (10, "scratching", False, "'while the skin is healing' is not the hair-care sentence"),
    (10, "sweating", False, "excessive sweating is not hair care"),
    (10, "sauna-steam", False, "'until the scalp heals' is not the hair-care sentence"),
    (10, "irritants", False, "'until the scalp heals' is not the hair-care sentence"),
    (-2, "blood-thinners", False, "before-care ends at the session: no minimum end"),
]


@pytest.mark.parametrize(
    "offset,topic,at_least,why",
    MINIMUMS,
    ids=[f"day {o}: {t} at least {a}" for o, t, a, _ in MINIMUMS],
)
def test_smusa_minimums(days, offset, topic, at_least, why):
    rule = days[2][offset][topic][SOURCE]
    assert rule.advice.restricts and rule.at_least is at_least, why


@pytest.mark.parametrize(
    "topic,at_least",
    [
        ("shampoo", True),
        ("wetting", True),
        ("exfoliation", True),
        ("shaving", True),
        ("touching", False),
        ("sauna-steam", False),
    ],
)
def test_smusa_says_ask_your_artist_where_hair_care_may_take_longer(smusa, topic, at_least):
    """On day 10 every healing-time restriction ends with no date; the hair-care ones say that
    day 10 is the least, so the client asks the artist."""
    from smpcare.engine import today_report

    [lift] = [f for f in today_report(smusa, [SESSION], day(10)).lifts if f.topic == topic]
    [said] = lift.sources
    assert (lift.date, said.ends, said.at_least) == (None, day(10), at_least)


def test_smusa_nsaids_are_given_in_hours_before_the_session(days):
    from smpcare.render import note_text

    rule = days[2][-2]["blood-thinners"][SOURCE]
    assert (rule.hours, rule.window.start, rule.window.end) == ((48, 0), -2, 0)
    assert note_text(rule).endswith(
        "ask your doctor before changing it. (48 hours before: days -2–0)"
    )


def test_smusa_hair_care_notes_say_at_least_until_day_10(days):
    from smpcare.render import note_text

    assert note_text(days[2][5]["shampoo"][SOURCE]).endswith(
        "(at least until day 10, ask your artist)"
    )
    assert "at least" not in note_text(days[2][5]["touching"][SOURCE])


def test_no_smusa_note_names_an_article_day_number(smusa):
    source = smusa.get(SOURCE)
    notes = [r.note for r in source.rules] + [i.note for i in source.infos]
    assert [n for n in notes if re.search(r"\bday \d", n, re.IGNORECASE)] == []
