"""Guideline schema 2 as a clinic uses it: its own topics, hours, next-session, conditions,
minimums and durations, the errors and warnings it gets, and what every output shows."""

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, SESSION, day
from smpcare.conflicts import compare
from smpcare.dates import hours_to_days
from smpcare.engine import advice_on, build_plan, today_report
from smpcare.errors import GuidelineError, Problem
from smpcare.loader import bundled_dir, load_paths
from smpcare.model import Level, Window

CLINICS = FIXTURES / "clinics"
SECOND = date(2024, 5, 22)  # day 21


@pytest.fixture(scope="module")
def clinics():
    return load_paths([CLINICS])


def sheet(tmp_path: Path, body: str, text: str = "", name: str = "c") -> Path:
    """A schema-2 sheet ``name``.yaml whose rules (and topics) are ``body``."""
    (tmp_path / f"{name}.txt").write_text(text or "q")
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"schema: 2\nsource:\n  id: {name}\n  title: T\n  publisher: P\n"
        f"  text: {name}.txt\n  session_day: 0\n{body}"
    )
    return path


def problems(path: Path) -> list[tuple[int, str, str]]:
    with pytest.raises(GuidelineError) as err:
        load_paths([path])
    return [(p.line, p.code, p.message) for p in err.value.problems]


def rule(topic: str = "wetting", advice: str = "avoid", **fields: object) -> str:
    window = {"from": 0, "to": 3} if not {"from_hours", "to_hours"} & fields.keys() else {}
    items = {"topic": topic, "advice": advice, **window, **fields, "note": "n", "quote": "q"}
    lines = [
        f"{k}: {'null' if v is None else str(v).lower() if isinstance(v, bool) else v}"
        for k, v in items.items()
    ]
    return "  - " + "\n    ".join(lines) + "\n"


# --- hours, read cautiously ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "restricts", "before", "days"),
    [
        ((0, 72), True, False, (0, 3)),  # "for the first 72 hours": a 9 pm session reaches day 3
        ((0, 36), True, False, (0, 2)),
        ((0, 24), True, False, (0, 1)),
        ((24, 72), True, False, (1, 3)),
        ((72, None), False, False, (4, None)),  # a permission from hour 72: the first whole day
        ((0, None), False, False, (0, None)),  # from the session itself
        ((0, 72), False, False, (0, 2)),
        ((0, 12), False, False, None),  # no whole day inside
        ((48, 0), True, True, (-2, 0)),  # "48 hours before your appointment"
        ((36, 0), True, True, (-2, 0)),
        ((48, 24), True, True, (-2, -1)),
        ((48, 0), False, True, (-1, 0)),
    ],
)
def test_hours_become_days_cautiously(hours, restricts, before, days):
    assert hours_to_days(*hours, restricts=restricts, before=before) == days


