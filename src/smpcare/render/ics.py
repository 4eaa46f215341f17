"""An RFC 5545 calendar of a plan that stays right when the course changes.

Events, all-day and transparent:

- one per phase, consecutive days with the same advice, named by the session they belong to
  ("SMP session 2 · days 1–2: avoid …", "SMP before session 2 · day -1: …"); every session
  day is an event of its own;
- one "fine again" event per session and topic, on the day the topic is fine again under the
  chosen policy (``engine.key_dates``), with each source's own date and words. A restriction
  that ends in silence gets none: the phase after it says that no date is given.

A UID names what its event is (the course's first session, the kind, the session number, the
topic, the dates it covers), never the whole plan, so adding, moving or removing a session
leaves the UIDs of the other events as they were. Given the record of the previous export to
the same file, an event whose content changed gets a higher SEQUENCE and a new LAST-MODIFIED,
and an event that no longer exists is sent again as STATUS:CANCELLED (higher SEQUENCE), so a
calendar that imports the new file drops it. Pure: the caller passes the time and the record.
"""

import hashlib
import re
from bisect import bisect_right
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from smpcare.dates import format_day
from smpcare.engine import Day, FineAgain, Phase, Plan, Policy, SessionDates, key_dates, phases
from smpcare.errors import SmpcareError
from smpcare.exports import Recorded
from smpcare.model import STRICTEST_FIRST, Care, Level
from smpcare.render import LEVEL_LABEL, condition_text, lead_note, topic_name, who_says

if TYPE_CHECKING:
    from icalendar import Calendar

PRODID = "-//smpcare//SMP aftercare plan//EN"
UID_DOMAIN = "smpcare"
SHOWN_IN_SUMMARY = 4  # avoided topics named in a phase's summary; the rest are counted


class Entry(NamedTuple):
    """What one event says, before it is stamped with a SEQUENCE and times."""

    uid: str
    start: date
    end: date  # exclusive, as DTEND of an all-day event
    summary: str
    description: str
    alarm: bool = False  # a reminder on the day (milestones, with --remind)

    def digest(self, remind: time | None) -> str:
        """What decides whether the event changed since the last export."""
        when = remind.isoformat() if self.alarm and remind is not None else ""
        text = "\x1f".join(
            (self.start.isoformat(), self.end.isoformat(), self.summary, self.description, when)
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Export(NamedTuple):
    """The calendar text and the record to keep for the next export to the same file."""

    text: str
    record: dict[str, Recorded]
    new: int
    changed: int
    unchanged: int
    cancelled: int  # cancelled by this export (not counting ones cancelled earlier)


def parse_remind(text: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise SmpcareError(
            "E211",
            f"--remind '{text}' is not a time of day.",
            "Use HH:MM on the 24-hour clock, e.g. 08:30.",
        )
    return time(int(m.group(1)), int(m.group(2)))


def calendar(
    plan: Plan,
    *,
    stamp: datetime,
    remind: time | None = None,
    previous: Mapping[str, Recorded] | None = None,
) -> Export:
    """The calendar of ``plan``, numbered against ``previous`` (the last export's record)."""
    from icalendar import Calendar

    previous = previous or {}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "SMP aftercare")
    record: dict[str, Recorded] = {}
    counts = {"new": 0, "changed": 0, "unchanged": 0, "cancelled": 0}
    for e in entries(plan):
        digest = e.digest(remind)
        old = previous.get(e.uid)
        if old is None:
            counts["new"] += 1
            sequence, modified = 0, stamp
        elif old.digest == digest and not old.cancelled:
            counts["unchanged"] += 1
            sequence, modified = old.sequence, old.modified
        else:
            counts["changed"] += 1
            sequence, modified = old.sequence + 1, stamp
        record[e.uid] = Recorded(sequence, digest, modified, e.start, e.end, e.summary)
        _add(
            cal,
            e,
            stamp=stamp,
            sequence=sequence,
            modified=modified,
            remind=remind if e.alarm else None,
        )
    for uid, old in previous.items():
        if uid in record:
            continue
        if not old.cancelled:
            counts["cancelled"] += 1
            old = old._replace(sequence=old.sequence + 1, modified=stamp, cancelled=True)
        record[uid] = old
        # Sent again on every later export, so that a calendar that missed one still drops it.
        gone = Entry(
            uid,
            old.start,
            old.end,
            old.summary,
            "No longer part of your plan: your sessions or the advice changed.",
        )
        _add(
            cal,
            gone,
            stamp=stamp,
            sequence=old.sequence,
            modified=old.modified,
            remind=None,
            status="CANCELLED",
        )
    return Export(cal.to_ical().decode("utf-8"), record, **counts)


def _add(
    cal: "Calendar",
    e: Entry,
    *,
    stamp: datetime,
    sequence: int,
    modified: datetime,
    remind: time | None,
    status: str = "CONFIRMED",
) -> None:
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", e.uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", modified)
    event.add("sequence", sequence)
    event.add("status", status)
    event.add("dtstart", e.start)
    event.add("dtend", e.end)
    event.add("summary", e.summary)
    event.add("description", e.description)
    event.add("transp", "TRANSPARENT")
    if remind is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e.summary)
        alarm.add(
            "trigger",
            timedelta(hours=remind.hour, minutes=remind.minute),
            parameters={"RELATED": "START"},
        )
        event.add_component(alarm)
    cal.add_component(event)


