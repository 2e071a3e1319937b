"""The no-change build after files were touched with the same bytes (a checkout, a copy, an editor's save without
an edit): it hashes them once, keeps their new stats in the saved state, and trusts the stats from then on, instead
of hashing the same files in every later no-change build until a build changes something."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from dossier import pipeline
from dossier.incremental import cache, lock, snapshots
from dossier.pipeline import BuildOptions, build

from conftest import copy_project


def test_touched_files_are_hashed_once_then_trusted_by_their_stats(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "project")
    build(BuildOptions(root=root, jobs=1, search=False))
    site = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    options = pipeline.cache_options(BuildOptions(root=root, search=False))
    state_file = root / cache.FOLDER / cache.STATE_FILE
    hashed: list[Path] = []
    real = cache.file_digest
    monkeypatch.setattr(cache, "file_digest", lambda path, *more: (hashed.append(path), real(path, *more))[1])

    def no_change() -> set[Path]:
        """The no-change check (as `python build.py` runs it first) holds; the files it hashed."""
        hashed.clear()
        assert snapshots.up_to_date(root, options, search=False) is not None
        return set(hashed)

    touched = sorted((root / "content").rglob("*.md"))
    for path in touched:
        os.utime(path)  # the same bytes, a new mtime
    time.sleep(cache.RACY_SECONDS + 0.2)  # (files changed this close to a scan are hashed again anyway)
    with lock.held(root):  # a build runs: the check hashes the files and leaves the state to that build
        inode = state_file.stat().st_ino
        assert no_change() >= set(touched)
        assert state_file.stat().st_ino == inode
    recorded = state_file.stat().st_mtime_ns  # when the folders of site/ were recorded
    assert no_change() >= set(touched)  # hashed again, and their stats kept
    assert state_file.stat().st_ino != inode and state_file.stat().st_mtime_ns == recorded
    assert no_change() == set(), "files with the bytes and stats of the saved state were hashed again"
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == site
    report = build(BuildOptions(root=root, jobs=1, search=False))  # the pipeline's own no-change check agrees
    assert report.written == 0 and hashed == []


def test_a_state_that_cannot_be_saved_leaves_the_no_change_check_as_it_was(tmp_path, monkeypatch):
    """A full or read-only disk: the no-change check still answers, the saved state stays as it was, and no
    half-written file is left in the cache."""
    root = copy_project(tmp_path / "project")
    build(BuildOptions(root=root, jobs=1, search=False))
    options = pipeline.cache_options(BuildOptions(root=root, search=False))
    state_file = root / cache.FOLDER / cache.STATE_FILE
    before = state_file.read_bytes()
    for path in sorted((root / "content").rglob("*.md")):
        os.utime(path)

    def full(path: Path, payload: bytes) -> None:
        """`write_checked` on a disk that fills up half way through the file."""
        path.with_name(f".{path.name}.{os.getpid()}.tmp").write_bytes(payload[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache, "write_checked", full)
    time.sleep(cache.RACY_SECONDS + 0.2)
    assert snapshots.up_to_date(root, options, search=False) is not None
    assert state_file.read_bytes() == before
    assert sorted(p.name for p in (root / cache.FOLDER).iterdir() if p.name.endswith(".tmp")) == []
