"""JSON-ready dicts for every command (the CLI serialises them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from smpcare.engine import (
    Change,
    Day,
    FineAgain,
    Plan,
    TodayReport,
    TopicAdvice,
    expect_and_contact,
)
from smpcare.model import Guidelines, Info, Rule, topic_label

if TYPE_CHECKING:
    from smpcare.conflicts import Comparison

SCHEMA_VERSION = 1


def rule(r: Rule) -> dict[str, Any]:
    """One source's words: its note and quote, and what its window means where it says so."""
    return {"source": r.source, "advice": r.advice.value, "note": r.note, "quote": r.quote,
            **({"interpretation": r.interpretation} if r.interpretation else {}),
            **({"hours": {"from": r.hours[0], "to": r.hours[1]}} if r.hours else {}),
            **({"at_least": True} if r.at_least else {})}


def topic(t: TopicAdvice, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "topic": t.topic,
        "label": topic_label(t.topic, labels),
        "advice": t.advice.value,
        "conflict": t.conflict,
        "sources": [
            {**rule(s), **({"also": [rule(m) for m in t.more if m.source == s.source]}
                           if any(m.source == s.source for m in t.more) else {})}
            for s in t.sources
        ],
    }


def condition(r: Rule, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Conditional advice covering the day: shown beside it, never merged into it."""
    return {"condition": r.condition, "topic": r.topic, "label": topic_label(r.topic, labels),
            **rule(r)}


def info(i: Info) -> dict[str, Any]:
    return {"source": i.source, "note": i.note, "quote": i.quote}


def day(d: Day, sessions: tuple[date, ...],
        labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    expect, contact = expect_and_contact(d.infos)
    return {
        "date": d.date.isoformat(),
        "sessions": [s.isoformat() for s in sessions],
        "day": d.day,
        "session": d.session,
        "topics": [topic(t, labels) for t in d.topics],
        "conditions": [condition(r, labels) for r in d.conditions],
        "expect": [info(i) for i in expect],
        "contact": [info(i) for i in contact],
    }


def plan(p: Plan) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "sessions": [s.isoformat() for s in p.sessions],
        "policy": p.policy,
        "prefer": p.prefer,
        "sources": list(p.source_ids),
        "unverified": list(p.unverified),
        "continues": p.continues,
        "warnings": [w.message() for w in p.warnings],
        "days": [day(d, p.sessions, p.labels) for d in p.days],
    }


def _change(c: Change) -> dict[str, Any]:
    return {"topic": c.topic,
            "from": c.before.advice.value if c.before else None,
            "to": c.after.advice.value if c.after else None,
            "conflict": bool(c.after and c.after.conflict)}


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
        "sources": [
            {"source": s.source, "fine_from": s.date.isoformat() if s.date else None,
             "advice": s.rule.advice.value if s.date else None,
             "advice_ends": s.ends.isoformat() if s.ends else None, "note": s.rule.note,
             "quote": s.rule.quote, **({"at_least": True} if s.at_least else {})}
            for s in f.sources
        ],
    }


def today(r: TodayReport) -> dict[str, Any]:
    out = day(r.day, r.sessions, r.labels)
    out.update({
        "version": SCHEMA_VERSION,
        "policy": r.policy,
        "prefer": r.prefer,
        "unverified": list(r.unverified),
        "status": r.status,
        "next_session": r.next_session.isoformat() if r.next_session else None,
        "tomorrow": [_change(c) for c in r.tomorrow],
        "fine_again": [lift(f, r.labels) for f in r.lifts],
        "warnings": [w.message() for w in r.warnings],
    })
    return out


def sources(g: Guidelines) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "title": s.title, "publisher": s.publisher,
         "day_convention": s.day_convention, "rules": len(s.rules), "verified": s.verified,
         "path": s.path}
        for s in g.sources
    ]


def compare(c: "Comparison", g: Guidelines, quotes: bool = False) -> dict[str, Any]:
    from smpcare.conflicts import spread

    ranked = c.ranked()
    return {
        "version": SCHEMA_VERSION,
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
                    sid: [{"from": s.start, "to": s.end, "advice": s.advice.value,
                           **({"quote": s.quote} if quotes else {})} for s in spans]
                    for sid, spans in t.spans.items()
                },
            }
            for t in c.topics
        ],
    }
