"""Resolve a course of sessions into advice per calendar day, per topic, per source.

Pure: takes the guidelines, the session dates and a policy; no I/O, no clock. Each source's
advice on a day is the strictest of its rules that cover that day (a new session's restrictions
override an earlier session's "fine again"); the merged advice combines the speaking sources
under the chosen policy.
"""

from collections import Counter
from datetime import date
from enum import Enum
from typing import Iterable, NamedTuple

from smpcare.errors import SmpcareError
from smpcare.model import (
    TOPICS,
    Anchor,
    Care,
    Guidelines,
    Info,
    InfoKind,
    STRICTEST_FIRST,
    STRICTNESS,
    Level,
    Rule,
    Source,
)
from smpcare.words import plural

# The per-day loops compare strictness as plain integers, not Enum members.
BY_STRICTNESS = {n: level for level, n in STRICTNESS.items()}


class Policy(str, Enum):
    """How the speaking sources' levels combine into one merged advice."""

    CAUTIOUS = "cautious"  # the strictest level wins
    MAJORITY = "majority"  # the level most sources give; ties go to the stricter


class TopicAdvice(NamedTuple):
    topic: str
    advice: Level  # merged under the policy
    conflict: bool  # the speaking sources' levels differ
    sources: tuple[Rule, ...]  # each speaking source's strictest rule that day

    def by_level(self) -> dict[Level, list[str]]:
        """Who says what: level -> source ids, strictest level first."""
        if not self.conflict:
            return {self.sources[0].advice: [s.source for s in self.sources]}
        out: dict[Level, list[str]] = {}
        for s in self.sources:
            out.setdefault(s.advice, []).append(s.source)
        return {lvl: out[lvl] for lvl in STRICTEST_FIRST if lvl in out}


class Day(NamedTuple):
    """Everything that applies on one calendar date."""

    date: date
    day: int  # offset from the most recent session on or before the date (negative before)
    session: int  # 1-based number of that session (1 before the first)
    topics: tuple[TopicAdvice, ...]
    infos: tuple[Info, ...]

    def topic(self, topic: str) -> TopicAdvice | None:
        return next((t for t in self.topics if t.topic == topic), None)


class GapWarning(NamedTuple):
    source: str
    first: date
    second: date
    min_days: int
    quote: str

    def message(self) -> str:
        gap = (self.second - self.first).days
        return (f"sessions on {self.first.isoformat()} and {self.second.isoformat()} are {gap} "
                f"{plural(gap, 'day')} apart; {self.source} says at least "
                f"{self.min_days}: \"{self.quote}\"")


class Milestone(NamedTuple):
    """The day one source rates a topic fine again after restricting it."""

    topic: str
    date: date
    source: str
    advice: Level


class Plan(NamedTuple):
    sessions: tuple[date, ...]
    policy: str  # "cautious", "majority", or "source:ID"
    prefer: str | None  # the source that wins disagreements, if any
    days: tuple[Day, ...]
    continues: bool  # the last day's advice holds from then on (long-term advice)
    warnings: tuple[GapWarning, ...]
    source_ids: tuple[str, ...]
    unverified: tuple[str, ...]  # sources whose quotes could not be checked (no text file)


class Phase(NamedTuple):
    """Consecutive days with identical advice."""

    days: tuple[Day, ...]
    open_ended: bool

    @property
    def first(self) -> Day:
        return self.days[0]

    @property
    def last(self) -> Day:
        return self.days[-1]

    @property
    def topics(self) -> tuple[TopicAdvice, ...]:
        return self.days[0].topics

    @property
    def before_care(self) -> bool:
        return self.first.day < 0

    def infos(self) -> list[Info]:
        seen: dict[Info, None] = {}
        for d in self.days:
            seen.update(dict.fromkeys(d.infos))
        return list(seen)


def normalise_sessions(sessions: list[date] | tuple[date, ...]) -> tuple[date, ...]:
    if not sessions:
        raise SmpcareError("E206", "no session date given.",
                           "Pass --session YYYY-MM-DD (repeat it for each session).")
    return tuple(sorted(set(sessions)))


