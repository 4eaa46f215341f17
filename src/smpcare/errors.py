"""The one error type smpcare raises for anything a user can fix."""

from typing import NamedTuple

from smpcare.words import plural

# Exit codes: 1 for bad data (a guideline file, the journal), 2 for bad command-line input.
EXIT_DATA = 1
EXIT_USAGE = 2


class SmpcareError(Exception):
    """A problem the user can fix: a stable code, one sentence naming the bad value, a hint."""

    def __init__(self, code: str, message: str, hint: str = "", *, exit_code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.exit_code = exit_code

    def line(self) -> str:
        """The single line the CLI prints."""
        text = f"error {self.code}: {self.message}"
        return f"{text} {self.hint}" if self.hint else text


class Problem(NamedTuple):
    """One problem found in a guideline file, reported as ``path:line: CODE message``."""

    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"


class GuidelineError(SmpcareError):
    """Guideline files failed validation; carries every problem found in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(
            "G000",
            f"{count} {plural(count, 'problem')} in guideline files",
            exit_code=EXIT_DATA,
        )

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
