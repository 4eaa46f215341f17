"""Where smpcare keeps the client's data and its cache, and how it reads and writes files there.

Every file smpcare reads from outside goes through ``read_regular``: a FIFO, a device or a
folder is refused before it is read (and opened without blocking, so that a FIFO swapped in
after the check cannot hang the program), and no more than a stated limit is read.
"""

import errno
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from smpcare.errors import EXIT_DATA, SmpcareError

HOME_IS_FILE = "J305"
UNREADABLE = "J306"
HOME_UNUSABLE = "J311"

# The deepest data directory taken: a real one is a few folders deep.
MAX_HOME_DEPTH = 100


class NotRegularFile(OSError):
    """The path is a folder, a FIFO, a device or a socket, not a regular file."""


class SymbolicLink(NotRegularFile):
    """The path is a symbolic link where only a file itself is taken."""


class FileTooLarge(OSError):
    """The file is larger than the limit for what it is."""


def data_dir() -> Path:
    """``$SMPCARE_HOME`` if set, else the platform's user data directory; refused when it
    names something that is not a folder."""
    home = os.environ.get("SMPCARE_HOME")
    if home:
        folder = Path(home)
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("smpcare", appauthor=False))
    if len(folder.parts) > MAX_HOME_DEPTH:  # creating it would recurse once per level
        raise _unusable_home(f"it is more than {MAX_HOME_DEPTH} folders deep")
    try:
        exists = folder.exists() and not folder.is_dir()
    except OSError as exc:  # a name longer than 255 bytes, a path longer than the system takes
        raise _unusable_home(exc.strerror or str(exc)) from None
    if exists:
        raise _not_a_folder(folder)
    return folder


def cache_dir() -> Path:
    """``$SMPCARE_HOME/cache`` if set, else the platform's user cache directory."""
    if os.environ.get("SMPCARE_HOME"):
        return data_dir() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("smpcare", appauthor=False))


def read_regular(path: Path, limit: int, *, links: bool = True) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else or anything larger.

    With ``links=False`` a symbolic link is refused too (SymbolicLink), even one swapped in
    after the check: a file named inside another file must not lead anywhere else.
    Raises NotRegularFile, FileTooLarge, or the OSError of the failed open or read.
    """
    if not links and stat.S_ISLNK(os.lstat(path).st_mode):
        raise SymbolicLink(errno.ELOOP, "a symbolic link", str(path))
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not links and exc.errno == errno.ELOOP:  # became a link since the check
            raise SymbolicLink(errno.ELOOP, "a symbolic link", str(path)) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a FIFO since the stat
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise FileTooLarge(errno.EFBIG, "larger than the limit", str(path))
    return b"".join(chunks)


def unwritable(folder: Path, exc: OSError) -> SmpcareError:
    """The one-line error for a data folder smpcare cannot write to."""
    if exc.errno == errno.ENOTDIR:
        return _not_a_folder(folder)
    return SmpcareError(
        "J304",
        f"cannot write to the data directory {folder}: {exc.strerror or exc}.",
        "Set SMPCARE_HOME to a folder you can write to.",
        exit_code=EXIT_DATA,
    )


def unreadable(path: Path, exc: OSError) -> SmpcareError:
    """The one-line error for a file or folder of smpcare's data that cannot be read.

    Never says "corrupt": nothing is known about the content.
    """
    if exc.errno == errno.ENOTDIR:
        return _not_a_folder(path)
    if isinstance(exc, NotRegularFile):
        return SmpcareError(
            UNREADABLE,
            f"cannot read {path}: it is not a regular file.",
            "Move it away; smpcare keeps only plain files there.",
            exit_code=EXIT_DATA,
        )
    hint = (
        "Give your user access to it (chmod u+rwX), or set SMPCARE_HOME to another folder."
        if exc.errno in (errno.EACCES, errno.EPERM)
        else "Check the disk and the folder, or set SMPCARE_HOME to another folder."
    )
    return SmpcareError(
        UNREADABLE, f"cannot read {path}: {exc.strerror or exc}.", hint, exit_code=EXIT_DATA
    )


def _unusable_home(reason: str) -> SmpcareError:
    """The data directory cannot be a folder at all (the path itself is not echoed: it may be
    thousands of characters)."""
    where = "SMPCARE_HOME" if os.environ.get("SMPCARE_HOME") else "the data directory"
    return SmpcareError(
        HOME_UNUSABLE,
        f"{where} cannot be used as smpcare's data folder: {reason}.",
        "Point SMPCARE_HOME at an ordinary folder (it is created when needed).",
        exit_code=EXIT_DATA,
    )


def _not_a_folder(path: Path) -> SmpcareError:
    blocker = next((p for p in (path, *path.parents) if p.exists()), path)
    where = "SMPCARE_HOME" if os.environ.get("SMPCARE_HOME") else "the data directory"
    return SmpcareError(
        HOME_IS_FILE,
        f"{where} must name a folder, but {blocker} is a file.",
        "Point SMPCARE_HOME at a folder (it is created when needed), or move the file elsewhere.",
        exit_code=EXIT_DATA,
    )


# Another smpcare holding a lock (or a hung one) is waited for, said on stderr after a moment,
# and given up on after a bounded wait: a journal or sources change takes milliseconds.
LOCK_NOTICE = 1.0  # seconds before saying what it waits for
LOCK_WAIT = 30.0  # seconds before giving up
LOCK_HELD = "J309"


@contextmanager
def locked(folder: Path, name: str) -> Iterator[None]:
    """An exclusive lock (the file ``folder/name``), held across a read-modify-write."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / name, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise unwritable(folder, exc) from None
    try:
        _lock(fd, folder / name)
        yield
    finally:
        os.close(fd)  # releases the lock


def _lock(fd: int, path: Path) -> None:
    """Take the lock, polling: a notice on stderr after LOCK_NOTICE seconds, J309 after
    LOCK_WAIT."""
    import time

    start = time.monotonic()
    said = False
    while not _try_lock(fd):
        waited = time.monotonic() - start
        if waited >= LOCK_WAIT:
            raise SmpcareError(
                LOCK_HELD,
                f"another smpcare process has held {path} for more than {LOCK_WAIT:g} "
                "seconds; nothing was changed.",
                "Let it finish (or end it), then try again.",
                exit_code=EXIT_DATA,
            )
        if not said and waited >= LOCK_NOTICE:
            from smpcare.errors import one_line

            if sys.stderr is not None:
                print(
                    one_line(f"smpcare: waiting for another smpcare process to release {path}"),
                    file=sys.stderr,
                    flush=True,
                )
            said = True
        time.sleep(0.05)


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock if it is free; False if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def atomic_write(
    path: Path, text: str | bytes, *, private: bool = False, mode: int | None = None
) -> None:
    """Write to a temp file in the same folder, fsync, then rename over ``path``.

    The temp file is created readable by the owner only; before the rename it is given
    ``mode`` if one is given (to keep an existing file's permissions), else, unless
    ``private``, the permissions a new file normally gets.
    """
    import tempfile

    path = Path(path)
    folder = path.parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        elif not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
