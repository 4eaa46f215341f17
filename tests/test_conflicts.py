"""compare-sources against the article texts (one session on day 0)."""

import json

import pytest

from smpcare.conflicts import compare, spread
from smpcare.errors import SmpcareError

A, L, OK, DO = "avoid", "limit", "allowed", "recommended"


def windows(comparison, topic):
    t = next(t for t in comparison.topics if t.topic == topic)
    return {
        sid: [(s.start, s.end, s.advice.value) for s in spans] for sid, spans in t.spans.items()
    }, t


@pytest.mark.parametrize(
    "topic,expected,conflict_days",
    [
        (
            "shampoo",
            {
                "aftercare": [(0, 10, A), (11, None, OK)],  # "Day 5 – Day 10", then normal
                "beforecare": [(0, 6, A), (7, None, OK)],  # Day 1-6 no shampoo, Day 7 onwards fine
                "elka": [(0, 3, A), (4, 6, L)],  # Day 4 to 6: baby shampoo "only for a while"
                "process": [(0, 7, A), (8, 14, L), (15, None, DO)],  # Days 8-14 fragrance-free soap
                "smusa": [(-3, -1, DO), (0, 10, A)],  # "more than 10 days" before usual hair care
            },
            list(range(4, 15)),
        ),  # from day 15 process recommends, the others allow: agreement
        (
            "wetting",
            {
                "beforecare": [(0, 3, A), (4, 6, L), (7, None, OK)],
                "elka": [(0, 3, A), (4, 6, L), (7, None, OK)],  # a bath, showers on Day 7
                "process": [(0, 4, A), (5, 14, L), (15, None, DO)],
                "smusa": [(0, 4, A), (5, 10, L)],  # the first four days after
            },
            [4, *range(7, 15)],
        ),
        (
            "sweating",
            {
                "aftercare": [(0, 5, L), (11, None, OK)],
                "beforecare": [(0, 3, A), (4, 6, L), (7, None, OK)],
                "elka": [(0, 6, A), (7, None, OK)],  # activity "can start again" on Day 7
                "process": [(5, 14, L), (15, None, OK)],  # heavy sweating until the daily routine
                "smusa": [(0, 10, L)],  # while the skin heals
            },
            list(range(15)),
        ),
        (
            "shaving",
            {
                "aftercare": [(0, 10, A), (11, None, OK)],  # "still healing" to day 10
                "beforecare": [(-1, -1, DO), (0, 3, A), (4, 6, L)],
                "elka": [(4, 6, DO), (7, None, L)],
                "process": [(0, 7, A), (15, None, OK)],  # days 8-14 only "if it is needed"
                "smusa": [(-3, -1, DO), (0, 10, A)],
            },
            list(range(4, 33)),
        ),
        (
            "sauna-steam",
            {
                "beforecare": [(0, 29, A), (30, None, OK)],  # fine from Day 30 after all sessions
                "process": [(0, 31, A)],  # at least a month
                "smusa": [(0, 10, A)],  # until the scalp heals
            },
            [30, 31],
        ),
    ],
)
def test_windows_and_conflict_days(guidelines, topic, expected, conflict_days):
    got, t = windows(compare(guidelines), topic)
    assert got == expected
    assert list(t.conflict_days) == conflict_days


def test_disagreements_are_ranked_opposite_advice_first(guidelines):
    # Shaving follows the pools: process allows it for everyone only from day 15 (before that,
    # "if it is needed"), so no day has one source's avoid against another's fine.
    assert [t.topic for t in compare(guidelines).ranked()] == [
        "shampoo",
        "sauna-steam",
        "swimming",
        "shaving",
        "sweating",
        "wetting",
        "exfoliation",
        "moisturize",
        "sun-exposure",
        "touching",
        "ointment",
    ]  # "wear a cap" against "you can wear a hat" is agreement


def test_spread_in_plain_words(guidelines):
    by_topic = {t.topic: t for t in compare(guidelines).topics}
    assert spread(by_topic["shampoo"]) == (
        "fine again from day 7 (beforecare) to day 15 (process): 8 days apart; elka gives no "
        "day (its advice ends after day 6); smusa gives no day (its advice ends after day 10)"
    )
    assert spread(by_topic["touching"]) == "avoid (process, smusa) vs limit (aftercare)"


