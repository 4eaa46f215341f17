"""The guideline model: sources, their rules and dated notes, as frozen values.

Every window is stored as offsets from a session date (day 0 is the session day), whatever
numbering the article itself uses; the loader does the conversion.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import NamedTuple


class Level(StrEnum):
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


class Care(StrEnum):
    BEFORE = "before"
    AFTER = "after"


class Anchor(StrEnum):
    SESSION = "session"  # counted from every session
    COURSE_END = "course-end"  # counted from the last session of the course
    NEXT_SESSION = "next-session"  # from each session to the day before the next one (open-
    # ended after the last): "until your next session"


class InfoKind(StrEnum):
    EXPECT = "expect"  # what to expect: redness, scabs, peeling, fading
    CONTACT = "contact"  # when to contact the clinic


class Topic(NamedTuple):
    """A subject of advice: its id, the words a client uses for it, what it covers."""

    id: str
    label: str  # what tables print: the words a client uses
    covers: str
    words: tuple[str, ...] = ()  # plain words `smpcare when` accepts for it
    parent: str | None = None  # a kind of this broader topic: its advice speaks here too


# The canonical topics, in display order. ``words`` is the synonym table of ``smpcare when``
# and ``compare-sources --topic``; ``parent`` marks a kind of a broader topic (a moisturizer is
# a topical product), so that "skip hair creams" against "moisturize" shows as a disagreement.
CANONICAL: tuple[Topic, ...] = (
    Topic(
        "wetting",
        "showering and washing",
        "getting the scalp wet: showers, baths, rinsing, washing with a wet cloth",
        (
            "shower",
            "showering",
            "bath",
            "bathing",
            "wash",
            "washing",
            "wet",
            "water on head",
            "rinse",
        ),
    ),
    Topic(
        "shampoo",
        "shampoo",
        "shampoo, soap and cleansers on the scalp",
        ("shampoo", "shampooing", "soap", "cleanser", "hair wash", "wash hair"),
    ),
    Topic(
        "sweating",
        "exercise and sweat",
        "exercise, workouts and anything that makes the scalp sweat",
        (
            "sweat",
            "sweating",
            "exercise",
            "gym",
            "workout",
            "work out",
            "train",
            "training",
            "sport",
            "sports",
            "run",
            "running",
            "fitness",
        ),
    ),
    Topic(
        "sun-exposure",
        "sun exposure",
        "sunlight and UV on the scalp",
        ("sun", "sunlight", "sunbathing", "uv", "beach"),
    ),
    Topic(
        "sunscreen",
        "sunscreen",
        "applying sunscreen / sunblock",
        ("sunscreen", "sunblock", "spf", "sun cream"),
    ),
    Topic(
        "headwear",
        "hats and caps",
        "hats, caps, umbrellas as cover",
        ("hat", "hats", "cap", "caps", "beanie", "helmet"),
    ),
    Topic(
        "shaving",
        "shaving and haircuts",
        "shaving, clippers, razors, trimming or cutting the hair (before and after)",
        ("shave", "shaving", "razor", "clippers", "haircut", "trim", "trimming"),
    ),
    Topic("touching", "touching the scalp", "touching the scalp with hands", ("touch",)),
    Topic(
        "scratching",
        "scratching and picking",
        "scratching, picking or peeling scabs",
        ("scratch", "scratching", "pick", "picking", "scabs", "itch", "itching"),
    ),
    Topic(
        "exfoliation",
        "scrubs and exfoliants",
        "scrubbing, exfoliants, abrasive contact",
        ("scrub", "exfoliate", "exfoliating", "exfoliant"),
    ),
    Topic(
        "irritants",
        "irritating products",
        "products with alcohol or alpha-hydroxy acids, self-tanners, other skin irritants",
        ("aha", "alpha hydroxy", "irritant", "irritants"),
    ),
    Topic(
        "tanning",
        "tanning",
        "tanning beds, tanning sprays, fake tan",
        ("tan", "tanning bed", "sunbed", "solarium", "fake tan", "spray tan"),
    ),
    Topic(
        "sauna-steam",
        "sauna and steam room",
        "saunas and steam rooms",
        ("sauna", "steam", "steam room"),
    ),
    Topic(
        "swimming",
        "swimming",
        "swimming pools, chlorinated water",
        ("swim", "swimming", "pool", "swimming pool", "chlorine"),
    ),
    Topic(
        "moisturize",
        "moisturizer",
        "moisturizer, light moisturizing cream",
        ("moisturizer", "moisturiser", "moisturize", "moisturise", "lotion"),
        parent="topical-products",
    ),
    Topic(
        "ointment",
        "ointments and soothing creams",
        "ointments, soothing creams, prescribed aftercare medication",
        ("ointment", "balm", "soothing cream", "aftercare cream"),
    ),
    Topic(
        "hydration",
        "drinking water",
        "drinking enough water",
        ("drink water", "drinking water", "hydrate"),
    ),
    Topic("rest", "rest and sleep", "rest and sleep", ("sleep", "rest")),
    Topic(
        "topical-products",
        "hair products",
        "hair creams, oils and other products on the scalp before a session",
        ("hair products", "hair cream", "hair oil", "oil", "wax", "gel"),
    ),
    Topic(
        "alcohol-caffeine",
        "alcohol and caffeine",
        "alcohol, energy drinks, coffee, tea (blood thinning drinks)",
        ("alcohol", "drinking", "beer", "wine", "coffee", "caffeine", "tea", "energy drink"),
    ),
    Topic(
        "blood-thinners",
        "aspirin and blood thinners",
        "aspirin, ibuprofen and other NSAIDs or anticoagulant medication",
        ("aspirin", "ibuprofen", "nsaid", "nsaids", "painkiller", "painkillers"),
    ),
)
TOPICS: dict[str, Topic] = {t.id: t for t in CANONICAL}


def topic_label(topic: str, labels: Mapping[str, str] | None = None) -> str:
    """The words outputs print for a topic id: its label in ``labels`` (a result's own, which
    knows the sheets' topics), else the canonical label, else the id with spaces."""
    if labels and topic in labels:
        return labels[topic]
    known = TOPICS.get(topic)
    return known.label if known else topic.replace("-", " ")


def disagree(levels: Iterable[Level]) -> bool:
    """Whether these levels conflict: a restriction against a permission, or avoid against
    limit. Recommended against allowed is agreement that the thing is fine."""
    found = set(levels)
    restricts = found & {Level.AVOID, Level.LIMIT}
    return (bool(restricts) and len(restricts) < len(found)) or len(restricts) == 2


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
    condition: str | None = None  # "if you see flaking or scabbing": shown as "if …" beside
    # the day's advice, never merged as if it applied unconditionally
    at_least: bool = False  # the window's end is a minimum ("at least 5 days"): ask the artist
    hours: tuple[int, int | None] | None = None  # the window as the sheet gave it, in hours


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
    topics: tuple[Topic, ...] = ()  # the sheet's own topics, beside the canonical ones

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

    def topic_table(self) -> dict[str, Topic]:
        """Every topic these sources can speak about: the canonical ones, then the sheets' own
        in the order the sheets declare them (two sheets sharing an id share its meaning: the
        loader refuses anything else; their plain words are pooled)."""
        table = dict(TOPICS)
        for source in self.sources:
            for topic in source.topics:
                known = table.get(topic.id)
                if known is None:
                    table[topic.id] = topic
                elif topic.id not in TOPICS:
                    words = tuple(dict.fromkeys(known.words + topic.words))
                    table[topic.id] = known._replace(words=words)
        return table

    def topics(self) -> list[str]:
        """Topics any source speaks about, in display order (canonical first)."""
        used = {r.topic for s in self.sources for r in s.rules}
        table = self.topic_table()
        return [t for t in table if t in used] + sorted(used - table.keys())

    def labels(self) -> dict[str, str]:
        """The words outputs print for each topic id, the sheets' own topics included."""
        return {t.id: t.label for t in self.topic_table().values()}

    def find_topic(self, text: str) -> str | None:
        """The topic id that ``text`` names: an id, the label tables print, or a plain word
        (``gym``, ``swim``), ignoring case and spacing; None when nothing matches. The
        canonical topics are asked first, so a sheet's own words never take over theirs."""
        wanted = _plain(text)
        for topic in self.topic_table().values():
            names = (topic.id, topic.label, *topic.words)
            if wanted in (_plain(n) for n in names):
                return topic.id
        return None

    def topic_words(self) -> dict[str, tuple[str, ...]]:
        """Every topic id with the words that name it (for `smpcare when --list`)."""
        return {t.id: (t.label, *t.words) for t in self.topic_table().values()}


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())
