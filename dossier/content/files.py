"""Which files under content/ are read at all: regular files inside the project, never through a link out of it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ContentError, display_path


def markdown_files(folder: Path) -> list[Path]:
    """The *.md files of a folder in the order of their names (the order a sort of the paths gives, without
    comparing 10,000 Path objects part by part), none for a folder that is not there."""
    return sorted(folder.glob("*.md"), key=lambda path: path.name) if folder.is_dir() else []


def unreadable(path: Path, shown: str) -> str:
    """Why a content file is not read, or '': a symbolic link that leads out of the project (a
    content file is never a window onto the rest of the disk), or no regular file (a pipe, a
    device, a folder named *.md). The project is the folder `shown` (its path inside) is relative to."""
    if not path.name.isprintable():  # (a name that is no UTF-8 holds its bytes as lone surrogates: not printable)
        return "its name is not UTF-8 text, or holds a control character; rename the file to letters, digits and '-'"
    depth = len(Path(shown).parts)
    if Path(shown).is_absolute() or len(path.parts) <= depth:
        return ""
    project = path.parents[depth - 1]
    try:  # the common case in a few lstat calls: a regular file, and no link from the project down to it
        modes = [os.lstat(p).st_mode for p in (path, *path.parents[: depth - 1])]
        if stat.S_ISREG(modes[0]) and not any(stat.S_ISLNK(mode) for mode in modes):
            return ""
    except OSError:
        pass  # (told apart below)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link, or a loop of links
        return "a symbolic link to nothing (or a loop of links); delete it, or copy the file itself here"
    if path.is_symlink() or any(p.is_symlink() for p in path.parents if p != project and project in p.parents):
        try:
            target.relative_to(project.resolve())
        except ValueError:
            return (
                f"a symbolic link to {target}, outside the project: content is read only from inside it; "
                "copy the file into the project instead"
            )
    if not target.is_file():
        return "not a regular file (a folder, a pipe or a device named *.md); remove it from content/"
    return ""


def refused_files(root: Path, folder: str) -> list[ContentError]:
    """content/<folder>/*.md files that are not read (see `unreadable`), each with why.

    A build asks this of every article file: a regular file (not a link) in folders that are no
    links either is answered with one lstat, and only anything else is looked at in full."""
    base = root / "content" / folder
    found = []
    linked = base.is_symlink() or base.parent.is_symlink()
    for path in markdown_files(base):
        if not linked and stat.S_ISREG(os.lstat(path).st_mode) and path.name.isprintable():
            continue
        shown = display_path(path, root)
        why = unreadable(path, shown)
        if why:
            found.append(ContentError(shown, 1, why))
    return found