@given(start=st.integers(0, 500), length=st.integers(1, 500), session=st.integers(0, 1439))
def test_a_restriction_covers_every_day_its_hours_touch_and_a_permission_only_whole_days(
    start, length, session
):
    end = start + length
    first, last = hours_to_days(start, end, restricts=True)
    t = session / 60  # the session's time on day 0, in hours
    touched = {int((t + h) // 24) for h in (start, end - 1e-6)}
    assert first <= min(touched) and max(touched) <= last
    permitted = hours_to_days(end, None, restricts=False)
    assert permitted[0] * 24 >= t + end  # the permission's first day starts after the hours
    assert permitted[0] == last + 1  # and nothing falls between the two


# --- the two clinic sheets ------------------------------------------------------------------


def test_the_clinic_sheets_load_with_their_own_topics(clinics):
    northside, halo = clinics.get("northside"), clinics.get("halo")
    assert [t.id for t in northside.topics] == [
        "hair-dye",
        "sanitizing-spray",
        "dry-shampoo",
        "blood-donation",
    ]
    assert halo.topics[0].words == ("colour", "color")
    assert clinics.labels()["hair-dye"] == "hair colour and dye"
    # shared ids pool their words; canonical topics come first, then the sheets' own
    assert clinics.find_topic("hair dye") == clinics.find_topic("colour") == "hair-dye"
    assert clinics.find_topic("giving blood") == "blood-donation"
    assert clinics.find_topic("shower") == "wetting"
    order = clinics.topics()
    assert order.index("rest") < order.index("hair-dye") < order.index("blood-donation")


@pytest.mark.parametrize(
    ("on", "topic", "advice", "note"),
    [
        (
            day(3),
            "wetting",
            Level.AVOID,
            "Do not get your scalp wet; no showers over the head and no rinsing.",
        ),
        (
            day(4),
            "wetting",
            Level.ALLOWED,
            "Fine again: the sheet's restriction ended after day 3.",
        ),
        (day(4), "shaving", Level.AVOID, "Do not shave."),
        (
            day(5),
            "shaving",
            Level.ALLOWED,
            "Fine again: the sheet's restriction lasts at least until day 4; ask your artist.",
        ),
        (day(13), "hair-dye", Level.AVOID, "Do not use any hair colour or dye."),
        (
            day(14),
            "hair-dye",
            Level.ALLOWED,
            "Fine again: the sheet's restriction ended after day 13.",
        ),
        (
            day(20),
            "moisturize",
            Level.RECOMMENDED,
            "Moisturize once a day with Lubriderm Unscented only.",
        ),
        (day(10), "dry-shampoo", Level.AVOID, "No shampoo; it can introduce harsh chemicals."),
        (day(10), "blood-donation", Level.AVOID, "Do not donate blood."),
    ],
)
def test_northside_on_exact_days(clinics, on, topic, advice, note):
    g = clinics.only("northside")
    t = advice_on(g, [SESSION], on).topic(topic)
    if topic == "dry-shampoo":  # silent on dry shampoo before day 10: its shampoo speaks...
        t = advice_on(
            load_paths([bundled_dir(), CLINICS]), [SESSION], on, prefer="northside"
        ).topic(topic)
        assert t.advice is advice and {r.source for r in t.sources} >= {"smusa"}
        return
    assert (t.advice, t.lead.note) == (advice, note)


def test_until_the_next_session_and_after_the_final_one(clinics):
    course = [SESSION, SECOND]
    halo = clinics.only("halo")  # from day 7 "until your return for follow up treatments"
    assert advice_on(halo, course, day(6)).topic("moisturize") is None
    assert advice_on(halo, course, day(20)).topic("moisturize") is not None
    assert advice_on(halo, course, SECOND).topic("moisturize") is None  # session 2 restarts
    assert advice_on(halo, course, day(7, SECOND)).topic("moisturize") is not None
    assert advice_on(halo, course, day(400, SECOND)).topic("moisturize") is not None
    g = clinics.only("northside")
    # a year after the final session, not the first
    assert advice_on(g, course, date(2025, 5, 21)).topic("blood-donation").advice is Level.AVOID
    assert advice_on(g, course, date(2025, 5, 23)).topic("blood-donation").advice is Level.ALLOWED


def test_conditional_advice_is_beside_the_day_not_in_it(clinics):
    d = advice_on(clinics.only("northside"), [SESSION], day(5))
    assert d.topic("shaving").advice is Level.ALLOWED  # for everyone
    assert [(r.condition, r.topic, r.advice) for r in d.conditions] == [
        ("if you see flaking or scabbing", "shaving", Level.AVOID),
        ("if you must go out in the sun", "headwear", Level.RECOMMENDED),
    ]
    assert d.topic("headwear") is None  # "wear a hat" never becomes unconditional


def test_a_sources_several_instructions_on_a_day_are_all_kept(clinics):
    t = advice_on(clinics.only("halo"), [SESSION], day(2)).topic("sweating")
    assert [r.note for r in (t.lead, *t.more)] == [
        "No gym.",
        "Nothing that makes you sweat heavily, such as hot yoga.",
    ]


def test_an_at_least_minimum_and_a_duration_lift(clinics):
    report = today_report(clinics.only("halo"), [SESSION], day(2))
    sun = next(f for f in report.lifts if f.topic == "sun-exposure")
    assert sun.date == day(14) and [s.at_least for s in sun.sources] == [True]


def test_compare_shows_a_clinic_topic_with_only_the_sheets_that_speak(clinics):
    g = load_paths([bundled_dir(), CLINICS])
    c = compare(g, ["hair dye"])
    [t] = c.topics
    assert t.topic == "hair-dye" and set(t.spans) == {"northside", "halo"}
    assert c.labels["hair-dye"] == "hair colour and dye"
    [sanitizing] = compare(g, ["sanitizing spray"]).topics
    assert not sanitizing.conflict  # both recommend it: agreement, silence elsewhere


def test_results_carry_the_labels_of_the_sheets_topics(clinics):
    plan = build_plan(clinics, [SESSION])
    assert plan.labels["blood-donation"] == "donating blood"
    assert today_report(clinics, [SESSION], day(1)).labels["dry-shampoo"] == "dry shampoo"


# --- mistakes a clinic makes, and what check answers --------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ("rules:\n" + rule(topic="sweatting"), "G106", "did you mean 'sweating'?"),
        ("rules:\n" + rule(topic="gym"), "G106", "did you mean 'sweating'?"),
        ("rules:\n" + rule(topic="hair-dye"), "G106", "declare it under topics:"),
        ("rules:\n" + rule(advice="fine"), "G107", "write advice: allowed"),
        ("rules:\n" + rule(advice="do"), "G107", "write advice: recommended"),
        ("rules:\n" + rule(conditon="if x"), "G103", "did you mean 'condition'?"),
        ("rules:\n" + rule(from_hours=0), "G123", "missing field 'to_hours'"),
        (
            "rules:\n" + rule(from_hours=0, to_hours="9" * 400),
            "G123",
            "got from_hours 0, to_hours " + "9" * 57 + "...",
        ),
        ("rules:\n" + rule(advice="allowed", from_hours=0, to_hours=12), "G123", "no whole day"),
        ("rules:\n" + rule(care="before", from_hours=0, to_hours=48), "G123", "from_hours must be"),
        ("rules:\n" + rule(then="limit"), "G124", "only then: allowed"),
        (
            "rules:\n" + rule(care="before", then="allowed", **{"from": 3, "to": 0}),
            "G124",
            "before-care",
        ),
        ("rules:\n" + rule(at_least=True, to=None), "G125", "open-ended"),
        (
            "rules:\n" + rule(anchor="next-session", care="before", **{"from": 3, "to": 0}),
            "G126",
            "after-care",
        ),
        (
            "topics:\n  - id: dye\n    label: dye\n    covers: dye\n    kind_of: hair\n"
            "rules:\n" + rule(topic="dye"),
            "G121",
            "is not a topic",
        ),
        (
            "topics:\n  - id: dye\n    label: a\n    covers: a\n    kind_of: ink\n"
            "  - id: ink\n    label: b\n    covers: b\n    kind_of: dye\n"
            "rules:\n" + rule(topic="dye"),
            "G121",
            "'dye' is a kind of 'ink', which is a kind of 'dye': kind_of goes round in a circle",
        ),
        (
            "topics:\n  - id: a\n    label: a\n    covers: a\n    kind_of: b\n"
            "  - id: b\n    label: b\n    covers: b\n    kind_of: c\n"
            "  - id: c\n    label: c\n    covers: c\n    kind_of: b\n"
            "rules:\n" + rule(topic="a"),
            "G121",
            "'b' is a kind of 'c', which is a kind of 'b': kind_of goes round",
        ),
        (
            "topics:\n  - id: dye\n    label: a\n    covers: a\n  - id: dye\n    label: b\n"
            "    covers: b\nrules:\n" + rule(topic="dye"),
            "G121",
            "declared twice",
        ),
    ],
)
def test_each_mistake_gets_its_code_and_what_is_accepted(tmp_path, body, code, words):
    [(_, got, message)] = problems(sheet(tmp_path, body))
    assert got == code and words in message


