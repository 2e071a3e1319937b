"""What earlier builds learned about each article: the article as read, and its text analysis.

Kept in `.dossier-cache/articles.sqlite`, one row per article file, under the build's
global key (code, libraries, options: see cache.global_key). A row counts only for the
exact bytes it was made from (the file's SHA-256) and, for the analysis, for the same
entity names and aliases (`analysis.matcher_digest`). Every blob carries a CRC-32: a
damaged row is a miss, a damaged database is thrown away, and the build simply works
the article out again.
"""

from __future__ import annotations

import pickle
import sqlite3
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import analysis
from .cache import FOLDER
from .model import Article, Entity

FILE = "articles.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    path TEXT PRIMARY KEY, digest TEXT NOT NULL, article BLOB NOT NULL, article_crc INTEGER NOT NULL,
    matcher TEXT NOT NULL, analysis BLOB NOT NULL, analysis_crc INTEGER NOT NULL
);
"""


@dataclass
class _Row:
    """One stored article."""

    digest: str
    article: Article
    matcher: str
    analysis: bytes | None  # None when damaged


class ArticleMemo:
    """Articles and their analyses from earlier builds, by content file."""

    def __init__(self, root: Path, key: str):
        self.path = root / FOLDER / FILE
        self.key = key
        self.db: sqlite3.Connection | None = None
        self.rows: dict[str, _Row] = {}
        self.hits: set[str] = set()  # paths whose stored analysis this build used
        self.staged: list[tuple] = []  # rows to write once the build has succeeded
        self.present: set[str] = set()
        self._open()

    def _open(self) -> None:
        """Open the database, or start afresh when it is damaged or from another global key."""
        self.path.parent.mkdir(exist_ok=True)
        try:
            self._connect()
        except sqlite3.DatabaseError:  # not a database, or damaged
            self.close()
            self.path.unlink(missing_ok=True)
            self._connect()

    def _connect(self) -> None:
        """Connect and check the global key."""
        self.db = sqlite3.connect(self.path)
        self.db.executescript(SCHEMA)
        stored = self.db.execute("SELECT value FROM meta WHERE key = 'global'").fetchone()
        if stored is None or stored[0] != self.key:
            with self.db:
                self.db.execute("DELETE FROM articles")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('global', ?)", (self.key,))

    def close(self) -> None:
        """Release the database."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def known_articles(self) -> dict[str, tuple[str, Article]]:
        """path -> (digest, article) for every intact stored article."""
        try:
            rows = self.db.execute("SELECT * FROM articles").fetchall()
        except sqlite3.DatabaseError:
            rows = []
        for path, digest, blob, crc, matcher, data, data_crc in rows:
            if zlib.crc32(blob) != crc:
                continue
            try:
                article = pickle.loads(blob)
            except Exception:  # damaged in a way the checksum missed, or from other library versions
                continue
            if isinstance(article, Article):
                self.rows[path] = _Row(digest, article, matcher, data if zlib.crc32(data) == data_crc else None)
        return {path: (row.digest, row.article) for path, row in self.rows.items()}

    def analyses(self, articles: Sequence[Article], matcher: str, entities: dict[str, Entity]) -> list:
        """The stored analysis of each article, or None where none fits these bytes and entities."""
        found = []
        for article in articles:
            row = self.rows.get(article.source.path)
            text = None
            if row is not None and row.article is article and row.matcher == matcher and row.analysis is not None:
                try:
                    text = analysis.loads(row.analysis, article, entities)
                    self.hits.add(article.source.path)
                except Exception:  # damaged, or names an entity that is gone
                    text = None
            found.append(text)
        return found

    def stage(
        self,
        digests: dict[str, str],
        articles: Sequence[Article],
        texts: Sequence[analysis.TextAnalysis],
        matcher: str,
        entities: Sequence[Entity],
    ) -> None:
        """Get ready to store what this build worked out afresh (`commit` writes it)."""
        keys = analysis.entity_ids(entities)
        self.staged = []
        for article, text in zip(articles, texts, strict=True):
            path = article.source.path
            if path in self.hits or path not in digests:
                continue
            blob = pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)
            data = text.stored or analysis.dumps(text, article, keys)
            self.staged.append((path, digests[path], blob, zlib.crc32(blob), matcher, data, zlib.crc32(data)))
        self.present = {a.source.path for a in articles}

    def commit(self) -> None:
        """Write the staged rows and forget files that are gone, in one transaction."""
        gone = [(path,) for path in self.rows if path not in self.present]
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)", self.staged)
                self.db.executemany("DELETE FROM articles WHERE path = ?", gone)
        except sqlite3.DatabaseError:
            pass  # the next build works these articles out again
        self.staged = []
