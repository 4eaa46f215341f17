"""Where guideline files come from: the bundled sources, the clinic's own sources saved in the
user data directory, and extra files given for one run.

Each saved source is a folder ``sources/<id>/`` holding ``<id>.yaml`` and its text. ``sources
add`` builds the folder under a hidden temporary name inside ``sources/`` and renames it into
place, so that an add that is interrupted or killed never leaves half a source: what it leaves
is a hidden folder that nothing reads and the next add or remove clears. ``--replace`` first
moves the old folder aside under a hidden name; if it is killed before the new one is in place,
the next add or remove puts the old one back. Older versions kept ``sources/<id>.yaml`` and its
text side by side; such sources are still read, replaced and removed.
"""

from __future__ import annotations

import os
from pathlib import Path

from smpcare.errors import EXIT_DATA, EXIT_USAGE, GuidelineError, Problem, SmpcareError, cut
from smpcare.model import Guidelines, Source
from smpcare.paths import UNREADABLE, locked, unreadable, unwritable

# Hidden names, never read as sources: one being added, one moved aside while it is replaced
# (put back if the replacement never arrived), one being removed.
PARTIAL, REPLACED, REMOVED = ".partial-", ".replaced-", ".removed-"
LOCK = ".lock"
FOLDER_GIVEN = "E220"


def custom_dir() -> Path:
    from smpcare.paths import data_dir

    return data_dir() / "sources"


def installed() -> dict[str, Path]:
    """The saved custom sources by id: each one's folder, or its YAML file (older layout)."""
    from smpcare.loader import GUIDELINE_SUFFIXES

    folder = custom_dir()
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):  # none saved; or none can be, under a file
        return {}
    except OSError as exc:
        raise unreadable(folder, exc) from None
    found: dict[str, Path] = {}
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):  # the lock, a partial add
            continue
        if entry.is_dir():
            found[entry.name] = path
        elif entry.name.endswith(GUIDELINE_SUFFIXES):
            found.setdefault(path.stem, path)
    return found


def custom_files() -> list[Path]:
    """The saved custom sources' guideline files. What smpcare never puts in ``sources/`` (a
    FIFO, a device, ``sources`` itself not a folder) is refused, never skipped: skipping it
    would silently drop a clinic's advice from the plan."""
    _check_store(custom_dir())
    return [path for _, path in _files(installed())]


def _check_store(folder: Path) -> None:
    import stat

    from smpcare.paths import UNREADABLE, NotRegularFile

    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    except NotADirectoryError:
        if not (folder.exists() or folder.is_symlink()):
            return  # under a file: none saved, and none can be (adding one says why)
        raise SmpcareError(
            UNREADABLE,
            f"cannot read the custom sources in {folder}: it is not a folder.",
            "Move it away; smpcare keeps the sources added with 'smpcare sources add' there.",
            exit_code=EXIT_DATA,
        ) from None
    except OSError as exc:
        raise unreadable(folder, exc) from None
    for entry in entries:
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            raise unreadable(folder / entry.name, exc) from None
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise unreadable(folder / entry.name, NotRegularFile())


def _files(saved: dict[str, Path]) -> list[tuple[str, Path]]:
    """Each saved source's sheet; a folder without its sheet is refused with the command that
    clears it (a sheet renamed or deleted by hand, a folder shut to its user)."""
    out = []
    for sid, p in saved.items():
        if not p.is_dir():
            out.append((sid, p))
            continue
        sheet = p / f"{sid}.yaml"
        try:
            there = sheet.exists() or sheet.is_symlink()
        except OSError as exc:  # a folder shut to its user (chmod 000)
            raise SmpcareError(
                UNREADABLE,
                f"cannot read the saved custom source '{sid}' ({p}): {exc.strerror or exc}.",
                f"Give your user access to it (chmod u+rwX), or remove it with "
                f"'smpcare sources remove {sid}'.",
                exit_code=EXIT_DATA,
            ) from None
        if not there:
            raise SmpcareError(
                UNREADABLE,
                f"the saved custom source '{sid}' has lost its sheet: {sheet} is missing.",
                f"Remove it with 'smpcare sources remove {sid}', then add the sheet again.",
                exit_code=EXIT_DATA,
            )
        out.append((sid, sheet))
    return out


