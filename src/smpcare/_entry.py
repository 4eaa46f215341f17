"""The ``smpcare`` console script and ``python -m smpcare``.

Start-up allocates many long-lived objects (typer, click, our modules) and the cyclic garbage
collector would walk them several times over while they are imported: about 5 ms of every run,
measured with bench/startup.py. So collection is off while the CLI loads; then the objects
loaded so far are frozen out of future collections and collection is switched back on for the
command itself, with a larger first-generation threshold: a big plan allocates many
short-lived tuples, and the default threshold (700) collected every few hundred of them
(about 7 ms on the 50-source benchmark plan).
"""

import gc

gc.disable()


def main() -> None:
    try:
        from smpcare.cli import main as run

        gc.freeze()
        gc.set_threshold(10_000, 20, 20)
        gc.enable()
        run()
    except KeyboardInterrupt:  # Ctrl-C while loading; once loaded, typer exits 130 itself
        import sys

        sys.exit(130)