def test_a_quote_not_found_says_where_it_stops_matching(tmp_path):
    path = sheet(
        tmp_path,
        "rules:\n"
        + rule()
        .replace('"q"', "q")
        .replace("quote: q", "quote: Keep your scalp completely dry for seven days."),
        text="Keep your scalp completely dry for five days.",
    )
    [(_, code, message)] = problems(path)
    assert code == "G109" and message.endswith(
        "the text matches up to 'your scalp completely dry for ', then has 'five days.' "
        "where the quote has 'seven days.'"
    )


def test_two_sheets_giving_a_topic_different_meanings_are_named_both(tmp_path):
    topic = "topics:\n  - id: dye\n    label: {}\n    covers: {}\nrules:\n" + rule(topic="dye")
    a = sheet(tmp_path, topic.format("hair dye", "dyeing the hair"), name="a")
    sheet(tmp_path, topic.format("hair dye", "dyeing the hair"), name="b")
    assert [s.id for s in load_paths([tmp_path]).sources] == ["a", "b"]  # the same meaning
    sheet(tmp_path, topic.format("dye", "tattoo ink"), name="b")
    [(line, code, message)] = problems(tmp_path)
    assert (line, code) == (9, "G122") and f"means something else in {a}" in message


def test_warnings_are_printed_and_the_sheet_is_still_accepted(tmp_path, run):
    path = sheet(
        tmp_path,
        "topics:\n  - id: showers\n    label: showers\n    covers: showers\n"
        "    words: [shower]\nrules:\n"
        + rule(topic="showers")
        + rule(topic="shaving", to=None)
        + rule(topic="shaving", advice="limit"),
    )
    result = run("check", str(path))
    assert result.exit_code == 0
    assert result.stdout == "OK: 1 file, 1 source, 3 rules, 4 warnings.\n"
    codes = [line.split(": ")[1].split()[0] for line in result.stderr.splitlines()]
    assert codes == ["W203", "W201", "W201", "W202"]
    assert (
        "showers: avoid ends after day 3 and no rule of this sheet says it is fine after"
        in result.stderr
    )
    assert (
        "shaving and haircuts: limit advice on days 0–3 is never shown: the stricter avoid "
        "advice on line 20 holds" in result.stderr
    )