def load_all(extra: list[Path], *, use_cache: bool = True) -> Guidelines:
    """Bundled, then saved custom, then extra sources; ids must be unique across them all."""
    from smpcare.loader import bundled_dir, guideline_files

    files = [guideline_files([bundled_dir()]), custom_files(), guideline_files(extra)]
    if not use_cache:
        return _parse(files)
    from smpcare.cache import cached

    return cached([f for group in files for f in group], lambda: _parse(files))


def _parse(files: list[list[Path]]) -> Guidelines:
    from smpcare.loader import load_paths

    guidelines = Guidelines()
    for n, group in enumerate(files):
        if not group:
            continue
        try:
            more = load_paths(group, known=guidelines)
        except GuidelineError as exc:
            raise _mendable(exc) if n == 1 else exc from None
        guidelines = Guidelines(guidelines.sources + more.sources)
    return guidelines


def _mendable(exc: GuidelineError) -> GuidelineError:
    """Problems in saved custom sources, with the command that removes them."""
    store = custom_dir()
    ids = {
        sid
        for sid, path in installed().items()
        if any(Path(p.path) in (path, path / f"{sid}.yaml") for p in exc.problems)
    }
    commands = " and ".join(f"'smpcare sources remove {sid}'" for sid in sorted(ids))
    hint = (
        f"A saved custom source in {store} has problems: remove it with {commands}, then "
        "add the corrected file again."
        if commands
        else ""
    )
    return GuidelineError(exc.problems, hint)


def add_source(
    file: Path, *, replace: bool = False, warnings: list[Problem] | None = None
) -> tuple[Source, bool]:
    """Validate a guideline file and copy it (and its text) into the custom sources folder;
    return the source and whether it replaced one added before.

    Nothing is copied unless the file is valid and its id is new, or (``replace``) the id is
    that of a custom source added before: the edited sheet then takes its place whole. What is
    installed is the copy that was validated.
    """
    from smpcare.loader import guideline_files, load_paths

    try:
        folder = file.is_dir()
    except OSError:  # a name too long: guideline_files says so
        folder = False
    if folder:
        raise SmpcareError(
            FOLDER_GIVEN,
            f"'{file}' is a folder; 'sources add' takes one guideline file.",
            "Add each .yaml file in it on its own.",
            exit_code=EXIT_USAGE,
        )
    [path] = guideline_files([file])
    [alone] = load_paths([path]).sources  # the file's own problems first
    _check_store(custom_dir())
    saved = installed()
    _refuse_unless_replacing(saved.get(alone.id), alone.id, file, replace)
    [source] = load_paths([path], known=_others(saved, alone.id), warnings=warnings).sources
    store = custom_dir()
    try:
        with locked(store, LOCK):  # nothing is created before the file is known to be good
            _clear_partial(store)  # a replace that was killed puts its old sheet back
            saved = installed()
            current = saved.get(source.id)
            _refuse_unless_replacing(current, source.id, file, replace)
            # Against the sources as they are now: another add may have finished meanwhile.
            _install(path, source, store, _others(saved, source.id), current)
    except OSError as exc:
        raise unwritable(store, exc) from None
    return source, current is not None


def _others(saved: dict[str, Path], source_id: str) -> Guidelines:
    """The bundled sources and the saved custom ones but ``source_id``."""
    from smpcare.loader import bundled_dir, guideline_files

    others = [f for sid, f in _files(saved) if sid != source_id]
    return _parse([guideline_files([bundled_dir()]), others])


def _refuse_unless_replacing(
    current: Path | None, source_id: str, file: Path, replace: bool
) -> None:
    if current is not None and not replace:
        raise SmpcareError(
            "E210",
            f"a custom source '{source_id}' is already added ({current}).",
            f"To take this edited sheet in its place: smpcare sources add --replace {file}",
            exit_code=EXIT_DATA,
        )


