"""Markdown for sharing a plan (a clinic hands it to a client): the terminal's layout in
tables a Markdown viewer shows, with glyphs instead of colour."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from smpcare.conflicts import Comparison, ranges, spread
from smpcare.dates import format_day
from smpcare.engine import (
    FineAgain,
    Plan,
    TodayReport,
    TopicAdvice,
    WhenReport,
    expect_and_contact,
    phases,
)
from smpcare.model import STRICTEST_FIRST, Info, Level, Rule
from smpcare.render import (
    CONFLICT_MARK,
    LEGEND,
    LEVEL_LABEL,
    PlanSummary,
    apart,
    care_text,
    change_text,
    condition_text,
    date_span,
    fine_date,
    lead_note,
    lift_text,
    next_session_text,
    others_text,
    phase_title,
    plan_summary,
    policy_text,
    run_text,
    source_date,
    source_words,
    today_title,
    topic_name,
    unverified_text,
    who_says,
)
from smpcare.words import plural

GLYPH = {Level.AVOID: "█", Level.LIMIT: "▒", Level.RECOMMENDED: "+", Level.ALLOWED: "·"}


# Characters that make Markdown or HTML of plain words: a sheet's label, note, condition or
# quote must read as written, never become a tag, a link, emphasis or a broken table.
_SIGNIFICANT = re.compile(r"([\\`*_\[\]<>&|~])")


def _cell(text: str) -> str:
    """Untrusted words as Markdown text: every significant character backslash-escaped."""
    return _SIGNIFICANT.sub(r"\\\1", text.replace("\n", " "))


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks inside it, which would close it."""
    runs = [len(r) for line in lines for r in re.findall("`+", line)]
    return "`" * max(3, max(runs, default=0) + 1)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _topic(topic: str, conflict: bool, labels: Mapping[str, str]) -> str:
    return _cell(topic_name(topic, labels)) + (f" {CONFLICT_MARK}" if conflict else "")


def _topics(
    topics: Sequence[TopicAdvice],
    total: int,
    labels: Mapping[str, str],
    care: bool = False,
    who: bool = True,
) -> list[str]:
    head = ["", "Topic"] + (["Care"] if care else []) + ["Advice"] + (["Sources"] if who else [])
    lines = [_row(*head), "|" + "---|" * len(head)]
    for level in STRICTEST_FIRST:
        for t in (t for t in topics if t.advice is level):
            cells = [f"**{LEVEL_LABEL[level]}**", _topic(t.topic, t.conflict, labels)]
            cells += [care_text(t)] if care else []
            cells.append(_cell(lead_note(t)))
            cells += [_cell(who_says(t, total))] if who else []
            lines.append(_row(*cells))
    return lines


def _conditions(rules: Sequence[Rule], labels: Mapping[str, str]) -> list[str]:
    """Conditional advice, beside the day's and never merged into it."""
    return [f"- *{_cell(condition_text(r, labels))}*" for r in rules]


def _infos(infos: Sequence[Info]) -> list[str]:
    expect, contact = expect_and_contact(list(infos))
    return [f"- *Expect:* {_cell(i.note)} ({i.source})" for i in expect] + [
        f"- **Contact your clinic:** {_cell(i.note)} ({i.source})" for i in contact
    ]


def _notices(
    policy: str, prefer: str | None, warnings: list[str], unverified: tuple[str, ...]
) -> list[str]:
    out = [f"Policy: {policy_text(policy, prefer)}."]
    out += [f"- **Warning:** {_cell(w)}" for w in warnings]
    if notice := unverified_text(unverified):
        out.append(f"- **{notice}**")
    return out


def _lifts(
    lifts: Sequence[FineAgain],
    source_ids: Sequence[str],
    session: date | None,
    labels: Mapping[str, str],
) -> list[str]:
    head = ["Topic", "Fine again"] + (["Day"] if session else []) + ["Apart", *source_ids]
    lines = [_row(*head), "|" + "---|" * len(head)]
    for f in lifts:
        by = {s.source: s for s in f.sources}
        day = [str((f.date - session).days) if f.date else ""] if session else []
        lines.append(
            _row(
                _topic(f.topic, f.disagree, labels),
                fine_date(f),
                *day,
                apart(f),
                *[source_date(by[sid], f.start) if sid in by else "·" for sid in source_ids],
            )
        )
    return lines


def plan(p: Plan, *, detail: bool = False, quotes: bool = False) -> str:
    labels = p.labels
    sessions = ", ".join(format_day(s, year=True) for s in p.sessions)
    out = [f"# Aftercare plan: {sessions}", ""]
    out += _notices(p.policy, p.prefer, [w.message() for w in p.warnings], p.unverified)
    out += ["", f"Sources: {', '.join(p.source_ids)}."]
    s = plan_summary(p)
    if detail:
        out += _phases(p)
    else:
        out += _key_dates(s) + _strip(s) + _dated_notes(s)
    if quotes:
        out += ["", "## In the sources' own words", ""]
        for session in s.sessions:
            for f in session.dates.after:
                out += [f"- **{_topic(f.topic, f.disagree, labels)}**"]
                out += [
                    f"  - {src.source}, {source_words(src)}: “{_cell(src.rule.quote)}”"
                    for src in f.sources
                ]
    return "\n".join(out) + "\n"