def test_a_schema_1_file_is_read_as_before_and_refuses_schema_2_fields(tmp_path):
    (tmp_path / "c.txt").write_text("q")
    path = tmp_path / "c.yaml"
    path.write_text(
        "source:\n  id: c\n  title: T\n  publisher: P\n  text: c.txt\n"
        "  session_day: 0\ntopics: []\nrules: []\n"
    )
    [(line, code, message)] = problems(path)
    assert (line, code) == (7, "G120") and "needs 'schema: 2'" in message


# --- as a clinic works: sources new, check, add, plan, today, compare ---------------------


def test_sources_new_writes_a_starter_that_editors_and_check_understand(tmp_path, run, monkeypatch):
    import jsonschema
    import yaml

    monkeypatch.chdir(tmp_path)
    result = run("sources", "new", "my-clinic")
    assert result.exit_code == 0
    sheet_text = (tmp_path / "my-clinic.yaml").read_text()
    first = sheet_text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=file://")
    schema_file = Path(first.split("$schema=file://", 1)[1])
    assert schema_file.is_file() and (tmp_path / "my-clinic.txt").read_text() == ""
    jsonschema.validate(yaml.safe_load(sheet_text), json.loads(schema_file.read_text()))
    result = run("check", "my-clinic.yaml")
    assert (
        result.exit_code == 1
        and "the text file is empty; paste the sheet's text into it" in result.stderr
    )
    (tmp_path / "my-clinic.txt").write_text(
        "For the first 72 hours following your treatment, do not get your scalp wet.\n"
        "Do not use any hair color or dyes for 14 days.\n"
    )
    assert run("check", "my-clinic.yaml").stdout == "OK: 1 file, 1 source, 4 rules.\n"


