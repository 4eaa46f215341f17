"""Guideline files: the schema, the problem codes and lines, the bundled sources."""

import os
import re
from pathlib import Path

import pytest

from conftest import FIXTURES
from smpcare.errors import GuidelineError
from smpcare.loader import bundled_dir, load_paths, normalise
from smpcare.model import TOPICS, Level, Window

INVALID = sorted(p for p in (FIXTURES / "invalid").glob("*.yaml") if p.name != "binary.yaml")


def problems_of(*paths: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(GuidelineError) as err:
        load_paths(list(paths))
    return [(Path(p.path).name, p.line, p.code) for p in err.value.problems]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_invalid_fixture_reports_its_code_on_its_line(path):
    expected = re.match(r"# expect: (G\d+) (\d+)", path.read_text()).groups()
    assert problems_of(path) == [(path.name, int(expected[1]), expected[0])]


def test_binary_file_is_not_yaml():
    [problem] = problems_of(FIXTURES / "invalid" / "binary.yaml")
    assert problem == ("binary.yaml", 1, "G100")


def test_duplicate_source_id_names_the_first_file():
    with pytest.raises(GuidelineError) as err:
        load_paths([FIXTURES / "duplicate"])
    [line] = err.value.lines()
    assert line.endswith(
        f"b.yaml:2: G110 source id 'bad' is already used by {FIXTURES / 'duplicate' / 'a.yaml'}"
    )


def test_every_problem_in_a_file_is_reported_in_one_pass(tmp_path):
    (tmp_path / "t.txt").write_text("Stay dry.")
    bad = tmp_path / "many.yaml"
    bad.write_text(
        "source:\n  id: many\n  title: Many\n  publisher: P\n  text: t.txt\n  session_day: 0\n"
        "rules:\n"
        "  - topic: nope\n    advice: avoid\n    from: 0\n    to: 1\n    note: n\n"
        "    quote: Stay dry.\n"
        "  - topic: wetting\n    advice: maybe\n    from: 3\n    to: 1\n    note: n\n"
        "    quote: Stay wet.\n    extra: 1\n"
    )
    assert sorted(problems_of(bad)) == [
        ("many.yaml", 8, "G106"),
        ("many.yaml", 15, "G107"),
        ("many.yaml", 16, "G108"),
        ("many.yaml", 19, "G109"),
        ("many.yaml", 20, "G103"),
    ]


def test_valid_fixture_converts_day1_numbering_to_offsets():
    [source] = load_paths([FIXTURES / "valid"]).sources
    assert source.id == "clinic" and source.day_convention == "Day 1 is the session day"
    assert [(r.topic, r.advice, r.window) for r in source.rules] == [
        ("wetting", Level.AVOID, Window(0, 4)),
        ("wetting", Level.LIMIT, Window(5, None)),
        ("sweating", Level.AVOID, Window(0, 6)),
        ("sweating", Level.ALLOWED, Window(7, None)),
    ]


def test_before_care_counts_days_before_the_session(guidelines):
    smusa = guidelines.get("smusa")
    topical = next(r for r in smusa.rules if r.topic == "topical-products")
    assert topical.window == Window(-2, 0)


def test_bundled_sources_are_the_five_articles(guidelines):
    assert guidelines.ids() == ["aftercare", "beforecare", "elka", "process", "smusa"]
    counts = {s.id: len(s.rules) for s in guidelines.sources}
    assert all(15 <= n <= 35 for n in counts.values()), counts


def test_every_bundled_quote_occurs_in_its_archived_article(guidelines):
    """Checked here directly against the text files, not through the loader's own check."""
    for source in guidelines.sources:
        text = normalise((bundled_dir() / source.text).read_text(encoding="utf-8"))
        quotes = [r.quote for r in source.rules] + [i.quote for i in source.infos]
        quotes += [source.min_gap.quote] if source.min_gap else []
        missing = [q for q in quotes if normalise(q) not in text]
        assert missing == [], f"{source.id}: quotes not in {source.text}: {missing}"


def test_archived_articles_are_the_seed_texts():
    seeds = Path(__file__).parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the shared seeds are not beside this checkout")
    archived = {p.read_text() for p in bundled_dir().glob("*.txt")}
    originals = {p.read_text() for p in seeds.glob("0*.txt")}
    assert archived == originals


def test_bundled_rules_use_canonical_topics_and_say_why_where_implied(guidelines):
    for source in guidelines.sources:
        for rule in source.rules:
            assert rule.topic in TOPICS
            assert rule.note and rule.quote
            if "Implied" in (rule.interpretation or ""):
                assert rule.interpretation.startswith("Implied.")


def test_normalise_folds_whitespace_and_typographic_quotes():
    assert normalise("you’re  \n “fine”") == 'you\'re "fine"'


# -- what a clinic's sheet may not do -----------------------------------------------------------

CLINIC = FIXTURES / "valid" / "clinic.yaml"


def sheet(tmp_path: Path, old: str, new: str, name: str = "sheet.yaml") -> Path:
    """The valid clinic sheet with one edit, beside a copy of its text."""
    (tmp_path / "clinic.txt").write_bytes((FIXTURES / "valid" / "clinic.txt").read_bytes())
    text = CLINIC.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def only_problem(path: Path) -> str:
    with pytest.raises(GuidelineError) as err:
        load_paths([path])
    [line] = err.value.lines()
    return line[len(str(path)) :]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "id: clinic",
            'id: "smusa\\n"',
            (
                ":2: G111 source.id 'smusa\\n' must be 1-24 lowercase letters, digits or '-', "
                "starting with a letter or digit"
            ),
        ),
        (
            "id: clinic",
            "id: " + "a" * 1900,
            ":2: G111 source.id '"
            + "a" * 57
            + "...' must be 1-24 lowercase letters, digits or '-', "
            "starting with a letter or digit",
        ),
        (
            "title: Our Clinic's Aftercare Sheet",
            'title: "\\e[2J\\e]0;owned\\a"',
            (
                ":3: G113 source.title holds the control character \\x1b; guideline text must be "
                "plain (tabs and line breaks are fine)"
            ),
        ),
        (
            "note: No gym.",
            'note: "No gym.\\r"',
            (
                ":24: G113 rules[2].note holds the control character \\x0d; guideline text must be "
                "plain (tabs and line breaks are fine)"
            ),
        ),
        (
            "note: No gym.",
            'note: "No \\u202emyg"',
            (
                ":24: G113 rules[2].note holds the control character \\u202e; guideline text must "
                "be plain (tabs and line breaks are fine)"
            ),
        ),
        (
            'quote: "No gym for a week"',
            'quote: "No gym\\x9b for a week"',
            (
                ":25: G113 rules[2].quote holds the control character \\x9b; guideline text must "
                "be plain (tabs and line breaks are fine)"
            ),
        ),
        (
            "topic: sweating",
            'topic: "\\e]8;;http://x\\e\\\\sweating"',
            (
                ":20: G113 rules[2].topic holds the control character \\x1b; guideline text must "
                "be plain (tabs and line breaks are fine)"
            ),
        ),
        (
            "  session_day: 1",
            '  session_day: 1\n  "\\e[31mred": 1',
            (
                ":7: G103 unknown key '\\x1b[31mred' in source; expected one of: id, title, "
                "publisher, text, session_day, min_session_gap"
            ),
        ),
        (
            "to: 5",
            "to: 10000000",
            (
                ":11: G117 rules[0]: day numbers are limited to 3,650 (ten years) either way, got "
                "10000000"
            ),
        ),
        (
            "from: 8",
            "from: -4000",
            ":28: G117 rules[3]: day numbers are limited to 3,650 (ten years) either way, got "
            "-4000",
        ),
        (
            "from: 1",
            "from: 1" + "0" * 5000,
            ":10: G105 rules[0].from must be a whole number, got a number '1" + "0" * 56 + "...'",
        ),
        (
            "text: clinic.txt",
            "text: ../../../../.bash_aliases",
            (
                ":5: G118 source.text '../../../../.bash_aliases' must be a plain file name beside "
                "the guideline file (no folders, no '..')"
            ),
        ),
        (
            "text: clinic.txt",
            "text: ../sessions.json",
            (
                ":5: G118 source.text '../sessions.json' must be a plain file name beside the "
                "guideline file (no folders, no '..')"
            ),
        ),
        (
            "text: clinic.txt",
            "text: /dev/zero",
            (
                ":5: G118 source.text '/dev/zero' must be a plain file name beside the guideline "
                "file (no folders, no '..')"
            ),
        ),
        (
            "text: clinic.txt",
            "text: '..\\..\\evil.txt'",
            (
                ":5: G118 source.text '..\\..\\evil.txt' must be a plain file name beside the "
                "guideline file (no folders, no '..')"
            ),
        ),
        (
            "text: clinic.txt",
            "text: 'C:evil.txt'",
            (
                ":5: G118 source.text 'C:evil.txt' must be a plain file name beside the guideline "
                "file (no folders, no '..')"
            ),
        ),
        (
            "text: clinic.txt",
            "text: notes.yaml",
            (
                ":5: G118 source.text 'notes.yaml' must not be a YAML file: it would be read as a "
                "guideline file"
            ),
        ),
        (
            "text: clinic.txt",
            "text: .sessions.json.lock",
            (
                ":5: G118 source.text '.sessions.json.lock' must not be a hidden file name "
                "(starting with '.')"
            ),
        ),
        (
            "text: clinic.txt",
            "text: Sessions.JSON",
            ":5: G118 source.text 'Sessions.JSON' is a name smpcare uses for its own data",
        ),
        (
            "text: clinic.txt",
            'text: "a\\0b"',
            (
                ":5: G113 source.text holds the control character \\x00; guideline text must be "
                "plain (tabs and line breaks are fine)"
            ),
        ),
        (
            "source:",
            "base: &b {x: 1}\nsource:",
            (
                ":1: G116 anchors and aliases (&name, *name) are not accepted in guideline files; "
                "write each value out"
            ),
        ),
    ],
)
def test_a_hostile_value_is_one_problem_on_its_line(tmp_path, old, new, expected):
    assert only_problem(sheet(tmp_path, old, new)) == expected


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("- " * 30_000 + "x\n", 1),  # a block list 30,000 deep: crashed the composer
        ("[" * 30_000 + "]" * 30_000 + "\n", 1),
        ("source:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), 51),  # level 51
    ],
)
def test_deep_nesting_is_refused_before_it_is_composed(tmp_path, text, line):
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    problem = only_problem(path)
    # libyaml stops flow collections at its own depth limit first: either code is one line.
    assert problem in (
        f":{line}: G115 nested more than 50 levels deep; a guideline file needs 4",
        f":{line}: G101 YAML syntax error: exceeded maximum nesting depth",
    )


