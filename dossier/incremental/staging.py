"""Write site/ safely: only inside it, only files whose bytes changed (staged until a build succeeds),
stale files removed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from ..site.urls import SEARCH_FOLDER

KEEP = (SEARCH_FOLDER,)  # written by the search indexer after the pages


def safe_target(site: Path, rel: str) -> Path:
    """The file an output path names; refuses anything that would land outside site/."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"refusing to write outside site/: {rel!r}")
    return site.joinpath(*pure.parts)


def existing_files(site: Path) -> set[str]:
    """Output paths currently in site/, except those another tool owns."""
    found = set()
    for dirpath, _, filenames in os.walk(site):
        rel_dir = os.path.relpath(dirpath, site).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        if any(prefix.startswith(keep) for keep in KEEP):
            continue
        found.update(prefix + name for name in filenames)
    return found


def _remove_empty_dirs(site: Path) -> None:
    """Delete folders left empty by removed pages."""
    for dirpath, dirnames, filenames in os.walk(site, topdown=False):
        if dirpath != str(site) and not dirnames and not filenames:
            os.rmdir(dirpath)


class Staging:
    """Changed files of a build, waiting in a folder of the cache until every page has rendered.

    `put` compares with what site/ holds and stages only files whose bytes differ (every file
    when `compare` is false, as for `check`); `commit` moves them into site/ (a rename each),
    `discard` drops them and leaves site/ untouched."""

    def __init__(self, folder: Path, site: Path, *, compare: bool = True):
        self.site, self.folder, self.compare = site, folder, compare

    def reset(self) -> None:
        """Start with an empty staging folder (a crashed build may have left one)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def put(self, rel: str, data: bytes) -> bool:
        """Stage a file unless site/ already holds these bytes; True if staged."""
        target = safe_target(self.site, rel)
        try:
            if self.compare and target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        except (FileNotFoundError, NotADirectoryError):
            pass
        staged = safe_target(self.folder, rel)
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
        return True

    def commit(self, staged: list[str]) -> None:
        """Move staged files into site/."""
        for rel in sorted(staged):
            target = safe_target(self.site, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(safe_target(self.folder, rel), target)
        self.discard()

    def read(self, rel: str) -> bytes:
        """The bytes staged for an output path."""
        return safe_target(self.folder, rel).read_bytes()

    def discard(self) -> None:
        """Forget everything staged."""
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_stale(site: Path, keep: set[str]) -> int:
    """Delete files in site/ the build no longer makes (tool-owned folders aside); how many."""
    stale = existing_files(site) - keep
    for rel in sorted(stale):
        (site / rel).unlink()
    _remove_empty_dirs(site)
    return len(stale)
