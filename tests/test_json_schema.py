"""The JSON Schema editors validate guideline files with agrees with smpcare's own loader."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from smpcare.errors import GuidelineError
from smpcare.loader import _RULE, CONDITION_WORDS, SCHEMA2_KEYS, load_paths, schema_path
from smpcare.model import TOPICS

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
BUNDLED = sorted(schema_path().parent.glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml")) + sorted((FIXTURES / "clinics").glob("*.yaml"))
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
# What one file's shape cannot show: bytes that are not YAML, a mapping's duplicate keys (a
# parser keeps the last), windows out of order, quotes against the text, the text file itself.
LOADER_ONLY = {"G100", "G101", "G102", "G108", "G109", "G112"}


def errors(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [e.message for e in VALIDATOR.iter_errors(data)]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", BUNDLED + VALID, ids=lambda p: p.stem)
def test_every_bundled_and_valid_file_passes_the_schema_and_the_loader(path):
    assert errors(path) == []
    load_paths([path])


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_every_invalid_fixture_is_refused_by_the_loader_and_by_the_schema_where_it_can_see(path):
    with pytest.raises(GuidelineError) as err:
        load_paths([path])
    codes = {p.code for p in err.value.problems}
    if codes <= LOADER_ONLY:
        return
    assert errors(path), f"the schema accepts {path.name}, which the loader refuses: {codes}"


def test_the_schema_knows_the_canonical_topics_and_the_rule_keys_the_loader_knows():
    defs = SCHEMA["$defs"]
    assert defs["rule1"]["properties"]["topic"]["enum"] == list(TOPICS)
    assert set(defs["rule2"]["properties"]) == set(_RULE)
    assert set(defs["rule1"]["properties"]) == set(_RULE) - SCHEMA2_KEYS
    assert defs["topic"]["properties"]["id"]["allOf"][1]["not"]["enum"] == list(TOPICS)
    condition = re.compile(defs["rule2"]["properties"]["condition"]["pattern"])
    assert all(condition.match(f"{w} x") for w in CONDITION_WORDS)
    assert not condition.match("flaking or scabbing")


@pytest.mark.parametrize(
    ("rule", "accepted"),
    [
        ({"from_hours": 0, "to_hours": 72}, True),
        ({"from": 0, "to_hours": 72}, False),  # days and hours mixed
        ({"from": 0, "to": 3, "then": "allowed"}, True),
        ({"from": 0, "to": None, "then": "allowed"}, False),  # nothing to lift after
        ({"from": 0, "to": 3, "then": "fine"}, False),
        ({"from": 0, "to": 3, "at_least": True}, True),
        ({"from": 0, "to": None, "anchor": "next-session"}, True),
        ({"from": 0, "to": 3, "anchor": "next-session"}, False),
        ({"from": 0, "to": 3, "condition": "if you see flaking"}, True),
        ({"from": 0, "to": 3, "condition": "if you see flaking", "then": "allowed"}, False),
        ({"from": 0, "to": 3, "note": "n" * 2000}, True),  # the longest text the limit allows
        ({"from": 0, "to": 3, "note": "n" * 2001}, False),  # G128 in both
    ],
)
def test_schema_and_loader_agree_on_each_new_field(tmp_path, rule, accepted):
    data = {
        "schema": 2,
        "source": {"id": "c", "title": "T", "publisher": "P", "session_day": 0},
        "rules": [{"topic": "wetting", "advice": "avoid", "note": "n", "quote": "q"} | rule],
    }
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data))
    assert (errors(path) == []) is accepted
    if accepted:
        load_paths([path])
    else:
        with pytest.raises(GuidelineError):
            load_paths([path])


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 400),
    st.sampled_from(
        [
            "avoid",
            "allowed",
            "fine",
            "before",
            "after",
            "next-session",
            "course-end",
            "session",
            "if it itches",
            "flaking",
            "wetting",
            "hair-dye",
            "q",
            "",
        ]
    ),
)
KEYS = st.sampled_from([*sorted(_RULE), "colour"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rule=st.dictionaries(KEYS, VALUES, max_size=9), schema=st.sampled_from([None, 1, 2]))
def test_whatever_a_rule_holds_the_loader_answers_and_never_accepts_what_the_schema_refuses(
    tmp_path, rule, schema
):
    data = {
        "source": {"id": "c", "title": "T", "publisher": "P", "text": "c.txt", "session_day": 0},
        "topics": [{"id": "hair-dye", "label": "hair dye", "covers": "dyeing the hair"}],
        "rules": [rule],
    }
    if schema is not None:
        data["schema"] = schema
    (tmp_path / "c.txt").write_text("q")
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data))
    try:
        load_paths([path])
    except GuidelineError:
        return  # refused, with coded problems: the schema may or may not see why
    assert errors(path) == [], f"the loader accepts what the schema refuses: {rule}"


@pytest.mark.parametrize(("count", "accepted"), [(500, True), (501, False)])
def test_schema_and_loader_agree_on_the_number_of_rules(tmp_path, count, accepted):
    rule = {"topic": "wetting", "advice": "avoid", "from": 0, "to": 3, "note": "n", "quote": "q"}
    data = {
        "source": {"id": "c", "title": "T", "publisher": "P", "session_day": 0},
        "rules": [dict(rule) for _ in range(count)],  # copies: yaml would write aliases
    }
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data))
    assert (errors(path) == []) is accepted
    if accepted:
        load_paths([path])
    else:
        with pytest.raises(GuidelineError):
            load_paths([path])
