"""site/ as a build finds it, compared with what the last build left there, and the no-change check.

A snapshot is the (size, mtime_ns) of every file in site/ the build owns (`cache.scan`'s
form), with each empty folder as OTHER. The state keeps the snapshot a build leaves and the
mtime of each folder in it (`folder_snapshot`). A folder's mtime moves whenever an entry is
added to it, removed or renamed, so a folder whose mtime is as recorded holds the entries it
held: the next snapshot lists only the folders whose mtime moved, and stats the rest entry by
entry. A folder whose recorded mtime is not older than the saved state is listed anyway: a
change made in the same tick of the file system's clock would leave its mtime as it was (the
"racily clean" files of Git). Without recorded folders, or with site/ and the state on two
file systems (two clocks), site/ is walked whole.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

from ..site.urls import SEARCH_FOLDER, SEARCH_STAMP
from . import lock
from .cache import (
    FOLDER,
    JOURNAL,
    OTHER,
    STATE_FILE,
    BuildState,
    Stat,
    entry_stat,
    global_key,
    input_snapshot,
    inputs_unchanged,
    load,
    rehashed,
    save,
    scan,
    scan_folder,
)

OUTPUT_SKIP = (SEARCH_FOLDER,)  # owned by the search indexer; its stamp file is checked instead
OUTPUT_STAMPS = (SEARCH_STAMP,)


def output_snapshot(site: Path, previous: BuildState | None = None, root: Path | None = None) -> dict[str, Stat]:
    """Stat of every file in site/ the build owns (and of each empty folder), plus the search index's stamp.

    With the state of the last build (and the project root, where that state is saved), only the folders
    whose mtime moved since are listed; without, site/ is walked."""
    saved = _saved_at(site, root) if previous is not None and previous.folders and root is not None else None
    stats = scan(site, folders=(), skip=OUTPUT_SKIP, empty=True) if saved is None else _restat(site, previous, saved)
    for stamp in OUTPUT_STAMPS:
        try:
            st = (site / stamp).stat()
        except OSError:
            continue
        stats[stamp] = (st.st_size, st.st_mtime_ns)
    return stats


def _saved_at(site: Path, root: Path) -> int | None:
    """mtime_ns of the saved state, when site/ shares its file system (and so its clock); else None."""
    try:
        saved = os.stat(root / FOLDER / STATE_FILE)
        return saved.st_mtime_ns if os.stat(site).st_dev == saved.st_dev else None
    except OSError:
        return None


def _folder_stat(base: str, rel: str) -> os.stat_result:
    """The stat of a folder of site/ ('' for site/ itself, taken through a link to the folder served, as a
    walk takes it; everything inside it as it is)."""
    return os.lstat(base + "/" + rel) if rel else os.stat(base)


def _restat(site: Path, previous: BuildState, saved: int) -> dict[str, Stat]:
    """`scan` of site/, each folder whose mtime is as `previous` recorded (and older than `saved`) taken to
    hold the entries it held then: those are stat-ed one by one (each once), and only the other folders are
    listed."""
    folders = previous.folders
    files: dict[str, list[str]] = {rel: [] for rel in folders}  # folder -> the names of its other entries
    subfolders: dict[str, list[str]] = {rel: [] for rel in folders}
    for rel in folders:
        if rel and (head := rel.rpartition("/")[0]) in subfolders:
            subfolders[head].append(rel)
    for rel in previous.outputs:
        head, _, name = rel.rpartition("/")
        if head in files and rel not in folders:
            files[head].append(name)
    found: dict[str, Stat] = {}
    base, lstat, is_dir, stack = str(site), os.lstat, stat.S_ISDIR, [""]
    while stack:
        rel = stack.pop()
        path, prefix = (base + "/" + rel, rel + "/") if rel else (base, "")
        try:
            st = _folder_stat(base, rel)
        except OSError:
            continue
        if not is_dir(st.st_mode):  # a folder made a file in the same tick as its folder's mtime was taken
            if rel:  # (site/ itself no folder: nothing in it, as `scan` finds)
                found[rel] = entry_stat(st)
            continue
        recorded = folders.get(rel)
        if recorded is None or st.st_mtime_ns != recorded or recorded >= saved:
            stack += scan_folder(base, rel, found, skip=OUTPUT_SKIP, empty=True)
            continue
        inside, deeper = files[rel], subfolders[rel]
        if rel and (rel.endswith(".md") or not (inside or deeper)):
            found[rel] = (OTHER, 0)  # as `scan` records a folder named like a page, and an empty one
        stack += deeper
        for name in inside:
            try:
                st = lstat(path + "/" + name)
            except OSError:  # gone in the same tick as its folder's mtime was taken: as the walk would
                continue
            if is_dir(st.st_mode):
                stack.append(prefix + name)
            else:
                found[prefix + name] = entry_stat(st)
    return found


def switched_snapshot(site: Path, before: dict[str, Stat], written, removed) -> dict[str, Stat]:
    """`output_snapshot` after a build moved `written` into site/ and removed `removed`, from the one taken before:
    only those files and the search index's stamp are looked at again, not every page of the site."""
    stats = dict(before)
    for rel in removed:
        stats.pop(rel, None)
    for rel in [rel for rel, known in stats.items() if known == (OTHER, 0) and not os.path.lexists(site / rel)]:
        stats.pop(rel)  # an empty folder the switch removed
    for rel in (*written, *OUTPUT_STAMPS):
        try:
            st = (site / rel).stat()
        except OSError:
            stats.pop(rel, None)
            continue
        stats[rel] = (st.st_size, st.st_mtime_ns)
    return stats


