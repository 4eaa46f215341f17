"""smpcare: an aftercare planner for scalp micropigmentation.

The pure core (``model``, ``dates``, ``engine``, ``conflicts``) does no I/O, never reads the
clock and imports neither typer nor rich; ``loader`` reads guideline files, ``journal`` keeps the
client's sessions, ``cli`` is the thin command-line layer and ``render`` turns results into text.
"""

__version__ = "0.1.0"
