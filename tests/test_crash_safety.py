"""Issue #12, crash safety and concurrency: a build killed with SIGKILL at any moment leaves site/ a
complete earlier site (or a switch the next build finishes), the cache usable, and the next build
correct; two builds started at once do not corrupt anything (the second waits for the first).

Every build here is the real command line in its own process, on a generated ~150-article corpus."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus import generate

REPO = Path(__file__).resolve().parent.parent
CACHE = ".dossier-cache"
JOURNAL = f"{CACHE}/commit.journal"
PARTS = ("content", "layouts", "sources")


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), "--no-search", "-q", *args]


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(root, *args), capture_output=True, text=True, timeout=300, cwd=root)


def files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by POSIX path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(root: Path) -> None:
    """Changes that touch many pages: bodies edited, an article added, one removed, an entity renamed."""
    articles = sorted((root / "content/articles").glob("*.md"))
    for path in articles[:40]:
        path.write_text(path.read_text(encoding="utf-8") + "\nEin neuer Absatz nach dem Absturz.\n", encoding="utf-8")
    shutil.copy(articles[50], root / "content/articles/neu-nach-dem-absturz.md")
    articles[60].unlink()
    stray = sorted((root / "content/annotations").glob("*.md"))
    for note in stray:
        if articles[60].stem in note.read_text(encoding="utf-8"):
            note.unlink()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """A built corpus (the old site), its edited inputs, and the site a clean build makes of them."""
    base = tmp_path_factory.mktemp("crash")
    old = generate(base / "old", articles=150, seed=7).root
    assert run(old).returncode == 0
    edited = base / "edited"
    for part in PARTS:
        shutil.copytree(old / part, edited / part)
    edit(edited)
    clean = base / "clean"
    for part in PARTS:
        shutil.copytree(edited / part, clean / part)
    assert run(clean).returncode == 0
    return {"old": old, "edited": edited, "old_site": files(old / "site"), "new_site": files(clean / "site")}


def prepared(corpus: dict, dest: Path) -> Path:
    """The old built project (site/ and cache) with the edited inputs, ready for the next build."""
    shutil.copytree(corpus["old"], dest, symlinks=True)
    for part in PARTS:
        shutil.rmtree(dest / part)
        shutil.copytree(corpus["edited"] / part, dest / part)
    return dest


def killed_at(root: Path, delay: float) -> None:
    """Start a build, SIGKILL it (and its workers) after `delay` seconds, or as soon as it switches site/."""
    process = subprocess.Popen(command(root), cwd=root, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and process.poll() is None and not (root / JOURNAL).exists():
        time.sleep(0.002)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def assert_recovers(root: Path, corpus: dict) -> None:
    """After a kill: site/ is the old or the new site, or a switch is pending; the next build fixes it."""
    site = files(root / "site")
    assert site in (corpus["old_site"], corpus["new_site"]) or (root / JOURNAL).exists(), "a mix with no journal"
    again = run(root)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert files(root / "site") == corpus["new_site"], "the build after a kill differs from a clean build"
    assert not (root / JOURNAL).exists()
    assert run(root).returncode == 0
    assert files(root / "site") == corpus["new_site"]


DELAYS = [0.3, 0.8, 1.4, 2.0, 2.6, 3.2, 4.0]  # seconds after the start: import, analysis, rendering, commit…


@pytest.mark.parametrize("delay", DELAYS)
def test_a_build_killed_at_any_moment_is_repaired_by_the_next(corpus, tmp_path, delay):
    root = prepared(corpus, tmp_path / "project")
    killed_at(root, delay)
    assert_recovers(root, corpus)


PATCHED_BUILD = """
import os, signal, sys
from dossier.incremental import staging
moves, real = [0], os.replace
def replace(src, dst):
    if "/staging/" in str(src):
        moves[0] += 1
        if moves[0] > {after}:
            os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
staging.os.replace = replace
from dossier.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("after", [0, 1, 15, 40])
def test_a_build_killed_in_the_middle_of_switching_site_is_finished_by_the_next(corpus, tmp_path, after):
    """The switch moves file after file: a kill between two moves leaves a journal the next build finishes."""
    root = prepared(corpus, tmp_path / "project")
    script = PATCHED_BUILD.format(after=after)
    done = subprocess.run(
        [sys.executable, "-c", script, "--root", str(root), "--no-search", "-q"], cwd=REPO, capture_output=True
    )
    assert done.returncode == -signal.SIGKILL
    assert (root / JOURNAL).exists()
    assert files(root / "site") not in (corpus["old_site"], corpus["new_site"]) or after == 0
    assert_recovers(root, corpus)


def test_two_builds_started_at_once_wait_for_each_other(corpus, tmp_path):
    root = prepared(corpus, tmp_path / "project")
    first, second = (
        subprocess.Popen(command(root), cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    )
    results = [(p.wait(300), p.stderr.read()) for p in (first, second)]
    assert [code for code, _ in results] == [0, 0], results
    waited = [err for _, err in results if "another build is running in this project; waiting…" in err]
    assert len(waited) == 1, results
    assert all("Traceback" not in err for _, err in results)
    assert files(root / "site") == corpus["new_site"]


def test_check_waits_for_a_build_and_a_build_for_check(corpus, tmp_path):
    root = prepared(corpus, tmp_path / "project")
    build = subprocess.Popen(command(root), cwd=root, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    checked = run(root, "check")
    assert build.wait(300) == 0
    assert checked.returncode == 0, checked.stderr
    assert files(root / "site") == corpus["new_site"]


def test_a_build_that_cannot_get_the_lock_in_time_stops_with_a_message(corpus, tmp_path):
    root = prepared(corpus, tmp_path / "project")
    before = files(root / "site")
    with open(root / CACHE / "build.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run(root, "--wait", "0.5")
    assert result.returncode == 1
    assert "another build is running in this project; waiting…" in result.stderr
    assert ".dossier-cache/build.lock: another build has been running in this project for more than 0.5 s" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert files(root / "site") == before
