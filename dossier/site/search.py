"""Full-text search: Pagefind indexes the written site into site/pagefind/ after the pages.

Pagefind reads ``<html lang="de">`` and stems German words, so a search for one inflected
form finds the others. Only ``<main data-pagefind-body>`` is indexed (navigation, header and
footer are not). The index is rebuilt only when the HTML it was made from changed: a digest
of every HTML output is kept in ``site/pagefind/dossier-digest.txt``, so a no-change rebuild
leaves the folder untouched, and an interrupted indexing run is redone on the next build.

A Pagefind run holds its whole index in memory (about 350 MB per 1,000 articles) on one core.
A large site is therefore indexed in parts of at most `PAGES_PER_PART` pages, each page in the
part its path hashes to, one Pagefind run per part and as many at once as the build has
processes. The first part is ``site/pagefind/`` itself, the others ``site/pagefind/teil-N/``,
listed in ``teile.json`` for the search page, which merges them (Pagefind's ``mergeIndex``:
one search over every part). A part whose pages are unchanged is taken over from the last
index as it is: an edited article re-indexes its own part only.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
from pathlib import Path

import pagefind_bin

from ..errors import BuildFailed, ContentError
from . import urls

FOLDER = urls.SEARCH_FOLDER.rstrip("/")
DIGEST_FILE = urls.SEARCH_STAMP.removeprefix(urls.SEARCH_FOLDER)


def pagefind_version() -> str:
    """The version of the Pagefind binary: an index made by another one is made again (parts of two versions
    are never merged)."""
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        return "?"


def html_digest(digests: dict[str, str], portable: bool) -> str:
    """SHA-256 over every HTML output (path and the SHA-256 of its bytes, sorted), the link style and the
    Pagefind version."""
    digest = hashlib.sha256(f"portable={portable} pagefind={pagefind_version()}\n".encode())
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


PAGES_PER_PART = 1250  # pages one Pagefind run indexes at most
PARTS_FILE = "teile.json"  # in site/pagefind/: the other parts' folders, for the search page to merge
PART_STAMP = "dossier-teil.txt"  # in each part's folder: the digest of the pages it was made from
PART_PREFIX = "teil-"


def searched_pages(digests: dict[str, str]) -> list[str]:
    """The output paths Pagefind indexes (those `searched_glob` names), sorted."""
    patterns = searched_glob()[1:-1].split(",")
    return sorted(p for p in digests if any(fnmatch.fnmatchcase(p, pattern) for pattern in patterns))


def part_count(pages: int) -> int:
    """How many parts an index of this many pages is made in: one up to `PAGES_PER_PART`, else the power of two
    that keeps each part near that size (a power of two, so the count changes seldom as a dossier grows)."""
    count = 1
    while pages > count * PAGES_PER_PART:
        count *= 2
    return count


def split(pages: list[str], count: int) -> list[list[str]]:
    """The pages of each part: a page's part follows from its path alone, so it stays put as others come and go."""
    parts: list[list[str]] = [[] for _ in range(count)]
    for path in pages:
        parts[int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % count].append(path)
    return parts


def part_folder(number: int) -> str:
    """A part's folder inside site/pagefind/ ('' for the first)."""
    return f"{PART_PREFIX}{number}" if number else ""


def part_digest(pages: list[str], digests: dict[str, str], portable: bool, count: int) -> str:
    """What a part's index is made of: its pages' paths and bytes, the link style, the number of parts and the
    Pagefind version."""
    digest = hashlib.sha256(f"portable={portable} parts={count} pagefind={pagefind_version()}\n".encode())
    for path in pages:
        digest.update(path.encode() + b"\0" + bytes.fromhex(digests[path]))
    return digest.hexdigest()


def pagefind_command(site: Path, output: Path, portable: bool) -> list[str]:
    """The Pagefind binary's call for this site (the pagefind[bin] package's executable: no Python start-up)."""
    binary = str(pagefind_bin.get_executable())
    command = [binary, "--site", str(site), "--output-path", str(output), "--glob", searched_glob(), "--silent"]
    if portable:
        command.append("--keep-index-url")  # result links name index.html, like every other link
    return command


