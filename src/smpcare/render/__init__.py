"""Renderers: pure functions from core results to text (or JSON-ready dicts).

Each is imported only when its format is chosen, so ``--format json`` never loads rich. This
module holds what every format shares: the words for levels, policies, dates and lifts, and
the shape of a plan's summary (``plan_summary``: key dates, the calendar strip, what to expect),
which the table, markdown, JSON and HTML renderers each lay out in their own way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from smpcare.dates import format_day
from smpcare.engine import (
    Change,
    Day,
    FineAgain,
    Phase,
    Plan,
    SessionDates,
    SourceLift,
    TodayReport,
    TopicAdvice,
    key_dates,
)
from smpcare.model import Care, Info, InfoKind, Level, Rule, Window, topic_label
from smpcare.words import plural

LEVEL_LABEL = {
    Level.AVOID: "avoid",
    Level.LIMIT: "limit",
    Level.RECOMMENDED: "do",
    Level.ALLOWED: "fine",
}
POLICY_TEXT = {
    "cautious": "cautious: the strictest advice wins",
    "majority": "majority: the advice most sources give; ties go cautious",
}
CONFLICT_MARK = "≠"
LEGEND = (
    f"{CONFLICT_MARK} = the sources disagree; the merged advice is shown and who says "
    "what is listed. Ask your artist which to follow."
)


def policy_text(policy: str, prefer: str | None = None) -> str:
    if policy.startswith("source:"):
        text = f"one source only: {policy.split(':', 1)[1]}"
    else:
        text = POLICY_TEXT.get(policy, policy)
    return f"{text}; {prefer} wins disagreements" if prefer else text


def today_title(r: TodayReport) -> str:
    """``Mon 6 May 2024 · Day 5 after session 1 (Wed 1 May 2024)``."""
    d, first = r.day, r.sessions[0]
    if d.date < first:
        return (
            f"{format_day(d.date, year=True)} · {-d.day} {plural(-d.day, 'day')} "
            f"before session 1 ({format_day(first, year=True)})"
        )
    return (
        f"{format_day(d.date, year=True)} · Day {d.day} after session {d.session} "
        f"({format_day(r.sessions[d.session - 1], year=True)})"
    )


def next_session_text(r: TodayReport) -> str | None:
    if r.next_session is None or r.day.date < r.sessions[0]:
        return None
    days = (r.next_session - r.day.date).days
    return (
        f"Next session: {format_day(r.next_session, year=True)} (in {days} {plural(days, 'day')})"
    )


def unverified_text(ids: tuple[str, ...]) -> str | None:
    if not ids:
        return None
    if len(ids) > MAX_NAMES:
        return (
            f"Unverified quotes (no source text given): {len(ids)} sources "
            "('smpcare sources' marks them)"
        )
    return f"Unverified quotes (no source text given): {', '.join(ids)}"


def day_range(first: Day, last: Day, open_ended: bool = False) -> str:
    """``Day 0–2 · Wed 1 May – Fri 3 May 2024``."""
    if open_ended:
        return f"Day {first.day} onward · from {format_day(first.date, year=True)}"
    if first.date == last.date:
        return f"Day {first.day} · {format_day(first.date, year=True)}"
    return (
        f"Day {first.day}–{last.day} · {format_day(first.date)} – "
        f"{format_day(last.date, year=True)}"
    )


def phase_title(phase: Phase, sessions: int) -> str:
    text = day_range(phase.first, phase.last, phase.open_ended)
    if phase.before_care:
        text = f"Before session {phase.first.session} · {text}"
    elif sessions > 1:
        text = f"Session {phase.first.session} · {text}"
    return text


def lead_note(t: TopicAdvice) -> str:
    """The words of the advice shown: the preferred source's when it wins, else the first
    source whose level is the merged one; with that source's further instructions that day,
    and what its window in hours or its minimum means."""
    return " ".join(note_text(r) for r in lead_rules(t))


def lead_rules(t: TopicAdvice) -> list[Rule]:
    """The rules whose words ``lead_note`` shows: the lead, then its source's further
    instructions that day."""
    return [t.lead] + [r for r in t.more if r.source == t.lead.source]


def note_text(rule: Rule) -> str:
    """A rule's note with its context: ``Keep it dry. (first 72 hours: days 0–3)``."""
    context = rule_context(rule)
    return f"{rule.note} ({'; '.join(context)})" if context else rule.note


