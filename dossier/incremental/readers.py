"""Which content files each article and entity page read in the last build, as rows in SQLite.

This is the forward lookup of Hugo's dependency tracking: a build asks which pages read a changed file
(`of`) instead of planning every page to find out. `.dossier-cache/readers.sqlite` holds

- `reads`: (file, page), one row per content file a page's data is made of (`site.page.Reads.files`),
  looked up by file, each name a number of `names`;
- `meta`: the global key of the build that wrote it, and that build's token, which its saved state
  holds too (`BuildState.token`). A build trusts the rows only when the state it starts from has the
  same token: a build killed between committing these rows and saving its state leaves a token the
  state does not have, and the next build plans every page.

A build replaces the rows of the pages it planned and drops those of pages no longer in the site, in
one transaction committed with its other stores. A damaged or foreign store is thrown away; every page
is then planned.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from .cache import FOLDER
from .passage_rows import chunks
from .stores import opened

FILE = "readers.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS reads (file INTEGER, page INTEGER, PRIMARY KEY (file, page)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reads_by_page ON reads (page);
"""
IDS = "SELECT id FROM names WHERE name IN ({})"


class Readers:
    """The last build's (file, page) rows, and this build's update of them (one transaction)."""

    def __init__(self, root: Path, key: str):
        self.path = root / FOLDER / FILE
        self.path.parent.mkdir(exist_ok=True)

        def ready(db: sqlite3.Connection) -> str:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            return meta.get("token", "") if meta.get("global") == key else ""

        self.db, token = opened(self.path, SCHEMA, ready)
        self.token = token or ""  # the token of the build whose rows these are ("": none to trust)

    def close(self) -> None:
        """Release the store (an update not committed is rolled back)."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def of(self, files: Iterable[str]) -> set[str]:
        """The pages that read any of these files in the last build."""
        found: set[str] = set()
        if self.db is None:
            return found
        for part in chunks(sorted({f for f in files if _text(f)})):  # (a name that is no text is no page's read)
            marks = ",".join("?" * len(part))
            query = f"SELECT name FROM names WHERE id IN (SELECT page FROM reads WHERE file IN ({IDS.format(marks)}))"
            found.update(page for (page,) in self.db.execute(query, part))
        return found

    def record(self, key: str, token: str, read: Mapping[str, tuple[str, ...]], gone: Iterable[str], *, every: bool):
        """Within this build's transaction (`commit` ends it): the rows of the pages planned (`read`: page ->
        the files it read) replace theirs, those of the pages `gone` are dropped (`every`: the planned pages
        are all the site's, and no other row is kept), and the store is marked as this build's (`token`)."""
        if self.db is None:
            return
        self.db.execute("BEGIN")
        if every:
            self.db.execute("DELETE FROM reads")  # (not executescript: it would end the transaction)
            self.db.execute("DELETE FROM names")
        else:
            for part in chunks(sorted({page for page in (*read, *gone) if _text(page)})):
                self.db.execute(f"DELETE FROM reads WHERE page IN ({IDS.format(','.join('?' * len(part)))})", part)
        rows = [(file, page) for page in sorted(read) for file in read[page] if _text(file) and _text(page)]
        ids = dict(self.db.execute("SELECT name, id FROM names"))  # (each name once: a row is two numbers)
        new = sorted({name for row in rows for name in row} - ids.keys())
        self.db.executemany("INSERT INTO names (name) VALUES (?)", ((name,) for name in new))
        if new:
            ids.update(self.db.execute(f"SELECT name, id FROM names WHERE id > {max(ids.values(), default=0)}"))
        self.db.executemany("INSERT INTO reads VALUES (?, ?)", ((ids[file], ids[page]) for file, page in rows))
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", (("global", key), ("token", token)))

    def commit(self) -> None:
        """Make this build's rows the ones the next build starts from."""
        if self.db is not None and self.db.in_transaction:
            self.db.execute("COMMIT")


def _text(name: str) -> bool:
    """Whether a file name is text SQLite can hold (a name read from a file system that is not UTF-8 holds
    surrogate escapes: no content file of the dossier has such a name, so no page reads one)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
