"""The plan at a glance: key dates, the calendar strip, what to expect, on one screen."""

from datetime import date

from conftest import SESSION, day
from smpcare.engine import build_plan, today_report
from smpcare.loader import load_paths
from smpcare.render import markdown, plan_summary, table, who_says

HEAD = (
    "source: {{id: {id}, title: {id}, publisher: Clinic, session_day: 0}}\nrules:\n{rules}{infos}"
)


def rule(topic: str, advice: str, start: int, end: int | None, care: str = "after") -> str:
    to = "null" if end is None else end
    return (
        f"  - {{topic: {topic}, advice: {advice}, care: {care}, from: {start}, to: {to}, "
        f"note: '{topic} {advice} {start}', quote: q}}\n"
    )


def info(kind: str, start: int, end: int, note: str) -> str:
    return f"{kind}:\n  - {{from: {start}, to: {end}, note: '{note}', quote: q}}\n"


def guidelines(tmp_path, **sources: tuple[str, str]):
    paths = []
    for sid, (rules, infos) in sources.items():
        path = tmp_path / f"{sid}.yaml"
        path.write_text(HEAD.format(id=sid, rules=rules, infos=infos))
        paths.append(path)
    return load_paths(paths)


def words(text: str) -> str:
    return " ".join(text.split())


def lines_of(p, width: int = 100, **kw) -> list[str]:
    return table.to_text(lambda out: table.plan(out, p, **kw), width=width).splitlines()


def test_key_dates_give_the_policys_date_each_sources_and_how_far_apart(tmp_path):
    g = guidelines(
        tmp_path,
        a=(
            rule("shampoo", "avoid", 0, 2)
            + rule("shampoo", "limit", 3, 4)
            + rule("shampoo", "allowed", 5, None),
            "",
        ),
        b=(rule("shampoo", "avoid", 0, 8) + rule("shampoo", "allowed", 9, None), ""),
        c=(rule("shampoo", "avoid", 0, 3), ""),
    )  # then silence: no date
    text = lines_of(build_plan(g, [SESSION]))
    row = next(line for line in text if line.startswith("shampoo "))
    assert row.split() == [
        "shampoo",
        "Fri",
        "10",
        "May",
        "9",
        "≠",
        "4",
        "days",
        "6",
        "May",
        "10",
        "May",
        "no",
        "date",
    ]
    assert text[3].split() == ["Key", "dates", "fine", "again", "day", "differ", "a", "b", "c"]


def test_the_strip_has_a_glyph_per_day_and_marks_where_sources_disagree(tmp_path):
    g = guidelines(
        tmp_path,
        a=(
            rule("shampoo", "avoid", 0, 2)
            + rule("shampoo", "limit", 3, 4)
            + rule("shampoo", "allowed", 5, None),
            "",
        ),
        b=(rule("shampoo", "avoid", 0, 3) + rule("shampoo", "allowed", 4, None), ""),
    )
    text = lines_of(build_plan(g, [SESSION]))
    strip = next(line for line in text if line.startswith("shampoo ") and "█" in line)
    assert strip.split()[1:] == ["████▒", "···", "≠", "3–4"]  # day 3: b's avoid; 5+: fine
    header = next(line for line in text if line.startswith("█avoid"))
    assert header.split()[-4:] == ["0", "5+", "≠", "disputed"]


def test_silence_is_blank_in_the_strip_and_never_a_lift(tmp_path):
    g = guidelines(
        tmp_path, a=(rule("touching", "avoid", 0, 2) + rule("hydration", "recommended", 0, 5), "")
    )
    p = build_plan(g, [SESSION])
    text = lines_of(p)
    assert next(line for line in text if line.startswith("touching")).split()[-2:] == ["no", "date"]
    strip = next(line for line in text if line.startswith("touching") and "█" in line)
    assert strip.rstrip().endswith("███")  # days 3-5: nobody speaks, no glyph
    assert "Blank days: no source speaks." in text[-1]


