"""The guideline model: sources, their rules and dated notes, as frozen values.

Every window is stored as offsets from a session date (day 0 is the session day), whatever
numbering the article itself uses; the loader does the conversion.
"""

from typing import NamedTuple
from enum import Enum


class Level(str, Enum):
    """How a source rates a topic on a day."""

    AVOID = "avoid"
    LIMIT = "limit"
    ALLOWED = "allowed"
    RECOMMENDED = "recommended"

    @property
    def strictness(self) -> int:
        return STRICTNESS[self]

    @property
    def restricts(self) -> bool:
        return self in (Level.AVOID, Level.LIMIT)


# The cautious order: avoid > limit > recommended > allowed.
STRICTNESS = {Level.AVOID: 3, Level.LIMIT: 2, Level.RECOMMENDED: 1, Level.ALLOWED: 0}
STRICTEST_FIRST = (Level.AVOID, Level.LIMIT, Level.RECOMMENDED, Level.ALLOWED)


class Care(str, Enum):
    BEFORE = "before"
    AFTER = "after"


class Anchor(str, Enum):
    SESSION = "session"  # counted from every session
    COURSE_END = "course-end"  # counted from the last session of the course


class InfoKind(str, Enum):
    EXPECT = "expect"  # what to expect: redness, scabs, peeling, fading
    CONTACT = "contact"  # when to contact the clinic


TOPICS: dict[str, str] = {
    "wetting": "getting the scalp wet: showers, baths, rinsing, washing with a wet cloth",
    "shampoo": "shampoo, soap and cleansers on the scalp",
    "sweating": "exercise, workouts and anything that makes the scalp sweat",
    "sun-exposure": "sunlight and UV on the scalp",
    "sunscreen": "applying sunscreen / sunblock",
    "headwear": "hats, caps, umbrellas as cover",
    "shaving": "shaving, clippers, razors, trimming or cutting the hair",
    "touching": "touching the scalp with hands",
    "scratching": "scratching, picking or peeling scabs",
    "exfoliation": "scrubbing, exfoliants, abrasive contact",
    "irritants": "products with alcohol or alpha-hydroxy acids, self-tanners, other irritants",
    "tanning": "tanning beds, tanning sprays, fake tan",
    "sauna-steam": "saunas and steam rooms",
    "swimming": "swimming pools, chlorinated water",
    "moisturize": "moisturizer, light moisturizing cream",
    "ointment": "ointments, soothing creams, prescribed aftercare medication",
    "hydration": "drinking enough water",
    "rest": "rest and sleep",
    "topical-products": "hair creams, oils and other products on the scalp before a session",
    "alcohol-caffeine": "alcohol, energy drinks, coffee, tea (blood thinning drinks)",
    "blood-thinners": "aspirin, ibuprofen and other NSAIDs or anticoagulant medication",
}


class Window(NamedTuple):
    """Days ``start`` to ``end`` inclusive, as offsets from the anchor; ``end=None`` is open."""

    start: int
    end: int | None

    def covers(self, offset: int) -> bool:
        return self.start <= offset and (self.end is None or offset <= self.end)

    def label(self) -> str:
        """The window in the day-0 convention: ``0–3``, ``from 7``, ``-2–0``."""
        if self.end is None:
            return f"from {self.start}"
        if self.end == self.start:
            return str(self.start)
        return f"{self.start}–{self.end}"


class Rule(NamedTuple):
    """One piece of advice from one source: a topic, a level and the days it covers."""

    source: str
    topic: str
    advice: Level
    window: Window
    note: str
    quote: str
    care: Care = Care.AFTER
    anchor: Anchor = Anchor.SESSION
    interpretation: str | None = None
    line: int = 0


class Info(NamedTuple):
    """A dated 'what to expect' or 'contact your clinic when' entry."""

    source: str
    kind: InfoKind
    window: Window
    note: str
    quote: str
    anchor: Anchor = Anchor.SESSION
    interpretation: str | None = None
    line: int = 0


class SessionGap(NamedTuple):
    """A source's minimum number of days between two sessions."""

    days: int
    quote: str
    interpretation: str | None = None


class Source(NamedTuple):
    """One article (or a clinic's own sheet) and everything encoded from it."""

    id: str
    title: str
    publisher: str
    session_day: int  # the number the article gives the session day: 0 or 1
    rules: tuple[Rule, ...] = ()
    infos: tuple[Info, ...] = ()
    min_gap: SessionGap | None = None
    text: str | None = None  # the archived article text the quotes were checked against
    path: str = ""
    verified: bool = True  # False when no text file was given, so quotes could not be checked

    @property
    def day_convention(self) -> str:
        return f"Day {self.session_day} is the session day"


class Guidelines(NamedTuple):
    """All loaded sources, in a stable order."""

    sources: tuple[Source, ...] = ()

    def ids(self) -> list[str]:
        return [s.id for s in self.sources]

    def get(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def only(self, source_id: str) -> "Guidelines":
        return Guidelines(tuple(s for s in self.sources if s.id == source_id))

    def topics(self) -> list[str]:
        """Topics any source speaks about, canonical order first."""
        used = {r.topic for s in self.sources for r in s.rules}
        return [t for t in TOPICS if t in used] + sorted(used - TOPICS.keys())
