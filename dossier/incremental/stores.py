"""Opening one SQLite store of the cache: WAL, its schema, and a damaged file thrown away and made again."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def opened(path: Path, schema: str, ready: Callable[[sqlite3.Connection], T]) -> tuple[sqlite3.Connection | None, T]:
    """A connection to the store at `path` (WAL, `schema` made) and what `ready` finds in it. A store that is
    damaged or no database is thrown away and made again, once; (None, None) when even that fails: the build
    then keeps nothing of it and works everything out."""
    for _attempt in (1, 2):
        db = None
        try:
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(schema)
            return db, ready(db)
        except sqlite3.DatabaseError:
            if db is not None:
                db.close()
            for name in (path.name, path.name + "-wal", path.name + "-shm"):
                path.with_name(name).unlink(missing_ok=True)
    return None, None
