"""Full-text search: Pagefind indexes the written site into site/pagefind/ after the pages.

Pagefind reads ``<html lang="de">`` and stems German words, so a search for one inflected
form finds the others. Only ``<main data-pagefind-body>`` is indexed (navigation, header and
footer are not). The index is rebuilt only when the HTML it was made from changed: a digest
of every HTML output is kept in ``site/pagefind/dossier-digest.txt``, so a no-change rebuild
leaves the folder untouched, and an interrupted indexing run is redone on the next build.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pagefind_bin

from ..errors import BuildFailed, ContentError
from . import urls

FOLDER = urls.SEARCH_FOLDER.rstrip("/")
DIGEST_FILE = urls.SEARCH_STAMP.removeprefix(urls.SEARCH_FOLDER)


def html_digest(digests: dict[str, str], portable: bool) -> str:
    """SHA-256 over every HTML output (path and the SHA-256 of its bytes, sorted) and the link style."""
    digest = hashlib.sha256(f"portable={portable}\n".encode())
    for path in sorted(digests):
        if path.endswith(".html"):
            digest.update(path.encode() + b"\0" + bytes.fromhex(digests[path]))
    return digest.hexdigest()


def is_current(site: Path, digest: str) -> bool:
    """Whether site/pagefind/ was made from exactly these pages."""
    stamp = site / FOLDER / DIGEST_FILE
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest


SEARCHED_ENTRIES = ("article", "person", "organisation", "place")  # entry pages readers search, besides…
SEARCHED_INDEXES = ("timeline", "annotations")  # …the start page and these two


def searched_glob() -> str:
    """The pages Pagefind reads: those whose layout marks `<main data-pagefind-body>`. Lists, topics, the
    quotation index and the comparisons repeat what the articles say and are left unmarked; naming the
    others spares Pagefind reading them at all (3,000 files and a 25 MB page at 10,000 articles)."""
    pages = [urls.HOME, *map(urls.index, SEARCHED_INDEXES), *(urls.entry(kind, "*") for kind in SEARCHED_ENTRIES)]
    return "{" + ",".join(pages) + "}"


def pagefind_command(site: Path, output: Path, portable: bool) -> list[str]:
    """The Pagefind binary's call for this site (the pagefind[bin] package's executable: no Python start-up)."""
    binary = str(pagefind_bin.get_executable())
    command = [binary, "--site", str(site), "--output-path", str(output), "--glob", searched_glob(), "--silent"]
    if portable:
        command.append("--keep-index-url")  # result links name index.html, like every other link
    return command


def index_site(site: Path, digests: dict[str, str], scratch: Path, *, portable: bool = True) -> bool:
    """(Re)build site/pagefind/ unless it is current; True if Pagefind ran.

    `digests` maps each output path to the SHA-256 (hex) of its bytes. The new index is made in
    `scratch` (outside site/, so a build running meanwhile never sees it half made) and swapped in
    with two renames."""
    digest = html_digest(digests, portable)
    if is_current(site, digest):
        return False
    fresh, old = scratch / f"{FOLDER}-new", scratch / f"{FOLDER}-old"
    scratch.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(fresh, ignore_errors=True)
    result = subprocess.run(pagefind_command(site, fresh, portable), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        detail = result.stderr.strip() or result.stdout.strip()
        message = f"the search index could not be built (Pagefind exit {result.returncode}: {detail}); "
        raise BuildFailed([ContentError("site/pagefind", 0, message + "the pages are written; try --no-search")])
    (fresh / DIGEST_FILE).write_text(digest + "\n", encoding="utf-8")
    shutil.rmtree(old, ignore_errors=True)
    if (site / FOLDER).exists():
        (site / FOLDER).rename(old)
    fresh.rename(site / FOLDER)
    shutil.rmtree(old, ignore_errors=True)
    return True
