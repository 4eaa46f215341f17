"""Resolve a course of sessions into advice per calendar day, per topic, per source.

Pure: takes the guidelines, the session dates and a policy; no I/O, no clock. Each source's
advice on a day is the strictest of its rules that cover that day (a new session's restrictions
override an earlier session's "fine again"); the merged advice combines the speaking sources
under the chosen policy.
"""

from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple, TypeVar

from smpcare.errors import EXIT_DATA, SmpcareError, cut
from smpcare.model import (
    STRICTEST_FIRST,
    STRICTNESS,
    Anchor,
    Care,
    Guidelines,
    Info,
    InfoKind,
    Level,
    Rule,
    Source,
    Topic,
    disagree,
)
from smpcare.words import plural

_T = TypeVar("_T")

# Result fields named ``date`` shadow the type inside their class: annotate later fields so.
_Date = date

# The per-day loops compare strictness as plain integers, not Enum members.
BY_STRICTNESS = {n: level for level, n in STRICTNESS.items()}
PLAN_TOO_LARGE = "E218"
# A plan repeats each rule's words on every day the rule covers, so a small sheet (a long note
# on a rule that runs ten years, fifty topics avoided for ten years) could make a plan of
# gigabytes. The largest real course, 50 sessions over ten years with the bundled articles
# and both example clinics, counts about 90 million characters here (a 113 MB JSON plan,
# 3.4 s); the limit leaves twice that, and keeps any plan to a few hundred MB and seconds.
CELL_OVERHEAD = 250  # characters of structure around a rule's words on a day (JSON keys)
MAX_VOLUME = 200_000_000


class Policy(StrEnum):
    """How the speaking sources' levels combine into one merged advice."""

    CAUTIOUS = "cautious"  # the strictest level wins
    MAJORITY = "majority"  # the level most sources give; ties go to the stricter


class TopicAdvice(NamedTuple):
    topic: str
    advice: Level  # merged under the policy
    conflict: bool  # the speaking sources disagree (see ``model.disagree``)
    sources: tuple[Rule, ...]  # each speaking source's strictest rule that day
    lead: Rule  # the rule whose words are shown: the preferred source's when it wins, else
    # the first source whose level is the merged one
    more: tuple[Rule, ...] = ()  # a speaking source's further instructions at its level that
    # day ("No gym." and "Nothing that makes you sweat heavily"): shown, never dropped

    def by_level(self) -> dict[Level, list[str]]:
        """Who says what: level -> source ids, strictest level first."""
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
    conditions: tuple[Rule, ...] = ()  # conditional advice covering the day ("if …"): shown
    # beside the day's advice, never merged into it

    def topic(self, topic: str) -> TopicAdvice | None:
        return next((t for t in self.topics if t.topic == topic), None)


class GapWarning(NamedTuple):
    source: str
    first: date
    second: date
    min_days: int
    quote: str
    interpretation: str | None = None  # how the source's words were read as a number of days

    def message(self) -> str:
        gap = (self.second - self.first).days
        return (
            f"sessions on {self.first.isoformat()} and {self.second.isoformat()} are {gap} "
            f"{plural(gap, 'day')} apart; {self.source} says at least "
            f'{self.min_days}: "{self.quote}"'
            + (f" (read as: {self.interpretation})" if self.interpretation else "")
        )


class Plan(NamedTuple):
    sessions: tuple[date, ...]
    policy: str  # "cautious", "majority", or "source:ID"
    prefer: str | None  # the source that wins disagreements, if any
    days: tuple[Day, ...]
    continues: bool  # the last day's advice holds from then on (long-term advice)
    warnings: tuple[GapWarning, ...]
    source_ids: tuple[str, ...]
    unverified: tuple[str, ...]  # sources whose quotes could not be checked (no text file)
    labels: Mapping[str, str] = {}  # topic id -> the words to print, the sheets' own included


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
        raise SmpcareError(
            "E206",
            "no session date given.",
            "Pass --session YYYY-MM-DD (repeat it for each session).",
        )
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
    volume = grid.volume(lo, hi + 2)
    if volume > MAX_VOLUME:
        raise SmpcareError(
            PLAN_TOO_LARGE,
            f"this plan would repeat about {volume:,} characters of advice ({hi + 1 - lo:,} "
            f"days, {len(guidelines.sources)} sources: each rule's words on every day it "
            f"covers), more than the {MAX_VOLUME:,} a plan holds.",
            "Plan fewer sessions, leave out a source with --source, or ask the clinic for "
            "shorter windows and notes on its sheet.",
            exit_code=EXIT_DATA,
        )
    grid.fill(lo, hi + 2)  # once: the probes below and every day of the plan
    after = grid.day(hi + 1, policy, prefer)
    long_term = bool(after.topics or after.conditions)
    if long_term and _advice_key(grid.day(hi, policy, prefer)) != _advice_key(after):
        hi += 1  # one more day, so the plan ends on the long-term advice itself
    days = tuple(grid.day(o, policy, prefer) for o in range(lo, hi + 1))
    return Plan(
        sessions=sessions,
        policy=policy.value,
        prefer=prefer,
        days=days,
        continues=long_term,
        warnings=gap_warnings(guidelines, sessions),
        source_ids=tuple(guidelines.ids()),
        unverified=unverified(guidelines),
        labels=guidelines.labels(),
    )