def rule_context(rule: Rule) -> list[str]:
    """What the days shown stand for: the hours the sheet gave, and a minimum."""
    out = []
    if rule.hours is not None:
        out.append(f"{hours_text(rule)}: {days_text(rule.window)}")
    if rule.at_least and rule.window.end is not None:
        out.append(f"at least until day {rule.window.end}, ask your artist")
    return out


def hours_text(rule: Rule) -> str:
    """The window as the sheet gave it: ``first 72 hours``, ``from 72 hours``."""
    assert rule.hours is not None
    start, end = rule.hours
    if rule.care is Care.BEFORE:
        return f"{start} hours before" if not end else f"{start} to {end} hours before"
    if end is None:
        return f"from {start} hours"
    return f"first {end} hours" if start == 0 else f"hours {start}–{end}"


def days_text(w: Window) -> str:
    """``days 0–3``, ``day 4``, ``from day 4``."""
    if w.end is None:
        return f"from day {w.start}"
    return f"day {w.start}" if w.start == w.end else f"days {w.start}–{w.end}"


def condition_text(rule: Rule, labels: Mapping[str, str] | None = None) -> str:
    """Conditional advice, beside the day's: ``If you see flaking or scabbing: avoid shaving
    and haircuts — Do not shave for another 24-48 hours. (northside)``."""
    return (
        f"{condition_head(rule)}: {LEVEL_LABEL[rule.advice]} "
        f"{topic_name(rule.topic, labels)} — {note_text(rule)} ({rule.source})"
    )


def condition_head(rule: Rule) -> str:
    """The rule's condition as a sentence opens: ``If you see flaking or scabbing``."""
    assert rule.condition is not None
    return f"{rule.condition[:1].upper()}{rule.condition[1:]}"


def same_condition(rules: Iterable[Rule]) -> list[list[Rule]]:
    """Conditional rules grouped by condition and source, in order of first appearance: one
    line each ("If you live in a warm, sunny climate: limit sun exposure, do sunscreen")."""
    groups: dict[tuple[str | None, str], list[Rule]] = {}
    for r in rules:
        groups.setdefault((r.condition, r.source), []).append(r)
    return list(groups.values())


MAX_NAMES = 8  # beyond this many speaking sources, tables give counts (JSON lists them all)


def who_says(t: TopicAdvice, total: int | None = None) -> str:
    """``smusa, process``; where they disagree ``avoid: smusa, process · limit: elka``; where
    one source urges what the others allow (agreement, never flagged) ``fine; process
    recommends it``."""
    groups = t.by_level()
    named = len(t.sources) <= MAX_NAMES

    def names(ids: list[str]) -> str:
        return ", ".join(ids) if named else f"{len(ids)} {plural(len(ids), 'source')}"

    if len(groups) == 1:
        ids = next(iter(groups.values()))
        if total and len(ids) == total and total > 1:
            return f"all {total} sources"
        return names(ids)
    if set(groups) == {Level.RECOMMENDED, Level.ALLOWED}:
        ids = groups[Level.RECOMMENDED]
        return f"fine; {names(ids)} {plural(len(ids), 'recommends', 'recommend')} it"
    if named:
        return " · ".join(f"{LEVEL_LABEL[lvl]}: {', '.join(ids)}" for lvl, ids in groups.items())
    return (
        " · ".join(f"{LEVEL_LABEL[lvl]}: {len(ids)}" for lvl, ids in groups.items())
        + f" {plural(len(t.sources), 'source')}"
    )


