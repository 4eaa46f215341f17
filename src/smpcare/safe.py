"""Text from outside (guideline files, the journal, the command line) meets the terminal here.

Two halves of one boundary: ``first_control`` finds a character that must never come in from a
file (the loader and the journal refuse such text with a coded error), and ``visible`` escapes
the same characters where untrusted text is still echoed back (a typed date in an error
message), so that no escape sequence, bell, carriage return or bidi override reaches a terminal.
"""

import re

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates and
# marks, and lone surrogates (undecodable bytes from argv or file names, via surrogateescape).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def first_control(text: str) -> str | None:
    """The first forbidden character in ``text``, escaped for a message (``\\x1b``), or None."""
    m = _CONTROL.search(text)
    return _escape(m) if m else None


def visible(text: str) -> str:
    """``text`` with every forbidden character written as an escape (``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"
