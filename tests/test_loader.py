"""Guideline files: the schema, the problem codes and lines, the bundled sources."""

import re
from pathlib import Path

import pytest

from smpcare.errors import GuidelineError
from smpcare.loader import bundled_dir, load_paths, normalise
from smpcare.model import TOPICS, Level, Window

from conftest import FIXTURES

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
    assert line.endswith("b.yaml:2: G110 source id 'bad' is already used by "
                         f"{FIXTURES / 'duplicate' / 'a.yaml'}")


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
        ("many.yaml", 8, "G106"), ("many.yaml", 15, "G107"), ("many.yaml", 16, "G108"),
        ("many.yaml", 19, "G109"), ("many.yaml", 20, "G103"),
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
    assert normalise("you’re  \n “fine”") == "you're \"fine\""
