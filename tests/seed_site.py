"""The shipped seed dossier built into a temporary folder: for tests that read the built site.

Independent of `conftest.py`'s fixtures: one process, no Pagefind, so tests of the markup
run quickly and alone (`python -m pytest tests/test_linked_data.py -q -x`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from dossier.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("content", "layouts", "sources")
BASE_URL = "https://dossier.example.org/nato-2024/"


def copy_seed(dest: Path) -> Path:
    """content/, layouts/ and sources/ of the repository copied into dest."""
    for part in PARTS:
        shutil.copytree(ROOT / part, dest / part)
    return dest


def build_seed(dest: Path, base_url: str | None = None) -> Path:
    """A copy of the seed project in dest, built; returns its site/ folder."""
    root = copy_seed(dest)
    build(BuildOptions(root=root, base_url=base_url, search=False, jobs=1))
    return root / "site"


def soup(path: Path) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup(path.read_bytes(), "lxml")


def json_ld(page: BeautifulSoup) -> list[dict]:
    """Every JSON-LD object of a page (each script block parsed on its own)."""
    return [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]


def pages(site: Path) -> list[Path]:
    """Every HTML page of a built site, sorted."""
    return sorted(site.rglob("*.html"))
