"""The ids and #fragment links of every HTML page of the site, as facts in SQLite, checked page by page.

A link `other.html#p-3` is dead when `other.html` is a page of the site without the id
`p-3`; a build that makes one fails (`site.links.fragment_problems` says where). Checking
every link of 13,000 pages after each edit, and reading and writing every page's ids to
do it, costs seconds, so the last successful build's are kept in
`.dossier-cache/anchors.sqlite`:

- `pages`: each HTML page with its ids and outgoing fragment links (`site.links.PageLinks`, compressed);
- `links`: for each page, the pages its fragment links point to (whatever they are).

The store holds no dead link (a build with one commits nothing), so a build need only check
the links that can have died: those of the pages it rendered, and those of the other pages
into the pages it rendered (`links`). Its answer is that of `site.links.dead_fragments` over
every page, which the tests check. The rows of the rendered pages and of the pages no longer
in the site are replaced in one transaction, committed with the build; a damaged or foreign
store is thrown away, and every page is then rendered and recorded again.
"""

from __future__ import annotations

import pickle
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Set
from pathlib import Path

from ..site.links import PageLinks, dead_fragments
from .cache import FOLDER
from .passage_rows import chunks
from .stores import opened

FILE = "anchors.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, links BLOB NOT NULL, crc INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links (target TEXT, page TEXT, PRIMARY KEY (target, page)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_by_page ON links (page);
"""


class AnchorIndex:
    """The last successful build's page ids and fragment links, and this build's update (one transaction)."""

    def __init__(self, root: Path, key: str):
        self.path = root / FOLDER / FILE
        self.path.parent.mkdir(exist_ok=True)

        def ready(db: sqlite3.Connection) -> set[str]:
            stored = db.execute("SELECT value FROM meta WHERE key = 'global'").fetchone()
            if stored is None or stored[0] != key:  # another code or options: start empty
                db.executescript("DELETE FROM pages; DELETE FROM links;")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('global', ?)", (key,))
            return {path for (path,) in db.execute("SELECT path FROM pages")}

        self.db, recorded = opened(self.path, SCHEMA, ready)
        self.recorded: set[str] = recorded or set()  # (no store at all: every page is rendered, nothing kept)

    def close(self) -> None:
        """Release the store (an update not committed is rolled back)."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def _select(self, query: str, names: Iterable[str]):
        """The rows of `query`, whose `{}` stands for a list of names, for each batch of these names."""
        if self.db is None:
            return
        for part in chunks(sorted(set(names))):
            yield from self.db.execute(query.format(",".join("?" * len(part))), part)

    def stored(self, paths: Iterable[str]) -> dict[str, PageLinks | None]:
        """The stored links of these pages; None for a row that cannot be read back."""
        rows = self._select("SELECT path, links, crc FROM pages WHERE path IN ({})", set(paths) & self.recorded)
        return {path: _decoded(blob, crc) for path, blob, crc in rows}

    def linking_to(self, targets: Iterable[str]) -> set[str]:
        """The pages with a fragment link into any of these pages."""
        return {page for (page,) in self._select("SELECT page FROM links WHERE target IN ({})", targets)}

    def dead(
        self, rendered: Mapping[str, PageLinks], kept: Set[str]
    ) -> tuple[list[str], dict[str, PageLinks], set[str]]:
        """The pages with a dead fragment link, now that these pages were rendered and these others (recorded)
        kept as they are; the links of those pages and of every page they point to (to say what is wrong);
        and the kept pages whose rows could not be read, which the caller renders before asking again."""
        suspects = set(rendered) | (self.linking_to(rendered) & kept)
        known: dict[str, PageLinks] = dict(rendered)
        unreadable: set[str] = set()

        def add(paths: Iterable[str]) -> None:
            for path, links in self.stored(p for p in paths if p in kept and p not in known).items():
                if links is None:
                    unreadable.add(path)
                else:
                    known[path] = links

        add(suspects)
        add({t for page in rendered for _, t, _ in rendered[page].fragments})
        if unreadable:
            return [], known, unreadable
        # a kept suspect's links can have died only where they point into a rendered page (known); the other
        # pages known are kept ones the rendered pages point to: their own links into known pages are links
        # into kept pages (as they were) or into rendered ones (they are suspects then), so they pass
        dead = dead_fragments(known)
        add({t for page in dead for _, t, _ in known[page].fragments})  # a failed build names every target
        return dead, known, unreadable

    def record(self, rendered: Mapping[str, PageLinks], pages: Set[str]) -> None:
        """Replace the rows of the rendered pages, and drop those of pages no longer in the site (`pages` are
        this build's HTML pages): within this build's transaction, which `commit` ends."""
        if self.db is None:
            return
        gone = sorted(self.recorded - set(pages))
        redone = sorted(set(rendered) & self.recorded) + gone
        self.db.execute("BEGIN")
        for part in chunks(redone):
            marks = ",".join("?" * len(part))
            self.db.execute(f"DELETE FROM pages WHERE path IN ({marks})", part)
            self.db.execute(f"DELETE FROM links WHERE page IN ({marks})", part)
        rows = []
        for path in sorted(rendered):
            blob = zlib.compress(pickle.dumps(rendered[path], protocol=pickle.HIGHEST_PROTOCOL), 1)
            rows.append((path, blob, zlib.crc32(blob)))
        self.db.executemany("INSERT INTO pages VALUES (?, ?, ?)", rows)
        self.db.executemany(
            "INSERT INTO links VALUES (?, ?)",
            (
                (target, path)
                for path in sorted(rendered)
                for target in sorted({t for _, t, _ in rendered[path].fragments})
            ),
        )

    def commit(self) -> None:
        """Make this build's rows the ones the next build starts from."""
        if self.db is not None and self.db.in_transaction:
            self.db.execute("COMMIT")


def _decoded(blob: bytes, crc: int) -> PageLinks | None:
    """A stored page's links, or None when its row is damaged."""
    try:
        if zlib.crc32(blob) == crc:
            links = pickle.loads(zlib.decompress(blob))
            if isinstance(links, PageLinks):
                return links
    except Exception:  # damaged in a way the checksum missed
        pass
    return None