def _key_dates(s: PlanSummary) -> list[str]:
    labels = s.plan.labels
    out: list[str] = []
    many = len(s.plan.sessions) > 1
    for session in s.sessions:
        sd = session.dates
        label = f"session {sd.number}, " if many else ""
        out += ["", f"## Key dates · {label}{format_day(sd.date, year=True)} is day 0", ""]
        out += _lifts(sd.after, s.plan.source_ids, sd.date, labels)
        if session.before:
            out += ["", "Before the session:", ""]
            out += [
                f"- {_topic(b.advice.topic, b.advice.conflict, labels)}: "
                f"{LEVEL_LABEL[b.advice.advice]} from {format_day(b.start)} (day {b.day}; "
                f"{_cell(who_says(b.advice))})"
                for b in session.before
            ]
    out += [
        "",
        f"{CONFLICT_MARK}: the sources give different dates. *no date*: the source "
        "stops without saying it is fine; *no end*: it still restricts. Ask your artist.",
    ]
    return out


def _strip(s: PlanSummary) -> list[str]:
    labels = s.plan.labels
    strip = s.strip
    if not strip.rows:
        return []
    legend = "  ".join(f"{GLYPH[lvl]} {LEVEL_LABEL[lvl]}" for lvl in STRICTEST_FIRST)
    first, last = strip.days[0], strip.days[-1]
    out = [
        "",
        "## Day by day",
        "",
        f"From {format_day(first.date)} (day {first.day}) to {format_day(last.date)} "
        f"(day {last.day}{' onward' if strip.onward else ''}). {legend}; blank: no source "
        f"speaks; {CONFLICT_MARK}: the sources disagree on these days.",
        "",
    ]
    rows: list[str] = []
    width = max(len(topic_name(r.topic, labels)) for r in strip.rows)
    for row in strip.rows:
        cells = "".join(" " if c is None else GLYPH[c.level] for c in row.cells)
        days = row.disputed_days()
        mark = ""
        if days:
            mark = f"  {CONFLICT_MARK} " + ", ".join(
                date_span(strip.days[a].date, strip.days[b].date) for a, b in _runs(days)
            )
        rows.append(f"{topic_name(row.topic, labels):<{width}}  {cells}{mark}".rstrip())
    fence = _fence(rows)  # a label is the sheet's words, in a block they cannot leave
    return [*out, fence, *rows, fence]


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [(a, b) for a, b in runs]


def _dated_notes(s: PlanSummary) -> list[str]:
    if not s.expect and not s.contact:
        return []
    out = ["", "## What to expect, and when to call", ""]
    for kind, items in (("Expect", s.expect), ("Contact your clinic", s.contact)):
        for i in items:
            when = f"{run_text(i.first, i.last, i.onward)}, {date_span(i.first.date, i.last.date)}"
            out.append(f"- *{kind}* ({when}): {_cell(i.info.note)} ({i.info.source})")
    return out


def _phases(p: Plan) -> list[str]:
    labels = p.labels
    out = ["", LEGEND]
    total = len(p.source_ids)
    for phase in phases(p):
        out += ["", f"## {phase_title(phase, len(p.sessions))}", ""]
        out += (
            _topics(phase.topics, total, labels, care=phase.first.day == 0)
            if phase.topics
            else []
            if phase.first.conditions
            else ["No source gives advice."]
        )
        if phase.first.conditions:
            out += ["", *_conditions(phase.first.conditions, labels)]
        infos = _infos(phase.infos())
        if infos:
            out += ["", *infos]
    return out


def today(r: TodayReport, *, detail: bool = False, quotes: bool = False) -> str:
    labels = r.labels
    d = r.day
    out = [f"# {today_title(r)}", ""]
    out += _notices(r.policy, r.prefer, [w.message() for w in r.warnings], r.unverified)
    if nxt := next_session_text(r):
        out += ["", nxt]
    out.append("")
    if r.status == "before":
        out.append(
            f"No advice applies yet: before-care starts on {format_day(r.first_day, year=True)}."
        )
        return "\n".join(out) + "\n"
    if r.status == "long-term":
        out += ["Every dated window has closed; only long-term advice applies.", ""]
    if d.topics:
        out += _topics(d.topics, len(r.source_ids), labels, care=d.day == 0, who=detail)
    if d.conditions:
        out += ["", *_conditions(d.conditions, labels)]
    if detail and d.infos:
        out += ["", *_infos(list(d.infos))]
    if quotes and d.topics:
        out += ["", "## In the sources' own words", ""]
        for t in d.topics:
            out += [f"- **{_topic(t.topic, t.conflict, labels)}**"]
            out += [
                f"  - {s.source}, {LEVEL_LABEL[s.advice]}: “{_cell(s.quote)}”" for s in t.sources
            ]
    tomorrow = f"Tomorrow ({format_day(date.fromordinal(d.date.toordinal() + 1))})"
    if r.tomorrow:
        out += ["", f"## {tomorrow}", ""]
        lifts = {f.topic: f for f in r.lifts}
        out += [
            f"- {_cell(topic_name(c.topic, labels))}: {change_text(c, lifts.get(c.topic))}"
            for c in r.tomorrow
        ]
    else:
        out += ["", f"{tomorrow}: no change."]
    if r.lifts and r.status == "active":
        out += ["", "## When restrictions lift", ""]
        if detail:
            out += [
                f"- {_topic(c.topic, c.disagree, labels)}: {lift_text(c, d.date)}" for c in r.lifts
            ]
        else:
            out += _lifts(r.lifts, r.source_ids, None, labels)
    return "\n".join(out) + "\n"


