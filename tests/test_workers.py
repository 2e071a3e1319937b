"""Worker processes: what crosses a process boundary pickles, and a failing or dying worker fails the
build with a message instead of leaving the parent waiting."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate
from dossier.errors import BuildFailed, ContentError
from dossier.incremental.workers import Background, run_tasks

REPO = Path(__file__).resolve().parent.parent


def test_content_errors_and_build_failures_survive_pickling():
    error = ContentError("content/articles/x.md", 12, "link to nowhere", "warning")
    assert pickle.loads(pickle.dumps(error)) == error
    failed = pickle.loads(pickle.dumps(BuildFailed([error])))
    assert failed.errors == [error]


def _fail_on_three(data, task):
    if task == 3:
        raise BuildFailed([ContentError(f"content/articles/{data}{task}.md", task, "broken")])
    return task * 10


def _die_on_two(_data, task):
    if task == 2:
        os._exit(7)
    return task


def _unpicklable(_data, _task):
    return lambda: None


def test_errors_raised_in_workers_fail_the_run_with_every_problem():
    with pytest.raises(BuildFailed) as failed:
        run_tasks(_fail_on_three, "a", [1, 2, 3, 4], jobs=2, what="testing")
    assert [str(e) for e in failed.value.errors] == ["content/articles/a3.md:3: broken"]
    assert run_tasks(_fail_on_three, "a", [1, 2, 4], jobs=2, what="testing") == [10, 20, 40]


@pytest.mark.parametrize("function", [_die_on_two, _unpicklable], ids=["worker-dies", "result-cannot-pickle"])
def test_a_dead_worker_or_an_unpicklable_result_fails_instead_of_hanging(function):
    with pytest.raises(BuildFailed) as failed:
        run_tasks(function, None, [1, 2, 3], jobs=2, what="testing")
    assert "internal error while testing" in str(failed.value)


def _remembers(data, task):
    data.append(task)  # the worker's own copy of the parent's list
    return os.getpid(), len(data)


def _die_on_seven(_data, task):
    if task == 7:
        os._exit(9)
    return task


def test_renewed_workers_start_from_the_parent_state_and_results_keep_task_order():
    """A worker replaced after `renew` tasks takes nothing of its predecessor along: a fresh fork of the parent."""
    import multiprocessing

    kept = run_tasks(_remembers, [], list(range(12)), jobs=2, what="testing")
    assert max(n for _, n in kept) > 3, "without renewal a worker's copy grows with every task it does"
    renewed = run_tasks(_remembers, [], list(range(12)), jobs=2, what="testing", renew=3)
    assert len(renewed) == 12 and all(n <= 3 for _, n in renewed)
    assert len({pid for pid, _ in renewed}) >= 4, "12 tasks, 3 per worker: at least four workers"
    assert run_tasks(_fail_on_three, "a", [1, 2, 4, 5, 6], jobs=2, what="testing", renew=1) == [10, 20, 40, 50, 60]
    assert multiprocessing.active_children() == []


def test_a_renewed_worker_that_dies_fails_the_run():
    with pytest.raises(BuildFailed) as failed:
        run_tasks(_die_on_seven, None, list(range(10)), jobs=2, what="testing", renew=2)
    assert "internal error while testing" in str(failed.value)


def _first_then_rest(items):
    yield sum(items)
    items.append(1)  # the rest of the work, done while the caller goes on


def test_background_worker_exits_when_its_work_is_done_and_its_replies_still_arrive():
    """The worker of a `Background` does not wait for `finish` to let go of its memory."""
    job = Background(_first_then_rest, [1, 2, 3], jobs=2, what="testing")
    assert job.result() == 6
    process = job._workers[0][0]
    process.join(10)
    assert not process.is_alive(), "the worker is gone once it has done its work"
    job.finish()
    assert job._workers is None
    assert Background(sum, [4, 5], jobs=2, what="testing").result() == 9  # a plain function too


def test_background_job_that_dies_fails_the_build():
    with pytest.raises(BuildFailed):
        Background(os._exit, 3, jobs=2, what="joining").result()


def test_dead_link_in_a_large_dossier_on_two_processes_is_reported_not_hung(tmp_path):
    """A body error found while rendering on the workers reaches the editor (the build once hung here)."""
    root = generate(tmp_path / "project", articles=160, seed=2).root
    article = sorted((root / "content" / "articles").glob("*.md"))[40]
    article.write_text(article.read_text(encoding="utf-8") + "\nSiehe [hier](artikel/gibt-es-nicht/).\n")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "-j", "2", "--no-search"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert f"content/articles/{article.name}:" in result.stderr and "link to nowhere" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()
