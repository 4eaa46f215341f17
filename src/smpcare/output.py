"""Where a command's output goes: standard output, or the file named by ``--output``.

Standard output is guarded: a reader that went away (``smpcare plan | head -1``) ends the run
silently, and a stream that cannot take the output (a full disk, a closed descriptor, an
encoding that cannot show a character) ends it with one E215 line. Output is never changed to
fit an encoding: advice quotes its sources verbatim, and a quote with letters replaced by '?'
would no longer be one. ``--output`` writes a regular file atomically and keeps its
permissions, follows a symlink to the file it names, and writes straight to anything that is
not a regular file (a FIFO, a device), which a rename would replace.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from smpcare.errors import EXIT_DATA, SmpcareError

if TYPE_CHECKING:
    from smpcare.model import Guidelines

# Characters per write: at most 4 UTF-8 bytes each, so a piece fits io's 8 KB buffer.
_PIECE = 2048


class PipeClosed(Exception):
    """Whoever read standard output has gone away; there is no one left to tell."""


class GuardedStdout:
    """Standard output whose failures become PipeClosed or an E215 SmpcareError.

    ``stream`` is None when the descriptor was closed before smpcare started (``>&-``). After
    a failure, further output is dropped and descriptor 1 is pointed at the null device, so
    that the interpreter's own last flush at exit finds nothing to fail on.
    """

    def __init__(self, stream: TextIO | None):
        self._stream = stream
        self._failed = False

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes for a binary stream with b""
            raise TypeError("write() argument must be str")
        if text and not self._failed:
            try:
                if self._stream is None:
                    raise OSError(errno.EBADF, "it is closed")
                # In pieces no larger than the stream's buffer: a single larger write that
                # the reader closes midway comes back short without an error, and the rest
                # of the output would be lost while the run ends "successfully". Checked
                # whole first, so that a character the encoding cannot show stops it before
                # any piece is out.
                if len(text) > _PIECE:
                    text.encode(self._stream.encoding, self._stream.errors or "strict")
                for start in range(0, len(text), _PIECE):
                    self._stream.write(text[start : start + _PIECE])
            except (OSError, UnicodeEncodeError, ValueError) as exc:
                raise self._fail(exc) from None
        return len(text)

    def flush(self) -> None:
        if not self._failed and self._stream is not None:
            try:
                self._stream.flush()
            except (OSError, ValueError) as exc:
                raise self._fail(exc) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> object:  # encoding, fileno, ... for renderers
        return getattr(self._stream, name)

    def _fail(self, exc: Exception) -> Exception:
        self._failed = True
        if self._stream is not None:
            _discard(self._stream)
        if isinstance(exc, BrokenPipeError):
            return PipeClosed()
        if isinstance(exc, UnicodeEncodeError):
            from smpcare.safe import visible

            char = exc.object[exc.start]
            return SmpcareError(
                "E215",
                f"standard output cannot show '{visible(char)}' (U+{ord(char):04X}) in "
                f"its encoding, {exc.encoding}.",
                "Use a UTF-8 terminal or set PYTHONIOENCODING=utf-8, or write to a file with "
                "--output.",
                exit_code=EXIT_DATA,
            )
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        return SmpcareError(
            "E215",
            f"cannot write to standard output: {reason}.",
            "Check where the output goes (a full disk, a closed stream).",
            exit_code=EXIT_DATA,
        )


def _discard(stream: TextIO) -> None:
    """Point the stream's descriptor at the null device; what is still buffered goes there."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


def write_file(path: str, text: str) -> None:
    """Write ``text`` to ``path`` so that a failure leaves what was there intact.

    A regular file (new or existing, or one a symlink leads to) is replaced atomically and
    keeps its permissions; a file the user may not write is refused, as the shell would.
    Anything else that exists (a FIFO, a device, ``/dev/stdout``) is written to in place, and
    so is a regular file reached through a link that names no path (``/dev/stdout`` into a
    file): there is no folder to rename into. Errors are E209 lines naming ``path`` as given.
    """
    import stat

    from smpcare.paths import atomic_write

    try:
        if path.endswith(("/", os.sep)):  # Path() would drop the slash and write a file
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        try:
            st = os.stat(path)  # follows links the way the kernel does, /proc's included
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if st is not None and not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        target = os.path.realpath(path)  # the file every symlink on the way leads to
        if st is None or (stat.S_ISREG(st.st_mode) and _same_file(target, st)):
            atomic_write(Path(target), text, mode=None if st is None else stat.S_IMODE(st.st_mode))
            return
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def refuse_own_files(path: str, guidelines: Guidelines) -> None:
    """Refuse (E209) an ``--output`` that would replace what smpcare reads: a file in its
    data or cache directory (the saved sessions, sources, export records, locks) or a
    guideline file or text the plan was built from. Either way the next run would find its
    own input gone; the sheet a clinic wrote would be lost."""
    from smpcare.paths import cache_dir, data_dir

    target = os.path.realpath(path)
    for folder, what in ((data_dir(), "data"), (cache_dir(), "cache")):
        root = os.path.realpath(folder)
        if os.path.commonpath([root, target]) == root:
            raise SmpcareError(
                "E209",
                f"--output '{path}' is inside smpcare's {what} directory, {root}, where it "
                "keeps its own files.",
                "Write the plan somewhere else, e.g. plan.md in your home folder.",
                exit_code=EXIT_DATA,
            )
    for source in guidelines.sources:
        inputs = [Path(source.path)]
        if source.text:
            inputs.append(Path(source.path).parent / source.text)
        for given in inputs:
            if os.path.realpath(given) == target or _same_inode(given, path):
                raise SmpcareError(
                    "E209",
                    f"--output '{path}' is {given}, a guideline file this plan is read from.",
                    "Write the plan to another file.",
                    exit_code=EXIT_DATA,
                )


def _same_inode(a: Path, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _same_file(target: str, st: os.stat_result) -> bool:
    try:
        other = os.stat(target)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)


def _cannot_write(path: str, exc: OSError) -> SmpcareError:
    parent = Path(os.path.realpath(path)).parent
    if exc.errno == errno.EISDIR:
        message = f"--output '{path}' names a folder."
        hint = "Name a file, e.g. plan.ics."
    elif exc.errno == errno.ENOENT and not parent.is_dir():
        message = f"cannot write '{path}': the folder '{parent}' does not exist."
        hint = "Create the folder first, or choose another path."
    else:
        message = f"cannot write '{path}': {exc.strerror or exc}."
        hint = "Choose a file you can write to."
    return SmpcareError("E209", message, hint, exit_code=EXIT_DATA)
