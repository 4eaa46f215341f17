"""Read guideline YAML files into the model, reporting every problem in one pass.

Files are composed into YAML nodes (with the C loader when PyYAML has it) rather than loaded
straight into Python objects, so that each problem can name the line it is on and duplicate keys
are caught instead of silently overwritten.

A guideline file comes from outside (a clinic's sheet), so everything in it is checked here,
once: the file and its text are regular files of at most 1 MB; the YAML is walked as events
(which the parser produces without recursion) to refuse nesting deeper than 50 and any anchor
or alias before it is composed (composing recurses, and aliases let a small file expand);
every string is free of control characters; ids match their pattern in full; day numbers stay
within ten years; and ``text:`` is a plain file name beside the sheet.
"""

from __future__ import annotations

import errno
import os
import re
from enum import Enum
from pathlib import Path
from typing import Any

from smpcare.errors import EXIT_DATA, EXIT_USAGE, GuidelineError, Problem, SmpcareError
from smpcare.model import (
    TOPICS,
    Anchor,
    Care,
    Guidelines,
    Info,
    InfoKind,
    Level,
    Rule,
    SessionGap,
    Source,
    Topic,
    Window,
)

# Stable problem codes; guidelines/README.md lists them and the tests pin them.
NOT_YAML = "G100"
YAML_SYNTAX = "G101"
DUPLICATE_KEY = "G102"
UNKNOWN_KEY = "G103"
MISSING_FIELD = "G104"
WRONG_TYPE = "G105"
UNKNOWN_TOPIC = "G106"
UNKNOWN_ADVICE = "G107"
BAD_WINDOW = "G108"
QUOTE_NOT_FOUND = "G109"
DUPLICATE_SOURCE = "G110"
BAD_VALUE = "G111"
TEXT_MISSING = "G112"
CONTROL_CHARACTER = "G113"
TOO_LARGE = "G114"
TOO_DEEP = "G115"
ALIAS = "G116"
OUT_OF_RANGE = "G117"
BAD_TEXT_NAME = "G118"
NOT_REGULAR = "G119"
# Schema 2: each new field's mistakes have their own code.
BAD_SCHEMA = "G120"  # schema: not 1 or 2, or a schema-2 field in a file without schema: 2
BAD_TOPIC = "G121"  # a topics: entry: a canonical id, an id declared twice, unknown kind_of
TOPIC_CLASH = "G122"  # two sheets give one topic id different meanings
BAD_HOURS = "G123"  # from_hours/to_hours: mixed with days, out of order, no whole day
BAD_THEN = "G124"  # then: not 'allowed', on a permission, on advice that never ends
BAD_AT_LEAST = "G125"  # at_least: on a permission or on advice that never ends
BAD_NEXT_SESSION = "G126"  # anchor: next-session with an end of its own, or before-care
BAD_CONDITION = "G127"  # condition: text that does not read as a condition
TOO_LONG = "G128"  # a text value longer than MAX_TEXT
TOO_MANY = "G129"  # more rules, expect/contact entries or own topics than a sheet may hold

# Warnings: printed by check and sources add; the file is still accepted. W201 and W202 are
# lint.py's, for schema-2 files (the bundled articles fall silent where they stop speaking).
LIKE_CANONICAL = "W203"  # a sheet's own topic that names a canonical topic

# Limits on what a guideline file may hold; README.md and guidelines/README.md say why.
MAX_FILE_BYTES = 1_000_000  # a guideline file, and its text: the longest bundled one is 16 KB
MAX_DEPTH = 50  # nested mappings and lists: a guideline file needs 4
MAX_DAYS = 3650  # ten years: no aftercare advice runs longer
# Each rule's words are repeated on every day it covers, and each own topic is a row of the
# plan on every day: a small sheet could otherwise make a plan of gigabytes. The bundled
# articles and the example clinics need at most 644 characters (a quote), 35 rules, 5 entries
# of expect/contact and 4 own topics.
MAX_TEXT = 2000
MAX_RULES = 500  # rules, and entries of each of expect and contact
MAX_OWN_TOPICS = 50
RESERVED_NAMES = ("sessions.json", "cache", "sources")  # what smpcare keeps in its data folder

GUIDELINE_SUFFIXES = (".yaml", ".yml")

# field -> (expected type, required)
Spec = dict[str, tuple[str, bool]]
# field -> (value, the YAML node it came from)
Fields = dict[str, tuple[Any, Any]]

