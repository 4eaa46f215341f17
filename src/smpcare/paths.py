"""Where smpcare keeps the client's data and its cache, and how it reads and writes files there.

Every file smpcare reads from outside goes through ``read_regular``: a FIFO, a device or a
folder is refused before it is read (and opened without blocking, so that a FIFO swapped in
after the check cannot hang the program), and no more than a stated limit is read.
"""

import errno
import os
import stat
from pathlib import Path

from smpcare.errors import EXIT_DATA, SmpcareError


class NotRegularFile(OSError):
    """The path is a folder, a FIFO, a device or a socket, not a regular file."""


class FileTooLarge(OSError):
    """The file is larger than the limit for what it is."""


def data_dir() -> Path:
    """``$SMPCARE_HOME`` if set, else the platform's user data directory."""
    home = os.environ.get("SMPCARE_HOME")
    if home:
        return Path(home)
    from platformdirs import user_data_dir

    return Path(user_data_dir("smpcare", appauthor=False))


def cache_dir() -> Path:
    """``$SMPCARE_HOME/cache`` if set, else the platform's user cache directory."""
    home = os.environ.get("SMPCARE_HOME")
    if home:
        return Path(home) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("smpcare", appauthor=False))


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else or anything larger.

    Raises NotRegularFile, FileTooLarge, or the OSError of the failed open or read.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
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
    return SmpcareError("J304", f"cannot write to the data directory {folder}: "
                        f"{exc.strerror or exc}.",
                        "Set SMPCARE_HOME to a folder you can write to.", exit_code=EXIT_DATA)


def atomic_write(path: Path, text: str | bytes, *, private: bool = False,
                 mode: int | None = None) -> None:
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
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
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