def _install(
    path: Path, source: Source, store: Path, known: Guidelines, current: Path | None
) -> None:
    """Build the source's folder under a hidden name, then rename it into place (moving the
    one it replaces aside first, and back if the new one never arrives)."""
    import shutil
    import tempfile

    from smpcare.loader import MAX_FILE_BYTES, load_paths
    from smpcare.paths import fsync_dir, read_regular

    target = store / source.id
    if current is None and (target.exists() or target.is_symlink()):
        raise SmpcareError(
            "E210",
            f"{target} already exists.",
            f"Remove it with 'smpcare sources remove {source.id}' first.",
            exit_code=EXIT_DATA,
        )
    partial = Path(tempfile.mkdtemp(prefix=PARTIAL, dir=store))
    aside: Path | None = None
    try:
        copies = [(path, partial / f"{source.id}.yaml")]
        if source.text:
            copies.append((path.parent / source.text, partial / source.text))
        for src, dest in copies:
            with open(dest, "xb") as f:
                f.write(read_regular(src, MAX_FILE_BYTES, links=src == path))
                f.flush()
                os.fsync(f.fileno())
        try:  # the file may have changed since it was checked: check what is installed
            load_paths([copies[0][1]], known=known)
        except GuidelineError as exc:
            shown = [
                p._replace(path=str(path)) if p.path == str(copies[0][1]) else p
                for p in exc.problems
            ]
            raise GuidelineError(shown) from None
        if current is not None and current.is_dir():
            aside = Path(tempfile.mkdtemp(prefix=REPLACED, dir=store)) / source.id
            os.rename(current, aside)
        os.rename(partial, target)
    except BaseException:
        if aside is not None and not target.exists():
            os.rename(aside, target)
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if aside is not None:
        shutil.rmtree(aside.parent, ignore_errors=True)
    elif current is not None:  # an older version's copy, beside the new folder now
        _remove_legacy(current)
    fsync_dir(store)


def remove_source(source_id: str) -> Path:
    """Delete a saved custom source (and its text), even one that no longer validates.

    ``source_id`` is only ever compared with the names of the installed sources, never used
    as a path.
    """
    saved = installed()
    path = saved.get(source_id)
    if path is None:
        names = ", ".join(saved) or "none"
        raise SmpcareError(
            "E203",
            f"'{cut(source_id)}' is not an installed custom source.",
            f"Custom sources: {names}. Bundled sources cannot be removed; "
            "'smpcare sources' lists them all.",
            exit_code=EXIT_USAGE,
        )
    store = custom_dir()
    try:
        with locked(store, LOCK):
            _clear_partial(store)
            if path.is_dir() and not path.is_symlink():
                _remove_folder(path, store)
                _remove_legacy(store / f"{source_id}.yaml")  # left beside it by a killed replace
            else:
                _remove_legacy(path)  # an older version's copy
    except OSError as exc:
        raise unwritable(store, exc) from None
    return path


def _remove_folder(folder: Path, store: Path) -> None:
    """Rename the source out of sight first, so that it disappears in one step."""
    import shutil
    import tempfile

    gone = Path(tempfile.mkdtemp(prefix=REMOVED, dir=store))
    try:
        os.rename(folder, gone / folder.name)
    except PermissionError:  # a folder without permissions (chmod 000) cannot be moved
        os.chmod(folder, 0o700)  # smpcare made it, so the user owns it
        os.rename(folder, gone / folder.name)
    os.chmod(gone / folder.name, 0o700)  # so that its files can be deleted
    shutil.rmtree(gone, ignore_errors=True)


def _clear_partial(store: Path) -> None:
    """Clear what an add, replace or remove that was killed left behind (the lock is held):
    a source moved aside whose replacement never arrived goes back into place."""
    import shutil

    for entry in sorted(os.scandir(store), key=lambda e: e.name):
        folder = store / entry.name
        if entry.name.startswith(REPLACED):
            for old in folder.iterdir():
                if not (store / old.name).exists():
                    os.rename(old, store / old.name)
        if entry.name.startswith((PARTIAL, REPLACED, REMOVED)):
            shutil.rmtree(folder, ignore_errors=True)


def _remove_legacy(path: Path) -> None:
    """Delete an older version's ``sources/<id>.yaml`` and the text beside it, if there."""
    if path.is_file() or path.is_symlink():
        text = _legacy_text(path)
        path.unlink(missing_ok=True)
        if text is not None:
            text.unlink(missing_ok=True)


def _legacy_text(path: Path) -> Path | None:
    """The text file beside an older-layout source, if its YAML names one that smpcare could
    have copied there (a plain name, a regular file); read leniently: it may be broken."""
    from smpcare.loader import text_name_of, text_name_problem

    name = text_name_of(path)
    if name is None or text_name_problem(name) is not None:
        return None
    text = path.parent / name
    return text if text.is_file() and not text.is_symlink() else None