def test_unknown_topic_is_refused(guidelines):
    with pytest.raises(SmpcareError) as err:
        compare(guidelines, ["hair-dye"])
    assert err.value.code == "E205"


def test_cli_unknown_topic_lists_the_valid_ids(run):
    result = run("compare-sources", "--topic", "hair-dye")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "smpcare: error E205: --topic 'hair-dye' is not a known topic. Use a topic id or a plain "
        "word ('smpcare when --list'): wetting, shampoo, sweating, sun-exposure,"
    )
    assert result.stderr.count("\n") == 1


def test_cli_json_contract(run):
    data = json.loads(run("compare-sources", "--format", "json", "--topic", "shampoo").stdout)
    assert [s["id"] for s in data["sources"]] == [
        "aftercare",
        "beforecare",
        "elka",
        "process",
        "smusa",
    ]
    [shampoo] = data["topics"]
    assert shampoo["topic"] == "shampoo" and shampoo["conflict"] is True
    assert shampoo["conflict_days"][:3] == [4, 5, 6]
    assert shampoo["sources"]["elka"] == [
        {"from": 0, "to": 3, "advice": "avoid"},
        {"from": 4, "to": 6, "advice": "limit"},
    ]


def test_cli_table_fits_80_columns_without_colour_codes(run):
    result = run("compare-sources", columns=80)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    assert lines[0] == "How the 5 sources compare · one session on day 0 (before-care is negative)"
    assert "1.  shampoo" in result.stdout
    # Piped UTF-8 keeps the glyphs (they read without colour); no colour codes.
    assert any(line.split() == ["elka", "████▒▒▒"] for line in lines)
    assert "\x1b[" not in result.stdout


def test_cli_quotes_adds_each_sources_wording(run):
    result = run("compare-sources", "--topic", "sauna-steam", "--quotes")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert (
        "“Stay away from chlorinated pools, saunas, and steam rooms for at least a month "
        "after treatment.”" in text
    )


def test_cli_markdown(run):
    result = run("compare-sources", "-f", "markdown", "-t", "wetting")
    assert result.stdout.startswith("# How the 5 sources compare\n")
    assert "| showering and washing ≠ |  | avoid 0–3 · limit 4–6 · fine from 7 |" in result.stdout


SUNNY = "if you live in a warm, sunny climate"


def test_conditional_advice_is_listed_never_compared(guidelines):
    c = compare(guidelines, ["sun", "sunscreen", "shaving"])
    assert [
        (k.topic, k.source, k.condition, k.span.advice.value, k.span.start, k.span.end)
        for k in c.conditions
    ] == [
        ("sun-exposure", "beforecare", SUNNY, L, 30, None),
        ("sunscreen", "beforecare", SUNNY, DO, 30, None),
        ("shaving", "process", "if it is needed", OK, 8, 14),
    ]
    # never compared: process's "if needed" days are no permission against the bans
    assert windows(c, "shaving")[0]["process"] == [(0, 7, A), (15, None, OK)]


@pytest.mark.parametrize(
    "args,said",
    [
        (
            (),
            "sunscreen beforecare do 30+ if you live in a warm, sunny climate: A quality "
            "non-greasy sunscreen is best.",
        ),
        (
            ("--quotes",),
            "beforecare do from 30 if you live in a warm, sunny climate: “If you live "
            "in a warm, sunny climate, take adequate precautions. A quality non-greasy "
            "sunscreen is best.”",
        ),
        (
            ("--format", "markdown"),
            "- **sunscreen**, beforecare, do from 30: *if you live in a "
            "warm, sunny climate*: A quality non-greasy sunscreen is best.",
        ),
    ],
)
def test_cli_lists_conditional_advice(run, args, said):
    result = run("compare-sources", "--topic", "sunscreen", *args, columns=200)
    assert result.exit_code == 0
    assert said in " ".join(result.stdout.split())


def test_cli_json_lists_conditional_advice(run):
    data = json.loads(run("compare-sources", "--format", "json", "--topic", "shampoo").stdout)
    assert data["conditions"] == [
        {
            "topic": "shampoo",
            "label": "shampoo",
            "source": "elka",
            "condition": "if the scabs continue to show up",
            "advice": "recommended",
            "from": 4,
            "to": 10,
            "note": "Use a shampoo for greasy hair.",
        }
    ]
