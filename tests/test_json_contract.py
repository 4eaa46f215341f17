"""The JSON every command prints is a versioned contract ("schema": 1, README documents it):
these are its keys. Adding a key keeps the schema; renaming or removing one raises it."""

import json

import pytest

S = ("-s", "2024-05-01")

COURSE = {"schema", "kind", "sessions", "policy", "prefer", "sources", "unverified"}
DAY = {"date", "day", "session", "topics", "conditions", "expect", "contact"}
TOPIC = {"topic", "label", "advice", "conflict", "lead", "note", "sources"}
RULE = {"source", "advice", "care", "note", "quote"}  # and "interpretation" where there is one
LIFT = {
    "topic",
    "label",
    "restricted_from",
    "restriction",
    "fine_from",
    "until_next_session",
    "open_ended",
    "disagree",
    "spread_days",
    "sources",
}
SOURCE_LIFT = {"source", "fine_from", "advice", "advice_ends", "note", "quote"}


@pytest.mark.parametrize(
    "args,kind,keys",
    [
        (["plan", *S], "plan", COURSE | {"continues", "warnings", "key_dates", "days"}),
        (
            ["today", *S, "--on", "2024-05-06"],
            "today",
            COURSE | DAY | {"status", "next_session", "tomorrow", "fine_again", "warnings"},
        ),
        (
            ["when", "shampoo", *S, "--on", "2024-05-06"],
            "when",
            COURSE | {"date", "day", "session", "answers"},
        ),
        (["when", "--list"], "topics", {"schema", "kind", "topics"}),
        (["sources"], "sources", {"schema", "kind", "sources"}),
        (["session", "list"], "sessions", {"schema", "kind", "path", "sessions"}),
        (
            ["compare-sources"],
            "compare",
            {"schema", "kind", "sources", "first_day", "last_day", "topics", "conditions"},
        ),
    ],
)
def test_every_document_names_its_schema_and_kind(run, args, kind, keys):
    data = json.loads(run(*args, "--format", "json").stdout)
    assert (data["schema"], data["kind"]) == (1, kind)
    assert set(data) == keys


def test_plan_days_topics_rules_and_key_dates(run):
    data = json.loads(run("plan", *S, "--format", "json").stdout)
    assert all(set(d) == DAY for d in data["days"])
    topics = [t for d in data["days"] for t in d["topics"]]
    assert all(set(t) == TOPIC for t in topics)
    optional = {"interpretation", "hours", "at_least", "also"}  # where a rule has them
    assert all(RULE <= set(r) <= RULE | optional for t in topics for r in t["sources"])
    [first] = data["key_dates"]
    assert set(first) == {"session", "date", "before", "after"}
    assert all(set(b) == TOPIC | {"from", "from_day"} for b in first["before"])
    assert all(set(a) == LIFT | {"fine_from_day"} for a in first["after"])
    assert all(
        SOURCE_LIFT <= set(s) <= SOURCE_LIFT | {"at_least"}
        for a in first["after"]
        for s in a["sources"]
    )
    shampoo = next(a for a in first["after"] if a["topic"] == "shampoo")
    assert (shampoo["fine_from"], shampoo["fine_from_day"], shampoo["label"]) == (
        "2024-05-16",
        15,
        "shampoo",
    )
    smusa = next(s for s in shampoo["sources"] if s["source"] == "smusa")
    assert (smusa["fine_from"], smusa["advice_ends"]) == (None, "2024-05-11")  # no date given


def test_today_lifts_and_tomorrow(run):
    data = json.loads(run("today", *S, "--on", "2024-05-06", "--format", "json").stdout)
    assert all(set(f) == LIFT for f in data["fine_again"])
    assert all(set(c) == {"topic", "label", "from", "to", "conflict"} for c in data["tomorrow"])
