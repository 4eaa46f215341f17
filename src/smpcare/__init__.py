"""smpcare: an aftercare planner for scalp micropigmentation.

The pure core (``model``, ``dates``, ``engine``, ``conflicts``) does no I/O, never reads the
clock and imports neither typer nor rich; ``loader`` reads guideline files, ``journal`` keeps the
client's sessions, ``cli`` is the thin command-line layer and ``render`` turns results into text.
"""

__version__ = "0.1.0"


def installed_version() -> str:
    """The version in the installed package's metadata.

    Read straight from the ``.dist-info`` folder beside the package: importing
    ``importlib.metadata`` to find it costs more than the rest of start-up. An editable
    install keeps its metadata elsewhere and takes the slower, general way.
    """
    from pathlib import Path

    site = Path(__file__).resolve().parent.parent
    for meta in site.glob("smpcare-*.dist-info/METADATA"):
        with meta.open(encoding="utf-8") as f:
            for line in f:
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    from importlib.metadata import version

    return version("smpcare")
