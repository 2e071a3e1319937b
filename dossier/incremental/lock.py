"""One build at a time per project: an exclusive `flock` on .dossier-cache/build.lock, held for the whole build.

`build`, `check` and every rebuild of `serve` take it. A second build started while one runs says
so on stderr and waits; after `wait` seconds it stops with a clear message instead. The lock is the
kernel's: a build that dies (even by SIGKILL) releases it with its last file descriptor, so a stale
lock file never blocks anyone (its contents, the holder's process id, are only for people).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import BuildFailed, ContentError
from .cache import FOLDER

LOCK_FILE = "build.lock"
WAITING = "another build is running in this project; waiting…"
POLL_S = 0.1
DEFAULT_WAIT_S = 600.0


def lock_path(root: Path) -> Path:
    """The lock file of a project."""
    return root / FOLDER / LOCK_FILE


@contextlib.contextmanager
def held(root: Path, *, wait: float = DEFAULT_WAIT_S, say=None) -> Iterator[None]:
    """Hold the project's build lock for the block; wait for another holder up to `wait` seconds.

    `say(text)` is told once when the build has to wait (stderr by default). Raises BuildFailed
    with a message naming the lock file when the other build does not finish in time."""
    path = lock_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(fd, path, wait, say or _stderr)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def attempt(root: Path) -> Iterator[bool]:
    """Hold the project's build lock for the block if no other process holds it (True), else do without (False)."""
    path = lock_path(root)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, path: Path, wait: float, say) -> None:
    """Take the lock, waiting (and saying so once) while another process holds it."""
    deadline = None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        now = time.monotonic()
        if deadline is None:
            deadline = now + wait
            say(WAITING)
        if now >= deadline:
            message = (
                f"another build has been running in this project for more than {wait:g} s (it holds this lock); "
                "wait for it to finish or stop it, then build again (--wait SECONDS waits longer)"
            )
            raise BuildFailed([ContentError(f"{FOLDER}/{LOCK_FILE}", 0, message)])
        time.sleep(POLL_S)


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
