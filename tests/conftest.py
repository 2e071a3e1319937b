"""Shared fixtures: a copy of the real project, built once per test session."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from dossier.pipeline import BuildOptions, build

from browser import launch_args

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "layouts", "sources")


def copy_project(dest: Path) -> Path:
    """Copy content/, layouts/ and sources/ of the repo into dest; return dest."""
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, dest / part)
    return dest


@pytest.fixture(autouse=True)
def own_temp_folder(tmp_path_factory, monkeypatch):
    """Temporary files a test makes (counters shared with forked workers, scratch files) go under
    pytest's base temp, which pytest prunes, instead of piling up in /tmp."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("tmp")))


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A copy of the project with site/ built (portable links, no base URL). Read-only for tests."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    build(BuildOptions(root=root))
    return root


@pytest.fixture(scope="session")
def site(built_project) -> Path:
    """The built site/ folder of the session's project copy."""
    return built_project / "site"


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh, unbuilt copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's Chromium: Debian's binary with the flags that work offline (tests/browser.py)."""
    return {**browser_type_launch_args, **launch_args()}