def _words(item: Rule | Info) -> int:
    extra = item.condition if isinstance(item, Rule) else None
    return len(item.note) + len(item.quote) + len(item.interpretation or "") + len(extra or "")


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


def _by_day(
    items: list[tuple[_T, list[tuple[int, int | None]]]], lo: int, hi: int
) -> dict[int, list[_T]]:
    """Each day from ``lo`` to ``hi`` with the items whose spans cover it, in item order."""
    out: dict[int, list[_T]] = {}
    for item, spans in items:
        for a, b in spans:
            for o in range(max(a, lo), (hi if b is None else min(b, hi)) + 1):
                out.setdefault(o, []).append(item)
    return out


def _with_parent(
    cells: dict[str, dict[str, tuple[int, Rule]]], topic: str, table: Mapping[str, Topic]
) -> dict[str, tuple[int, Rule]]:
    """A day's cell for ``topic`` (sources in guideline order: rules are filled source by
    source), with the broader topic's advice for the sources silent on this one: "skip hair
    creams and oils" speaks about a moisturizer too."""
    cell = cells[topic]
    parent = table[topic].parent if topic in table else None
    if parent is None or parent not in cells:
        return cell
    return {**cell, **{sid: e for sid, e in cells[parent].items() if sid not in cell}}


def _advice(
    topic: str, cell: dict[str, tuple[int, Rule]], policy: Policy, prefer: str | None
) -> TopicAdvice:
    """One topic's merged advice from each speaking source's (strictness, rule)."""
    rules = tuple(rule for _, rule in cell.values())
    if prefer is not None and prefer in cell:
        lead = cell[prefer][1]
        merged = lead.advice
    else:
        merged = merge([st for st, _ in cell.values()], policy)
        lead = next(r for r in rules if r.advice is merged)
    return TopicAdvice(
        topic=topic,
        advice=merged,
        conflict=disagree(r.advice for r in rules),
        sources=rules,
        lead=lead,
    )


def merge(stricts: list[int], policy: Policy) -> Level:
    """One level from the speaking sources' strictness values (see ``STRICTNESS``)."""
    if policy is Policy.MAJORITY:  # the level most sources give; ties go to the stricter
        counts = Counter(stricts)
        top = max(counts.values())
        return BY_STRICTNESS[max(n for n, c in counts.items() if c == top)]
    return BY_STRICTNESS[max(stricts)]


def gap_warnings(guidelines: Guidelines, sessions: tuple[date, ...]) -> tuple[GapWarning, ...]:
    warnings = []
    for first, second in pairwise(sessions):
        for source in guidelines.sources:
            gap = source.min_gap
            if gap is not None and (second - first).days < gap.days:
                warnings.append(
                    GapWarning(source.id, first, second, gap.days, gap.quote, gap.interpretation)
                )
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


def _advice_key(day: Day) -> tuple[object, ...]:
    return (tuple((t.topic, t.advice, t.sources, t.more) for t in day.topics), day.conditions)