def _link_tree(source: Path, dest: Path, first: bool) -> None:
    """Hard links in `dest` to every file of the part indexed in `source` (copies where the file system has
    none); for the `first` part, not the other parts' folders nor the files about them all."""
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        top = rel.parts[0]
        if not path.is_file() or top == PART_STAMP:  # (written afresh, not through a link into the old index)
            continue
        if first and (top in (DIGEST_FILE, PARTS_FILE) or top.startswith(PART_PREFIX)):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)


def _stamp(folder: Path) -> str:
    """The digest a part's folder was made from ('' when it has none)."""
    stamp = folder / PART_STAMP
    return stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else ""


def _run_parts(site: Path, todo: dict[int, list[str]], scratch: Path, portable: bool, jobs: int) -> dict[int, Path]:
    """Index each part of `todo` (number -> its pages) with its own Pagefind run, `jobs` at a time, each over a
    tree of links to its pages only; the output folder of each. BuildFailed when a run fails."""
    waiting, running, done, failures = sorted(todo), [], {}, []
    while waiting or running:
        while waiting and len(running) < max(1, jobs):
            number = waiting.pop(0)
            tree, output = scratch / f"seiten-{number}", scratch / f"index-{number}"
            for folder in (tree, output):
                shutil.rmtree(folder, ignore_errors=True)
            for path in todo[number]:
                (tree / path).parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(site / path, tree / path)
                except OSError:
                    shutil.copy2(site / path, tree / path)
            command = pagefind_command(tree, output, portable)
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            running.append((number, tree, output, process))
        number, tree, output, process = running.pop(0)
        out, err = process.communicate()
        shutil.rmtree(tree, ignore_errors=True)
        if process.returncode != 0:
            failures.append(f"Pagefind exit {process.returncode}: {err.strip() or out.strip()}")
        done[number] = output
    if failures:
        for output in done.values():
            shutil.rmtree(output, ignore_errors=True)
        message = f"the search index could not be built ({failures[0]}); the pages are written; try --no-search"
        raise BuildFailed([ContentError("site/pagefind", 0, message)])
    return done


def previous_index(scratch: Path) -> Path:
    """Where `index_site(..., keep_previous=True)` leaves the index it replaced."""
    return scratch / f"{FOLDER}-old"


def index_site(
    site: Path,
    digests: dict[str, str],
    scratch: Path,
    *,
    portable: bool = True,
    jobs: int = 1,
    keep_previous: bool = False,
) -> bool:
    """(Re)build site/pagefind/ unless it is current; True if Pagefind ran.

    `digests` maps each output path to the SHA-256 (hex) of its bytes. The new index is made in
    `scratch` (outside site/, so a build running meanwhile never sees it half made), in parts of at
    most `PAGES_PER_PART` pages (`jobs` Pagefind runs at a time; an unchanged part is linked from
    the current index), and swapped in with two renames. With `keep_previous` the index it replaced
    stays in `previous_index(scratch)` until the next swap: the preview serves a search that began
    on it the files it still asks for (Pagefind names its chunks by their content, so the two
    indexes never disagree about a name)."""
    digest = html_digest(digests, portable)
    if is_current(site, digest):
        return False
    fresh, old, current = scratch / f"{FOLDER}-new", previous_index(scratch), site / FOLDER
    scratch.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(fresh, ignore_errors=True)
    pages = searched_pages(digests)
    count = part_count(len(pages))
    parts = {n: part for n, part in enumerate(split(pages, count)) if part or n == 0}
    wanted = {n: part_digest(part, digests, portable, count) for n, part in parts.items()}
    todo = {n: parts[n] for n in parts if _stamp(current / part_folder(n)) != wanted[n]}
    made = _run_parts(site, todo, scratch, portable, jobs)
    others = sorted(n for n in parts if n)
    for number in [0, *others]:
        folder = fresh / part_folder(number)
        if number in made:
            made[number].rename(folder)
        else:  # unchanged since the current index: its files are taken over as they are
            _link_tree(current / part_folder(number), folder, first=number == 0)
        (folder / PART_STAMP).write_text(wanted[number] + "\n", encoding="utf-8")
    listing = {"teile": [part_folder(n) + "/" for n in others]}
    (fresh / PARTS_FILE).write_text(json.dumps(listing, ensure_ascii=False) + "\n", encoding="utf-8")
    (fresh / DIGEST_FILE).write_text(digest + "\n", encoding="utf-8")
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    fresh.rename(current)
    if not keep_previous:
        shutil.rmtree(old, ignore_errors=True)
    return True
