"""The calendar export: parsed back with icalendar, and imported into khal as a client would."""

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from conftest import SESSION, day
from smpcare import exports
from smpcare.engine import Policy, advice_on, build_plan, key_dates, when_report
from smpcare.loader import load_paths
from smpcare.render import ics, topic_name

SECOND, THIRD = date(2024, 5, 15), date(2024, 5, 29)


def export(run, out: Path, sessions=(SESSION,), *args: str) -> list:
    """Export to ``out`` (the same file each time, as a client re-exporting would)."""
    flags = [a for s in sessions for a in ("--session", s.isoformat())]
    result = run("plan", *flags, "--format", "ics", "--output", str(out), *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"Wrote {out}\n")
    return Calendar.from_ical(out.read_bytes()).walk("VEVENT")


def live(events) -> list:
    return [e for e in events if str(e["STATUS"]) != "CANCELLED"]


def phases(events) -> list:
    return [e for e in live(events) if "fine again" not in str(e["SUMMARY"])]


def fine_again(events) -> list:
    return [e for e in live(events) if "fine again" in str(e["SUMMARY"])]


def covers(e, d: date) -> bool:
    return e.decoded("DTSTART") <= d < e.decoded("DTEND")


SHEET = """\
source: {{id: {id}, title: Sheet, publisher: Clinic, session_day: 0}}
rules:
{rules}
"""


def rule(topic: str, advice: str, start: int, end: int | None, care: str = "after") -> str:
    to = "null" if end is None else end
    return (
        f"  - {{topic: {topic}, advice: {advice}, care: {care}, from: {start}, to: {to}, "
        f"note: '{topic} {advice}', quote: 'q {topic} {advice} {start}'}}\n"
    )


def sheet(tmp_path: Path, rules: str, source: str = "clinic") -> Path:
    path = tmp_path / f"{source}.yaml"
    path.write_text(SHEET.format(id=source, rules=rules))
    return path


def only(path: Path) -> tuple[str, ...]:
    """CLI options that plan with this one sheet."""
    return ("--source", path.stem, "--guidelines", str(path))


CLINIC = (
    rule("alcohol-caffeine", "avoid", 1, 0, care="before")
    + rule("wetting", "avoid", 0, 2)
    + rule("wetting", "allowed", 3, None)
    + rule("shampoo", "avoid", 0, 5)
    + rule("shampoo", "allowed", 6, None)
)
OTHER = rule("shampoo", "avoid", 0, 9) + rule("shampoo", "allowed", 10, None)


def calendar(
    tmp_path: Path, sessions, *, policy: Policy = Policy.CAUTIOUS, prefer: str | None = None
) -> list:
    """The calendar of the clinic and other sheets alone, rendered without the command line."""
    g = load_paths([sheet(tmp_path, CLINIC), sheet(tmp_path, OTHER, "other")])
    plan = build_plan(g, list(sessions), policy=policy, prefer=prefer)
    text = ics.calendar(plan, stamp=datetime(2024, 4, 1, tzinfo=UTC)).text
    return Calendar.from_ical(text).walk("VEVENT")


