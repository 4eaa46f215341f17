"""When things are fine again: only an explicit after-care permission lifts a restriction."""

import json
from datetime import date

import pytest

from conftest import SESSION, day
from smpcare.engine import (
    Policy,
    advice_on,
    build_plan,
    key_dates,
    today_report,
    topic_or_error,
    when_report,
)
from smpcare.errors import SmpcareError
from smpcare.loader import load_paths

SECOND = date(2024, 5, 15)

CLINIC = """\
source: {{id: clinic, title: Sheet, publisher: Clinic, session_day: 0}}
rules:
{rules}
"""


def sheet(tmp_path, rules: str):
    path = tmp_path / "clinic.yaml"
    path.write_text(CLINIC.format(rules=rules))
    return load_paths([path])


def rule(topic: str, advice: str, start: int, end: int | None, care: str = "after") -> str:
    to = "null" if end is None else end
    return (
        f"  - {{topic: {topic}, advice: {advice}, care: {care}, from: {start}, to: {to}, "
        f"note: '{topic} {advice}', quote: q}}\n"
    )


def test_a_restriction_that_ends_in_silence_gives_no_date(tmp_path):
    g = sheet(tmp_path, rule("shampoo", "avoid", 0, 5))
    [lift] = today_report(g, [SESSION], day(2)).lifts
    assert lift.date is None and not lift.open_ended and not lift.until_next
    [source] = lift.sources
    assert (source.source, source.date, source.ends) == ("clinic", None, day(5))


def test_an_explicit_permission_lifts_it(tmp_path):
    g = sheet(tmp_path, rule("shampoo", "avoid", 0, 5) + rule("shampoo", "allowed", 6, None))
    [lift] = today_report(g, [SESSION], day(2)).lifts
    assert lift.date == day(6) and lift.rule is not None and lift.rule.note == "shampoo allowed"


def test_the_next_sessions_before_care_is_not_a_lift(tmp_path):
    g = sheet(
        tmp_path,
        rule("shampoo", "avoid", 0, 20) + rule("shampoo", "recommended", 1, 1, care="before"),
    )
    report = today_report(g, [SESSION, SECOND], day(3))
    [lift] = report.lifts
    assert lift.date is None and lift.until_next  # still restricted when session 2 starts


def test_a_long_term_restriction_is_open_ended(tmp_path):
    g = sheet(tmp_path, rule("sun-exposure", "limit", 0, None))
    [lift] = today_report(g, [SESSION], day(400)).lifts
    assert lift.open_ended and lift.date is None


def test_today_looks_as_far_as_the_rules_reach(tmp_path):
    g = sheet(
        tmp_path, rule("sauna-steam", "avoid", 0, 200) + rule("sauna-steam", "allowed", 201, None)
    )
    [lift] = today_report(g, [SESSION], day(2)).lifts
    assert lift.date == day(201)


def test_key_dates_per_session_with_each_sources_date(guidelines):
    plan = build_plan(guidelines, [SESSION])
    [first] = key_dates(plan)
    by_topic = {f.topic: f for f in first.after}
    shampoo = by_topic["shampoo"]
    assert shampoo.date == date(2024, 5, 16) and shampoo.disagree and shampoo.spread() == 8
    assert [s.source for s in shampoo.sources if s.date is None] == ["elka", "smusa"]
    assert by_topic["sun-exposure"].open_ended
    before = dict(zip((t.topic for t in first.before), first.before_from, strict=True))
    assert before["topical-products"] == day(-2) and before["alcohol-caffeine"] == day(-1)
    # On the session day smusa says nothing about moisturizer itself, so its "skip hair creams
    # or oils" speaks for it, against beforecare's "moisturize before each treatment".
    assert before["moisturize"] == SESSION


def test_the_preferred_sources_words_are_shown_when_it_wins(guidelines):
    t = advice_on(guidelines, [SESSION], day(4), prefer="elka").topic("wetting")
    assert t.lead.source == "elka" and t.advice is t.lead.advice


def test_recommended_against_allowed_is_agreement(guidelines):
    t = advice_on(guidelines, [SESSION], day(20)).topic("shampoo")
    assert {r.advice.value for r in t.sources} == {"allowed", "recommended"}
    assert not t.conflict


def test_a_broader_topic_speaks_for_a_silent_source(tmp_path):
    sheet(tmp_path, rule("topical-products", "avoid", 2, 0, care="before"))
    path = tmp_path / "other.yaml"
    path.write_text(
        CLINIC.replace("clinic", "other").format(
            rules=rule("moisturize", "recommended", 1, 0, care="before")
        )
    )
    g = load_paths([tmp_path / "clinic.yaml", path])
    t = advice_on(g, [SESSION], day(-1), policy=Policy.CAUTIOUS).topic("moisturize")
    assert t.conflict and t.advice.value == "avoid"
    assert {(r.source, r.topic) for r in t.sources} == {
        ("other", "moisturize"),
        ("clinic", "topical-products"),
    }


@pytest.mark.parametrize(
    ("word", "topic"),
    [
        ("shampoo", "shampoo"),
        ("gym", "sweating"),
        ("Swim", "swimming"),
        ("sun exposure", "sun-exposure"),
        ("sun-exposure", "sun-exposure"),
        ("exercise and sweat", "sweating"),
        ("  SHOWER ", "wetting"),
    ],
)
def test_topics_are_named_by_id_label_or_plain_word(guidelines, word, topic):
    assert topic_or_error(guidelines, word) == topic