def folder_snapshot(site: Path, outputs) -> dict[str, int]:
    """mtime_ns of site/ and of every folder of `outputs` or above one (tool-owned folders aside), for the
    next `output_snapshot`: taken after the build's last change to site/, before its state is saved."""
    folders = {""}
    for rel, known in outputs.items():
        head = rel if known == (OTHER, 0) else rel.rpartition("/")[0]  # an empty folder, or a file's
        while head and head not in folders:
            folders.add(head)
            head = head.rpartition("/")[0]
    found, base = {}, str(site)
    for rel in sorted(folders):
        if rel and any((rel + "/").startswith(s) for s in OUTPUT_SKIP):
            continue
        try:
            st = _folder_stat(base, rel)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            found[rel] = st.st_mtime_ns
    return found


def up_to_date(root: Path, options: dict, *, search: bool = True) -> BuildState | None:
    """The last build's state if inputs and site/ are exactly as it left them (nothing to do), else None."""
    if (root / FOLDER / JOURNAL).exists():  # a build was killed while switching site/: the next build repairs it
        return None
    saved = _state_file(root)
    previous = load(root, global_key(options))
    if previous is None:
        return None
    inputs, scanned_at = input_snapshot(root, previous)
    if not nothing_to_do(previous, inputs, root, search=search):
        return None
    keep_scan(root, previous, inputs, scanned_at, read=saved)
    return previous


def keep_scan(root: Path, state: BuildState, inputs: dict[str, tuple[Stat, str]], scanned_at: float, read=None) -> None:
    """After a build that found nothing to do but hashed files again (touched with the same bytes, or changed
    close to the last scan), save the state with this scan's stats and time, so that later builds trust the
    stats instead of hashing those files every time; the state is otherwise the one that was saved. The file
    keeps its mtime: it tells when the folders of site/ were recorded (`_saved_at`), which this does not change.

    `read`: the state file as a caller that holds no build lock read it (`_state_file`): the lock is then taken
    if no build holds it (a build running now saves its own state) and the state saved if the file is that one."""
    if not rehashed(state, inputs):
        return
    if read is None:
        _save_scan(root, state, inputs, scanned_at)
        return
    with lock.attempt(root) as mine:
        if mine and _state_file(root) == read:
            _save_scan(root, state, inputs, scanned_at)


def _save_scan(root: Path, state: BuildState, inputs: dict[str, tuple[Stat, str]], scanned_at: float) -> None:
    """`keep_scan`'s save, the state file's mtime kept."""
    path = root / FOLDER / STATE_FILE
    try:
        recorded = os.stat(path).st_mtime_ns
    except OSError:
        return
    try:  # (only ever a saving of time: a disk that is full or read-only leaves the state as it was)
        save(root, replace(state, inputs=inputs, scanned_at=scanned_at))
        os.utime(path, ns=(recorded, recorded))
    except OSError:
        for left in path.parent.glob(f".{path.name}.*.tmp"):  # what `write_checked` may have left half written
            left.unlink(missing_ok=True)


def _state_file(root: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime_ns) of the saved state file (a save replaces it by a new file), None without one."""
    try:
        st = os.stat(root / FOLDER / STATE_FILE)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def nothing_to_do(state: BuildState, inputs: dict[str, tuple[Stat, str]], root: Path, *, search: bool) -> bool:
    """Whether a build would find inputs and site/ (and the search index, if wanted) as `state` left them."""
    if (search and not state.searched) or not inputs_unchanged(state, inputs):
        return False
    return output_snapshot(root / "site", state, root) == state.outputs