class _Grid:
    """Per day (as an ordinal), per topic, per source: the strictest covering rule."""

    def __init__(self, guidelines: Guidelines, sessions: tuple[date, ...]):
        self.sources = guidelines.sources
        self.sessions = [s.toordinal() for s in sessions]
        self.table = guidelines.topic_table()
        self.order = {t: i for i, t in enumerate(list(self.table) + guidelines.topics())}
        # Source by source (so each cell lists sources in guideline order), and within a
        # source strictest rule first (so the first rule to reach a cell is the one that holds).
        spans = [
            (
                rule,
                self._spans(
                    rule.window.start,
                    rule.window.end,
                    rule.anchor,
                    until_next=rule.care is Care.AFTER and not rule.advice.restricts,
                ),
            )
            for source in self.sources
            for rule in sorted(source.rules, key=lambda r: -STRICTNESS[r.advice])
        ]
        self.rule_spans = [(r, sp) for r, sp in spans if r.condition is None]
        self.cond_spans = [(r, sp) for r, sp in spans if r.condition is not None]
        # What to expect after a session stops when the next one starts: it restarts healing.
        self.info_spans: list[tuple[Info, list[tuple[int, int | None]]]] = [
            (info, self._spans(info.window.start, info.window.end, info.anchor, until_next=True))
            for source in self.sources
            for info in source.infos
        ]
        # day -> topic -> source -> (strictness, the source's strictest rule covering the day)
        self.cells: dict[int, dict[str, dict[str, tuple[int, Rule]]]] = {}
        self.more: dict[tuple[int, str], list[Rule]] = {}
        self.filled: tuple[int, int] | None = None
        self.infos: dict[int, list[Info]] = {}
        self.conditions: dict[int, list[Rule]] = {}

    def _spans(
        self, start: int, end: int | None, anchor: Anchor, until_next: bool = False
    ) -> list[tuple[int, int | None]]:
        """The rule's days in ordinals: one span per session, overlapping ones merged.

        With ``until_next``, each session's span stops the day before the next session: a
        new session restarts healing, so what a source allowed or recommended after one
        session does not carry into the next. Restrictions run their course.
        """
        anchors = self.sessions[-1:] if anchor is Anchor.COURSE_END else self.sessions
        spans: list[tuple[int, int | None]] = []
        for i, s in enumerate(anchors):
            a, b = s + start, None if end is None else s + end
            if anchor is Anchor.NEXT_SESSION:  # up to the day before the next session
                b = anchors[i + 1] - 1 if i + 1 < len(anchors) else None
                if b is not None and b < a:
                    continue
            elif until_next and anchor is Anchor.SESSION and i + 1 < len(anchors):
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
        for _, spans in self.rule_spans + self.cond_spans + self.info_spans:
            for a, b in spans:
                starts.append(a)
                ends.append(a if b is None else b)
        if not starts:
            return self.sessions[0], self.sessions[-1]
        return min(starts), max(ends)

    def volume(self, lo: int, hi: int) -> int:
        """About how many characters the plan from ``lo`` to ``hi`` repeats: every day a
        rule, condition or note covers carries its words (and some structure) once more."""
        total = 0
        for item, spans in self.rule_spans + self.cond_spans + self.info_spans:
            days = sum((hi if b is None else min(b, hi)) - max(a, lo) + 1 for a, b in spans)
            if days > 0:
                total += days * (_words(item) + CELL_OVERHEAD)
        return total

    def fill(self, lo: int, hi: int) -> None:
        """Resolve every cell from ``lo`` to ``hi``: each rule walks only its own days."""
        if self.filled and self.filled[0] <= lo and hi <= self.filled[1]:
            return
        cells: dict[int, dict[str, dict[str, tuple[int, Rule]]]] = {
            o: {} for o in range(lo, hi + 1)
        }
        more: dict[tuple[int, str], list[Rule]] = {}  # (day, topic) -> further instructions
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
                    elif cell[source][0] == entry[0]:  # another instruction at that level
                        more.setdefault((o, topic), []).append(rule)
        self.cells, self.filled, self.more = cells, (lo, hi), more
        self.infos = _by_day(self.info_spans, lo, hi)
        self.conditions = _by_day(self.cond_spans, lo, hi)

    def day(self, o: int, policy: Policy, prefer: str | None) -> Day:
        if not self.filled or not (self.filled[0] <= o <= self.filled[1]):
            lo, hi = self.bounds()
            self.fill(min(lo, o), max(hi + 1, o))
        topics = []
        cells = self.cells[o]
        for topic in sorted(cells, key=self.order.__getitem__):
            advice = _advice(topic, _with_parent(cells, topic, self.table), policy, prefer)
            extra = self.more.get((o, topic)) if self.more else None
            topics.append(advice._replace(more=tuple(extra)) if extra else advice)
        infos = tuple(self.infos.get(o, ()))
        conditions = tuple(self.conditions.get(o, ()))
        day, session = self._day_number(o)
        return Day(date.fromordinal(o), day, session, tuple(topics), infos, conditions)

    def _day_number(self, o: int) -> tuple[int, int]:
        past = bisect_right(self.sessions, o)  # sessions on or before the day
        if not past:
            return o - self.sessions[0], 1
        return o - self.sessions[past - 1], past