def summaries(events) -> list[tuple[date, date, str]]:
    return sorted((e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"])) for e in events)


# Phases: every day of the plan, named by its session


def test_phases_are_all_day_events_that_tile_the_plan(tmp_path):
    events = calendar(tmp_path, [SESSION])
    assert summaries(phases(events)) == [
        (day(-1), day(0), "SMP before session 1 · day -1: avoid alcohol and caffeine"),
        (
            day(0),
            day(1),
            "SMP session 1 · day 0: avoid showering and washing, shampoo, alcohol and caffeine",
        ),
        (day(1), day(3), "SMP session 1 · days 1–2: avoid showering and washing, shampoo"),
        (day(3), day(6), "SMP session 1 · days 3–5: avoid shampoo"),
        (day(6), day(10), "SMP session 1 · days 6–9: avoid shampoo"),  # clinic: fine; other: no
        (day(10), day(11), "SMP session 1 · day 10 onward"),  # long-term advice from then on
    ]
    assert all(e["DTSTART"].params["VALUE"] == "DATE" for e in events)
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in events)


def test_every_session_day_and_before_care_is_named_by_its_session(tmp_path):
    events = calendar(tmp_path, [SESSION, SECOND])
    around = [s for s in summaries(phases(events)) if day(6) <= s[0] <= day(15)]
    assert around == [
        (day(6), day(10), "SMP session 1 · days 6–9: avoid shampoo"),
        (day(10), day(13), "SMP session 1 · days 10–12"),
        (day(13), day(14), "SMP before session 2 · day -1: avoid alcohol and caffeine"),
        (
            day(14),
            day(15),
            "SMP session 2 · day 0: avoid showering and washing, shampoo, alcohol and caffeine",
        ),
        (day(15), day(17), "SMP session 2 · days 1–2: avoid showering and washing, shampoo"),
    ]
    texts = {str(e["SUMMARY"]).split(":")[0]: str(e["DESCRIPTION"]) for e in phases(events)}
    assert texts["SMP before session 2 · day -1"].startswith(
        "Before session 2 (Wed 15 May 2024) · day -1 · Tue 14 May 2024\n"
        "Day 13 after session 1 (Wed 1 May 2024): its after-care still applies.\n\n"
        "AVOID alcohol and caffeine: alcohol-caffeine avoid\n"
    )
    assert texts["SMP session 2 · day 0"].startswith(
        "Session 2 (Wed 15 May 2024) · day 0 · Wed 15 May 2024\nYour SMP session 2 is today.\n"
    )


# Milestones: the policy's answer, per session and topic


@pytest.mark.parametrize(
    "policy,prefer,expected",
    [
        (
            Policy.CAUTIOUS,
            None,
            [
                (day(3), "showering and washing", "cautious reading"),
                (day(10), "shampoo", "cautious reading"),
            ],
        ),
        (
            Policy.MAJORITY,
            None,
            [
                (day(3), "showering and washing", "majority reading"),
                (day(10), "shampoo", "majority reading"),
            ],
        ),  # 1 to 1: stricter
        (
            Policy.CAUTIOUS,
            "clinic",
            [
                (day(3), "showering and washing", "cautious reading, clinic preferred"),
                (day(6), "shampoo", "cautious reading, clinic preferred"),
            ],
        ),
    ],
)
def test_one_fine_again_event_per_topic_on_the_policys_date(tmp_path, policy, prefer, expected):
    events = calendar(tmp_path, [SESSION], policy=policy, prefer=prefer)
    assert summaries(fine_again(events)) == [
        (
            d,
            d + timedelta(days=1),
            f"SMP session 1 · day {(d - SESSION).days}: {topic} fine again ({reading})",
        )
        for d, topic, reading in expected
    ]


def test_a_milestone_gives_each_sources_date_and_words(tmp_path):
    [shampoo] = [
        e
        for e in fine_again(calendar(tmp_path, [SESSION, SECOND]))
        if "shampoo" in str(e["SUMMARY"]) and "session 1" in str(e["SUMMARY"])
    ]
    assert str(shampoo["DESCRIPTION"]) == (
        "Shampoo is fine again from Sat 11 May 2024, day 10 after session 1 (Wed 1 May 2024), "
        "under the cautious reading.\n"
        "shampoo allowed (clinic)\n\n"
        "What each source says:\n"
        '- clinic, fine from Tue 7 May (day 6): "q shampoo allowed 6"\n'
        '- other, fine from Sat 11 May (day 10): "q shampoo allowed 10"\n\n'
        "The sources give different dates. Ask your artist which to follow."
    )


@pytest.mark.parametrize("policy", ["cautious", "majority"])
def test_milestones_match_when_for_every_session_and_topic(run, tmp_path, guidelines, policy):
    sessions = (SESSION, SECOND, THIRD)
    events = export(run, tmp_path / "plan.ics", sessions, "--policy", policy)
    got = {
        (str(e["SUMMARY"]).split(" · ")[0], str(e["SUMMARY"]).split(": ")[1]): e.decoded("DTSTART")
        for e in fine_again(events)
    }
    expected = {}
    for n, start in enumerate(sessions, 1):
        for topic in guidelines.topics():
            [answer] = when_report(
                guidelines, sessions, start, [topic], policy=Policy(policy)
            ).answers
            if answer.lift is not None and answer.lift.date is not None:
                expected[
                    (f"SMP session {n}", f"{topic_name(topic)} fine again ({policy} reading)")
                ] = answer.lift.date
    assert got == expected
    assert expected  # the bundled sources do lift restrictions


def test_bundled_milestones_quote_every_source_that_speaks(run, tmp_path, guidelines):
    events = export(run, tmp_path / "plan.ics")
    [first] = key_dates(build_plan(guidelines, [SESSION]))
    lifted = [f for f in first.after if f.date is not None]
    assert len(fine_again(events)) == len(lifted)
    for f in lifted:
        [e] = [
            e
            for e in fine_again(events)
            if f" {topic_name(f.topic)} fine again" in str(e["SUMMARY"])
        ]
        text = str(e["DESCRIPTION"])
        assert e.decoded("DTSTART") == f.date
        for s in f.sources:
            assert f"- {s.source}, " in text and f'"{s.rule.quote}"' in text


def test_no_fine_again_event_contradicts_its_days_advice(run, tmp_path, guidelines):
    sessions = (SESSION, SECOND, THIRD)
    events = export(run, tmp_path / "plan.ics", sessions)
    labels = {topic_name(t): t for t in guidelines.topics()}
    assert fine_again(events)
    for e in fine_again(events):
        label = str(e["SUMMARY"]).split(": ", 1)[1].split(" fine again")[0]
        advice = advice_on(guidelines, sessions, e.decoded("DTSTART")).topic(labels[label])
        assert advice is None or not advice.advice.restricts, str(e["SUMMARY"])


def test_a_restriction_that_ends_in_silence_gets_no_fine_again_event(run, tmp_path):
    path = sheet(
        tmp_path,
        rule("shampoo", "avoid", 0, 5)
        + rule("wetting", "avoid", 0, 3)
        + rule("wetting", "allowed", 4, None),
    )
    events = export(run, tmp_path / "plan.ics", (SESSION,), *only(path))
    assert [str(e["SUMMARY"]) for e in fine_again(events)] == [
        "SMP session 1 · day 4: showering and washing fine again (per clinic)"
    ]
    [after] = [e for e in phases(events) if covers(e, day(6))]
    assert (
        "NO DATE GIVEN shampoo: after session 1, clinic's advice ends after day 5 "
        "(Mon 6 May); ask your artist"
    ) in str(after["DESCRIPTION"])
    assert not any("NO DATE" in str(e["DESCRIPTION"]) for e in phases(events) if e is not after)


def test_fine_per_after_care_but_restricted_by_the_next_before_care_is_no_milestone(run, tmp_path):
    path = sheet(
        tmp_path,
        rule("shaving", "avoid", 0, 4)
        + rule("shaving", "allowed", 5, None)
        + rule("shaving", "avoid", 3, 1, care="before"),
    )
    events = export(run, tmp_path / "plan.ics", (SESSION, day(7)), *only(path))
    # Day 5 after session 1 is day -2 before session 2, when before-care forbids shaving.
    assert [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in fine_again(events)] == [
        (day(12), "SMP session 2 · day 5: shaving and haircuts fine again (per clinic)")
    ]


def test_remind_adds_an_alarm_at_that_time_on_each_milestone_day(run, tmp_path):
    events = export(run, tmp_path / "plan.ics", (SESSION,), "--remind", "08:30")
    assert fine_again(events)
    for e in fine_again(events):
        [alarm] = e.walk("VALARM")
        assert alarm.decoded("TRIGGER") == timedelta(hours=8, minutes=30)
        assert str(alarm["ACTION"]) == "DISPLAY"
    assert all(not e.walk("VALARM") for e in phases(events))


# UIDs, SEQUENCE and cancellations across exports to one file


def by_uid(events) -> dict:
    return {str(e["UID"]): e for e in events}


def content(e) -> tuple:
    return (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"]), str(e["DESCRIPTION"]))


@pytest.mark.parametrize(
    "before,after,untouched",
    [
        ((SESSION,), (SESSION, SECOND), ("SMP before session 1 ",)),  # a session added
        (
            (SESSION, SECOND, THIRD),
            (SESSION, SECOND, THIRD + timedelta(days=7)),  # one moved
            ("SMP before session 1 ", "SMP session 1 ", "SMP before session 2 "),
        ),
        ((SESSION, SECOND, THIRD), (SESSION, THIRD), ("SMP before session 1 ",)),  # one removed
    ],
)
def test_only_changed_events_change(run, tmp_path, before, after, untouched):
    out = tmp_path / "plan.ics"
    one = by_uid(export(run, out, before))
    two = by_uid(export(run, out, after))
    assert len(Calendar.from_ical(out.read_bytes()).walk("VEVENT")) == len(two)  # unique UIDs
    old_content = {content(e): uid for uid, e in one.items()}
    for uid, e in two.items():
        if str(e["STATUS"]) == "CANCELLED":  # gone from the plan: cancelled, not left behind
            assert uid in one and int(e["SEQUENCE"]) == int(one[uid]["SEQUENCE"]) + 1
            assert e.decoded("LAST-MODIFIED") >= one[uid].decoded("LAST-MODIFIED")
        elif content(e) in old_content:  # the same event: the same UID, untouched
            assert old_content[content(e)] == uid
            assert int(e["SEQUENCE"]) == 0
            assert e.decoded("LAST-MODIFIED") == one[uid].decoded("LAST-MODIFIED")
        elif uid in one:  # the same event with new content: SEQUENCE raised
            assert int(e["SEQUENCE"]) == 1
        else:
            assert int(e["SEQUENCE"]) == 0
    assert set(one) <= set(two)
    assert any(str(e["STATUS"]) == "CANCELLED" for e in two.values())
    kept = [e for e in two.values() if str(e["SUMMARY"]).startswith(untouched)]
    assert kept and all(content(e) in old_content and int(e["SEQUENCE"]) == 0 for e in kept)


def test_an_unchanged_plan_exports_the_same_events(run, tmp_path):
    out = tmp_path / "plan.ics"
    one = export(run, out, (SESSION, SECOND))
    again = run("plan", "-s", "2024-05-01", "-s", "2024-05-15", "-f", "ics", "-o", str(out))
    assert again.stderr == (
        f"Wrote {out}\nEvents: 0 new, 0 changed, {len(one)} unchanged, 0 "
        "cancelled since the last export to this file.\n"
    )
    two = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert [(str(e["UID"]), int(e["SEQUENCE"]), content(e)) for e in one] == [
        (str(e["UID"]), int(e["SEQUENCE"]), content(e)) for e in two
    ]


def test_a_cancelled_event_is_sent_again_and_revived_with_a_higher_sequence(run, tmp_path):
    out = tmp_path / "plan.ics"
    one = by_uid(export(run, out, (SESSION, SECOND)))
    export(run, out, (SESSION,))
    three = by_uid(export(run, out, (SESSION,)))  # missed imports still see the cancellation
    gone = [uid for uid in one if str(three[uid]["STATUS"]) == "CANCELLED"]
    assert gone and all(int(three[uid]["SEQUENCE"]) == 1 for uid in gone)
    four = by_uid(export(run, out, (SESSION, SECOND)))
    assert all(
        str(four[uid]["STATUS"]) == "CONFIRMED" and int(four[uid]["SEQUENCE"]) == 2 for uid in gone
    )


def test_a_new_output_path_starts_afresh(run, tmp_path):
    export(run, tmp_path / "a.ics", (SESSION, SECOND))
    fresh = export(run, tmp_path / "b.ics", (SESSION,))
    result = run("plan", "-s", "2024-05-01", "-f", "ics", "-o", str(tmp_path / "c.ics"))
    assert result.stderr == (
        f"Wrote {tmp_path / 'c.ics'}\nEvents: {len(fresh)}, all new (no "
        "earlier export to this file is recorded).\n"
    )
    assert all(str(e["STATUS"]) == "CONFIRMED" and int(e["SEQUENCE"]) == 0 for e in fresh)


@pytest.mark.parametrize("output", [None, "/dev/null"])
def test_the_screen_or_a_device_keeps_no_record(run, smpcare_home, output):
    result = run("plan", "-s", "2024-05-01", "-f", "ics", *(["-o", output] if output else []))
    assert result.exit_code == 0
    assert result.stderr == ("" if output is None else f"Wrote {output}\n")
    assert not (smpcare_home / "exports").exists()


# The record is untrusted input


def test_a_corrupt_record_means_starting_afresh_with_a_warning(run, tmp_path):
    out = tmp_path / "plan.ics"
    export(run, out, (SESSION, SECOND))
    record = exports.record_path(out)
    record.write_text('{"version": 1, "path": "' + str(out) + '", "events": {"x": 1}}')
    result = run("plan", "-s", "2024-05-01", "-f", "ics", "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.startswith(
        f"smpcare: warning: the record of the last export to {out} ({record}) is unusable: an "
        "event has a malformed UID; starting afresh, so events dropped since then are not "
        "cancelled in your calendar.\n"
    )
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in events)
    assert exports.load(out).warning is None  # rewritten whole


@pytest.mark.parametrize(
    "raw,why",
    [
        (b"\xff\xfe", "it is not valid JSON"),
        (b"[" * 100_000, "it is not valid JSON"),
        (b'{"events": {}}', "it has no version number"),
        (
            b'{"version": 9, "path": "P", "events": {}}',
            "it has format version 9; this smpcare reads 1",
        ),
        (b'{"version": 1, "path": "/elsewhere.ics", "events": {}}', "it records another file"),
        (
            b'{"version": 1, "path": "P", "events": []}',
            "'events' is not a table of at most 10000 events",
        ),
    ],
)
def test_record_problems_are_named(raw, why):
    with pytest.raises(ValueError, match="^" + why.replace("(", r"\(") + "$"):
        exports.parse(raw.replace(b'"P"', b'"/p.ics"'), "/p.ics")


GOOD = {
    "sequence": 0,
    "digest": "0" * 64,
    "modified": "2024-05-01T08:00:00+00:00",
    "start": "2024-05-01",
    "end": "2024-05-02",
    "summary": "SMP session 1 · day 0",
    "cancelled": False,
}


@pytest.mark.parametrize(
    "change",
    [
        {"sequence": True},
        {"sequence": -1},
        {"sequence": 10**9},
        {"digest": "abc"},
        {"modified": "2024-05-01T08:00:00"},
        {"start": "2024-05-02"},
        {"end": None},
        {"summary": "\x1b[31mred"},
        {"summary": "x" * 501},
        {"cancelled": "no"},
    ],
)
def test_a_bad_field_is_refused(change):
    raw = json.dumps(
        {"version": 1, "path": "/p.ics", "events": {"0" * 24 + "@smpcare": {**GOOD, **change}}}
    )
    with pytest.raises(ValueError):
        exports.parse(raw.encode(), "/p.ics")


def test_a_good_record_round_trips(tmp_path):
    out = tmp_path / "p.ics"
    good = exports.parse(
        json.dumps(
            {"version": 1, "path": str(out), "events": {"0" * 24 + "@smpcare": GOOD}}
        ).encode(),
        str(out),
    )
    assert exports.save(out, good) is None
    assert exports.load(out) == (good, None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=30), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.dictionaries(st.sampled_from(list(GOOD)), json_values, max_size=7).map(
            lambda e: json.dumps(
                {"version": 1, "path": "/p.ics", "events": {"0" * 24 + "@smpcare": {**GOOD, **e}}}
            ).encode()
        ),
    )
)
def test_any_record_is_read_or_refused_never_a_crash(raw):
    try:
        events = exports.parse(raw, "/p.ics")
    except ValueError:
        return
    for r in events.values():
        assert r.end > r.start and r.modified.tzinfo is not None and r.sequence >= 0


