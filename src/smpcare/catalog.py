"""Where guideline files come from: the bundled sources, the clinic's own sources saved in the
user data directory, and extra files given for one run."""

from __future__ import annotations

import shutil
from pathlib import Path

from smpcare.errors import EXIT_DATA, Problem, SmpcareError
from smpcare.model import Guidelines, Source
from smpcare.paths import unwritable


def custom_dir() -> Path:
    from smpcare.paths import data_dir

    return data_dir() / "sources"


def load_all(extra: list[Path], *, use_cache: bool = True) -> Guidelines:
    """Bundled, then saved custom, then extra sources; ids must be unique across them all."""
    from smpcare.loader import bundled_dir, guideline_files

    groups = [[bundled_dir()], [custom_dir()] if custom_dir().is_dir() else [], extra]
    files = [guideline_files(g) for g in groups]
    if not use_cache:
        return _parse(files)
    from smpcare.cache import cached

    return cached([f for group in files for f in group], lambda: _parse(files))


def _parse(files: list[list[Path]]) -> Guidelines:
    from smpcare.loader import load_paths

    guidelines = Guidelines()
    for group in files:
        if group:
            more = load_paths(group, known=guidelines)
            guidelines = Guidelines(guidelines.sources + more.sources)
    return guidelines


def add_source(file: Path, *, replace: bool = False,
               warnings: list[Problem] | None = None) -> tuple[Source, bool]:
    """Validate a guideline file and copy it (and its text) into the custom sources folder;
    return the source and whether it replaced one added before.

    Nothing is copied unless the file is valid and its id is new, or (``replace``) the id is
    that of a custom source added before: an edited sheet then takes its place.
    """
    from smpcare.loader import bundled_dir, guideline_files, load_paths, text_name_of
    from smpcare.paths import atomic_write

    [path] = guideline_files([file])
    [alone] = load_paths([path]).sources  # the file's own problems first
    target = custom_dir()
    existing = target / f"{alone.id}.yaml"
    replacing = existing.is_file()
    if replacing and not replace:
        raise SmpcareError("E210", f"a custom source '{alone.id}' is already added ({existing}).",
                           f"To take this edited sheet in its place: smpcare sources add "
                           f"--replace {file}", exit_code=EXIT_DATA)
    customs = [p for p in guideline_files([target]) if p != existing] if target.is_dir() else []
    known = _parse([guideline_files([bundled_dir()]), customs])
    [source] = load_paths([path], known=known, warnings=warnings).sources
    copies = [(path, existing)]
    if source.text:
        copies.append((path.parent / source.text, target / source.text))
    old_text = text_name_of(existing) if replacing else None
    for _, dest in copies[1:] if replacing else copies:
        if dest.exists() and not (replacing and dest.name == old_text):
            raise SmpcareError("E210", f"{dest} already exists.",
                               "Remove the custom source first with 'smpcare sources remove'.",
                               exit_code=EXIT_DATA)
    try:
        target.mkdir(parents=True, exist_ok=True)
        if replacing:  # each file replaced whole (a reader sees the old or the new one)
            for src, dest in copies:
                atomic_write(dest, src.read_bytes())
            if old_text and old_text != source.text:
                (target / old_text).unlink(missing_ok=True)
        else:
            for src, dest in copies:
                shutil.copyfile(src, dest)
    except OSError as exc:
        if not replacing:
            for _, dest in copies:
                dest.unlink(missing_ok=True)
        raise unwritable(target, exc) from None
    return source, replacing


def remove_source(source_id: str) -> Path:
    """Delete a custom source (and its text), even one that no longer validates."""
    path = custom_dir() / f"{source_id}.yaml"  # add_source names the copy after its id
    if not path.is_file():
        raise SmpcareError("E203", f"'{source_id}' is not a custom source.",
                           "Bundled sources cannot be removed; 'smpcare sources' lists them all.",
                           exit_code=EXIT_DATA)
    text = _text_name(path)
    try:
        path.unlink()
        if text:
            (path.parent / text).unlink(missing_ok=True)
    except OSError as exc:
        raise unwritable(path.parent, exc) from None
    return path


def _text_name(path: Path) -> str | None:
    """The text file a guideline file names, read leniently: the file may be broken."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = data["source"]["text"]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError):
        return None
    return text if isinstance(text, str) and "/" not in text and "\\" not in text else None
