"""Where smpcare keeps the client's data and its cache."""

import os
from pathlib import Path


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