def test_a_file_of_aliases_is_one_problem_not_millions(tmp_path):
    """A billion-laughs file: each level repeats the one before ten times."""
    lines = ["a0: &a0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert only_problem(path) == (
        ":1: G116 anchors and aliases (&name, *name) are not accepted "
        "in guideline files; write each value out"
    )


def test_a_file_over_1_mb_is_not_read(tmp_path):
    path = sheet(
        tmp_path, 'quote: "No gym for a week"', 'quote: "No gym for a week"\n#' + "x" * 1_000_000
    )
    assert only_problem(path) == (
        ":1: G114 is larger than 1,000,000 bytes; a guideline file is a few kilobytes"
    )


def test_a_text_over_1_mb_is_not_read(tmp_path):
    path = sheet(tmp_path, "text: clinic.txt", "text: long.txt")
    (tmp_path / "long.txt").write_text("Keep your scalp dry. " * 50_000)
    assert only_problem(path) == ":5: G114 source.text 'long.txt' is larger than 1,000,000 bytes"


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_text_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path, kind):
    path = sheet(tmp_path, "text: clinic.txt", "text: other.txt")
    if kind == "fifo":
        os.mkfifo(tmp_path / "other.txt")  # reading it would wait for a writer forever
    else:
        (tmp_path / "other.txt").mkdir()
    assert only_problem(path) == (
        ":5: G119 source.text 'other.txt' is not a regular file (a folder, FIFO or device)"
    )


