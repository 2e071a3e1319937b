"""docs/editing.md: every `sh` example runs, in order, on a fresh copy of the project."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project

GUIDE = ROOT / "docs" / "editing.md"
FENCE = re.compile(r"^```sh\n(.*?)^```$", re.M | re.S)


def examples() -> list[str]:
    """The guide's shell examples, in reading order."""
    return FENCE.findall(GUIDE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> Path:
    """A fresh project copy after running every example of the guide; fails on the first that fails."""
    root = copy_project(tmp_path_factory.mktemp("guide"))
    shutil.copy(ROOT / "build.py", root / "build.py")
    shutil.copytree(ROOT / "dossier", root / "dossier", ignore=shutil.ignore_patterns("__pycache__"))
    bin_dir = tmp_path_factory.mktemp("bin")
    python = bin_dir / "python"  # a wrapper, not a symlink: a venv's python finds its packages only when
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n', encoding="utf-8")  # by its own path
    python.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for number, script in enumerate(examples(), 1):
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"example {number} failed:\n{script}\n{result.stdout}\n{result.stderr}"
    return root


def test_the_guide_has_an_example_for_every_step():
    text = GUIDE.read_text(encoding="utf-8")
    scripts = "\n".join(examples())
    for command in ("new article", "new person", "new annotation", "check", "speakers:", "content/timeline/"):
        assert command in scripts, command
    assert "python build.py serve" in text and "sources/" in scripts


def test_every_step_of_the_guide_works(walked):
    site = walked / "site"
    article = BeautifulSoup((site / "artikel/kallas-reist-nach-kiew/index.html").read_text(encoding="utf-8"), "lxml")
    assert article.find("h1").get_text() == "Kallas reist nach Kiew"
    assert article.find(id="anm-kallas-amtsantritt").find_parent("mark") is not None
    assert article.find("a", href="../../personen/marta-kos/index.html") is not None
    assert (site / "artikel/blinkens-letzte-runde/index.html").exists()
    assert not list(walked.glob("content/**/*.tmp"))