def test_before_care_dates_and_what_to_expect_are_dated(tmp_path):
    g = guidelines(
        tmp_path,
        a=(
            rule("alcohol-caffeine", "avoid", 1, 0, care="before")
            + rule("shaving", "avoid", 0, 3)
            + rule("shaving", "allowed", 4, None),
            info("expect", 0, 2, "Redness is normal.")
            + info("contact", 3, 10, "Call if it oozes."),
        ),
    )
    text = lines_of(build_plan(g, [SESSION]))
    assert "Before the session: from Tue 30 Apr (day -1) avoid alcohol and caffeine (a)" in text
    assert any(words(x) == "expect day 0–2 Redness is normal. (a)" for x in text)
    assert any(words(x) == "call day 3–10 Call if it oozes. (a)" for x in text)


def test_recommended_against_allowed_is_shown_as_agreement(tmp_path):
    g = guidelines(
        tmp_path,
        process=(rule("shampoo", "recommended", 0, 9), ""),
        elka=(rule("shampoo", "allowed", 0, 9), ""),
    )
    t = today_report(g, [SESSION], day(2)).day.topic("shampoo")
    assert not t.conflict
    assert who_says(t) == "fine; process recommends it"
    text = table.to_text(
        lambda out: table.today(out, today_report(g, [SESSION], day(2)), detail=True), width=120
    )
    row = next(line for line in text.splitlines() if "shampoo" in line)
    assert "≠" not in row and row.rstrip().endswith("fine; process recommends it")


def test_the_bundled_plan_fits_one_screen_and_says_how_to_see_more(run):
    result = run("plan", "-s", "2024-05-01", columns=100)
    lines = result.stdout.splitlines()
    assert len(lines) <= 55  # about 50: one screen
    assert lines[0].startswith("Aftercare plan · session Wed 1 May 2024 · 5 sources")
    assert lines[-1] == (
        "Blank days: no source speaks. More: --detail · --quotes · smpcare when TOPIC"
    )
    shampoo = next(line for line in lines if line.startswith("shampoo "))
    assert shampoo.split()[:8] == ["shampoo", "Thu", "16", "May", "15", "≠", "8", "days"]


def test_plan_quotes_give_each_sources_words_for_its_date(run):
    result = run("plan", "-s", "2024-05-01", "--quotes", columns=200)
    text = words(result.stdout)
    assert "In the sources' own words" in text
    assert "smusa no date given: its advice ends after Sat 11 May; ask your artist" in text


def test_a_course_groups_the_strip_by_week(tmp_path):
    g = guidelines(
        tmp_path, a=(rule("swimming", "avoid", 0, 12) + rule("swimming", "allowed", 13, None), "")
    )
    p = build_plan(g, [SESSION, date(2024, 5, 15), date(2024, 5, 29)])
    text = lines_of(p, width=120)
    # One key-dates table, a labelled section per session; one strip, by week.
    assert [line.split()[:6] for line in text if line.startswith("session ")] == [
        ["session", n, "Wed", d, "May", "2024"] for n, d in (("1", "1"), ("2", "15"), ("3", "29"))
    ]
    strip = next(line for line in text if line.startswith("swimming") and "█" in line)
    # Whole weeks with a space between; day 13 is fine until the next session, and after
    # the last one from then on.
    assert strip.split()[1:8] == ["███████", "██████·"] * 2 + ["███████", "██████", "···"]
    header = next(line for line in text if line.startswith("█avoid"))
    assert header.split()[4:8] == ["1", "May", "8", "May"]


def test_summary_shape_is_shared_and_markdown_mirrors_it(guidelines):
    p = build_plan(guidelines, [SESSION])
    s = plan_summary(p)
    [session] = s.sessions
    assert session.dates.date == SESSION and session.before[0].day == -3
    assert {r.topic for r in s.strip.rows if r.before_only} == {
        "topical-products",
        "alcohol-caffeine",
        "blood-thinners",
    }
    md = markdown.plan(p)
    assert "## Key dates · Wed 1 May 2024 is day 0" in md
    assert (
        "| shampoo ≠ | Thu 16 May | 15 | 8 days | 12 May | 8 May | no date | 16 May | no date |"
        in md
    )
    assert "## Day by day" in md and "## What to expect, and when to call" in md
    assert "## Day 0 · Wed 1 May 2024" in markdown.plan(p, detail=True)