def entries(plan: Plan) -> list[Entry]:
    """Every event of the plan's calendar: the phases, then the "fine again" milestones."""
    dates = key_dates(plan, policy=_policy(plan))
    course = plan.sessions[0].isoformat()
    silent = _silent_ends(dates, plan.labels)
    groups = _groups(plan)
    notes: dict[int, list[str]] = {}
    for when, text in silent:
        i = next(
            (
                i
                for i, g in enumerate(groups)
                if g.days[0].date <= when <= g.days[-1].date
                or (g.open_ended and g.days[0].date <= when)
            ),
            len(groups) - 1,
        )
        notes.setdefault(i, []).append(text)
    out = [_phase_entry(plan, g, course, notes.get(i, ())) for i, g in enumerate(groups)]
    by_date = {d.date: d for d in plan.days}
    for sd in dates:
        for f in sd.after:
            if f.date is None:
                continue
            today = by_date[f.date].topic(f.topic)
            if today is not None and today.advice.restricts:
                # Fine per after-care, yet the next session's before-care restricts it that
                # day: a "fine again" event would contradict the day's advice.
                continue
            out.append(_milestone_entry(plan, sd, f, course))
    return out


class _Group(NamedTuple):
    """A phase as the calendar shows it: days of one session (or of its before-care)."""

    kind: str  # "before" or "session"
    session: int  # the session it belongs to, 1-based
    days: tuple[Day, ...]
    open_ended: bool


def _groups(plan: Plan) -> list[_Group]:
    """The engine's phases, split so that before-care of every session is labelled as such and
    every session day is an event of its own."""
    starts = _before_starts(plan)
    out: list[_Group] = []
    for phase in phases(plan):
        runs: list[tuple[tuple[str, int], list[Day]]] = []
        for d in phase.days:
            here = _label(plan, starts, d.date)
            if (
                not runs
                or here != runs[-1][0]
                or d.date in plan.sessions
                or runs[-1][1][-1].date in plan.sessions
            ):
                runs.append((here, []))
            runs[-1][1].append(d)
        for i, ((kind, n), days) in enumerate(runs):
            out.append(_Group(kind, n, tuple(days), phase.open_ended and i == len(runs) - 1))
    return out


def _before_starts(plan: Plan) -> dict[int, date]:
    """For each session after the first: the first day of its before-care, the first day after
    the previous session on which a before-care rule speaks."""
    starts: dict[int, date] = {}
    for d in plan.days:
        n = bisect_right(plan.sessions, d.date) + 1  # the next session's number
        if (
            1 < n <= len(plan.sessions)
            and n not in starts
            and d.date > plan.sessions[n - 2]
            and any(r.care is Care.BEFORE for t in d.topics for r in t.sources)
        ):
            starts[n] = d.date
    return starts


def _label(plan: Plan, starts: dict[int, date], day: date) -> tuple[str, int]:
    """("before", n) on the days of session n's before-care, else ("session", n) on the days
    counted from session n."""
    past = bisect_right(plan.sessions, day)  # sessions on or before the day
    if past == 0:
        return "before", 1
    if past + 1 in starts and day >= starts[past + 1]:
        return "before", past + 1
    return "session", past


def _phase_entry(plan: Plan, g: _Group, course: str, notes: tuple[str, ...] | list[str]) -> Entry:
    first, last = g.days[0].date, g.days[-1].date
    session = plan.sessions[g.session - 1]
    a, b = (first - session).days, (last - session).days
    if g.open_ended:
        days = f"day {a} onward"
    elif a == b:
        days = f"day {a}"
    else:
        days = f"days {a}–{b}" if a >= 0 else f"days {a} to {b}"
    title = f"Session {g.session}" if g.kind == "session" else f"Before session {g.session}"
    name = f"SMP {title[0].lower()}{title[1:]}"
    phase = Phase(g.days, g.open_ended)
    avoid = [topic_name(t.topic, plan.labels) for t in phase.topics if t.advice is Level.AVOID]
    summary = f"{name} · {days}"
    if avoid:
        shown = ", ".join(avoid[:SHOWN_IN_SUMMARY])
        more = len(avoid) - SHOWN_IN_SUMMARY
        summary += f": avoid {shown}" + (f" +{more}" if more > 0 else "")
    span = (
        f"from {format_day(first, year=True)}"
        if g.open_ended
        else format_day(first, year=True)
        if first == last
        else f"{format_day(first)} – {format_day(last, year=True)}"
    )
    head = [f"{title} ({format_day(session, year=True)}) · {days} · {span}"]
    if g.kind == "session" and a == 0:
        head.append(f"Your SMP session {g.session} is today.")
    elif g.kind == "before" and g.session > 1:
        prev = plan.sessions[g.session - 2]
        since, until = (first - prev).days, (last - prev).days
        count = f"Day {since}" if since == until else f"Days {since}–{until}"
        head.append(
            f"{count} after session {g.session - 1} "
            f"({format_day(prev, year=True)}): its after-care still applies."
        )
    uid = _uid(
        "phase",
        course,
        g.kind,
        str(g.session),
        first.isoformat(),
        "onward" if g.open_ended else last.isoformat(),
    )
    end = (first if g.open_ended else last) + timedelta(days=1)
    return Entry(
        uid,
        first,
        end,
        summary,
        _phase_description(phase, head, notes, len(plan.source_ids), _reading(plan), plan.labels),
    )