@pytest.mark.parametrize(
    ("args", "code", "exit_code"),
    [
        (("sources", "new", "My Clinic"), "E216", 2),
        (("sources", "new", "ok"), "E217", 1),  # the second time: nothing is overwritten
    ],
)
def test_sources_new_refuses_a_bad_id_and_never_overwrites(
    tmp_path, run, monkeypatch, args, code, exit_code
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.txt").write_text("mine")
    result = run(*args)
    assert result.exit_code == exit_code and f"error {code}:" in result.stderr
    assert (tmp_path / "ok.txt").read_text() == "mine"


def test_check_schema_prints_the_shipped_schema(run):
    result = run("check", "--schema")
    assert json.loads(result.stdout)["$defs"]["rule2"]["properties"]["then"]["const"] == "allowed"


def test_a_clinic_adds_its_sheets_and_finds_its_topics_and_dates(run):
    for name in ("northside", "halo"):
        assert run("sources", "add", str(CLINICS / f"{name}.yaml")).exit_code == 0
    plan = run(
        "plan",
        "--session",
        "2024-05-01",
        "--prefer",
        "northside",
        "--format",
        "markdown",
        "--detail",
    ).stdout
    assert (
        "| **avoid** | hair colour and dye | Do not use any hair colour or dye. | northside |"
        in plan
    )
    assert (
        "- *If you see flaking or scabbing: avoid shaving and haircuts — Do not shave for "
        "another 24-48 hours. (northside)*" in plan
    )
    assert (
        "Do not get your scalp wet; no showers over the head and no rinsing. (first 72 "
        "hours: days 0–3)" in plan
    )
    today = run(
        "today",
        "--session",
        "2024-05-01",
        "--on",
        "2024-05-03",
        "--source",
        "halo",
        "--format",
        "markdown",
        "--detail",
    ).stdout
    assert (
        "- sun exposure: fine from Wed 15 May (in 12 days); halo: at least until Tue 14 May, "
        "ask your artist" in today
    )
    assert (
        "| **avoid** | exercise and sweat | No gym. Nothing that makes you sweat heavily, "
        "such as hot yoga. | halo |" in today
    )
    data = json.loads(
        run(
            "today",
            "--session",
            "2024-05-01",
            "--on",
            "2024-05-06",
            "--source",
            "northside",
            "--format",
            "json",
        ).stdout
    )
    assert data["conditions"][0] == {
        "condition": "if you see flaking or scabbing",
        "topic": "shaving",
        "label": "shaving and haircuts",
        "source": "northside",
        "advice": "avoid",
        "care": "after",
        "note": "Do not shave for another 24-48 hours.",
        "quote": "If you see flaking or scabbing, do not shave for an additional 24-48 hrs.",
        "interpretation": "The 24-48 hours follow the first 5 days; read as the longer 48 "
        "(days 6-7).",
    }
    compared = json.loads(run("compare-sources", "--topic", "dye", "--format", "json").stdout)
    [dye] = compared["topics"]
    assert (dye["label"], sorted(dye["sources"])) == ("hair colour and dye", ["halo", "northside"])


def test_warnings_do_not_reach_the_bundled_articles(run):
    for args in ((), (str(bundled_dir()),), (str(bundled_dir() / "process.yaml"),)):
        result = run("check", *args)
        assert result.exit_code == 0 and result.stderr == "", args


def test_a_clinic_sheet_copied_from_an_article_is_warned_about(run, tmp_path):
    """A copy is a clinic's own sheet: where it falls silent, the clinic may mean a lift."""
    (tmp_path / "process.txt").write_bytes((bundled_dir() / "process.txt").read_bytes())
    sheet = (bundled_dir() / "process.yaml").read_text(encoding="utf-8")
    (tmp_path / "process.yaml").write_text(sheet.replace("  id: process\n", "  id: ours\n", 1))
    result = run("check", str(tmp_path / "process.yaml"))
    assert result.exit_code == 0
    assert (
        f"{tmp_path / 'process.yaml'}:280: W201 sauna and steam room: avoid ends after day "
        "31 and no rule of this sheet says it is fine after" in result.stderr
    )


def test_window_label_unchanged():
    assert Window(0, 3).label() == "0–3"


def test_warning_problem_format():
    assert str(Problem("a.yaml", 3, "W201", "m")) == "a.yaml:3: W201 m"


def test_the_calendar_shows_conditions_and_the_sheets_own_topics(run, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "plan.ics"
    result = run(
        "plan",
        "--session",
        "2024-05-01",
        "--guidelines",
        str(CLINICS),
        "--source",
        "northside",
        "--format",
        "ics",
        "--output",
        str(out),
    )
    assert result.exit_code == 0
    events = {
        str(e["summary"]): str(e["description"])
        for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    }
    day5 = next(d for s, d in events.items() if s.startswith("SMP session 1 · days 5–6"))
    assert (
        "If you see flaking or scabbing: avoid shaving and haircuts — Do not shave for "
        "another 24-48 hours. (northside)" in day5
    )
    assert "AVOID hair colour and dye: Do not use any hair colour or dye." in day5
    assert any(
        s.startswith("SMP session 1 · day 14: hair colour and dye fine again") for s in events
    )


def test_the_terminal_table_shows_conditions_and_own_topics_by_label(run):
    result = run(
        "today",
        "--session",
        "2024-05-01",
        "--on",
        "2024-05-06",
        "--guidelines",
        str(CLINICS),
        "--source",
        "northside",
        columns=120,
    )
    lines = result.stdout.splitlines()
    # Right under the day's advice; who says it with --detail, as for the table's rows.
    assert (
        "If you see flaking or scabbing: avoid shaving and haircuts — Do not shave for "
        "another 24-48 hours." in [line.strip() for line in lines]
    )
    detail = run(
        "today",
        "--session",
        "2024-05-01",
        "--on",
        "2024-05-06",
        "--guidelines",
        str(CLINICS),
        "--source",
        "northside",
        "--detail",
        columns=120,
    ).stdout
    assert (
        "If you see flaking or scabbing: avoid shaving and haircuts (northside) — Do not "
        "shave for another 24-48 hours." in detail.splitlines()
    )
    assert any(line.split()[:4] == ["avoid", "hair", "colour", "and"] for line in lines)
    assert any(line.split()[:3] == ["avoid", "donating", "blood"] for line in lines)


@pytest.mark.parametrize("value", ["1" + "0" * 5000, "two", "[2]"])
def test_a_schema_that_is_not_a_number_is_reported_once(tmp_path, value):
    path = sheet(tmp_path, "rules:\n" + rule())
    path.write_text(path.read_text().replace("schema: 2", f"schema: {value}"))
    [(line, code, message)] = problems(path)
    assert (line, code) == (1, "G105") and message.startswith("the file.schema must be a whole")


def test_check_refuses_a_bundled_sources_id_as_sources_add_does(run, tmp_path):
    path = sheet(tmp_path, "rules:\n" + rule(), name="smusa")
    result = run("check", str(path))
    assert result.exit_code == 1
    assert f"{path}:3: G110 source id 'smusa' is already used by " in result.stderr
    assert run("check").exit_code == 0  # the bundled sheets themselves