def source_or_error(guidelines: Guidelines, source_id: str, what: str = "--source") -> Source:
    source = guidelines.get(source_id)
    if source is None:
        raise SmpcareError(
            "E203",
            f"{what} '{cut(source_id)}' is not a known source.",
            f"Known sources: {', '.join(guidelines.ids())}.",
        )
    return source


def expect_and_contact(infos: list[Info] | tuple[Info, ...]) -> tuple[list[Info], list[Info]]:
    return (
        [i for i in infos if i.kind is InfoKind.EXPECT],
        [i for i in infos if i.kind is InfoKind.CONTACT],
    )


class Change(NamedTuple):
    """How one topic's merged advice differs between two days (None: nobody speaks)."""

    topic: str
    before: TopicAdvice | None
    after: TopicAdvice | None


class SourceLift(NamedTuple):
    """When one source says a restricted topic is fine again, or that it gives no date."""

    source: str
    date: date | None  # the first day it permits the topic again; None: it gives no date
    rule: Rule  # its words: the permitting rule, or (no date) its last restricting rule
    ends: _Date | None  # no date: the last day its restriction speaks, after which it falls
    # silent; None when it still restricts where the look ends (open-ended, or the next session)
    at_least: bool = False  # its restriction lasts "at least" that long: ask the artist


class FineAgain(NamedTuple):
    """When a restricted topic is fine again: under the policy, and per source.

    Only an explicit after-care permission lifts a restriction: a source that stops speaking
    gives no date, and the next session's before-care is not a lift.
    """

    topic: str
    start: date  # the first restricted day looked at
    level: Level  # the merged restriction that day (avoid or limit)
    date: date | None  # the first day the merged advice permits it again; None: no date given
    rule: Rule | None  # the words of that permission
    until_next: bool  # still restricted the day before the next session
    open_ended: bool  # still restricted where every dated rule has ended (long-term advice)
    sources: tuple[SourceLift, ...]  # every source that speaks on it, earliest date first

    @property
    def disagree(self) -> bool:
        """The sources give different dates (or some give none)."""
        return len({s.date for s in self.sources}) > 1

    def spread(self) -> int:
        """Days between the earliest and the latest date a source gives."""
        dated = [s.date for s in self.sources if s.date is not None]
        return (max(dated) - min(dated)).days if dated else 0


def fine_again(
    days: Sequence[Day],
    topic: str,
    *,
    policy: Policy,
    prefer: str | None,
    long_term: bool,
    fresh: bool = True,
) -> FineAgain | None:
    """When ``topic``, restricted by after-care on ``days[0]``, is fine again within ``days``.

    ``days`` are consecutive; ``long_term`` says the last of them stands for every later day.
    Before-care rules (the next session's preparation) neither restrict nor lift here.
    ``fresh``: the days were merged under this ``policy`` and ``prefer``, so a day without
    before-care rules is taken as it is instead of being merged again (the cost of key dates
    for a long course).
    """
    first = _after_care(days[0], topic, policy, prefer, fresh)
    if first is None or not first.advice.restricts:
        return None  # checked before the look ahead: callers probe many days
    merged = [first] + [_after_care(d, topic, policy, prefer, fresh) for d in days[1:]]
    lift = next((i for i, t in enumerate(merged) if t is not None and not t.advice.restricts), None)
    last = merged[-1]
    still = lift is None and last is not None and last.advice.restricts
    return FineAgain(
        topic=topic,
        start=days[0].date,
        level=first.advice,
        date=None if lift is None else days[lift].date,
        rule=None if lift is None else _lead(merged[lift]),
        until_next=still and not long_term,
        open_ended=still and long_term,
        sources=_source_lifts(days, merged),
    )


def _after_care(
    day: Day, topic: str, policy: Policy, prefer: str | None, fresh: bool = False
) -> TopicAdvice | None:
    """The topic's advice on ``day`` from after-care rules alone (None: none speaks); with
    ``fresh`` (the day was merged under this policy) a day without before-care rules is
    taken as it is."""
    t = day.topic(topic)
    if fresh and t is not None and not any(r.care is Care.BEFORE for r in t.sources):
        return t
    rules = {r.source: r for r in t.sources if r.care is Care.AFTER} if t else {}
    if not rules:
        return None
    return _advice(
        topic, {sid: (STRICTNESS[r.advice], r) for sid, r in rules.items()}, policy, prefer
    )