def test_an_unwritable_data_directory_still_writes_the_calendar(run, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SMPCARE_HOME", str(blocker / "home"))  # under a file: cannot be made
    out = tmp_path / "plan.ics"
    result = run("plan", "-s", "2024-05-01", "-f", "ics", "-o", str(out))
    assert result.exit_code == 0 and out.exists()
    assert "smpcare: warning: cannot keep the record of this export in " in result.stderr


# Text, options and errors


def test_commas_semicolons_and_newlines_in_notes_survive(run, tmp_path):
    (tmp_path / "t.txt").write_text("Rinse, dry; repeat.\nThen rest.")
    (tmp_path / "c.yaml").write_text(
        "source:\n  id: commas\n  title: T\n  publisher: P\n  text: t.txt\n  session_day: 0\n"
        "rules:\n  - topic: wetting\n    advice: avoid\n    from: 0\n    to: 40\n"
        '    note: "Rinse, dry; repeat.\\nThen rest."\n'
        '    quote: "Rinse, dry; repeat. Then rest."\n'
    )
    out = tmp_path / "plan.ics"
    events = export(
        run, out, (SESSION,), "--source", "commas", "--guidelines", str(tmp_path / "c.yaml")
    )
    assert any("Rinse, dry; repeat.\nThen rest." in str(e["DESCRIPTION"]) for e in events)
    assert "Rinse\\, dry\\; repeat.\\nThen rest." in out.read_bytes().decode().replace("\r\n ", "")


def test_bad_remind_and_remind_without_ics(run):
    bad = run("plan", "-s", "2024-05-01", "-f", "ics", "--remind", "25:00")
    assert bad.exit_code == 2
    assert bad.stderr == (
        "smpcare: error E211: --remind '25:00' is not a time of day. Use "
        "HH:MM on the 24-hour clock, e.g. 08:30.\n"
    )
    alone = run("plan", "-s", "2024-05-01", "--remind", "08:00")
    assert alone.exit_code == 2
    assert alone.stderr.startswith("smpcare: error E208: --remind only works with --format ics.")


def test_unwritable_output_is_one_line_exit_1(run, tmp_path, smpcare_home):
    result = run("plan", "-s", "2024-05-01", "-f", "ics", "-o", str(tmp_path / "no" / "x.ics"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"smpcare: error E209: cannot write '{tmp_path / 'no'}")
    assert not (smpcare_home / "exports").exists()  # nothing recorded for a file not written


# A real calendar client


class Khal:
    """khal with its own configuration, calendar folder and database under ``root``."""

    def __init__(self, root: Path):
        self.root = root
        (root / "cal").mkdir(parents=True)
        self.conf = root / "khal.conf"
        self.conf.write_text(
            f"[calendars]\n[[smp]]\npath = {root / 'cal'}\ntype = calendar\n"
            f"[sqlite]\npath = {root / 'khal.db'}\n"
            "[locale]\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
            "timeformat = %H:%M\nlocal_timezone = UTC\ndefault_timezone = UTC\n"
            "[default]\ndefault_calendar = smp\n"
        )

    def __call__(self, *args: str) -> str:
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(self.root),
            "XDG_DATA_HOME": str(self.root),
            "XDG_CACHE_HOME": str(self.root),
            "TZ": "UTC",
        }
        out = subprocess.run(
            [sys.executable, "-m", "khal", "-c", str(self.conf), *args],
            capture_output=True,
            text=True,
            env=env,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    def days(self, first: date, last: date) -> dict[date, list[tuple[bool, str]]]:
        """What `khal list` shows per day: (cancelled, UID) of each event."""
        text = self(
            "list",
            "--day-format",
            "DAY {date}",
            "--format",
            "{cancelled}|{uid}",
            first.isoformat(),
            last.isoformat(),
        )
        shown: dict[date, list[tuple[bool, str]]] = {}
        current = None
        for line in text.splitlines():
            if line.startswith("DAY "):
                current = date.fromisoformat(line[4:])
                shown[current] = []
            elif line:
                mark, uid = line.split("|")
                assert current is not None
                shown[current].append((mark.strip() == "CANCELLED", uid))
        return shown


def test_khal_shows_only_the_current_plan_after_every_change(run, tmp_path, guidelines):
    khal = Khal(tmp_path / "khal")
    out = tmp_path / "smp.ics"
    labels = {topic_name(t): t for t in guidelines.topics()}
    courses = [
        (SESSION,),
        (SESSION, SECOND),
        (SESSION, SECOND, THIRD),
        (SESSION, SECOND, THIRD + timedelta(days=7)),
    ]
    for sessions in courses:
        events = export(run, out, sessions)
        khal("import", "--batch", str(out))
        current = by_uid(live(events))
        plan = build_plan(guidelines, sessions)
        first, last = plan.days[0].date, plan.days[-1].date
        shown = khal.days(first - timedelta(days=10), last + timedelta(days=60))
        for d in (plan.days[0].date + timedelta(days=i) for i in range((last - first).days + 1)):
            showing = {uid for cancelled, uid in shown.get(d, []) if not cancelled}
            assert showing == {uid for uid, e in current.items() if covers(e, d)}, d
            [phase] = [current[uid] for uid in showing if uid in by_uid(phases(events))]
            advice = advice_on(guidelines, sessions, d)
            restricted = {topic_name(t.topic) for t in advice.topics if t.advice.restricts}
            listed = {
                line.split(" ", 1)[1].split(":")[0]
                for line in str(phase["DESCRIPTION"]).splitlines()
                if line.startswith(("AVOID ", "LIMIT "))
            }
            assert listed == restricted, d  # today's advice, and nothing from an old plan
            for uid in showing - {str(phase["UID"])}:
                label = str(current[uid]["SUMMARY"]).split(": ", 1)[1].split(" fine again")[0]
                assert label not in listed and labels[label]  # no contradiction that day
        every = {uid for day_events in shown.values() for _, uid in day_events}
        assert every <= set(by_uid(events))  # nothing but this export's events, live or cancelled
    # The calendar holds one copy of each event ever exported: no duplicates.
    assert len(list((tmp_path / "khal" / "cal").glob("*.ics"))) == len(by_uid(events))