def topic_name(topic: str, labels: Mapping[str, str] | None = None) -> str:
    """The words a client uses for a topic ("exercise and sweat"), as every output prints it;
    ``labels`` is the result's own mapping, which knows the sheets' own topics."""
    return topic_label(topic, labels)


def change_text(c: Change, lift: FineAgain | None = None) -> str:
    """``avoid → limit (...)``, or ``still limit; fine per beforecare``. Where the sources
    fall silent, ``lift`` (when the topic, restricted today, is fine again) says whether they
    lift it later: ``process says nothing more until Thu 16 May, when it is fine again``."""
    if c.after is None:
        assert c.before is not None
        ids = [s.source for s in c.before.sources if s.advice.restricts]
        if not ids:
            return "the sources say no more about it"
        later = {s.source: s.date for s in lift.sources if s.date is not None} if lift else {}
        parts = []
        silent = [i for i in ids if i not in later]
        if silent:  # silence is not permission
            parts.append(
                f"no date given: {', '.join(silent)} "
                f"{plural(len(silent), 'says', 'say')} no more after today; ask your "
                "artist"
            )
        by_date: dict[date, list[str]] = {}
        for i in ids:
            if i in later:
                by_date.setdefault(later[i], []).append(i)
        parts += [
            f"{', '.join(who)} {plural(len(who), 'says', 'say')} nothing more until "
            f"{format_day(when)}, when it is fine again"
            for when, who in sorted(by_date.items())
        ]
        return "; ".join(parts)
    if c.before is None:
        return f"{LEVEL_LABEL[c.after.advice]} ({who_says(c.after)})"
    if c.before.advice is not c.after.advice:
        return (
            f"{LEVEL_LABEL[c.before.advice]} → {LEVEL_LABEL[c.after.advice]} ({who_says(c.after)})"
        )
    old = {s.source: s.advice for s in c.before.sources}
    moved: dict[str, list[str]] = {}
    for s in c.after.sources:
        if s.source in old and old[s.source] is not s.advice:
            moved.setdefault(LEVEL_LABEL[s.advice], []).append(s.source)
    parts = [f"{level} per {', '.join(ids)}" for level, ids in moved.items()]
    return "; ".join([f"still {LEVEL_LABEL[c.after.advice]}", *parts])


def lift_text(f: FineAgain, on: date) -> str:
    """``fine from Tue 7 May (in 1 day); later per process (Wed 15 May); no date from smusa
    (its advice ends after Sat 11 May)`` — the policy's date first, then who says otherwise."""
    if f.date is not None:
        days = (f.date - on).days
        head = f"fine from {format_day(f.date)} (in {days} {plural(days, 'day')})"
    elif f.open_ended:
        head = "no end date: long-term advice"
    elif f.until_next:
        head = "still restricted when the next session starts"
    else:
        head = "no date given"
    parts = [head]
    others: dict[date, list[str]] = {}
    for s in f.sources:
        if s.date is not None and s.date != f.date:
            others.setdefault(s.date, []).append(s.source)
    for when, ids in sorted(others.items()):
        word = "earlier" if f.date is None or when < f.date else "later"
        parts.append(f"{word} per {', '.join(ids)} ({format_day(when)})")
    keep = [s.source for s in f.sources if s.date is None and s.ends is None]
    if keep and f.date is not None:
        parts.append(f"still restricted per {', '.join(keep)}")
    silent = [s for s in f.sources if s.date is None and s.ends is not None]
    if silent:
        parts.append(
            "no date from "
            + ", ".join(
                f"{s.source} (its advice ends after {format_day(s.ends)})"
                for s in silent
                if s.ends is not None
            )
            + "; ask your artist"
        )
    for s in f.sources:
        until = s.ends if s.date is None else s.date - timedelta(days=1)
        if s.at_least and until is not None:
            parts.append(f"{s.source}: at least until {format_day(until)}, ask your artist")
    return "; ".join(parts)


# --- key dates: when each restriction is fine again ---------------------------------------

NO_DATE = "no date given"


