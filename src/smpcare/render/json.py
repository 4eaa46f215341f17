"""JSON-ready dicts for every command (the CLI serialises them): a versioned contract.

Every document is an object with ``"schema": 1`` and a ``"kind"``; README documents each kind
and tests/test_json_contract.py pins the keys. Additions keep the schema number; renaming or
removing a key, or changing what a value means, raises it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from smpcare.engine import (
    Change,
    Day,
    FineAgain,
    Plan,
    SessionDates,
    TodayReport,
    TopicAdvice,
    WhenReport,
    expect_and_contact,
    key_dates,
)
from smpcare.model import Guidelines, Info, Rule, topic_label

if TYPE_CHECKING:
    from smpcare.conflicts import Comparison
    from smpcare.journal import Session

SCHEMA = 1


def _head(kind: str) -> dict[str, Any]:
    return {"schema": SCHEMA, "kind": kind}


def rule(r: Rule) -> dict[str, Any]:
    """One source's words: its note and quote, and what its window means where it says so."""
    return {
        "source": r.source,
        "advice": r.advice.value,
        "care": r.care.value,
        "note": r.note,
        "quote": r.quote,
        **({"interpretation": r.interpretation} if r.interpretation else {}),
        **({"hours": {"from": r.hours[0], "to": r.hours[1]}} if r.hours else {}),
        **({"at_least": True} if r.at_least else {}),
    }


