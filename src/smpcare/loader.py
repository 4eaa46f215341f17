"""Read guideline YAML files into the model, reporting every problem in one pass.

Files are composed into YAML nodes (with the C loader when PyYAML has it) rather than loaded
straight into Python objects, so that each problem can name the line it is on and duplicate keys
are caught instead of silently overwritten.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from smpcare.errors import GuidelineError, Problem, SmpcareError
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

GUIDELINE_SUFFIXES = (".yaml", ".yml")

# field -> (expected type, required)
_TOP = {"source": ("mapping", True), "rules": ("list", True), "expect": ("list", False),
        "contact": ("list", False)}
_SOURCE = {"id": ("str", True), "title": ("str", True), "publisher": ("str", True),
           "text": ("str", False), "session_day": ("int", True),
           "min_session_gap": ("mapping", False)}
_GAP = {"days": ("int", True), "quote": ("str", True), "interpretation": ("str", False)}
_RULE = {"topic": ("str", True), "advice": ("str", True), "care": ("str", False),
         "anchor": ("str", False), "from": ("int", True), "to": ("int or null", True),
         "note": ("str", True), "quote": ("str", True), "interpretation": ("str", False)}
_INFO = {"from": ("int", True), "to": ("int or null", True), "anchor": ("str", False),
         "note": ("str", True), "quote": ("str", True), "interpretation": ("str", False)}

_ID_RE = r"^[a-z0-9][a-z0-9-]{0,23}$"
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


def guideline_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their guideline files; refuse paths that do not exist."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in GUIDELINE_SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise SmpcareError(
                "E207", f"no such file or folder: '{path}'.",
                "Give a guideline .yaml file or a folder of them.",
            )
    return files


def load_paths(paths: list[Path], *, known: Guidelines | None = None) -> Guidelines:
    """Load and validate guideline files; raise GuidelineError with every problem found.

    ``known`` sources are already loaded: a file reusing one of their ids is a problem too.
    """
    problems: list[Problem] = []
    sources: list[Source] = []
    seen: dict[str, str] = {s.id: s.path for s in known.sources} if known else {}
    for path in guideline_files(paths):
        source, id_line = _load_file(path, problems)
        if source is None:
            continue
        if source.id in seen:
            problems.append(Problem(
                str(path), id_line, DUPLICATE_SOURCE,
                f"source id '{source.id}' is already used by {seen[source.id]}",
            ))
            continue
        seen[source.id] = str(path)
        sources.append(source)
    if problems:
        raise GuidelineError(problems)
    return Guidelines(tuple(sources))


def _load_file(path: Path, problems: list[Problem]) -> tuple[Source | None, int]:
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, 1, NOT_YAML, f"cannot be read: {exc.strerror}"))
        return None, 0
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(name, 1, NOT_YAML, "is not a UTF-8 text file; expected YAML"))
        return None, 0
    if "\x00" in text:
        problems.append(Problem(name, 1, NOT_YAML, "is a binary file; expected YAML"))
        return None, 0
    node = _compose(text, name, problems)
    if node is None:
        return None, 0
    return _FileReader(path, problems).source(node)


def _compose(text: str, name: str, problems: list[Problem]) -> Any:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(name, line, YAML_SYNTAX, f"YAML syntax error: {exc.problem}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(name, 1, YAML_SYNTAX, f"YAML syntax error: {exc}"))
        return None
    finally:
        loader.dispose()
    if node is None:
        problems.append(Problem(
            name, 1, NOT_YAML, "is empty; expected a mapping with 'source' and 'rules'"
        ))
    return node


class _FileReader:
    """Walks one file's YAML nodes, collecting problems as it goes."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.name = str(path)
        self.problems = problems
        self.ok = True

    def problem(self, node: Any, code: str, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.name, node.start_mark.line + 1, code, message))

    # -- generic field handling ------------------------------------------------------------

    def fields(self, node: Any, spec: dict, where: str) -> dict[str, tuple[Any, Any]] | None:
        """Check a mapping against ``spec``; return {key: (value, value_node)} or None."""
        import yaml

        if not isinstance(node, yaml.MappingNode):
            self.problem(node, WRONG_TYPE, f"{where} must be a mapping, got {_kind(node)}")
            return None
        out: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in out:
                self.problem(key_node, DUPLICATE_KEY, f"duplicate key '{key}' in {where}")
                continue
            if key not in spec:
                allowed = ", ".join(spec)
                self.problem(
                    key_node, UNKNOWN_KEY,
                    f"unknown key '{key}' in {where}; expected one of: {allowed}",
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
                return node.value
            if expected in ("int", "int or null") and tag == "int":
                try:
                    return int(node.value)
                except ValueError:
                    pass
            if expected == "int or null" and tag == "null":
                return None
        self.problem(node, WRONG_TYPE, f"{where} must be {_article(expected)}, got {_kind(node)}")
        return _BAD

    # -- the file's parts ------------------------------------------------------------------

    def source(self, root: Any) -> tuple[Source | None, int]:
        top = self.fields(root, _TOP, "the file")
        if top is None or "source" not in top:
            return None, 0
        meta = self.fields(top["source"][0], _SOURCE, "source")
        if meta is None:
            return None, 0
        source_id, id_node = meta.get("id", (None, None))
        if source_id is not None and not re.match(_ID_RE, source_id):
            self.problem(
                id_node, BAD_VALUE,
                f"source.id '{source_id}' must be 1-24 lowercase letters, digits or '-'",
            )
        session_day, day_node = meta.get("session_day", (0, None))
        if day_node is not None and session_day not in (0, 1):
            self.problem(
                day_node, BAD_VALUE,
                f"source.session_day must be 0 or 1 (the number the article gives the "
                f"session day), got {session_day}",
            )
        text, verified = self.text(meta)
        gap = self.gap(meta, text)
        sid = source_id or "?"
        rules = tuple(
            r for i, n in enumerate(_items(top, "rules"))
            if (r := self.rule(n, f"rules[{i}]", sid, session_day, text)) is not None
        )
        infos = tuple(
            info for kind in InfoKind for i, n in enumerate(_items(top, kind.value))
            if (info := self.info(n, f"{kind.value}[{i}]", sid, kind, session_day, text))
            is not None
        )
        if not self.ok or source_id is None:
            return None, 0
        return Source(
            id=source_id, title=meta["title"][0], publisher=meta["publisher"][0],
            session_day=session_day, rules=rules, infos=infos, min_gap=gap,
            text=meta["text"][0] if "text" in meta else None,
            path=self.name, verified=verified,
        ), id_node.start_mark.line + 1

    def text(self, meta: dict) -> tuple[str | None, bool]:
        if "text" not in meta:
            return None, False
        name, node = meta["text"]
        text_path = self.path.parent / name
        try:
            return normalise(text_path.read_text(encoding="utf-8")), True
        except (OSError, UnicodeDecodeError):
            self.problem(
                node, TEXT_MISSING,
                f"source.text '{name}' not found beside the file (looked for {text_path})",
            )
            return None, False

    def gap(self, meta: dict, text: str | None) -> SessionGap | None:
        if "min_session_gap" not in meta:
            return None
        f = self.fields(meta["min_session_gap"][0], _GAP, "source.min_session_gap")
        if not f or "days" not in f or "quote" not in f:
            return None
        self.check_quote(f, "source.min_session_gap", text)
        return SessionGap(f["days"][0], f["quote"][0], _get(f, "interpretation"))

    def check_quote(self, f: dict, where: str, text: str | None) -> None:
        if text is None or "quote" not in f:
            return
        quote, node = f["quote"]
        if normalise(quote) not in text:
            shown = quote if len(quote) <= 60 else quote[:57] + "..."
            self.problem(node, QUOTE_NOT_FOUND, f"{where}.quote not found in the source text: "
                                               f"'{shown}'")

    def window(self, f: dict, where: str, care: Care, session_day: int) -> Window | None:
        if "from" not in f or "to" not in f:
            return None
        start, start_node = f["from"]
        end, _ = f["to"]
        if care is Care.BEFORE:
            # Before-care counts days before the session: from 2 to 0 is "48 hours before".
            if end is None:
                self.problem(start_node, BAD_WINDOW,
                             f"{where}: a before-care window needs 'to' (0 is the session day)")
                return None
            if end > start or end < 0:
                self.problem(start_node, BAD_WINDOW,
                             f"{where}: before-care counts days before the session, so 'from' "
                             f"must be >= 'to' >= 0; got from {start} to {end}")
                return None
            return Window(-start, -end)
        if end is not None and end < start:
            self.problem(start_node, BAD_WINDOW,
                         f"{where}: window ends before it starts (from {start} to {end})")
            return None
        if start < session_day:
            self.problem(start_node, BAD_WINDOW,
                         f"{where}: after-care starts on the session day (day {session_day} in "
                         f"this source), got from {start}; use care: before for earlier days")
            return None
        return Window(start - session_day, None if end is None else end - session_day)

    def enum(self, f: dict, key: str, enum: type, code: str, default: Any, where: str) -> Any:
        if key not in f:
            return default
        value, node = f[key]
        try:
            return enum(value)
        except ValueError:
            accepted = ", ".join(e.value for e in enum)
            self.problem(node, code,
                         f"{where}.{key} '{value}' is not one of: {accepted}")
            return None

    def rule(self, node: Any, where: str, sid: str, session_day: int,
             text: str | None) -> Rule | None:
        f = self.fields(node, _RULE, where)
        if f is None:
            return None
        topic = _get(f, "topic")
        if topic is not None and topic not in TOPICS:
            self.problem(f["topic"][1], UNKNOWN_TOPIC,
                         f"{where}.topic '{topic}' is not a known topic; expected one of: "
                         f"{', '.join(TOPICS)}")
            topic = None
        advice = self.enum(f, "advice", Level, UNKNOWN_ADVICE, None, where)
        care = self.enum(f, "care", Care, BAD_VALUE, Care.AFTER, where)
        anchor = self.enum(f, "anchor", Anchor, BAD_VALUE, Anchor.SESSION, where)
        if care is Care.BEFORE and anchor is Anchor.COURSE_END:
            self.problem(f["anchor"][1], BAD_VALUE,
                         f"{where}: before-care is anchored to each session, not course-end")
            anchor = None
        window = self.window(f, where, care, session_day) if care else None
        self.check_quote(f, where, text)
        if None in (topic, advice, care, anchor, window) or "note" not in f or "quote" not in f:
            return None
        return Rule(
            source=sid, topic=topic, advice=advice, window=window, note=f["note"][0],
            quote=f["quote"][0], care=care, anchor=anchor,
            interpretation=_get(f, "interpretation"), line=node.start_mark.line + 1,
        )

    def info(self, node: Any, where: str, sid: str, kind: InfoKind, session_day: int,
             text: str | None) -> Info | None:
        f = self.fields(node, _INFO, where)
        if f is None:
            return None
        anchor = self.enum(f, "anchor", Anchor, BAD_VALUE, Anchor.SESSION, where)
        window = self.window(f, where, Care.AFTER, session_day)
        self.check_quote(f, where, text)
        if None in (anchor, window) or "note" not in f or "quote" not in f:
            return None
        return Info(
            source=sid, kind=kind, window=window, note=f["note"][0], quote=f["quote"][0],
            anchor=anchor, interpretation=_get(f, "interpretation"),
            line=node.start_mark.line + 1,
        )


_BAD = object()


def _get(f: dict, key: str) -> Any:
    return f[key][0] if key in f else None


def _items(top: dict, key: str) -> list:
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
    return f"{names.get(tag, tag)} '{node.value}'"


def _article(expected: str) -> str:
    return {"str": "text", "int": "a whole number", "int or null": "a whole number or null",
            "mapping": "a mapping", "list": "a list"}[expected]