def fine_date(f: FineAgain) -> str:
    """The policy's answer: ``Wed 15 May``, or why there is no date."""
    if f.date is not None:
        return format_day(f.date)
    if f.open_ended:
        return "no end date"
    if f.until_next:
        return "not before next session"
    return NO_DATE


def source_date(s: SourceLift, start: date | None = None) -> str:
    """One source's answer in a narrow cell: ``7 May`` (``7 May+`` when its restriction lasts
    at least until then: ask the artist), ``no date`` or ``no end``; ``fine`` when it already
    permits the thing on ``start``, the first day looked at (today, in ``today``)."""
    if s.date is not None and s.date == start:
        return "fine"
    if s.date is not None:
        return f"{s.date.day} {s.date.strftime('%b')}" + ("+" if s.at_least else "")
    return "no date" if s.ends is not None else "no end"


def apart(f: FineAgain) -> str:
    """How far apart the sources' dates are: ``8 days`` (empty when they agree)."""
    days = f.spread()
    return f"{days} {plural(days, 'day')}" if days else ""


def others_text(f: FineAgain) -> str:
    """Who says otherwise than the policy's date, shortest form:
    ``earlier: beforecare, elka 7 May, aftercare 12 May; no date: smusa``; past
    ``MAX_NAMES`` sources, counts: ``earlier: 21 sources, 2–13 May; no date: 3``."""
    groups: dict[str, list[str]] = {}
    by_date: dict[date, list[str]] = {}
    for s in f.sources:
        if s.date is not None and s.date != f.date:
            by_date.setdefault(s.date, []).append(s.source + ("+" if s.at_least else ""))
    for when, ids in sorted(by_date.items()):
        word = "earlier" if f.date is None or when < f.date else "later"
        groups.setdefault(word, []).append(f"{', '.join(ids)} {when.day} {when.strftime('%b')}")
    for s in f.sources:
        if s.date is None:
            groups.setdefault("no date" if s.ends is not None else "no end", []).append(s.source)
    if len(f.sources) <= MAX_NAMES:
        return "; ".join(f"{word}: {', '.join(items)}" for word, items in groups.items())
    counted = []
    for word in groups:
        if word in ("earlier", "later"):
            dates = sorted(
                d for d in by_date if (word == "earlier") == (f.date is None or d < f.date)
            )
            n = sum(len(by_date[d]) for d in dates)
            counted.append(f"{n} {word} ({date_span(dates[0], dates[-1])})")
        else:
            counted.append(f"{len(groups[word])} {word}")
    return "; ".join(counted)


def source_words(s: SourceLift) -> str:
    """What a source's date rests on: ``fine from Tue 7 May`` or ``no date given: its advice
    ends after Sat 11 May``."""
    if s.date is not None:
        urged = "; it recommends it" if s.rule.advice is Level.RECOMMENDED else ""
        return f"fine from {format_day(s.date)}{urged}"
    if s.ends is not None:
        return f"{NO_DATE}: its advice ends after {format_day(s.ends)}; ask your artist"
    return f"still {LEVEL_LABEL[s.rule.advice]} where its advice ends"


def care_text(t: TopicAdvice) -> str:
    """``before-care`` or ``after-care``: which advice a row on a session day is."""
    return "before-care" if t.lead.care is Care.BEFORE else "after-care"


# --- the plan at a glance -----------------------------------------------------------------


class BeforeDate(NamedTuple):
    """A topic before-care restricts: from which day, and what each source says then."""

    advice: TopicAdvice
    start: date
    day: int  # offset from the session (negative)


class Cell(NamedTuple):
    """One topic on one day in the calendar strip."""

    level: Level
    disputed: bool  # the sources disagree that day (see ``model.disagree``)


class StripRow(NamedTuple):
    topic: str
    cells: tuple[Cell | None, ...]  # one per strip day; None: no source speaks
    before_only: bool  # only before-care speaks about it (key dates list it before a session)

    def disputed_days(self) -> list[int]:
        """Indexes of the days on which the sources disagree."""
        return [i for i, c in enumerate(self.cells) if c is not None and c.disputed]


