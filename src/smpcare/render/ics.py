"""An RFC 5545 calendar of a plan, built with icalendar.

One all-day event per phase and one per milestone ("Shampoo fine again — 2 of 5 sources; 2 say
later"). UIDs are derived from what the event is (kind, dates, topic, the course), so exporting
the same plan twice gives the same UIDs and re-importing updates events instead of duplicating
them. Pure: the caller passes the DTSTAMP.
"""

import hashlib
import re
from typing import NamedTuple
from datetime import date, datetime, time, timedelta

from smpcare.dates import format_day
from smpcare.engine import Milestone, Plan, milestones, phases
from smpcare.errors import SmpcareError
from smpcare.model import STRICTEST_FIRST, Level
from smpcare.render import LEVEL_LABEL, lead_note, phase_title, topic_name, who_says
from smpcare.words import plural

PRODID = "-//smpcare//SMP aftercare plan//EN"


class MilestoneEvent(NamedTuple):
    topic: str
    date: date
    sources: tuple[str, ...]  # fine again from this day
    earlier: tuple[str, ...]  # already fine before this day (same session)
    later: tuple[str, ...]  # fine again on a later day
    no_date: tuple[str, ...]  # restrict it in this session and give no such day

    def summary(self) -> str:
        fine = len(self.earlier) + len(self.sources)
        total = fine + len(self.later) + len(self.no_date)
        text = (f"{topic_name(self.topic).capitalize()} fine again — {fine} of {total} "
                f"{plural(total, 'source')}")
        extra = []
        if self.later:
            extra.append(f"{len(self.later)} {plural(len(self.later), 'says', 'say')} later")
        if self.no_date:
            extra.append(f"{len(self.no_date)} {plural(len(self.no_date), 'gives', 'give')} "
                         f"no date")
        return text + ("; " + ", ".join(extra) if extra else "")


def parse_remind(text: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise SmpcareError("E211", f"--remind '{text}' is not a time of day.",
                           "Use HH:MM on the 24-hour clock, e.g. 08:30.")
    return time(int(m.group(1)), int(m.group(2)))


def milestone_events(plan: Plan) -> list[MilestoneEvent]:
    """Group the per-source milestones of each session into one event per topic and day."""
    bounds = list(plan.sessions[1:]) + [date.max]
    lifts = milestones(plan.days)
    events = []
    for i, session in enumerate(plan.sessions):
        # Before-care for the next session belongs to the next episode's restrictions.
        window = [m for m in lifts if session <= m.date < bounds[i]]
        restricting = _restricting(plan, session, bounds[i])
        for topic in dict.fromkeys(m.topic for m in window):
            first: dict[str, Milestone] = {}
            for m in window:
                if m.topic == topic:
                    first.setdefault(m.source, m)
            dates = sorted({m.date for m in first.values()})
            for d in dates:
                events.append(MilestoneEvent(
                    topic=topic, date=d,
                    sources=tuple(s for s, m in first.items() if m.date == d),
                    earlier=tuple(s for s, m in first.items() if m.date < d),
                    later=tuple(s for s, m in first.items() if m.date > d),
                    no_date=tuple(s for s in restricting.get(topic, ()) if s not in first),
                ))
    return events


def _restricting(plan: Plan, start: date, end: date) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for day in plan.days:
        if start <= day.date < end:
            for t in day.topics:
                for s in t.sources:
                    if s.advice.restricts and s.source not in out.setdefault(t.topic, []):
                        out[t.topic].append(s.source)
    return out


def calendar(plan: Plan, *, stamp: datetime, remind: time | None = None) -> str:
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "SMP aftercare")
    course = ",".join(s.isoformat() for s in plan.sessions) + f"|{plan.policy}|{plan.prefer}"
    total = len(plan.source_ids)
    for phase in phases(plan):
        first, last = phase.first.date, phase.last.date
        event = Event()
        event.add("uid", _uid("phase", course, first.isoformat(), last.isoformat()))
        event.add("dtstamp", stamp)
        event.add("dtstart", first)
        event.add("dtend", (first if phase.open_ended else last) + timedelta(days=1))
        event.add("summary", _phase_summary(phase))
        event.add("description", _phase_description(phase, len(plan.sessions), total))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    for m in milestone_events(plan):
        event = Event()
        event.add("uid", _uid("milestone", course, m.topic, m.date.isoformat()))
        event.add("dtstamp", stamp)
        event.add("dtstart", m.date)
        event.add("dtend", m.date + timedelta(days=1))
        event.add("summary", m.summary())
        lines = [f"From {format_day(m.date, year=True)}: {', '.join(m.sources)}"]
        if m.earlier:
            lines.append(f"Already fine per {', '.join(m.earlier)}")
        if m.later:
            lines.append(f"Later per {', '.join(m.later)}")
        if m.no_date:
            lines.append(f"No date from {', '.join(m.no_date)}")
        lines.append("Where sources disagree, ask your artist.")
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        if remind is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", m.summary())
            alarm.add("trigger", timedelta(hours=remind.hour, minutes=remind.minute),
                      parameters={"RELATED": "START"})
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@smpcare"


def _phase_summary(phase) -> str:
    avoid = [topic_name(t.topic) for t in phase.topics if t.advice is Level.AVOID]
    label = "SMP before-care" if phase.before_care else "SMP aftercare"
    day = f"day {phase.first.day}" + ("+" if phase.open_ended else
                                      "" if phase.first.day == phase.last.day
                                      else f"–{phase.last.day}")
    if avoid:
        shown = ", ".join(avoid[:4]) + (f" +{len(avoid) - 4}" if len(avoid) > 4 else "")
        return f"{label} {day}: avoid {shown}"
    return f"{label} {day}"


def _phase_description(phase, sessions: int, total: int) -> str:
    lines = [phase_title(phase, sessions), ""]
    for level in STRICTEST_FIRST:
        for t in (t for t in phase.topics if t.advice is level):
            mark = " (sources disagree: " + who_says(t, total) + ")" if t.conflict else ""
            lines.append(f"{LEVEL_LABEL[level].upper()} {topic_name(t.topic)}: {lead_note(t)}"
                         f"{mark}")
    for info in phase.infos():
        lines.append(f"{info.kind.value.upper()}: {info.note} ({info.source})")
    if any(t.conflict for t in phase.topics):
        lines += ["", "Where sources disagree, the cautious reading is shown. Ask your artist."]
    return "\n".join(lines)