def _lead(t: TopicAdvice | None) -> Rule | None:
    return t.lead if t is not None else None


def _source_lifts(days: Sequence[Day], merged: list[TopicAdvice | None]) -> tuple[SourceLift, ...]:
    found: dict[str, SourceLift] = {}
    last: dict[str, tuple[int, Rule]] = {}  # source -> (index, rule) of its latest restriction
    for i, t in enumerate(merged):
        for rule in t.sources if t else ():
            sid = rule.source
            if sid in found:
                continue
            if rule.advice is Level.AVOID or rule.advice is Level.LIMIT:  # (the property is slow)
                last[sid] = (i, rule)
            else:
                at_least = sid in last and last[sid][1].at_least
                found[sid] = SourceLift(sid, days[i].date, rule, None, at_least)
    end = len(days) - 1
    for sid, (i, rule) in last.items():
        if sid not in found:
            found[sid] = SourceLift(
                sid, None, rule, None if i == end else days[i].date, rule.at_least
            )
    return tuple(
        sorted(found.values(), key=lambda s: (s.date is None, s.date or date.max, s.source))
    )


class SessionDates(NamedTuple):
    """The key dates around one session: before-care starts, then when things are fine again."""

    number: int  # 1-based
    date: date
    before: tuple[TopicAdvice, ...]  # each topic restricted before the session, as on its
    before_from: tuple[_Date, ...]  # first restricted day (parallel to ``before``)
    after: tuple[FineAgain, ...]  # each topic after-care restricts, in topic order


def key_dates(plan: Plan, *, policy: Policy = Policy.CAUTIOUS) -> tuple[SessionDates, ...]:
    """For each session: what before-care restricts from when, and when each restriction that
    after-care imposes is fine again (under the plan's policy and per source)."""
    prefer = plan.prefer
    fresh = plan.policy == policy.value or plan.policy.startswith("source:")
    by_date = {d.date: i for i, d in enumerate(plan.days)}
    out = []
    prev_end = 0
    for n, session in enumerate(plan.sessions):
        start = by_date[session]
        nxt = plan.sessions[n + 1] if n + 1 < len(plan.sessions) else None
        stop = by_date[nxt] if nxt is not None else len(plan.days)
        before: dict[str, tuple[TopicAdvice, date]] = {}
        for d in plan.days[prev_end : start + 1]:
            for t in d.topics:
                rules = [r for r in t.sources if r.care is Care.BEFORE and r.advice.restricts]
                if rules and t.topic not in before:
                    before[t.topic] = (t, d.date)
        episode = plan.days[start:stop]
        after = []
        seen: set[str] = set()
        for i, d in enumerate(episode):
            for t in d.topics:
                if t.topic in seen or not t.advice.restricts:
                    continue
                lift = fine_again(
                    episode[i:],
                    t.topic,
                    policy=policy,
                    prefer=prefer,
                    long_term=nxt is None and plan.continues,
                    fresh=fresh,
                )
                if lift is not None:
                    seen.add(t.topic)
                    after.append(lift)
        order = {d.topic: i for i, d in enumerate(episode[0].topics)} if episode else {}
        after.sort(key=lambda f: (f.start, order.get(f.topic, 99)))
        out.append(
            SessionDates(
                n + 1,
                session,
                tuple(t for t, _ in before.values()),
                tuple(d for _, d in before.values()),
                tuple(after),
            )
        )
        prev_end = start + 1
    return tuple(out)