def test_an_unknown_word_lists_what_is_accepted(guidelines):
    with pytest.raises(SmpcareError) as err:
        topic_or_error(guidelines, "hair dye")
    assert err.value.code == "E205" and "wetting, shampoo, sweating" in err.value.hint


def test_when_before_the_first_session_answers_for_it(guidelines):
    report = when_report(guidelines, [SESSION], day(-10), ["shampoo", "hydration"])
    shampoo, hydration = report.answers
    assert shampoo.lift is not None and shampoo.lift.date == date(2024, 5, 16)
    assert hydration.lift is None


def test_general_product_advice_never_overrules_an_advised_ointment(tmp_path):
    sheet(tmp_path, rule("topical-products", "avoid", 2, 0, care="before"))
    path = tmp_path / "other.yaml"
    path.write_text(
        CLINIC.replace("clinic", "other").format(rules=rule("ointment", "recommended", 0, 20))
    )
    g = load_paths([tmp_path / "clinic.yaml", path])
    t = advice_on(g, [SESSION, date(2024, 5, 11)], date(2024, 5, 10)).topic("ointment")
    assert t is not None and t.advice.value == "recommended" and not t.conflict


@pytest.mark.parametrize("policy", [Policy.CAUTIOUS, Policy.MAJORITY])
def test_key_dates_reuse_merged_days_without_changing_an_answer(guidelines, policy):
    from smpcare.engine import fine_again

    plan = build_plan(guidelines, [SESSION, SECOND], policy=policy, prefer=None)
    days = plan.days[plan.days.index(next(d for d in plan.days if d.date == SESSION)) :]
    for topic in guidelines.topics():
        kw = dict(policy=policy, prefer=None, long_term=True)
        assert fine_again(days, topic, fresh=True, **kw) == fine_again(
            days, topic, fresh=False, **kw
        )
    # Asked under another policy than the plan's, the days are merged again.
    other = Policy.MAJORITY if policy is Policy.CAUTIOUS else Policy.CAUTIOUS
    assert key_dates(plan, policy=other) == key_dates(
        build_plan(guidelines, [SESSION, SECOND], policy=other), policy=other
    )


@pytest.mark.parametrize(
    ("rules", "said"),
    [
        # a gap, then its own lift: the source is silent, but not for good
        (
            rule("shampoo", "avoid", 0, 2) + rule("shampoo", "allowed", 5, None),
            "shampoo clinic says nothing more until Mon 6 May, when it is fine again",
        ),
        # silence with no lift after it
        (
            rule("shampoo", "avoid", 0, 2),
            "shampoo no date given: clinic says no more after today; ask your artist",
        ),
    ],
)
def test_tomorrow_says_when_a_silent_source_lifts_it_later(tmp_path, rules, said):
    from smpcare.render import table

    report = today_report(sheet(tmp_path, rules), [SESSION], day(2))
    text = table.to_text(lambda out: table.today(out, report), width=200)
    assert f"Tomorrow (Sat 4 May): {said}" in text


@pytest.mark.parametrize("course", [[SESSION], [SESSION, SECOND]], ids=["one", "two sessions"])
def test_on_the_bundled_sources_only_an_explicit_after_care_permission_lifts(guidelines, course):
    plan = build_plan(guidelines, course)
    for session in key_dates(plan):
        for lift in session.after:
            for source in lift.sources:
                if source.date is not None:  # its own words say the thing is fine again
                    assert source.rule.care.value == "after", (lift.topic, source)
                    assert not source.rule.advice.restricts, (lift.topic, source)
            if lift.date is not None:
                day_after = next(d for d in plan.days if d.date == lift.date)
                merged = day_after.topic(lift.topic)
                assert merged is not None and not merged.advice.restricts


def test_the_next_sessions_before_care_never_reads_as_a_lift_on_the_bundled_sources(run):
    result = run(
        "today",
        "-s",
        "2024-05-01",
        "-s",
        "2024-05-15",
        "--on",
        "2024-05-15",
        "--detail",
        "-f",
        "json",
    )
    data = json.loads(result.stdout)
    lifts = {f["topic"]: f for f in data["fine_again"]}
    # smusa's "wash your hair before your next appointment" is before-care: never a lift.
    assert all(
        s["fine_from"] is None for s in lifts["shampoo"]["sources"] if s["source"] == "smusa"
    )
    assert lifts["shampoo"]["fine_from"] == "2024-05-30"


def test_a_source_that_already_says_fine_shows_fine_not_todays_date(run):
    out = run("today", "-s", "2024-05-01", "--on", "2024-05-11", "--color", "never").stdout
    shampoo = next(line for line in out.splitlines() if line.startswith("shampoo "))
    # beforecare lifted shampoo on 8 May: on 11 May it already says fine; aftercare on 12 May.
    assert shampoo.split() == [
        "shampoo",
        "Thu",
        "16",
        "May",
        "≠",
        "12",
        "May",
        "fine",
        "·",
        "16",
        "May",
        "no",
        "date",
    ]