def build_plan(
    guidelines: Guidelines,
    sessions: list[date] | tuple[date, ...],
    *,
    policy: Policy = Policy.CAUTIOUS,
    prefer: str | None = None,
) -> Plan:
    """Every day from the first before-care day to the day the long-term advice starts."""
    sessions = normalise_sessions(sessions)
    grid = _Grid(guidelines, sessions)
    lo, hi = grid.bounds()
    grid.fill(lo, hi + 2)  # once: the probes below and every day of the plan
    long_term = grid.levels(hi + 1)
    if long_term and grid.levels(hi) != long_term:
        hi += 1  # one more day, so the plan ends on the long-term advice itself
    days = tuple(grid.day(o, policy, prefer) for o in range(lo, hi + 1))
    return Plan(
        sessions=sessions,
        policy=policy.value,
        prefer=prefer,
        days=days,
        continues=bool(long_term),
        warnings=gap_warnings(guidelines, sessions),
        source_ids=tuple(guidelines.ids()),
        unverified=unverified(guidelines),
    )


def unverified(guidelines: Guidelines) -> tuple[str, ...]:
    return tuple(s.id for s in guidelines.sources if not s.verified)


def advice_on(
    guidelines: Guidelines,
    sessions: list[date] | tuple[date, ...],
    on: date,
    *,
    policy: Policy = Policy.CAUTIOUS,
    prefer: str | None = None,
) -> Day:
    """The advice for one date (a date past every window still gets the long-term advice)."""
    sessions = normalise_sessions(sessions)
    return _Grid(guidelines, sessions).day(on.toordinal(), policy, prefer)


def milestones(days: Iterable[Day]) -> list[Milestone]:
    """Days on which a source rates a topic fine again after restricting it, in date order."""
    last: dict[tuple[str, str], Level] = {}
    found = []
    for day in days:
        for t in day.topics:
            for rule in t.sources:
                key = (t.topic, rule.source)
                prev = last.get(key)
                if prev is not None and prev.restricts and not rule.advice.restricts:
                    found.append(Milestone(t.topic, day.date, rule.source, rule.advice))
                last[key] = rule.advice
    return found


def merge(stricts: list[int], policy: Policy) -> Level:
    """One level from the speaking sources' strictness values (see ``STRICTNESS``)."""
    if policy is Policy.MAJORITY:  # the level most sources give; ties go to the stricter
        counts = Counter(stricts)
        top = max(counts.values())
        return BY_STRICTNESS[max(n for n, c in counts.items() if c == top)]
    return BY_STRICTNESS[max(stricts)]


def gap_warnings(guidelines: Guidelines, sessions: tuple[date, ...]) -> tuple[GapWarning, ...]:
    warnings = []
    for first, second in zip(sessions, sessions[1:]):
        for source in guidelines.sources:
            gap = source.min_gap
            if gap is not None and (second - first).days < gap.days:
                warnings.append(GapWarning(source.id, first, second, gap.days, gap.quote))
    return tuple(warnings)


def phases(plan: Plan) -> list[Phase]:
    """Group consecutive days whose advice (and session) is identical."""
    groups: list[list[Day]] = []
    key = None
    for day in plan.days:
        k = (day.session, day.day < 0, _advice_key(day))
        if groups and k == key:
            groups[-1].append(day)
        else:
            groups.append([day])
            key = k
    return [
        Phase(tuple(g), open_ended=plan.continues and i == len(groups) - 1)
        for i, g in enumerate(groups)
    ]


def _advice_key(day: Day) -> tuple:
    return tuple(
        (t.topic, t.advice, t.sources)
        for t in day.topics
    )


