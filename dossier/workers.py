"""Forked worker processes: the one way the build uses more than one core.

Workers are forked, so they inherit the parent's data (the dossier, the page plan) instead
of receiving it pickled; the parent names that data with `forked(jobs, job)` and a worker
function reads it back with `job()`. Only tasks (small tuples) and results travel. The
collector's view of the parent's objects is frozen while workers run, so their collectors
leave the shared pages alone.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool

_JOB: object = None


def job():
    """In a worker: the data its pool was forked with."""
    return _JOB


@contextmanager
def forked(jobs: int, data) -> Iterator[Pool]:
    """A pool of `jobs` processes forked now, whose workers see `data` through `job()`; terminated on exit."""
    global _JOB
    _JOB = data
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(jobs)  # the processes start here, with _JOB set
    finally:
        gc.unfreeze()
        _JOB = None
    with pool:
        yield pool


@contextmanager
def here(data) -> Iterator[None]:
    """`job()` answers `data` in this process too: worker functions run here when forking is not worth it."""
    global _JOB
    _JOB = data
    try:
        yield
    finally:
        _JOB = None


def default_jobs() -> int:
    """Processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Background:
    """A function worked out in a forked process while this one goes on; `result()` waits for it.

    With `jobs` 1 it is worked out at once, here. The arguments are inherited through the
    fork, not copied; only the result comes back, pickled."""

    def __init__(self, function, *args, jobs: int):
        self.value = None
        self._pool = None
        if jobs <= 1:
            self.value = function(*args)
            return
        self._context = forked(1, (function, args))
        self._pool = self._context.__enter__()
        self._pending = self._pool.apply_async(_run_background)

    def result(self):
        """The function's value (its exception, if it raised one)."""
        if self._pool is None:
            return self.value
        try:
            self.value = self._pending.get()
        finally:
            self._context.__exit__(None, None, None)
            self._pool = None
        return self.value


def _run_background():
    """Worker: the function of the `Background` that forked this process."""
    function, args = job()
    return function(*args)
