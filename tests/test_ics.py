"""Calendar export, parsed back with icalendar."""

from datetime import date, timedelta

from icalendar import Calendar



def export(run, tmp_path, *args):
    out = tmp_path / "plan.ics"
    result = run("plan", "--session", "2024-05-01", "--format", "ics", "--output", str(out),
                 *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote {out}\n"
    return Calendar.from_ical(out.read_bytes())


def events(cal):
    return [c for c in cal.walk("VEVENT")]


def test_phases_are_all_day_events_with_exclusive_ends(run, tmp_path):
    cal = export(run, tmp_path)
    phases = [e for e in events(cal) if str(e["SUMMARY"]).startswith("SMP ")]
    first = phases[0]
    assert first.decoded("DTSTART") == date(2024, 4, 28)
    assert first.decoded("DTEND") == date(2024, 4, 29)  # exclusive: one day
    assert first["DTSTART"].params["VALUE"] == "DATE"
    days13 = next(e for e in phases if e.decoded("DTSTART") == date(2024, 5, 2))
    assert days13.decoded("DTEND") == date(2024, 5, 5)  # days 1-3: Thu 2 to Sat 4 May
    assert str(days13["SUMMARY"]).startswith("SMP aftercare day 1–3: avoid showering and washing, shampoo")
    assert "DTSTAMP" in days13
    # Phases tile the plan without gaps.
    for a, b in zip(phases, phases[1:]):
        assert a.decoded("DTEND") == b.decoded("DTSTART")


def test_milestones_say_how_many_sources_agree(run, tmp_path):
    cal = export(run, tmp_path)
    shampoo = [e for e in events(cal) if str(e["SUMMARY"]).startswith("Shampoo fine again")]
    assert [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in shampoo] == [
        (date(2024, 5, 8), "Shampoo fine again — 1 of 5 sources; 2 say later, 2 give no date"),
        (date(2024, 5, 12), "Shampoo fine again — 2 of 5 sources; 1 says later, 2 give no date"),
        (date(2024, 5, 16), "Shampoo fine again — 3 of 5 sources; 2 give no date"),
    ]
    assert "From Wed 8 May 2024: beforecare" in str(shampoo[0]["DESCRIPTION"])
    assert "No date from elka, smusa" in str(shampoo[0]["DESCRIPTION"])


def test_remind_adds_an_alarm_at_that_time_on_each_milestone_day(run, tmp_path):
    cal = export(run, tmp_path, "--remind", "08:30")
    milestones = [e for e in events(cal) if "fine again" in str(e["SUMMARY"])]
    assert milestones
    for e in milestones:
        [alarm] = e.walk("VALARM")
        assert alarm.decoded("TRIGGER") == timedelta(hours=8, minutes=30)
        assert str(alarm["ACTION"]) == "DISPLAY"
    phases = [e for e in events(cal) if str(e["SUMMARY"]).startswith("SMP ")]
    assert all(not e.walk("VALARM") for e in phases)


def test_uids_are_stable_across_exports(run, tmp_path):
    one = [str(e["UID"]) for e in events(export(run, tmp_path))]
    two = [str(e["UID"]) for e in events(export(run, tmp_path))]
    assert one == two and len(set(one)) == len(one)


def test_commas_semicolons_and_newlines_in_notes_survive(run, tmp_path):
    (tmp_path / "t.txt").write_text("Rinse, dry; repeat.\nThen rest.")
    (tmp_path / "c.yaml").write_text(
        "source:\n  id: commas\n  title: T\n  publisher: P\n  text: t.txt\n  session_day: 0\n"
        "rules:\n  - topic: wetting\n    advice: avoid\n    from: 0\n    to: 40\n"
        "    note: \"Rinse, dry; repeat.\\nThen rest.\"\n"
        "    quote: \"Rinse, dry; repeat. Then rest.\"\n")
    cal = export(run, tmp_path, "--source", "commas", "--guidelines", str(tmp_path / "c.yaml"))
    [event] = events(cal)
    assert "Rinse, dry; repeat.\nThen rest." in str(event["DESCRIPTION"])
    raw = (tmp_path / "plan.ics").read_text()
    assert "Rinse\\, dry\\; repeat.\\nThen rest." in raw.replace("\r\n ", "")


def test_bad_remind_and_remind_without_ics(run, tmp_path):
    bad = run("plan", "-s", "2024-05-01", "-f", "ics", "--remind", "25:00")
    assert bad.exit_code == 2
    assert bad.stderr == ("smpcare: error E211: --remind '25:00' is not a time of day. Use "
                          "HH:MM on the 24-hour clock, e.g. 08:30.\n")
    alone = run("plan", "-s", "2024-05-01", "--remind", "08:00")
    assert alone.exit_code == 2
    assert alone.stderr.startswith("smpcare: error E208: --remind only works with --format ics.")


def test_unwritable_output_is_one_line_exit_1(run, tmp_path):
    result = run("plan", "-s", "2024-05-01", "-f", "ics", "-o", str(tmp_path / "no" / "x.ics"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"smpcare: error E209: cannot write '{tmp_path / 'no'}")