class TodayReport(NamedTuple):
    sessions: tuple[date, ...]
    policy: str
    prefer: str | None
    source_ids: tuple[str, ...]
    unverified: tuple[str, ...]
    day: Day
    tomorrow: tuple[Change, ...]
    lifts: tuple[FineAgain, ...]  # for each topic after-care restricts today: when it is fine
    first_day: date  # the plan's first (before-care) day
    last_dated_day: date  # from the day after, only long-term advice applies
    next_session: date | None
    warnings: tuple[GapWarning, ...]
    labels: Mapping[str, str] = {}  # topic id -> the words to print, the sheets' own included

    @property
    def status(self) -> str:
        """``before`` (nothing applies yet), ``long-term`` (every dated window closed) or
        ``active``."""
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
) -> TodayReport:
    """What applies on ``on``, what changes the day after, and when restrictions lift.

    It looks ahead as far as the rules reach: up to the next session, or to the day from
    which only long-term advice applies.
    """
    sessions = normalise_sessions(sessions)
    grid = _Grid(guidelines, sessions)
    lo, hi = grid.bounds()
    ahead, long_term = _ahead(grid, sessions, on, policy, prefer)
    today = ahead[0]
    tomorrow = ahead[1] if len(ahead) > 1 else grid.day(on.toordinal() + 1, policy, prefer)
    lifts = tuple(
        f
        for t in today.topics
        if (f := fine_again(ahead, t.topic, policy=policy, prefer=prefer, long_term=long_term))
        is not None
    )
    return TodayReport(
        sessions=sessions,
        policy=policy.value,
        prefer=prefer,
        source_ids=tuple(guidelines.ids()),
        unverified=unverified(guidelines),
        day=today,
        tomorrow=_changes(today, tomorrow),
        lifts=lifts,
        first_day=date.fromordinal(lo),
        last_dated_day=date.fromordinal(hi),
        next_session=next((s for s in sessions if s > on), None),
        warnings=gap_warnings(guidelines, sessions),
        labels=guidelines.labels(),
    )


def _ahead(
    grid: "_Grid", sessions: tuple[date, ...], on: date, policy: Policy, prefer: str | None
) -> tuple[list[Day], bool]:
    """The days from ``on`` to the day before the next session, or (after the last session)
    to the first day of long-term advice; and whether that last day is long-term."""
    _, hi = grid.bounds()
    o = on.toordinal()
    nxt = next((s.toordinal() for s in sessions if s > on), None)
    end = nxt - 1 if nxt is not None else max(hi + 1, o)
    grid.fill(o, end + 1)
    return [grid.day(d, policy, prefer) for d in range(o, end + 1)], nxt is None


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


class WhenAnswer(NamedTuple):
    """One topic asked about: the advice on the day asked, and when it is fine again."""

    topic: str
    now: TopicAdvice | None  # None: no source speaks about it that day
    lift: FineAgain | None  # None: after-care does not restrict it from then on


class WhenReport(NamedTuple):
    sessions: tuple[date, ...]
    policy: str
    prefer: str | None
    source_ids: tuple[str, ...]
    unverified: tuple[str, ...]
    on: date
    day: Day
    answers: tuple[WhenAnswer, ...]
    labels: Mapping[str, str] = {}  # topic id -> the words to print, the sheets' own included


def when_report(
    guidelines: Guidelines,
    sessions: list[date] | tuple[date, ...],
    on: date,
    topics: Sequence[str],
    *,
    policy: Policy = Policy.CAUTIOUS,
    prefer: str | None = None,
) -> WhenReport:
    """For each topic: its advice on ``on`` and, when after-care restricts it then or later
    before the next session, the day it is fine again. Before the first session it answers
    for the first session."""
    sessions = normalise_sessions(sessions)
    grid = _Grid(guidelines, sessions)
    look_from = max(on, sessions[0])
    ahead, long_term = _ahead(grid, sessions, look_from, policy, prefer)
    today = grid.day(on.toordinal(), policy, prefer)
    answers = []
    for topic in topics:
        lift = None
        for i in range(len(ahead)):
            lift = fine_again(ahead[i:], topic, policy=policy, prefer=prefer, long_term=long_term)
            if lift is not None:
                break
        answers.append(WhenAnswer(topic, today.topic(topic), lift))
    return WhenReport(
        sessions,
        policy.value,
        prefer,
        tuple(guidelines.ids()),
        unverified(guidelines),
        on,
        today,
        tuple(answers),
        guidelines.labels(),
    )


def topic_or_error(guidelines: Guidelines, text: str, what: str = "topic") -> str:
    """The topic id ``text`` names (id, label or plain word), or a coded error listing them."""
    found = guidelines.find_topic(text)
    if found is None:
        known = ", ".join(guidelines.topic_words())
        raise SmpcareError(
            "E205",
            f"{what} '{text}' is not a known topic.",
            f"Use a topic id or a plain word ('smpcare when --list'): {known}.",
        )
    return found


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
    return (
        lo - base,
        hi - base,
        {
            o - base: {
                topic: {
                    sid: rule for sid, (_, rule) in _with_parent(topics, topic, grid.table).items()
                }
                for topic in topics
            }
            for o, topics in grid.cells.items()
        },
    )
