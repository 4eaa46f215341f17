"""Markdown for sharing a plan (a clinic hands it to a client)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from smpcare.conflicts import Comparison, ranges, spread
from smpcare.dates import format_day
from smpcare.engine import Plan, TodayReport, TopicAdvice, expect_and_contact, phases
from smpcare.model import STRICTEST_FIRST, Info, Rule
from smpcare.render import (
    CONFLICT_MARK,
    LEGEND,
    LEVEL_LABEL,
    change_text,
    condition_text,
    lead_note,
    lift_text,
    next_session_text,
    phase_title,
    policy_text,
    today_title,
    topic_name,
    unverified_text,
    who_says,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _topics(topics: tuple[TopicAdvice, ...], total: int, labels: Mapping[str, str]) -> list[str]:
    lines = ["| | Topic | Advice | Sources |", "|---|---|---|---|"]
    for level in STRICTEST_FIRST:
        for t in (t for t in topics if t.advice is level):
            mark = f" {CONFLICT_MARK}" if t.conflict else ""
            name = _cell(topic_name(t.topic, labels))
            lines.append(f"| **{LEVEL_LABEL[level]}** | {name}{mark} | "
                         f"{_cell(lead_note(t))} | {_cell(who_says(t, total))} |")
    return lines


def _conditions(rules: tuple[Rule, ...], labels: Mapping[str, str]) -> list[str]:
    """Conditional advice, beside the day's and never merged into it."""
    return [f"- *{_cell(condition_text(r, labels))}*" for r in rules]


def _infos(infos: list[Info]) -> list[str]:
    expect, contact = expect_and_contact(infos)
    return ([f"- *Expect:* {_cell(i.note)} ({i.source})" for i in expect]
            + [f"- **Contact your clinic:** {_cell(i.note)} ({i.source})" for i in contact])


def _notices(policy: str, prefer: str | None, warnings: list[str],
             unverified: tuple[str, ...]) -> list[str]:
    out = [f"Policy: {policy_text(policy, prefer)}."]
    out += [f"- **Warning:** {_cell(w)}" for w in warnings]
    if notice := unverified_text(unverified):
        out.append(f"- **{notice}**")
    return out


def plan(p: Plan) -> str:
    sessions = ", ".join(format_day(s, year=True) for s in p.sessions)
    out = [f"# Aftercare plan: {sessions}", ""]
    out += _notices(p.policy, p.prefer, [w.message() for w in p.warnings], p.unverified)
    out += ["", f"Sources: {', '.join(p.source_ids)}.", "", LEGEND, ""]
    total = len(p.source_ids)
    for phase in phases(p):
        out += ["", f"## {phase_title(phase, len(p.sessions))}", ""]
        out += (_topics(phase.topics, total, p.labels) if phase.topics
                else [] if phase.first.conditions else ["No source gives advice."])
        if phase.first.conditions:
            out += ["", *_conditions(phase.first.conditions, p.labels)]
        infos = _infos(phase.infos())
        if infos:
            out += ["", *infos]
    return "\n".join(out) + "\n"


def today(r: TodayReport) -> str:
    d = r.day
    out = [f"# {today_title(r)}", ""]
    out += _notices(r.policy, r.prefer, [w.message() for w in r.warnings], r.unverified)
    if nxt := next_session_text(r):
        out += ["", nxt]
    out.append("")
    if r.status == "before":
        out.append(f"No advice applies yet: before-care starts on "
                   f"{format_day(r.first_day, year=True)}.")
        return "\n".join(out) + "\n"
    if r.status == "long-term":
        out += ["Every dated window has closed; only long-term advice applies.", ""]
    if d.topics:
        out += _topics(d.topics, len(r.source_ids), r.labels)
    if d.conditions:
        out += ["", *_conditions(d.conditions, r.labels)]
    out += ["", *_infos(list(d.infos))]
    tomorrow = f"Tomorrow ({format_day(date.fromordinal(d.date.toordinal() + 1))})"
    if r.tomorrow:
        out += ["", f"## {tomorrow}", ""]
        out += [f"- {_cell(topic_name(c.topic, r.labels))}: {change_text(c)}"
                for c in r.tomorrow]
    else:
        out += ["", f"{tomorrow}: no change."]
    if r.lifts and r.status == "active":
        out += ["", "## When restrictions lift", ""]
        out += [f"- {_cell(topic_name(c.topic, r.labels))}: {lift_text(c, d.date)}"
                for c in r.lifts]
    return "\n".join(out) + "\n"


def compare(c: Comparison, quotes: bool = False) -> str:
    out = [f"# How the {len(c.source_ids)} sources compare", "",
           "Days are counted from one session on day 0; before-care is negative.", "",
           "## Where they disagree, most important first", ""]
    ranked = c.ranked()
    out += [f"{i}. **{_cell(topic_name(t.topic, c.labels))}**, days "
            f"{ranges(t.conflict_days, t.conflict_continues)}: {_cell(spread(t))}"
            for i, t in enumerate(ranked, 1)] or [
        "The sources agree on every day they speak."]
    out += ["", "## What each source says", "",
            "| topic | " + " | ".join(c.source_ids) + " |",
            "|---|" + "---|" * len(c.source_ids)]
    for t in c.topics:
        cells = [" · ".join(f"{LEVEL_LABEL[s.advice]} {s.days()}" for s in t.spans[sid])
                 if sid in t.spans else "" for sid in c.source_ids]
        mark = f" {CONFLICT_MARK}" if t.conflict else ""
        out.append(f"| {_cell(topic_name(t.topic, c.labels))}{mark} | " + " | ".join(cells) + " |")
    if quotes:
        out += ["", "## In their own words"]
        for t in c.topics:
            out += ["", f"### {_cell(topic_name(t.topic, c.labels))}", ""]
            out += [f"- {sid}, {LEVEL_LABEL[s.advice]} {s.days()}: “{_cell(s.quote)}”"
                    for sid, spans in t.spans.items() for s in spans]
    return "\n".join(out) + "\n"