_TOP: Spec = {
    "schema": ("int", False),
    "source": ("mapping", True),
    "topics": ("list", False),
    "rules": ("list", True),
    "expect": ("list", False),
    "contact": ("list", False),
}
_SOURCE: Spec = {
    "id": ("str", True),
    "title": ("str", True),
    "publisher": ("str", True),
    "text": ("str", False),
    "session_day": ("int", True),
    "min_session_gap": ("mapping", False),
}
_GAP: Spec = {"days": ("int", True), "quote": ("str", True), "interpretation": ("str", False)}
_RULE: Spec = {
    "topic": ("str", True),
    "advice": ("str", True),
    "care": ("str", False),
    "anchor": ("str", False),
    "from": ("int", True),
    "to": ("int or null", True),
    "from_hours": ("int", False),
    "to_hours": ("int or null", False),
    "note": ("str", True),
    "quote": ("str", True),
    "interpretation": ("str", False),
    "condition": ("str", False),
    "at_least": ("bool", False),
    "then": ("str", False),
}
_INFO: Spec = {
    "from": ("int", True),
    "to": ("int or null", True),
    "anchor": ("str", False),
    "note": ("str", True),
    "quote": ("str", True),
    "interpretation": ("str", False),
}
_TOPIC: Spec = {
    "id": ("str", True),
    "label": ("str", True),
    "covers": ("str", True),
    "words": ("list", False),
    "kind_of": ("str", False),
}
# What only a file with ``schema: 2`` may use.
SCHEMA2_KEYS = frozenset({"topics", "from_hours", "to_hours", "condition", "at_least", "then"})
SCHEMA_VERSIONS = (1, 2)
TOPIC_PATTERN = r"[a-z0-9][a-z0-9-]{0,31}"  # matched in full
# The words a condition opens with: it is shown as written, beside the day's advice.
CONDITION_WORDS = (
    "if",
    "when",
    "whenever",
    "while",
    "unless",
    "once",
    "in case",
    "should",
    "after",
    "before",
    "during",
    "until",
)
# The words outputs print for a level, which a clinic writing its sheet may try first.
LEVEL_WORDS = {"fine": Level.ALLOWED, "ok": Level.ALLOWED, "do": Level.RECOMMENDED}

ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,23}"  # matched in full
_QUOTE_MAP = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Fold whitespace and typographic quotes, so a quote matches however it was typed."""
    return " ".join(text.translate(_QUOTE_MAP).split())


def bundled_dir() -> Path:
    """The guideline folder shipped inside the package (or the repository's, when run from it)."""
    here = Path(__file__).resolve().parent
    packaged = here / "guidelines"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "guidelines"


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is one of the bundled articles (not a clinic's own sheet, even one
    copied from them)."""
    return Path(os.path.realpath(path)).parent == bundled_dir()  # a link loop: not bundled


def schema_path() -> Path:
    """The JSON Schema of guideline files, shipped beside the bundled sources."""
    return bundled_dir() / "guideline.schema.json"


def guideline_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their guideline files; refuse paths that do not exist.

    A path that exists but is not a regular file (a FIFO, a device) is kept: reading it
    reports the problem on its line, like any other problem with the file.
    """
    files: list[Path] = []
    for path in paths:
        try:
            folder = path.is_dir()
            there = folder or path.exists() or path.is_symlink()
        except OSError as exc:  # a name longer than the system takes, a folder shut to us
            raise SmpcareError(
                "E207",
                f"cannot read {_shown(str(path))}: {exc.strerror or exc}.",
                "Give a guideline .yaml file or a folder of them that you can read.",
                exit_code=EXIT_USAGE if exc.errno == errno.ENAMETOOLONG else EXIT_DATA,
            ) from None
        if folder:
            try:
                names = sorted(path.iterdir())
            except OSError as exc:
                raise SmpcareError(
                    "E207",
                    f"cannot read the folder '{path}': {exc.strerror or exc}.",
                    "Give a folder you can read.",
                    exit_code=EXIT_DATA,
                ) from None
            found = [
                p for p in names if p.suffix in GUIDELINE_SUFFIXES and not p.name.startswith(".")
            ]
            if not found:  # checking it must not say OK, nor adding it add nothing quietly
                raise SmpcareError(
                    "E207",
                    f"no guideline files in the folder '{path}'.",
                    "Give a guideline .yaml file or a folder that holds some.",
                )
            files.extend(found)
        elif there:
            files.append(path)
        else:
            raise SmpcareError(
                "E207",
                f"no such file or folder: '{path}'.",
                "Give a guideline .yaml file or a folder of them.",
            )
    return files


def load_paths(
    paths: list[Path], *, known: Guidelines | None = None, warnings: list[Problem] | None = None
) -> Guidelines:
    """Load and validate guideline files; raise GuidelineError with every problem found.

    ``known`` sources are already loaded: a file reusing one of their ids, or giving one of
    their own topics another meaning, is a problem too. ``warnings`` collects what check
    reports without refusing the file.
    """
    problems: list[Problem] = []
    sources: list[Source] = []
    seen: dict[str, str] = {s.id: s.path for s in known.sources} if known else {}
    meanings: dict[str, tuple[Topic, str]] = {
        t.id: (t, s.path) for s in (known.sources if known else ()) for t in s.topics
    }
    for path in guideline_files(paths):
        source, id_line, topic_lines = _load_file(path, problems, warnings)
        if source is None:
            continue
        if source.id in seen:
            problems.append(
                Problem(
                    str(path),
                    id_line,
                    DUPLICATE_SOURCE,
                    f"source id '{source.id}' is already used by {seen[source.id]}",
                )
            )
            continue
        clash = False
        for topic in source.topics:
            first = meanings.setdefault(topic.id, (topic, str(path)))
            if _meaning(first[0]) != _meaning(topic):
                clash = True
                problems.append(
                    Problem(
                        str(path),
                        topic_lines.get(topic.id, 1),
                        TOPIC_CLASH,
                        f"topic '{topic.id}' means something else in {first[1]} "
                        f"({_shown(first[0].label)}: {_shown(first[0].covers)}); give this one "
                        "another id, or the same label, covers and kind_of in both sheets",
                    )
                )
        if clash:
            continue
        seen[source.id] = str(path)
        sources.append(source)
    if problems:
        raise GuidelineError(problems)
    return Guidelines(tuple(sources))


def _meaning(topic: Topic) -> tuple[str, str, str | None]:
    """What a topic id means, for two sheets that share it: plain words may differ."""
    return normalise(topic.label).lower(), normalise(topic.covers).lower(), topic.parent


def _load_file(
    path: Path,
    problems: list[Problem],
    warnings: list[Problem] | None = None,
) -> tuple[Source | None, int, dict[str, int]]:
    from smpcare.paths import FileTooLarge, NotRegularFile, read_regular

    name = str(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile:
        problems.append(
            Problem(
                name,
                1,
                NOT_REGULAR,
                "is not a regular file (a folder, FIFO or device); expected YAML",
            )
        )
        return None, 0, {}
    except FileTooLarge:
        problems.append(
            Problem(
                name,
                1,
                TOO_LARGE,
                f"is larger than {MAX_FILE_BYTES:,} bytes; a guideline file is a few kilobytes",
            )
        )
        return None, 0, {}
    except OSError as exc:
        problems.append(Problem(name, 1, NOT_YAML, f"cannot be read: {exc.strerror or exc}"))
        return None, 0, {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(name, 1, NOT_YAML, "is not a UTF-8 text file; expected YAML"))
        return None, 0, {}
    if "\x00" in text:
        problems.append(Problem(name, 1, NOT_YAML, "is a binary file; expected YAML"))
        return None, 0, {}
    node = _compose(text, name, problems)
    if node is None:
        return None, 0, {}
    reader = _FileReader(path, problems, warnings)
    source, id_line = reader.source(node)
    return source, id_line, reader.topic_lines


def text_name_of(path: Path) -> str | None:
    """The ``source.text`` a guideline file names, read leniently (it may be broken)."""
    import yaml

    from smpcare.paths import read_regular

    try:
        node = _compose(read_regular(path, MAX_FILE_BYTES).decode("utf-8"), str(path), [])
    except (OSError, UnicodeDecodeError):
        return None
    for key in ("source", "text"):
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next(
            (value for k, value in node.value if isinstance(k, yaml.ScalarNode) and k.value == key),
            None,
        )
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _compose(text: str, name: str, problems: list[Problem]) -> Any:
    """The file's single YAML document as nodes, or None with the problem recorded.

    The events are scanned first: composing recurses once per level of nesting (the C
    composer crashed the process on a 30,000-deep list), and an alias repeats a whole subtree
    (a 108 KB file of them produced 200 MB of problems).
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if not _scan(loader_class, text, name, problems):
            return None
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(name, line, YAML_SYNTAX, f"YAML syntax error: {exc.problem}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(name, 1, YAML_SYNTAX, f"YAML syntax error: {exc}"))
        return None
    if node is None:
        problems.append(
            Problem(name, 1, NOT_YAML, "is empty; expected a mapping with 'source' and 'rules'")
        )
    return node


def _scan(loader_class: Any, text: str, name: str, problems: list[Problem]) -> bool:
    """Walk the parser's events; False (with the problem recorded) at the first level of
    nesting beyond MAX_DEPTH or the first anchor or alias."""
    import yaml

    opens = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closes = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = loader_class(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is yaml.AliasEvent or getattr(event, "anchor", None) is not None:
                problems.append(
                    Problem(
                        name,
                        event.start_mark.line + 1,
                        ALIAS,
                        "anchors and aliases (&name, *name) are not accepted in guideline files; "
                        "write each value out",
                    )
                )
                return False
            if kind in opens:
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        Problem(
                            name,
                            event.start_mark.line + 1,
                            TOO_DEEP,
                            f"nested more than {MAX_DEPTH} levels deep; a guideline file needs 4",
                        )
                    )
                    return False
            elif kind in closes:
                depth -= 1
    finally:
        loader.dispose()
    return True


class _FileReader:
    """Walks one file's YAML nodes, collecting problems as it goes."""

    def __init__(self, path: Path, problems: list[Problem], warnings: list[Problem] | None = None):
        self.path = path
        self.name = str(path)
        self.problems = problems
        self.warnings = warnings if warnings is not None else []
        self.ok = True
        self.version = 1  # the file's schema
        self.topics: dict[str, Topic] = {}  # the file's own topics
        self.topic_lines: dict[str, int] = {}
        self.kind_nodes: dict[str, Any] = {}  # topic id -> its kind_of node

    def problem(self, node: Any, code: str, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.name, node.start_mark.line + 1, code, message))

    def warn(self, line: int, code: str, message: str) -> None:
        self.warnings.append(Problem(self.name, line, code, message))

    # -- generic field handling ------------------------------------------------------------

    def fields(self, node: Any, spec: Spec, where: str) -> Fields | None:
        """Check a mapping against ``spec``; return {key: (value, value_node)} or None."""
        import yaml

        if not isinstance(node, yaml.MappingNode):
            self.problem(node, WRONG_TYPE, f"{where} must be a mapping, got {_kind(node)}")
            return None
        out: Fields = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in out:
                self.problem(key_node, DUPLICATE_KEY, f"duplicate key {_shown(key)} in {where}")
                continue
            if isinstance(key, str) and key in SCHEMA2_KEYS & spec.keys() and self.version < 2:
                self.problem(
                    key_node,
                    BAD_SCHEMA,
                    f"{_shown(key)} in {where} needs 'schema: 2' at the top of the file",
                )
                continue
            if not isinstance(key, str) or key not in spec:
                allowed = [k for k in spec if self.version >= 2 or k not in SCHEMA2_KEYS]
                self.problem(
                    key_node,
                    UNKNOWN_KEY,
                    f"unknown key {_shown(key)} in {where}{_nearest(key, allowed)}; expected "
                    f"one of: {', '.join(allowed)}",
                )
                continue
            value = self.typed(value_node, spec[key][0], f"{where}.{key}")
            if value is not _BAD:
                out[key] = (value, value_node)
        for key, (_, required) in spec.items():
            if required and key not in out and not self._reported(node, key):
                self.problem(node, MISSING_FIELD, f"missing field '{key}' in {where}")
        return out

    def _reported(self, node: Any, key: str) -> bool:
        # A key that is present with a wrong type was already reported; not "missing" too.
        return any(k.value == key for k, _ in node.value if hasattr(k, "value"))

    def typed(self, node: Any, expected: str, where: str) -> Any:
        import yaml

        if expected == "mapping":
            if isinstance(node, yaml.MappingNode):
                return node
        elif expected == "list":
            if isinstance(node, yaml.SequenceNode):
                return node
        elif isinstance(node, yaml.ScalarNode):
            tag = node.tag.rsplit(":", 1)[-1]
            if expected == "str" and tag == "str" and node.value.strip():
                return self.plain(node, where)
            if expected in ("int", "int or null") and tag == "int":
                try:
                    return int(node.value)
                except ValueError:
                    pass
            if expected == "int or null" and tag == "null":
                return None
            if expected == "bool" and tag == "bool":
                return node.value.lower() in ("true", "yes", "on", "y")
        self.problem(node, WRONG_TYPE, f"{where} must be {_article(expected)}, got {_kind(node)}")
        return _BAD

    def plain(self, node: Any, where: str) -> Any:
        """The text of ``node``, or _BAD if it holds a character that must never reach a
        terminal (an escape sequence, a bell, a carriage return, a bidi override)."""
        from smpcare.safe import first_control

        if len(node.value) > MAX_TEXT:
            self.problem(
                node,
                TOO_LONG,
                f"{where} is {len(node.value):,} characters long; a guideline value holds at "
                f"most {MAX_TEXT:,} (the longest quote in the bundled articles is 644)",
            )
            return _BAD
        found = first_control(node.value)
        if found is None:
            return node.value
        self.problem(
            node,
            CONTROL_CHARACTER,
            f"{where} holds the control character {found}; guideline text must be "
            "plain (tabs and line breaks are fine)",
        )
        return _BAD

    # -- the file's parts ------------------------------------------------------------------

    def source(self, root: Any) -> tuple[Source | None, int]:
        self.version = self.schema(root)
        top = self.fields(root, _TOP, "the file")
        if top is None or "source" not in top:
            return None, 0
        meta = self.fields(top["source"][0], _SOURCE, "source")
        if meta is None:
            return None, 0
        source_id, id_node = meta.get("id", (None, None))
        if source_id is not None and not re.fullmatch(ID_PATTERN, source_id):
            self.problem(
                id_node,
                BAD_VALUE,
                f"source.id {_shown(source_id)} must be 1-24 lowercase letters, digits or '-', "
                "starting with a letter or digit",
            )
            source_id = None
        session_day, day_node = meta.get("session_day", (0, None))
        if day_node is not None and session_day not in (0, 1):
            self.problem(
                day_node,
                BAD_VALUE,
                f"source.session_day must be 0 or 1 (the number the article gives the "
                f"session day), got {session_day}",
            )
        text, verified = self.text(meta)
        gap = self.gap(meta, text)
        sid = source_id or "?"
        if not self.within_limits(top):
            return None, 0
        for i, n in enumerate(_items(top, "topics")):
            self.topic(n, f"topics[{i}]")
        self.kinds_known()
        rules = tuple(
            r
            for i, n in enumerate(_items(top, "rules"))
            for r in self.rule(n, f"rules[{i}]", sid, session_day, text)
        )
        infos = tuple(
            info
            for kind in InfoKind
            for i, n in enumerate(_items(top, kind.value))
            if (info := self.info(n, f"{kind.value}[{i}]", sid, kind, session_day, text))
            is not None
        )
        if not self.ok or source_id is None or id_node is None:
            return None, 0
        source = Source(
            id=source_id,
            title=meta["title"][0],
            publisher=meta["publisher"][0],
            session_day=session_day,
            rules=rules,
            infos=infos,
            min_gap=gap,
            text=meta["text"][0] if "text" in meta else None,
            path=self.name,
            verified=verified,
            topics=tuple(self.topics.values()),
        )
        # W201/W202 are for a clinic's own sheets. The bundled articles fall silent where
        # they stop speaking, on purpose: a lift there would invent advice.
        if self.version >= 2 and not is_bundled(self.path):
            from smpcare.lint import lint

            for warning in lint(source):
                self.warn(*warning)
        return source, id_node.start_mark.line + 1

    def within_limits(self, top: Fields) -> bool:
        """Whether the sheet holds no more rules, entries and own topics than a sheet may.

        Checked before any of them is read: a sheet beyond them is refused whole, fast.
        """
        limits = [("rules", MAX_RULES), ("topics", MAX_OWN_TOPICS)]
        limits += [(kind.value, MAX_RULES) for kind in InfoKind]
        ok = True
        for key, limit in limits:
            count = len(_items(top, key))
            if count > limit:
                ok = False
                self.problem(
                    top[key][1],
                    TOO_MANY,
                    f"{key} has {count:,} entries; a sheet holds at most {limit:,} (the "
                    "bundled articles need at most 35 rules and 4 own topics)",
                )
        return ok

    def schema(self, root: Any) -> int:
        """The file's ``schema:`` (1 when absent), read before anything else: which keys
        are known depends on it."""
        import yaml

        if not isinstance(root, yaml.MappingNode):
            return 1
        node = next(
            (v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "schema"),
            None,
        )
        if node is None:
            return 1
        try:  # a wrong type is reported once, with the file's other fields
            scalar = isinstance(node, yaml.ScalarNode) and node.tag.endswith(":int")
            value = int(node.value) if scalar else None
        except ValueError:  # more digits than Python converts
            value = None
        if value is None:
            return 1
        if value not in SCHEMA_VERSIONS:
            self.problem(
                node,
                BAD_SCHEMA,
                f"schema must be 1 or 2 (2 for a sheet's own topics, "
                f"hours, next-session, conditions, at_least and "
                f"then), got {_shown(value)}",
            )
            return 1
        return int(value)

    def topic(self, node: Any, where: str) -> None:
        """One of the sheet's own topics: an id rules use, a label, what it covers."""
        f = self.fields(node, _TOPIC, where)
        if f is None or not {"id", "label", "covers"} <= f.keys():
            return
        tid, id_node = f["id"]
        if not re.fullmatch(TOPIC_PATTERN, tid):
            self.problem(
                id_node,
                BAD_TOPIC,
                f"{where}.id {_shown(tid)} must be 1-32 lowercase "
                "letters, digits or '-', starting with a letter or "
                "digit",
            )
            return
        if tid in TOPICS:
            self.problem(
                id_node,
                BAD_TOPIC,
                f"{where}.id '{tid}' is a canonical topic ({TOPICS[tid].covers}); use "
                "it in rules as it is, without declaring it",
            )
            return
        if tid in self.topics:
            self.problem(
                id_node,
                BAD_TOPIC,
                f"{where}.id '{tid}' is declared twice in this "
                f"file (first on line {self.topic_lines[tid]})",
            )
            return
        words: list[str] = []
        if "words" in f:
            for i, w in enumerate(f["words"][0].value):
                word = self.typed(w, "str", f"{where}.words[{i}]")
                if word is not _BAD:
                    words.append(" ".join(word.split()))
        kind_of = _get(f, "kind_of")
        topic = Topic(
            tid,
            " ".join(f["label"][0].split()),
            " ".join(f["covers"][0].split()),
            tuple(dict.fromkeys(words)),
            kind_of,
        )
        self.topics[tid] = topic
        self.topic_lines[tid] = node.start_mark.line + 1
        if kind_of is not None:
            self.kind_nodes[tid] = f["kind_of"][1]
        self.like_canonical(topic, node.start_mark.line + 1, where)

    def kinds_known(self) -> None:
        """Each ``kind_of`` names a canonical topic or another of the sheet's own."""
        for tid, node in self.kind_nodes.items():
            parent = self.topics[tid].parent
            if parent == tid or (parent not in TOPICS and parent not in self.topics):
                known = list(TOPICS) + [t for t in self.topics if t != tid]
                self.problem(
                    node,
                    BAD_TOPIC,
                    f"topics: '{tid}' is a kind of {_shown(parent)}, which is not a "
                    f"topic{_nearest(parent, known)}; use a canonical id or another "
                    "of this sheet's topics",
                )
        self.kinds_end()

    def kinds_end(self) -> None:
        """Every ``kind_of`` chain ends at a canonical topic or a topic that is a kind of
        nothing: a circle (a kind of b, b kind of a) says nothing about either topic."""
        reported: set[str] = set()
        for tid, node in self.kind_nodes.items():
            chain = [tid]
            while (parent := self.topics[chain[-1]].parent) in self.topics and (
                parent not in chain
            ):
                chain.append(parent)
            if parent != tid or len(chain) == 1 or tid in reported:
                continue  # no circle through tid, the self-reference reported above, or seen
            reported.update(chain)
            steps = ", which is a kind of ".join(f"'{t}'" for t in [*chain[1:], tid])
            self.problem(
                node,
                BAD_TOPIC,
                f"topics: '{tid}' is a kind of {steps}: kind_of goes round in a circle; "
                "end it at a canonical topic or at one of this sheet's topics without kind_of",
            )

    def like_canonical(self, topic: Topic, line: int, where: str) -> None:
        """Warn when a sheet's own topic goes by a canonical topic's name: its advice would
        not be compared with what the other sources say about it."""
        from smpcare.model import _plain

        mine = {_plain(n) for n in (topic.id, topic.label, *topic.words)}
        for canon in TOPICS.values():
            theirs = {_plain(n) for n in (canon.id, canon.label, *canon.words)}
            same = sorted(mine & theirs)
            if same:
                self.warn(
                    line,
                    LIKE_CANONICAL,
                    f"{where} '{topic.id}' is named like the canonical topic "
                    f"'{canon.id}' ({canon.covers}), both go by {_shown(same[0])}; if "
                    f"the sheet means that, use topic: {canon.id} so its advice is "
                    "compared with the other sources",
                )
                return

    def text(self, meta: Fields) -> tuple[str | None, bool]:
        """The source's article text, normalised, and whether there is one to check against."""
        from smpcare.paths import FileTooLarge, NotRegularFile, SymbolicLink, read_regular

        if "text" not in meta:
            return None, False
        name, node = meta["text"]
        wrong = text_name_problem(name)
        if wrong:
            self.problem(node, BAD_TEXT_NAME, f"source.text {_shown(name)} {wrong}")
            return None, False
        text_path = self.path.parent / name
        try:
            raw = read_regular(text_path, MAX_FILE_BYTES, links=False)
            return normalise(raw.decode("utf-8")), True
        except SymbolicLink:  # it could show, or copy, any file the user can read
            self.problem(
                node,
                NOT_REGULAR,
                f"source.text {_shown(name)} is a symbolic link; put the text file itself "
                "beside the guideline file",
            )
        except NotRegularFile:
            self.problem(
                node,
                NOT_REGULAR,
                f"source.text {_shown(name)} is not a regular file (a folder, FIFO or device)",
            )
        except FileTooLarge:
            self.problem(
                node,
                TOO_LARGE,
                f"source.text {_shown(name)} is larger than {MAX_FILE_BYTES:,} bytes",
            )
        except FileNotFoundError:
            self.problem(
                node,
                TEXT_MISSING,
                f"source.text {_shown(name)} not found beside the file (looked for {text_path})",
            )
        except OSError as exc:
            self.problem(
                node,
                TEXT_MISSING,
                f"source.text {_shown(name)} cannot be read: {exc.strerror or exc}",
            )
        except UnicodeDecodeError:
            self.problem(node, TEXT_MISSING, f"source.text {_shown(name)} is not UTF-8 text")
        return None, False

    def gap(self, meta: Fields, text: str | None) -> SessionGap | None:
        if "min_session_gap" not in meta:
            return None
        f = self.fields(meta["min_session_gap"][0], _GAP, "source.min_session_gap")
        if not f or "days" not in f or "quote" not in f:
            return None
        days, node = f["days"]
        if not 1 <= days <= MAX_DAYS:
            self.problem(
                node,
                OUT_OF_RANGE,
                f"source.min_session_gap.days must be 1 to {MAX_DAYS:,}, got {_shown(days)}",
            )
            return None
        self.check_quote(f, "source.min_session_gap", text)
        return SessionGap(f["days"][0], f["quote"][0], _get(f, "interpretation"))

    def check_quote(self, f: Fields, where: str, text: str | None) -> None:
        if text is None or "quote" not in f:
            return
        quote, node = f["quote"]
        wanted = normalise(quote)
        if wanted in text:
            return
        if not text:
            self.problem(
                node,
                QUOTE_NOT_FOUND,
                f"{where}.quote cannot be checked: the text "
                "file is empty; paste the sheet's text into it",
            )
            return
        self.problem(
            node,
            QUOTE_NOT_FOUND,
            f"{where}.quote not found in the source text: {_shown(quote)}; "
            f"{_first_difference(wanted, text)}",
        )

    def window(self, f: Fields, where: str, care: Care, session_day: int) -> Window | None:
        if "from" not in f or "to" not in f:
            return None
        start, start_node = f["from"]
        end, end_node = f["to"]
        for value, node in ((start, start_node), (end, end_node)):
            if value is not None and abs(value) > MAX_DAYS:
                self.problem(
                    node,
                    OUT_OF_RANGE,
                    f"{where}: day numbers are limited to {MAX_DAYS:,} (ten years) "
                    f"either way, got {_shown(value)}",
                )
                return None
        if care is Care.BEFORE:
            # Before-care counts days before the session: from 2 to 0 is "48 hours before".
            if end is None:
                self.problem(
                    start_node,
                    BAD_WINDOW,
                    f"{where}: a before-care window needs 'to' (0 is the session day)",
                )
                return None
            if end > start or end < 0:
                self.problem(
                    start_node,
                    BAD_WINDOW,
                    f"{where}: before-care counts days before the session, so 'from' "
                    f"must be >= 'to' >= 0; got from {start} to {end}",
                )
                return None
            return Window(-start, -end)
        if end is not None and end < start:
            self.problem(
                start_node,
                BAD_WINDOW,
                f"{where}: window ends before it starts (from {start} to {end})",
            )
            return None
        if start < session_day:
            self.problem(
                start_node,
                BAD_WINDOW,
                f"{where}: after-care starts on the session day (day {session_day} in "
                f"this source), got from {start}; use care: before for earlier days",
            )
            return None
        return Window(start - session_day, None if end is None else end - session_day)

    def enum(
        self, f: Fields, key: str, enum: type[Enum], code: str, default: Any, where: str
    ) -> Any:
        if key not in f:
            return default
        value, node = f[key]
        try:
            return enum(value)
        except ValueError:
            accepted = ", ".join(e.value for e in enum)
            self.problem(node, code, f"{where}.{key} {_shown(value)} is not one of: {accepted}")
            return None

    def rule(
        self, node: Any, where: str, sid: str, session_day: int, text: str | None
    ) -> tuple[Rule, ...]:
        """The rule, and with ``then: allowed`` the permission that follows it."""
        spec = (
            _RULE
            if self.version >= 2
            else {k: v for k, v in _RULE.items() if k not in ("from_hours", "to_hours")}
        )
        if self.version >= 2:  # from/to may give way to from_hours/to_hours
            spec = {**spec, "from": ("int", False), "to": ("int or null", False)}
        f = self.fields(node, spec, where)
        if f is None:
            return ()
        topic = self.topic_of(f, where)
        advice = self.level(f, where)
        care = self.enum(f, "care", Care, BAD_VALUE, Care.AFTER, where)
        anchor = self.anchor(f, where)
        if care is Care.BEFORE and anchor is Anchor.COURSE_END:
            self.problem(
                f["anchor"][1],
                BAD_VALUE,
                f"{where}: before-care is anchored to each session, not course-end",
            )
            anchor = None
        hours: tuple[int, int | None] | None = None
        if not care:
            window = None
        elif "from_hours" in f or "to_hours" in f:
            window, hours = (
                self.hours(f, node, where, care, advice) if advice is not None else (None, None)
            )
        elif self.version >= 2 and not {"from", "to"} <= f.keys():
            missing = "to" if "from" in f else "from"
            if not self._reported(node, missing):
                self.problem(
                    node,
                    MISSING_FIELD,
                    f"missing field '{missing}' in {where} (or "
                    "give the window as from_hours and to_hours)",
                )
            window = None
        else:
            window = self.window(f, where, care, session_day)
        condition = self.condition(f, where)
        if anchor is Anchor.NEXT_SESSION and window is not None:
            window = self.next_session(f, where, care, window)
        at_least = self.at_least(f, where, advice, window)
        then = self.then(f, where, advice, care, anchor, window)
        self.check_quote(f, where, text)
        if (
            topic is None
            or advice is None
            or care is None
            or anchor is None
            or window is None
            or "note" not in f
            or "quote" not in f
        ):
            return ()
        rule = Rule(
            source=sid,
            topic=topic,
            advice=advice,
            window=window,
            note=f["note"][0],
            quote=f["quote"][0],
            care=care,
            anchor=anchor,
            interpretation=_get(f, "interpretation"),
            line=node.start_mark.line + 1,
            condition=condition,
            at_least=at_least,
            hours=hours,
        )
        return (rule, _lift(rule)) if then else (rule,)

    def topic_of(self, f: Fields, where: str) -> str | None:
        topic: str | None = _get(f, "topic")
        if topic is None or topic in TOPICS or topic in self.topics:
            return topic
        known = list(TOPICS) + list(self.topics)
        how = (
            "declare it under topics: (with schema: 2) if no canonical topic covers it"
            if self.version < 2
            else "declare it under topics: if no canonical topic covers it"
        )
        self.problem(
            f["topic"][1],
            UNKNOWN_TOPIC,
            f"{where}.topic {_shown(topic)} is not a known topic"
            f"{_nearest(topic, known, _topic_words(self.topics))}; {how}; expected "
            f"one of: {', '.join(known)}",
        )
        return None

    def level(self, f: Fields, where: str) -> Level | None:
        if "advice" in f and f["advice"][0] in LEVEL_WORDS:
            word, node = f["advice"]
            meant = LEVEL_WORDS[word].value
            self.problem(
                node,
                UNKNOWN_ADVICE,
                f"{where}.advice '{word}' is how outputs print '{meant}': write "
                f"advice: {meant} (one of: avoid, limit, allowed, recommended)",
            )
            return None
        level: Level | None = self.enum(f, "advice", Level, UNKNOWN_ADVICE, None, where)
        return level

    def anchor(self, f: Fields, where: str) -> Anchor | None:
        if self.version < 2 and _get(f, "anchor") == Anchor.NEXT_SESSION.value:
            self.problem(
                f["anchor"][1],
                BAD_SCHEMA,
                f"{where}.anchor 'next-session' needs 'schema: 2' at the top of the file",
            )
            return None
        anchor: Anchor | None = self.enum(f, "anchor", Anchor, BAD_VALUE, Anchor.SESSION, where)
        return anchor

    def hours(
        self, f: Fields, node: Any, where: str, care: Care, advice: Level
    ) -> tuple[Window | None, tuple[int, int | None] | None]:
        """A window in hours, as the days it covers read cautiously (dates.hours_to_days)."""
        from smpcare.dates import hours_to_days

        mixed = [k for k in ("from", "to") if k in f]
        if mixed:
            self.problem(
                f[mixed[0]][1],
                BAD_HOURS,
                f"{where}: give the window in days (from, to) or in hours (from_hours, "
                "to_hours), not both",
            )
            return None, None
        missing = [k for k in ("from_hours", "to_hours") if k not in f]
        if missing:
            if not self._reported(node, missing[0]):
                self.problem(
                    node,
                    BAD_HOURS,
                    f"{where}: missing field '{missing[0]}' (a "
                    "window in hours needs from_hours and to_hours; "
                    "to_hours: null is open-ended)",
                )
            return None, None
        (start, start_node), (end, _) = f["from_hours"], f["to_hours"]
        limit = MAX_DAYS * 24
        if start < 0 or (end is not None and end < 0) or max(start, end or 0) > limit:
            self.problem(
                start_node,
                BAD_HOURS,
                f"{where}: hours are counted from the session, "
                f"0 to {limit:,}; got from_hours {_shown(start)}, "
                f"to_hours {_shown(end)}",
            )
            return None, None
        before = care is Care.BEFORE
        if before and (end is None or end > start):
            self.problem(
                start_node,
                BAD_HOURS,
                f"{where}: before-care counts hours before the session, so from_hours "
                f"must be >= to_hours >= 0; got from_hours {start}, to_hours {end}",
            )
            return None, None
        if not before and end is not None and end <= start:
            self.problem(
                start_node,
                BAD_HOURS,
                f"{where}: to_hours must be after from_hours "
                f"(got from_hours {start}, to_hours {end})",
            )
            return None, None
        days = hours_to_days(start, end, restricts=advice.restricts, before=before)
        if days is None:
            self.problem(
                start_node,
                BAD_HOURS,
                f"{where}: hours {start} to {end} hold no whole day whatever the "
                "session's time, and a permission covers only whole days; give the "
                "window in days",
            )
            return None, None
        return Window(*days), (start, end)

    def condition(self, f: Fields, where: str) -> str | None:
        if "condition" not in f:
            return None
        text, node = f["condition"]
        text = " ".join(text.split())
        if not text.lower().startswith(tuple(w + " " for w in CONDITION_WORDS)):
            self.problem(
                node,
                BAD_CONDITION,
                f"{where}.condition {_shown(text)} is shown beside the day's advice as "
                "written, so it must read as a condition: start it with "
                f"{', '.join(repr(w) for w in CONDITION_WORDS[:4])} or similar, e.g. "
                "'if you see flaking or scabbing'",
            )
            return None
        return text

    def next_session(self, f: Fields, where: str, care: Care, window: Window) -> Window | None:
        end_key = "to_hours" if "to_hours" in f else "to"
        if care is Care.BEFORE:
            self.problem(
                f["anchor"][1],
                BAD_NEXT_SESSION,
                f"{where}: anchor: next-session is after-care (it runs to the day "
                "before the next session); before-care is anchored to each session",
            )
            return None
        if window.end is not None:
            self.problem(
                f[end_key][1],
                BAD_NEXT_SESSION,
                f"{where}: anchor: next-session ends the day before the next session "
                f"(open-ended after the last), so write {end_key}: null",
            )
            return None
        return window

    def at_least(self, f: Fields, where: str, advice: Level | None, window: Window | None) -> bool:
        if not _get(f, "at_least"):
            return False
        node = f["at_least"][1]
        if advice is not None and not advice.restricts:
            self.problem(
                node,
                BAD_AT_LEAST,
                f"{where}: at_least marks a restriction's minimum "
                f"('at least 5 days'), not {advice.value} advice",
            )
        elif window is not None and window.end is None:
            self.problem(
                node,
                BAD_AT_LEAST,
                f"{where}: at_least needs an end to be a minimum of; this window is open-ended",
            )
        return True

    def then(
        self,
        f: Fields,
        where: str,
        advice: Level | None,
        care: Care | None,
        anchor: Anchor | None,
        window: Window | None,
    ) -> bool:
        if "then" not in f:
            return False
        value, node = f["then"]
        why = None
        if value != Level.ALLOWED.value:
            why = (
                f"then {_shown(value)} is not accepted: only then: allowed (the sheet's "
                "words for what follows go in a rule of their own)"
            )
        elif advice is not None and not advice.restricts:
            why = f"then: allowed follows a restriction, not {advice.value} advice"
        elif care is Care.BEFORE:
            why = "then: allowed lifts after-care; before-care ends at the session"
        elif anchor is Anchor.NEXT_SESSION:
            why = "then: allowed needs an end; next-session advice lasts until the next session"
        elif "condition" in f:
            why = "then: allowed cannot follow conditional advice: the lift would hold for everyone"
        elif window is not None and window.end is None:
            why = "then: allowed needs an end (to); this restriction is open-ended"
        if why:
            self.problem(node, BAD_THEN, f"{where}: {why}")
            return False
        return True

    def info(
        self, node: Any, where: str, sid: str, kind: InfoKind, session_day: int, text: str | None
    ) -> Info | None:
        f = self.fields(node, _INFO, where)
        if f is None:
            return None
        anchor = self.anchor(f, where)
        window = self.window(f, where, Care.AFTER, session_day)
        if anchor is Anchor.NEXT_SESSION and window is not None:
            window = self.next_session(f, where, Care.AFTER, window)
        self.check_quote(f, where, text)
        if anchor is None or window is None or "note" not in f or "quote" not in f:
            return None
        return Info(
            source=sid,
            kind=kind,
            window=window,
            note=f["note"][0],
            quote=f["quote"][0],
            anchor=anchor,
            interpretation=_get(f, "interpretation"),
            line=node.start_mark.line + 1,
        )


_BAD = object()


def _lift(rule: Rule) -> Rule:
    """The permission ``then: allowed`` adds: from the day after the restriction ends, in the
    restriction's own words (the duration the sheet gives is what lifts it)."""
    assert rule.window.end is not None
    end = rule.window.end
    hours = (rule.hours[1], None) if rule.hours and rule.hours[1] is not None else None
    note = (
        f"Fine again: the sheet's restriction lasts at least until day {end}; ask your artist."
        if rule.at_least
        else f"Fine again: the sheet's restriction ended after day {end}."
    )
    return rule._replace(
        advice=Level.ALLOWED,
        window=Window(end + 1, None),
        note=note,
        interpretation=f"Implied. The sheet gives this restriction a duration (then: allowed), "
        f"so it is fine again from day {end + 1}.",
        at_least=False,
        hours=hours,
    )


def _nearest(word: object, known: list[str], words: dict[str, str] | None = None) -> str:
    """``; did you mean 'sweating'?`` for a typo, or nothing. ``words`` maps plain words to
    the id they name (``gym`` -> ``sweating``)."""
    import difflib

    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    plain = " ".join(word.lower().replace("-", " ").split())
    named = {**_topic_words(TOPICS), **(words or {})} if words is not None else {}
    if plain in named:
        return f"; did you mean '{named[plain]}'?"
    return ""


def _topic_words(topics: dict[str, Topic]) -> dict[str, str]:
    """Every plain word and label of these topics -> the topic id."""
    return {
        " ".join(w.lower().replace("-", " ").split()): t.id
        for t in topics.values()
        for w in (t.label, *t.words)
    }


def _first_difference(quote: str, text: str) -> str:
    """Where a (normalised) quote stops matching the text: the longest start of it that the
    text has, and what the text says there."""
    lo, hi = 0, len(quote)  # the longest prefix found in the text: found(lo), not found(hi)
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid
    if lo < 3:
        return "no part of its start is in the text"
    at = text.index(quote[:lo]) + lo
    matched = quote[max(0, lo - 30) : lo]
    return (
        f"the text matches up to {_shown(matched)}, then has "
        f"{_shown(text[at : at + 30] or '(its end)')} where the quote has "
        f"{_shown(quote[lo : lo + 30])}"
    )


def _get(f: Fields, key: str) -> Any:
    return f[key][0] if key in f else None


def _items(top: Fields, key: str) -> list[Any]:
    return top[key][0].value if key in top else []


def _kind(node: Any) -> str:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "null" or not node.value.strip():
        return "nothing"
    names = {"str": "text", "int": "a number", "float": "a number", "bool": "true/false"}
    return f"{names.get(tag) or tag[:30]} {_shown(node.value)}"


def _shown(value: object, limit: int = 60) -> str:
    """A value from the file for a message, cut to ``limit`` characters (a 5,000-character id
    is shown by its start), text in quotes; control characters are escaped where it is
    printed (errors.one_line)."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{text}'" if isinstance(value, str) else text


def text_name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a ``source.text`` file name, or None.

    The text is read from beside the sheet and copied beside it into the data directory, so
    it must be a plain file name that cannot reach another folder or take the place of a file
    smpcare keeps there.
    """
    from pathlib import PureWindowsPath

    if (
        name in (".", "..")
        or any(c in name for c in "/\\:\x00")
        or PureWindowsPath(name).name != name
    ):
        return "must be a plain file name beside the guideline file (no folders, no '..')"
    if len(name.encode("utf-8", "surrogatepass")) > 255:
        return "is longer than a file name can be (255 bytes)"
    if name.startswith("."):
        return "must not be a hidden file name (starting with '.')"
    if name.lower().endswith(GUIDELINE_SUFFIXES):
        return "must not be a YAML file: it would be read as a guideline file"
    if name.casefold() in RESERVED_NAMES:
        return "is a name smpcare uses for its own data"
    return None


def _article(expected: str) -> str:
    return {
        "str": "text",
        "int": "a whole number",
        "int or null": "a whole number or null",
        "mapping": "a mapping",
        "list": "a list",
        "bool": "true or false",
    }[expected]