class _Grid:
    """Per day (as an ordinal), per topic, per source: the strictest covering rule."""

    def __init__(self, guidelines: Guidelines, sessions: tuple[date, ...]):
        self.sources = guidelines.sources
        self.sessions = [s.toordinal() for s in sessions]
        self.order = {t: i for i, t in enumerate(list(TOPICS) + guidelines.topics())}
        # Source by source (so each cell lists sources in guideline order), and within a
        # source strictest rule first (so the first rule to reach a cell is the one that holds).
        self.rule_spans: list[tuple[Rule, list[tuple[int, int | None]]]] = [
            (rule, self._spans(rule.window.start, rule.window.end, rule.anchor,
                               until_next=rule.care is Care.AFTER and not rule.advice.restricts))
            for source in self.sources
            for rule in sorted(source.rules, key=lambda r: -STRICTNESS[r.advice])
        ]
        self.info_spans: list[tuple[Info, list[tuple[int, int | None]]]] = [
            (info, self._spans(info.window.start, info.window.end, info.anchor))
            for source in self.sources for info in source.infos
        ]
        # day -> topic -> source -> (strictness, the source's strictest rule covering the day)
        self.cells: dict[int, dict[str, dict[str, tuple[int, Rule]]]] = {}
        self.filled: tuple[int, int] | None = None

    def _spans(self, start: int, end: int | None, anchor: Anchor,
               until_next: bool = False) -> list[tuple[int, int | None]]:
        """The rule's days in ordinals: one span per session, overlapping ones merged.

        With ``until_next``, each session's span stops the day before the next session: a
        new session restarts healing, so what a source allowed or recommended after one
        session does not carry into the next. Restrictions run their course.
        """
        anchors = self.sessions[-1:] if anchor is Anchor.COURSE_END else self.sessions
        spans: list[tuple[int, int | None]] = []
        for i, s in enumerate(anchors):
            a, b = s + start, None if end is None else s + end
            if until_next and anchor is Anchor.SESSION and i + 1 < len(anchors):
                cut = anchors[i + 1] - 1
                b = cut if b is None else min(b, cut)
                if b < a:
                    continue
            if spans and (spans[-1][1] is None or a <= spans[-1][1] + 1):
                prev_a, prev_b = spans[-1]
                spans[-1] = (prev_a, None if b is None or prev_b is None else max(prev_b, b))
            else:
                spans.append((a, b))
        return spans

    def bounds(self) -> tuple[int, int]:
        starts, ends = [], []
        for _, spans in self.rule_spans + self.info_spans:
            for a, b in spans:
                starts.append(a)
                ends.append(a if b is None else b)
        if not starts:
            return self.sessions[0], self.sessions[-1]
        return min(starts), max(ends)

    def fill(self, lo: int, hi: int) -> None:
        """Resolve every cell from ``lo`` to ``hi``: each rule walks only its own days."""
        if self.filled and self.filled[0] <= lo and hi <= self.filled[1]:
            return
        cells: dict[int, dict[str, dict[str, tuple[int, Rule]]]] = {
            o: {} for o in range(lo, hi + 1)}
        for rule, spans in self.rule_spans:
            entry = (STRICTNESS[rule.advice], rule)
            topic, source = rule.topic, rule.source
            for a, b in spans:
                for o in range(max(a, lo), (hi if b is None else min(b, hi)) + 1):
                    day = cells[o]
                    cell = day.get(topic)
                    if cell is None:
                        day[topic] = {source: entry}
                    elif source not in cell:  # a stricter rule of this source got here first
                        cell[source] = entry
        self.cells, self.filled = cells, (lo, hi)

    def levels(self, o: int) -> dict[str, tuple[Rule, ...]]:
        self.fill(o, o)
        return {topic: tuple(r for _, r in cell.values())
                for topic, cell in self.cells[o].items()}

    def day(self, o: int, policy: Policy, prefer: str | None) -> Day:
        if not self.filled or not (self.filled[0] <= o <= self.filled[1]):
            lo, hi = self.bounds()
            self.fill(min(lo, o), max(hi + 1, o))
        topics = []
        cells = self.cells[o]
        for topic in sorted(cells, key=self.order.__getitem__):
            cell = cells[topic]  # sources in guideline order: rules are filled source by source
            advice = tuple(rule for _, rule in cell.values())
            stricts = [st for st, _ in cell.values()]
            if prefer is not None and prefer in cell:
                merged = cell[prefer][1].advice
            else:
                merged = merge(stricts, policy)
            topics.append(TopicAdvice(topic=topic, advice=merged,
                                      conflict=min(stricts) != max(stricts), sources=advice))
        infos = tuple(
            info for info, spans in self.info_spans
            if any(a <= o and (b is None or o <= b) for a, b in spans)
        ) if self.info_spans else ()
        day, session = self._day_number(o)
        return Day(date.fromordinal(o), day, session, tuple(topics), infos)

    def _day_number(self, o: int) -> tuple[int, int]:
        past = [i for i, s in enumerate(self.sessions) if s <= o]
        if not past:
            return o - self.sessions[0], 1
        return o - self.sessions[past[-1]], past[-1] + 1


def source_or_error(guidelines: Guidelines, source_id: str, what: str = "--source") -> Source:
    source = guidelines.get(source_id)
    if source is None:
        raise SmpcareError(
            "E203", f"{what} '{source_id}' is not a known source.",
            f"Known sources: {', '.join(guidelines.ids())}.",
        )
    return source


def expect_and_contact(infos: list[Info] | tuple[Info, ...]) -> tuple[list[Info], list[Info]]:
    return ([i for i in infos if i.kind is InfoKind.EXPECT],
            [i for i in infos if i.kind is InfoKind.CONTACT])


class Change(NamedTuple):
    """How one topic's merged advice differs between two days (None: nobody speaks)."""

    topic: str
    before: TopicAdvice | None
    after: TopicAdvice | None