class Strip(NamedTuple):
    """Topics down, days across: the plan's days from the first before-care day to the last
    change; with ``onward``, the last day stands for every day after it."""

    days: tuple[Day, ...]
    onward: bool
    rows: tuple[StripRow, ...]


class DatedInfo(NamedTuple):
    """A 'what to expect' or 'contact your clinic' entry over one run of days."""

    info: Info
    first: Day
    last: Day
    onward: bool  # it runs on past the plan's last day


class SessionSummary(NamedTuple):
    dates: SessionDates
    before: tuple[BeforeDate, ...]


class PlanSummary(NamedTuple):
    """A plan at a glance: per session its key dates, the calendar strip, what to expect."""

    plan: Plan
    sessions: tuple[SessionSummary, ...]
    strip: Strip
    expect: tuple[DatedInfo, ...]
    contact: tuple[DatedInfo, ...]


def plan_summary(p: Plan) -> PlanSummary:
    """Key dates per session (``engine.key_dates``), the strip and the dated notes."""
    from smpcare.engine import Policy

    policy = Policy(p.policy) if p.policy in ("cautious", "majority") else Policy.CAUTIOUS
    sessions = tuple(
        SessionSummary(
            sd,
            tuple(
                BeforeDate(t, start, (start - sd.date).days)
                for t, start in zip(sd.before, sd.before_from, strict=True)
            ),
        )
        for sd in key_dates(p, policy=policy)
    )
    infos = _dated_infos(p)
    return PlanSummary(
        plan=p,
        sessions=sessions,
        strip=_strip(p),
        expect=tuple(i for i in infos if i.info.kind is InfoKind.EXPECT),
        contact=tuple(i for i in infos if i.info.kind is InfoKind.CONTACT),
    )


def _strip(p: Plan) -> Strip:
    order: dict[str, None] = {}
    for d in p.days:
        order.update(dict.fromkeys(t.topic for t in d.topics))
    rank = {t: i for i, t in enumerate(p.labels or {})}  # canonical, then the sheets' own
    topics = sorted(order, key=lambda t: rank.get(t, len(rank)))
    rows = []
    for topic in topics:
        cells = []
        before_only = True
        for d in p.days:
            t = d.topic(topic)
            cells.append(None if t is None else Cell(t.advice, t.conflict))
            if t is not None and any(r.care is Care.AFTER for r in t.sources):
                before_only = False
        rows.append(StripRow(topic, tuple(cells), before_only))
    return Strip(p.days, p.continues, tuple(rows))


def _dated_infos(p: Plan) -> list[DatedInfo]:
    """Each info over each run of consecutive plan days it applies on, by first day."""
    runs: dict[Info, list[list[Day]]] = {}
    prev: Day | None = None
    for d in p.days:
        for info in d.infos:
            spans = runs.setdefault(info, [])
            if spans and prev is not None and info in prev.infos:
                spans[-1].append(d)
            else:
                spans.append([d])
        prev = d
    last = p.days[-1] if p.days else None
    out = [
        DatedInfo(
            info, span[0], span[-1], p.continues and span[-1] is last and info.window.end is None
        )
        for info, spans in runs.items()
        for span in spans
    ]
    return sorted(out, key=lambda i: (i.first.date, i.last.date))


def run_text(first: Day, last: Day, onward: bool = False) -> str:
    """``day 0–2``, ``day 14``, ``day 31 on``: a run of plan days, by day number."""
    if onward:
        text = f"day {first.day} on"
    elif first.day == last.day or first.date == last.date:
        text = f"day {first.day}"
    else:
        text = f"day {first.day}–{last.day}"
    return text


def date_span(first: date, last: date) -> str:
    """``1–3 May``, ``30 Apr – 2 May``, ``1 May``."""
    if first == last:
        return f"{first.day} {first.strftime('%b')}"
    if first.month == last.month and first.year == last.year:
        return f"{first.day}–{last.day} {last.strftime('%b')}"
    return f"{first.day} {first.strftime('%b')} – {last.day} {last.strftime('%b')}"