def when(r: WhenReport, *, quotes: bool = False) -> str:
    labels = r.labels
    d = r.day
    out = [f"# When is it fine again? {format_day(d.date, year=True)}", ""]
    out += _notices(r.policy, r.prefer, [], r.unverified)
    out += ["", _row("Topic", "Now", "Fine again", "Who says otherwise"), "|---|---|---|---|"]
    for a in r.answers:
        now = (
            "—"
            if a.now is None
            else LEVEL_LABEL[a.now.advice] + (f" ({care_text(a.now)})" if d.day == 0 else "")
        )
        if a.lift is None:
            out.append(
                _row(
                    _cell(topic_name(a.topic, labels)),
                    now,
                    "not restricted",
                    _cell(who_says(a.now)) if a.now else "no source speaks about it",
                )
            )
        else:
            out.append(
                _row(
                    _topic(a.topic, a.lift.disagree, labels),
                    now,
                    fine_date(a.lift),
                    _cell(others_text(a.lift) or "all agree"),
                )
            )
    if quotes:
        for a in r.answers:
            if a.lift is None:
                continue
            out += ["", f"## {_cell(topic_name(a.topic, labels))}: in the sources' own words", ""]
            out += [
                f"- {src.source}, {source_words(src)}: “{_cell(src.rule.quote)}”"
                for src in a.lift.sources
            ]
    return "\n".join(out) + "\n"


def topic_words(words: dict[str, tuple[str, ...]]) -> str:
    out = [_row("Topic", "Also accepted"), "|---|---|"]
    out += [_row(t, _cell(", ".join(names))) for t, names in words.items()]
    return "\n".join(out) + "\n"


def compare(c: Comparison, quotes: bool = False) -> str:
    labels = c.labels
    n = len(c.source_ids)
    out = [
        f"# How the {n} {plural(n, 'source')} compare",
        "",
        "Days are counted from one session on day 0; before-care is negative.",
        "",
        "## Where they disagree, most important first",
        "",
    ]
    ranked = c.ranked()
    out += [
        f"{i}. **{_cell(topic_name(t.topic, labels))}**, days "
        f"{ranges(t.conflict_days, t.conflict_continues)}:"
        f" {_cell(spread(t))}"
        for i, t in enumerate(ranked, 1)
    ] or ["The sources agree on every day they speak."]
    out += [
        "",
        "## What each source says",
        "",
        "| topic | " + " | ".join(c.source_ids) + " |",
        "|---|" + "---|" * len(c.source_ids),
    ]
    for t in c.topics:
        cells = [
            " · ".join(f"{LEVEL_LABEL[s.advice]} {s.days()}" for s in t.spans[sid])
            if sid in t.spans
            else ""
            for sid in c.source_ids
        ]
        out.append(f"| {_topic(t.topic, t.conflict, labels)} | " + " | ".join(cells) + " |")
    if c.conditions:
        out += [
            "",
            "## Only under a condition",
            "",
            "Shown beside the day's advice, never merged or compared.",
            "",
        ]
        out += [
            f"- **{_cell(topic_name(k.topic, labels))}**, {k.source}, "
            f"{LEVEL_LABEL[k.span.advice]} {k.span.days()}: *{_cell(k.condition)}*: "
            f"{_cell(k.note)}"
            for k in c.conditions
        ]
    if quotes:
        out += ["", "## In their own words"]
        for t in c.topics:
            out += ["", f"### {_cell(topic_name(t.topic, labels))}", ""]
            out += [
                f"- {sid}, {LEVEL_LABEL[s.advice]} {s.days()}: “{_cell(s.quote)}”"
                for sid, spans in t.spans.items()
                for s in spans
            ]
            out += [
                f"- {k.source}, {LEVEL_LABEL[k.span.advice]} {k.span.days()}, "
                f"*{_cell(k.condition)}*: “{_cell(k.span.quote)}”"
                for k in c.conditions
                if k.topic == t.topic
            ]
    return "\n".join(out) + "\n"
