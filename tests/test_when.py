"""`smpcare when TOPIC`: the date each topic is fine again, per policy and per source."""

import json
from datetime import date

import pytest

from conftest import SESSION, day
from smpcare.engine import Policy, when_report
from smpcare.loader import load_paths
from smpcare.render import markdown, table

HEAD = "source: {{id: {id}, title: {id}, publisher: Clinic, session_day: 0}}\nrules:\n{rules}"


def rule(topic: str, advice: str, start: int, end: int | None, care: str = "after") -> str:
    to = "null" if end is None else end
    return (
        f"  - {{topic: {topic}, advice: {advice}, care: {care}, from: {start}, to: {to}, "
        f"note: '{topic} {advice} {start}', quote: q}}\n"
    )


def sheets(tmp_path, **sources: str):
    paths = []
    for sid, rules in sources.items():
        path = tmp_path / f"{sid}.yaml"
        path.write_text(HEAD.format(id=sid, rules=rules))
        paths.append(path)
    return load_paths(paths)


def rows(text: str) -> dict[str, list[str]]:
    """Each table row by its first word."""
    return {line.split()[0]: line.split() for line in text.splitlines() if line.strip()}


def test_the_policys_date_then_each_source_and_silence_gives_no_date(tmp_path):
    g = sheets(
        tmp_path,
        quiet=rule("shampoo", "avoid", 0, 5),  # stops speaking: no date
        early=rule("shampoo", "avoid", 0, 3) + rule("shampoo", "allowed", 4, None),
        late=rule("shampoo", "avoid", 0, 8) + rule("shampoo", "recommended", 9, None),
    )
    r = when_report(g, [SESSION], day(2), ["shampoo"])
    [answer] = r.answers
    assert answer.lift is not None and answer.lift.date == day(9)
    text = table.to_text(lambda out: table.when(out, r), width=120)
    assert "shampoo ≠ avoid Fri 10 May 9 earlier: early 5 May; no date: quiet" in " ".join(
        text.split()
    )
    quotes = table.to_text(lambda out: table.when(out, r, quotes=True), width=120)
    assert "quiet no date given: its advice ends after Mon 6 May; ask your artist" in " ".join(
        quotes.split()
    )
    assert "late fine from Fri 10 May; it recommends it" in " ".join(quotes.split())


def test_the_majority_policy_has_its_own_date(tmp_path):
    lifted = rule("sauna-steam", "avoid", 0, 3) + rule("sauna-steam", "allowed", 4, None)
    g = sheets(
        tmp_path,
        a=lifted,
        b=lifted,
        c=rule("sauna-steam", "avoid", 0, 8) + rule("sauna-steam", "allowed", 9, None),
    )
    cautious = when_report(g, [SESSION], day(1), ["sauna-steam"])
    majority = when_report(g, [SESSION], day(1), ["sauna-steam"], policy=Policy.MAJORITY)
    assert cautious.answers[0].lift.date == day(9)
    assert majority.answers[0].lift.date == day(4)
    text = " ".join(table.to_text(lambda out: table.when(out, majority), width=120).split())
    assert "majority: the advice most sources give" in text
    assert "Sun 5 May 4 later: c 10 May" in text


def test_a_topic_not_restricted_says_so(tmp_path):
    g = sheets(
        tmp_path, a=rule("hydration", "recommended", 0, 3), b=rule("hydration", "allowed", 0, 3)
    )
    r = when_report(g, [SESSION], day(1), ["hydration", "swimming"])
    text = " ".join(table.to_text(lambda out: table.when(out, r), width=120).split())
    # Recommended against allowed is agreement: shown, never flagged.
    assert "drinking water do not restricted fine; a recommends it" in text
    assert "≠" not in text
    assert "swimming — not restricted no source speaks about it then" in text


def test_on_a_session_day_rows_say_before_or_after_care(tmp_path):
    g = sheets(
        tmp_path,
        a=rule("shampoo", "recommended", 1, 0, care="before")
        + rule("shampoo", "avoid", 0, 4)
        + rule("shampoo", "allowed", 5, None),
    )
    r = when_report(g, [SESSION, date(2024, 5, 20)], date(2024, 5, 20), ["shampoo"])
    text = " ".join(table.to_text(lambda out: table.when(out, r), width=120).split())
    assert "shampoo avoid (after-care) Sat 25 May 5" in text


@pytest.mark.parametrize(
    "word,label",
    [
        ("shampoo", "shampoo"),
        ("gym", "exercise and sweat"),
        ("swim", "swimming"),
        ("sun exposure", "sun exposure"),
        ("sauna-steam", "sauna and steam room"),
        ("SHOWER", "showering and washing"),
    ],
)
def test_when_takes_ids_labels_and_plain_words(run, word, label):
    result = run("when", word, "-s", "2024-05-01", "--on", "2024-05-06", columns=150)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[5].startswith(label)


def test_when_shampoo_end_to_end(run):
    result = run("when", "shampoo", "-s", "2024-05-01", "--on", "2024-05-06", columns=120)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "When is it fine again? · Mon 6 May 2024 · day 5 after session 1"
    assert rows(result.stdout)["shampoo"][:7] == ["shampoo", "≠", "avoid", "Thu", "16", "May", "15"]
    assert len(lines) <= 8  # one short table


def test_an_unknown_word_is_one_line_listing_what_is_accepted(run):
    result = run("when", "hair dye", "-s", "2024-05-01")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        "smpcare: error E205: topic 'hair dye' is not a known topic. "
        "Use a topic id or a plain word ('smpcare when --list'): "
        "wetting, shampoo, sweating,"
    )
    assert run("when", "-s", "2024-05-01").exit_code == 2


def test_when_list_shows_the_words_for_each_topic(run):
    result = run("when", "--list", columns=200)
    assert result.exit_code == 0
    assert "sweating exercise and sweat, sweat, sweating, exercise, gym," in " ".join(
        result.stdout.split()
    )
    data = json.loads(run("when", "--list", "-f", "json").stdout)
    sweating = next(t for t in data["topics"] if t["topic"] == "sweating")
    assert sweating["label"] == "exercise and sweat" and "gym" in sweating["words"]


def test_compare_sources_topic_takes_words_too(run):
    data = json.loads(run("compare-sources", "-f", "json", "--topic", "gym").stdout)
    assert [t["topic"] for t in data["topics"]] == ["sweating"]


def test_when_json_and_markdown(run, guidelines):
    data = json.loads(
        run("when", "gym", "shampoo", "-s", "2024-05-01", "--on", "2024-05-06", "-f", "json").stdout
    )
    assert (data["schema"], data["kind"], data["date"], data["day"]) == (1, "when", "2024-05-06", 5)
    assert [a["topic"] for a in data["answers"]] == ["sweating", "shampoo"]
    shampoo = data["answers"][1]
    assert shampoo["fine_again"]["fine_from"] == "2024-05-16"
    assert shampoo["now"]["advice"] == "avoid"
    r = when_report(guidelines, [SESSION], day(5), ["shampoo"])
    assert "| shampoo ≠ | avoid | Thu 16 May |" in markdown.when(r)
