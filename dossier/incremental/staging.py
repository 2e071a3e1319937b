"""Write site/ safely: only inside it, only files whose bytes changed (staged until a build succeeds),
stale files removed.

The switch from the old site to the new one is journaled: before the first file of site/ changes,
`commit` writes `.dossier-cache/commit.journal` (atomically, with a checksum) listing every file to
move in from the staging folder and every stale file to delete, and removes it when done. A build
killed in between (SIGKILL, power cut of the process) leaves the journal and the files not yet
moved; the next build calls `recover` first, which finishes the switch, so site/ is a complete
site again before anything else happens. site/ itself stays the same folder (never renamed away),
so `serve` and anything else holding it open keeps working, and unchanged files keep their mtime.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ..site.urls import SEARCH_FOLDER
from .cache import JOURNAL, read_checked, write_checked

KEEP = (SEARCH_FOLDER,)  # written by the search indexer after the pages


def safe_target(site: Path, rel: str) -> Path:
    """The file an output path names; refuses anything that would land outside site/."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"refusing to write outside site/: {rel!r}")
    return site.joinpath(*pure.parts)


def _remove_empty_dirs(site: Path, removed: list[str]) -> None:
    """Delete the folders that removing these files left empty, and the folders above them that this
    leaves empty (only along the removed paths: site/ is not walked)."""
    for rel in removed:
        head = rel.rpartition("/")[0]
        while head:
            try:
                os.rmdir(safe_target(site, head))
            except FileNotFoundError:  # taken away already, climbing from another removed file
                pass
            except OSError:  # not empty (or not a folder): nor is anything above it
                break
            head = head.rpartition("/")[0]


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

    def commit(self, staged: list[str], stale: list[str] | tuple[str, ...] = ()) -> None:
        """Move staged files into site/ and delete `stale` ones, under a journal a next build can finish."""
        for rel in (*staged, *stale):
            safe_target(self.site, rel)  # refuse a path outside site/ before anything is written
        journal = self.folder.parent / JOURNAL
        write_checked(journal, json.dumps({"move": sorted(staged), "remove": sorted(stale)}).encode())
        _apply(self.folder, self.site, sorted(staged), sorted(stale))
        journal.unlink()
        self.discard()

    def pending(self) -> bool:
        """Whether a switch of site/ began and did not end (its journal and staged files wait for `recover`)."""
        return (self.folder.parent / JOURNAL).exists()

    def read(self, rel: str) -> bytes:
        """The bytes staged for an output path."""
        return safe_target(self.folder, rel).read_bytes()

    def discard(self) -> None:
        """Forget everything staged."""
        shutil.rmtree(self.folder, ignore_errors=True)


def stale_files(site: Path, keep: set[str], found: Mapping[str, tuple[int, int]]) -> list[str]:
    """Files in site/ the build no longer makes (tool-owned folders aside), from what site/ held as
    `snapshots.output_snapshot` saw it (taken while the pages rendered into the staging folder), not walked again.
    A folder with a page's name and a link to a folder are no files: they are left where they are."""
    return sorted(
        rel
        for rel, (size, _) in found.items()
        if rel not in keep and not rel.startswith(KEEP) and not (size < 0 and os.path.isdir(site / rel))
    )


def _apply(folder: Path, site: Path, move: list[str], remove: list[str]) -> None:
    """Delete `remove` from site/, then move each of `move` still in the staging folder into it.

    Deleting first lets a page become a folder and a folder a page; a file no longer staged was
    moved already (each move is one rename), so applying a journal twice does no harm."""
    for rel in remove:
        safe_target(site, rel).unlink(missing_ok=True)
    _remove_empty_dirs(site, remove)
    for rel in move:
        source = safe_target(folder, rel)
        if not source.is_file():
            continue
        target = safe_target(site, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def recover(folder: Path, site: Path) -> bool | None:
    """Finish the switch a killed build left half done: None when there was nothing to finish,
    True when it was finished, False when the journal could not be read (the caller then
    builds every page afresh and compares it with site/)."""
    journal = folder.parent / JOURNAL
    if not journal.exists():
        return None
    payload = read_checked(journal)
    try:
        entries = json.loads(payload) if payload is not None else None
        move, remove = [str(r) for r in entries["move"]], [str(r) for r in entries["remove"]]
    except (ValueError, TypeError, KeyError):
        journal.unlink(missing_ok=True)
        return False
    site.mkdir(parents=True, exist_ok=True)
    _apply(folder, site, move, remove)
    journal.unlink()
    shutil.rmtree(folder, ignore_errors=True)
    return True