def topic(t: TopicAdvice, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One topic on one day: the merged advice, the words shown (``lead``), each source (with
    its further instructions that day in ``also``)."""
    return {
        "topic": t.topic,
        "label": topic_label(t.topic, labels),
        "advice": t.advice.value,
        "conflict": t.conflict,
        "lead": t.lead.source,
        "note": t.lead.note,
        "sources": [
            {
                **rule(s),
                **(
                    {"also": [rule(m) for m in t.more if m.source == s.source]}
                    if any(m.source == s.source for m in t.more)
                    else {}
                ),
            }
            for s in t.sources
        ],
    }


def condition(r: Rule, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Conditional advice covering the day: shown beside it, never merged into it."""
    return {
        "condition": r.condition,
        "topic": r.topic,
        "label": topic_label(r.topic, labels),
        **rule(r),
    }


def info(i: Info) -> dict[str, Any]:
    return {"source": i.source, "note": i.note, "quote": i.quote}


def day(d: Day, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One day, the same shape in ``plan`` (each of ``days``) and ``today``."""
    expect, contact = expect_and_contact(d.infos)
    return {
        "date": d.date.isoformat(),
        "day": d.day,
        "session": d.session,
        "topics": [topic(t, labels) for t in d.topics],
        "conditions": [condition(r, labels) for r in d.conditions],
        "expect": [info(i) for i in expect],
        "contact": [info(i) for i in contact],
    }


def lift(f: FineAgain, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """When a restricted topic is fine again: the policy's date, then each source's."""
    return {
        "topic": f.topic,
        "label": topic_label(f.topic, labels),
        "restricted_from": f.start.isoformat(),
        "restriction": f.level.value,
        "fine_from": f.date.isoformat() if f.date else None,
        "until_next_session": f.until_next,
        "open_ended": f.open_ended,
        "disagree": f.disagree,
        "spread_days": f.spread(),
        "sources": [
            {
                "source": s.source,
                "fine_from": s.date.isoformat() if s.date else None,
                "advice": s.rule.advice.value if s.date else None,
                "advice_ends": s.ends.isoformat() if s.ends else None,
                "note": s.rule.note,
                "quote": s.rule.quote,
                **({"at_least": True} if s.at_least else {}),
            }
            for s in f.sources
        ],
    }


def session_dates(sd: SessionDates, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Key dates of one session: before-care restrictions from when, then each lift."""
    return {
        "session": sd.number,
        "date": sd.date.isoformat(),
        "before": [
            {**topic(t, labels), "from": start.isoformat(), "from_day": (start - sd.date).days}
            for t, start in zip(sd.before, sd.before_from, strict=True)
        ],
        "after": [
            {**lift(f, labels), "fine_from_day": (f.date - sd.date).days if f.date else None}
            for f in sd.after
        ],
    }


def _course(
    policy: str,
    prefer: str | None,
    sessions: Sequence[Any],
    source_ids: Sequence[str],
    unverified: Sequence[str],
) -> dict[str, Any]:
    return {
        "sessions": [s.isoformat() for s in sessions],
        "policy": policy,
        "prefer": prefer,
        "sources": list(source_ids),
        "unverified": list(unverified),
    }


def plan(p: Plan) -> dict[str, Any]:
    from smpcare.engine import Policy

    policy = Policy.MAJORITY if p.policy == "majority" else Policy.CAUTIOUS
    return {
        **_head("plan"),
        **_course(p.policy, p.prefer, p.sessions, p.source_ids, p.unverified),
        "continues": p.continues,
        "warnings": [w.message() for w in p.warnings],
        "key_dates": [session_dates(sd, p.labels) for sd in key_dates(p, policy=policy)],
        "days": [day(d, p.labels) for d in p.days],
    }


def _change(c: Change, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "topic": c.topic,
        "label": topic_label(c.topic, labels),
        "from": c.before.advice.value if c.before else None,
        "to": c.after.advice.value if c.after else None,
        "conflict": bool(c.after and c.after.conflict),
    }


def today(r: TodayReport) -> dict[str, Any]:
    return {
        **_head("today"),
        **_course(r.policy, r.prefer, r.sessions, r.source_ids, r.unverified),
        **day(r.day, r.labels),
        "status": r.status,
        "next_session": r.next_session.isoformat() if r.next_session else None,
        "tomorrow": [_change(c, r.labels) for c in r.tomorrow],
        "fine_again": [lift(f, r.labels) for f in r.lifts],
        "warnings": [w.message() for w in r.warnings],
    }


def when(r: WhenReport) -> dict[str, Any]:
    return {
        **_head("when"),
        **_course(r.policy, r.prefer, r.sessions, r.source_ids, r.unverified),
        "date": r.on.isoformat(),
        "day": r.day.day,
        "session": r.day.session,
        "answers": [
            {
                "topic": a.topic,
                "label": topic_label(a.topic, r.labels),
                "now": topic(a.now, r.labels) if a.now else None,
                "fine_again": lift(a.lift, r.labels) if a.lift else None,
            }
            for a in r.answers
        ],
    }


def topic_words(words: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    return {
        **_head("topics"),
        "topics": [
            {"topic": t, "label": names[0], "words": list(names[1:])} for t, names in words.items()
        ],
    }


def sources(g: Guidelines) -> dict[str, Any]:
    return {
        **_head("sources"),
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "day_convention": s.day_convention,
                "rules": len(s.rules),
                "verified": s.verified,
                "path": s.path,
            }
            for s in g.sources
        ],
    }


def sessions(saved: Sequence[Session], path: str) -> dict[str, Any]:
    return {
        **_head("sessions"),
        "path": path,
        "sessions": [{"date": s.date.isoformat(), "note": s.note} for s in saved],
    }


def compare(c: Comparison, g: Guidelines, quotes: bool = False) -> dict[str, Any]:
    from smpcare.conflicts import spread

    ranked = c.ranked()
    return {
        **_head("compare"),
        "sources": [{"id": s.id, "title": s.title} for s in g.sources],
        "first_day": c.first_day,
        "last_day": c.last_day,
        "topics": [
            {
                "topic": t.topic,
                "label": topic_label(t.topic, c.labels),
                "conflict": t.conflict,
                "conflict_days": list(t.conflict_days),
                "conflict_continues": t.conflict_continues,
                "rank": ranked.index(t) + 1 if t.conflict else None,
                "spread": spread(t) if t.conflict else None,
                "sources": {
                    sid: [
                        {
                            "from": s.start,
                            "to": s.end,
                            "advice": s.advice.value,
                            **({"quote": s.quote} if quotes else {}),
                        }
                        for s in spans
                    ]
                    for sid, spans in t.spans.items()
                },
            }
            for t in c.topics
        ],
        "conditions": [
            {
                "topic": k.topic,
                "label": topic_label(k.topic, c.labels),
                "source": k.source,
                "condition": k.condition,
                "advice": k.span.advice.value,
                "from": k.span.start,
                "to": k.span.end,
                "note": k.note,
                **({"quote": k.span.quote} if quotes else {}),
            }
            for k in c.conditions
        ],
    }
