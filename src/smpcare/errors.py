"""The one error type smpcare raises for anything a user can fix."""

from typing import NamedTuple

from smpcare.words import plural

# Exit codes: 1 for bad data (a guideline file, the journal), 2 for bad command-line input.
EXIT_DATA = 1
EXIT_USAGE = 2

# A file with thousands of problems (or a hostile one) must not flood the terminal.
MAX_PROBLEMS_SHOWN = 100


class SmpcareError(Exception):
    """A problem the user can fix: a stable code, one sentence naming the bad value, a hint."""

    def __init__(self, code: str, message: str, hint: str = "", *, exit_code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.exit_code = exit_code

    def line(self) -> str:
        """The single line the CLI prints: whatever it echoes, no control character and no
        line break survives."""
        text = f"error {self.code}: {self.message}"
        return one_line(f"{text} {self.hint}" if self.hint else text)


class Problem(NamedTuple):
    """One problem found in a guideline file, reported as ``path:line: CODE message``."""

    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.path}:{self.line}: {self.code} {self.message}")


class GuidelineError(SmpcareError):
    """Guideline files failed validation; carries every problem found in one pass."""

    def __init__(self, problems: list[Problem], hint: str = ""):
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(
            "G000",
            f"{count} {plural(count, 'problem')} in guideline files.",
            hint,
            exit_code=EXIT_DATA,
        )

    def lines(self) -> list[str]:
        """The first MAX_PROBLEMS_SHOWN problems, then how many more there are."""
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            shown.append(f"... and {more} more {plural(more, 'problem')}")
        return shown


def cut(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for a message: a 5,000-character value from
    outside is shown by its start."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(text: str) -> str:
    """``text`` with control characters escaped (``\\x1b``) and line breaks and tabs written
    as ``\\n`` and ``\\t``: an error line echoes file names, ids and values from outside."""
    from smpcare.safe import visible

    return visible(text).replace("\n", "\\n").replace("\t", "\\t")
