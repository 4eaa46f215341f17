"""Where smpcare keeps the client's data and its cache, and how it writes files there."""

import os
from pathlib import Path

from smpcare.errors import EXIT_DATA, SmpcareError


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


def unwritable(folder: Path, exc: OSError) -> SmpcareError:
    """The one-line error for a data folder smpcare cannot write to."""
    return SmpcareError("J304", f"cannot write to the data directory {folder}: "
                        f"{exc.strerror or exc}.",
                        "Set SMPCARE_HOME to a folder you can write to.", exit_code=EXIT_DATA)


def atomic_write(path: Path, text: str | bytes, *, private: bool = False) -> None:
    """Write to a temp file in the same folder, fsync, then rename over ``path``.

    The temp file is created readable by the owner only; unless ``private``, it is given the
    permissions a new file normally gets before the rename.
    """
    import tempfile

    path = Path(path)
    folder = path.parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if not private:
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