def _phase_description(
    phase: Phase,
    head: list[str],
    notes: tuple[str, ...] | list[str],
    total: int,
    reading: str,
    labels: Mapping[str, str],
) -> str:
    lines = [*head, ""]
    for level in STRICTEST_FIRST:
        for t in (t for t in phase.topics if t.advice is level):
            mark = " (sources disagree: " + who_says(t, total) + ")" if t.conflict else ""
            lines.append(
                f"{LEVEL_LABEL[level].upper()} {topic_name(t.topic, labels)}: {lead_note(t)}{mark}"
            )
    conditions = dict.fromkeys(r for d in phase.days for r in d.conditions)
    lines += [condition_text(r, labels) for r in conditions]
    for info in phase.infos():
        lines.append(f"{info.kind.value.upper()}: {info.note} ({info.source})")
    if notes:
        lines += [""] + [f"NO DATE GIVEN {n}" for n in notes]
    if any(t.conflict for t in phase.topics):
        lines += ["", f"Where sources disagree, the {reading} is shown. Ask your artist."]
    return "\n".join(lines)


def _milestone_entry(plan: Plan, sd: SessionDates, f: FineAgain, course: str) -> Entry:
    assert f.date is not None
    day = (f.date - sd.date).days
    reading = _reading(plan)
    name = topic_name(f.topic, plan.labels)
    summary = f"SMP session {sd.number} · day {day}: {name} fine again ({reading})"
    lines = [
        f"{name[:1].upper()}{name[1:]} is fine again from "
        f"{format_day(f.date, year=True)}, day {day} after session {sd.number} "
        f"({format_day(sd.date, year=True)}), under the {reading}."
    ]
    if f.rule is not None:
        lines.append(f"{f.rule.note} ({f.rule.source})")
    lines += ["", "What each source says:"]
    nxt = sd.number + 1 if sd.number < len(plan.sessions) else None
    for s in f.sources:
        if s.date is not None:
            when = f"fine from {format_day(s.date)} (day {(s.date - sd.date).days})"
        elif s.ends is not None:
            when = (
                f"no date given (its advice ends after {format_day(s.ends)}, day "
                f"{(s.ends - sd.date).days}; ask your artist)"
            )
        elif nxt is not None:
            when = f"still restricts it when session {nxt} starts"
        else:
            when = "still restricts it (long-term advice)"
        lines.append(f'- {s.source}, {when}: "{s.rule.quote}"')
    if f.disagree:
        lines += ["", "The sources give different dates. Ask your artist which to follow."]
    uid = _uid("fine-again", course, str(sd.number), f.topic, f.date.isoformat())
    return Entry(uid, f.date, f.date + timedelta(days=1), summary, "\n".join(lines), alarm=True)


def _silent_ends(
    dates: tuple[SessionDates, ...], labels: Mapping[str, str]
) -> list[tuple[date, str]]:
    """Restrictions that end because every source restricting them falls silent: the day
    after, and what to say about it then."""
    out = []
    for sd in dates:
        for f in sd.after:
            if f.date is not None or f.until_next or f.open_ended:
                continue
            silent = sorted(
                (s for s in f.sources if s.date is None and s.ends is not None),
                key=lambda s: (s.ends or date.max, s.source),
            )
            if not silent:
                continue
            ends = []
            for s in silent:
                assert s.ends is not None
                ends.append(
                    f"{s.source}'s advice ends after day {(s.ends - sd.date).days} "
                    f"({format_day(s.ends)})"
                )
            last = silent[-1].ends
            assert last is not None
            out.append(
                (
                    last + timedelta(days=1),
                    f"{topic_name(f.topic, labels)}: after session {sd.number}, "
                    f"{', '.join(ends)}; ask your artist",
                )
            )
    return out


def _policy(plan: Plan) -> Policy:
    """The merge policy behind the plan (with --source, one source: any policy reads it)."""
    try:
        return Policy(plan.policy)
    except ValueError:
        return Policy.CAUTIOUS


def _reading(plan: Plan) -> str:
    """``cautious reading``, ``majority reading, elka preferred``, ``per elka``."""
    if plan.policy.startswith("source:"):
        return f"per {plan.policy.split(':', 1)[1]}"
    text = f"{plan.policy} reading"
    return f"{text}, {plan.prefer} preferred" if plan.prefer else text


def _uid(*parts: str) -> str:
    """A UID from what the event is: the same parts give the same UID in every export."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@{UID_DOMAIN}"