class Countdown(NamedTuple):
    """For a topic restricted today: when each source rates it fine again."""

    topic: str
    dates: tuple[tuple[str, date, Level], ...]  # (source, first fine day, its level)
    no_date: tuple[str, ...]  # sources that restrict it today and give no such day


class TodayReport(NamedTuple):
    sessions: tuple[date, ...]
    policy: str
    prefer: str | None
    source_ids: tuple[str, ...]
    unverified: tuple[str, ...]
    day: Day
    tomorrow: tuple[Change, ...]
    countdowns: tuple[Countdown, ...]
    first_day: date  # the plan's first (before-care) day
    last_dated_day: date  # from the day after, only long-term advice applies
    next_session: date | None
    warnings: tuple[GapWarning, ...]

    @property
    def status(self) -> str:
        """``before`` (nothing applies yet), ``long-term`` (every dated window closed), ``active``."""
        if self.day.date < self.first_day:
            return "before"
        if self.day.date > self.last_dated_day:
            return "long-term"
        return "active"


def today_report(
    guidelines: Guidelines,
    sessions: list[date] | tuple[date, ...],
    on: date,
    *,
    policy: Policy = Policy.CAUTIOUS,
    prefer: str | None = None,
    horizon: int = 60,
) -> TodayReport:
    """What applies on ``on``, what changes the day after, and when restrictions lift."""
    sessions = normalise_sessions(sessions)
    grid = _Grid(guidelines, sessions)
    lo, hi = grid.bounds()
    o = on.toordinal()
    grid.fill(min(lo, o), max(hi, o) + horizon)
    ahead = [grid.day(d, policy, prefer) for d in range(o, o + horizon + 1)]
    today, tomorrow = ahead[0], ahead[1]
    lifts = [m for m in milestones(ahead) if m.date > on]
    return TodayReport(
        sessions=sessions,
        policy=policy.value,
        prefer=prefer,
        source_ids=tuple(guidelines.ids()),
        unverified=unverified(guidelines),
        day=today,
        tomorrow=_changes(today, tomorrow),
        countdowns=_countdowns(today, lifts),
        first_day=date.fromordinal(lo),
        last_dated_day=date.fromordinal(hi),
        next_session=next((s for s in sessions if s > on), None),
        warnings=gap_warnings(guidelines, sessions),
    )


def _changes(today: Day, tomorrow: Day) -> tuple[Change, ...]:
    """Topics whose merged advice changes, that start or end, or on which a source that
    speaks on both days changes its level. A source falling silent is not a change."""
    a = {t.topic: t for t in today.topics}
    b = {t.topic: t for t in tomorrow.topics}
    out = []
    for topic in list(a) + [t for t in b if t not in a]:
        old, new = a.get(topic), b.get(topic)
        if old is None or new is None or old.advice is not new.advice:
            out.append(Change(topic, old, new))
            continue
        before = {r.source: r.advice for r in old.sources}
        if any(before.get(r.source, r.advice) is not r.advice for r in new.sources):
            out.append(Change(topic, old, new))
    return tuple(out)


def _countdowns(today: Day, lifts: list[Milestone]) -> tuple[Countdown, ...]:
    out = []
    for t in today.topics:
        if not t.advice.restricts:
            continue
        restricting = [s.source for s in t.sources if s.advice.restricts]
        first: dict[str, Milestone] = {}
        for m in lifts:
            if m.topic == t.topic and m.source in restricting:
                first.setdefault(m.source, m)
        dates = tuple(sorted(((s, m.date, m.advice) for s, m in first.items()),
                             key=lambda x: (x[1], x[0])))
        no_date = tuple(s for s in restricting if s not in first)
        out.append(Countdown(t.topic, dates, no_date))
    return tuple(out)


def source_days(
    guidelines: Guidelines, *, extra: int = 1
) -> tuple[int, int, dict[int, dict[str, dict[str, Rule]]]]:
    """Each source's strictest rule per day and topic, for one session on day 0.

    Returns (first day, last dated day, cells by day offset); cells run ``extra`` days past the
    last dated day, where only open-ended (long-term) advice remains.
    """
    anchor = date(2000, 1, 3)
    grid = _Grid(guidelines, (anchor,))
    lo, hi = grid.bounds()
    grid.fill(lo, hi + extra)
    base = anchor.toordinal()
    return lo - base, hi - base, {
        o - base: {topic: {sid: rule for sid, (_, rule) in cell.items()}
                   for topic, cell in topics.items()}
        for o, topics in grid.cells.items()
    }