def test_a_fifo_among_guideline_files_is_reported_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    assert only_problem(tmp_path / "pipe.yaml") == (
        ":1: G119 is not a regular file (a folder, FIFO or device); expected YAML"
    )


def test_a_text_through_a_symlink_to_a_device_is_refused(tmp_path):
    path = sheet(tmp_path, "text: clinic.txt", "text: zero.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    assert only_problem(path) == (
        ":5: G119 source.text 'zero.txt' is a symbolic link; put the text file itself beside "
        "the guideline file"
    )


def test_at_most_100_problems_are_listed_then_a_count(tmp_path):
    rules = "".join(
        f"  - topic: nope{i}\n    advice: avoid\n    from: 0\n    to: 1\n"
        f"    note: n\n    quote: q\n"
        for i in range(150)
    )
    path = tmp_path / "many.yaml"
    path.write_text(
        "source:\n  id: many\n  title: Many\n  publisher: P\n  session_day: 0\nrules:\n" + rules
    )
    with pytest.raises(GuidelineError) as err:
        load_paths([path])
    lines = err.value.lines()
    assert len(lines) == 101
    assert lines[0].startswith(f"{path}:7: G106 rules[0].topic 'nope0' is not a known topic")
    assert lines[-1] == "... and 50 more problems"
    assert err.value.line() == "error G000: 150 problems in guideline files."


def test_a_problem_line_escapes_a_hostile_file_name(tmp_path):
    path = tmp_path / "evil\x1b[2J\nname.yaml"
    path.write_text("[unclosed\n")
    with pytest.raises(GuidelineError) as err:
        load_paths([path])
    [line] = err.value.lines()
    assert line.startswith(f"{tmp_path}/evil\\x1b[2J\\nname.yaml:2: G101 YAML syntax error")
