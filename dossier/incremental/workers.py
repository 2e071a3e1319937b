"""Forked worker processes: the one way the build uses more than one core.

Workers are forked, so they inherit the data they work on (the articles, the page plan)
as arguments of the process, never pickled and never parked in a module global; only
tasks (small tuples) and results travel, over one pipe per worker. A worker that fails
sends its problems back; one that dies (a signal, an exit) is seen through its process
sentinel. Either fails the build with a message, and the parent never waits for a
result that cannot come. The collector's view of the parent's objects is frozen while
workers start, so their collectors leave the shared pages alone.
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait

from ..errors import BuildFailed, ContentError

_FORK = multiprocessing.get_context("fork")


def default_jobs() -> int:
    """Processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _reply(conn: Connection, outcome: str, value) -> None:
    """Send one outcome; a value that cannot be pickled becomes a 'crashed' outcome, never a silent loss."""
    try:
        payload = pickle.dumps((outcome, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        payload = pickle.dumps(("crashed", f"a result could not be sent back: {exc!r}"))
    conn.send_bytes(payload)


def _serve(function: Callable, data, conn: Connection, theirs: Connection) -> None:
    """Worker: answer tasks with `function(data, task)` until told to stop (None) or the parent is gone.

    The parent's end of the pipe, inherited through the fork, is closed first: else a worker whose
    parent was killed would wait for a task forever (and keep the parent's output open)."""
    theirs.close()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            _reply(conn, "done", function(data, task))
        except BuildFailed as failed:
            _reply(conn, "failed", list(failed.errors))
        except BaseException as exc:
            _reply(conn, "crashed", "".join(traceback.format_exception_only(type(exc), exc)).strip())


def _fork(function: Callable, data, count: int) -> list[tuple[multiprocessing.Process, Connection]]:
    """Start `count` workers serving `function` on `data`."""
    started = []
    gc.freeze()
    try:
        for _ in range(count):
            parent, child = _FORK.Pipe()
            process = _FORK.Process(target=_serve, args=(function, data, child, parent), daemon=True)
            process.start()
            child.close()
            started.append((process, parent))
    finally:
        gc.unfreeze()
    return started


def _failure(what: str, detail: str) -> ContentError:
    """The message for a worker that crashed or died."""
    return ContentError("(build)", 0, f"internal error while {what}: {detail}; please report it with the command")


def run_tasks(
    function: Callable,
    data,
    tasks: Sequence,
    *,
    jobs: int,
    what: str,
    done: Callable | None = None,
    renew: int = 0,
    keep: bool = True,
) -> list:
    """`function(data, task)` for every task, on `jobs` forked processes (here when `jobs` is 1); results in
    task order. `done(result)` is called as each arrives. Raises BuildFailed with every problem any task
    raised, or with a message when a worker crashed or died; the workers are gone when it returns.

    With `renew`, a worker that has done that many tasks is replaced by a fresh fork: what it copied of
    the parent's pages (every object it touches is written to, by its reference count) and what it
    allocated go with it, so a worker's memory is bounded by its last `renew` tasks, not by them all.
    With `keep` False the results are handed to `done` only, not held here (the list returned is of Nones)."""
    if jobs <= 1 or len(tasks) <= 1:
        results = []
        for task in tasks:
            value = function(data, task)
            results.append(value if keep else None)
            if done is not None:
                done(value)
        return results
    processes = {conn: process for process, conn in _fork(function, data, min(jobs, len(tasks)))}
    results: list = [None] * len(tasks)
    problems: list[ContentError] = []
    pending = list(range(len(tasks)))[::-1]
    busy: dict[Connection, int] = {}  # worker -> the task it is doing
    served: dict[Connection, int] = dict.fromkeys(processes, 0)

    def hand(conn: Connection) -> None:
        busy[conn] = pending.pop()
        conn.send(tasks[busy[conn]])

    try:
        for conn in list(processes):
            if pending:
                hand(conn)
        while busy:
            sentinels = {processes[conn].sentinel: conn for conn in busy}
            for item in wait([*busy, *sentinels]):
                conn = item if isinstance(item, Connection) else sentinels[item]
                if conn not in busy:
                    continue
                try:
                    outcome, value = pickle.loads(conn.recv_bytes())
                except (EOFError, OSError):
                    process = processes[conn]
                    process.join(1)
                    died = f"a worker process died (exit code {process.exitcode})"
                    raise BuildFailed([_failure(what, died)]) from None
                index = busy.pop(conn)
                if outcome == "done":
                    results[index] = value if keep else None
                    if done is not None:
                        done(value)
                elif outcome == "failed":
                    problems += value
                else:
                    raise BuildFailed([_failure(what, value)])
                served[conn] += 1
                if pending and renew and served[conn] >= renew:
                    _stop([(processes.pop(conn), conn)])
                    del served[conn]
                    ((process, conn),) = _fork(function, data, 1)
                    processes[conn], served[conn] = process, 0
                if pending:
                    hand(conn)
    finally:
        _stop([(process, conn) for conn, process in processes.items()])
    if problems:
        raise BuildFailed(problems)
    return results


def _stop(workers: list[tuple[multiprocessing.Process, Connection]]) -> None:
    """Tell every worker to stop, and make sure it has."""
    for _process, conn in workers:
        with contextlib.suppress(OSError):
            conn.send(None)
        conn.close()
    for process, _ in workers:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()


class Background:
    """One function worked out in a forked process while this one goes on; `result()` waits for it.

    With `jobs` 1 it is worked out at once, here. The arguments are inherited through the
    fork, not copied; only the result comes back, pickled. A function that is a generator
    hands back what it yields first as the result and goes on with the rest (writing a store,
    say) while this process goes on too; `finish()` waits for the rest, `cancel()` stops it.
    It is the pipeline's to hold: no data object ever holds one."""

    def __init__(self, function: Callable, *args, jobs: int, what: str):
        self._value, self._workers, self._what, self._rest = None, None, what, None
        if jobs <= 1:
            self._value = function(*args)
            if inspect.isgenerator(self._value):
                self._rest, self._value = self._value, next(self._value)
            return
        self._workers = _fork(_call, (function, args, {}), 1)
        self._workers[0][1].send("first")
        self._workers[0][1].send("rest")  # taken by the worker once the first part is sent back
        self._workers[0][1].send(None)  # and then it exits: what it holds is freed, its replies wait in the pipe

    def _receive(self):
        """The worker's next reply; BuildFailed when it failed or its process died (the worker is then stopped)."""
        process, conn = self._workers[0]
        try:
            wait([conn, process.sentinel])
            outcome, value = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            process.join(1)  # its own exit code, before it is stopped
            self.cancel()
            raise BuildFailed([_failure(self._what, f"its process died (exit code {process.exitcode})")]) from None
        if outcome != "done":
            self.cancel()
            raise BuildFailed(value if outcome == "failed" else [_failure(self._what, value)])
        return value

    def result(self):
        """The function's value (what a generator yields first)."""
        if self._workers is None:
            return self._value
        more, self._value = self._receive()
        if not more:  # a plain function: done
            self.cancel()
        return self._value

    def finish(self) -> None:
        """Wait for the rest of a generator's work (nothing for a plain function)."""
        if self._rest is not None:
            for _ in self._rest:
                pass
            self._rest = None
        if self._workers is not None:
            try:
                self._receive()
            finally:
                self.cancel()

    def cancel(self) -> None:
        """Stop the worker at once, whatever it is doing."""
        if self._workers is not None:
            for process, conn in self._workers:
                process.kill()
                process.join()
                conn.close()
            self._workers = None
        self._rest = None


def _call(data, task):
    """Worker of a `Background`: ("first") the function on its arguments, as (is it a generator, what it gave
    or yielded first); ("rest") the rest of a generator."""
    function, args, state = data
    if task == "first":
        value = function(*args)
        if inspect.isgenerator(value):
            state["rest"] = value
            return True, next(value)
        return False, value
    for _ in state.pop("rest", ()):
        pass
    return None
