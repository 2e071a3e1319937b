"""What earlier builds learned about each article: the article as read, and its text analysis.

Kept in `.dossier-cache/articles.sqlite`, one row per article file in each table (the article as read,
then one table per fact: analysis, comparable sentences, item digests, blocks), under the build's
global key (code, libraries, options: see cache.global_key). A row counts only for the
exact bytes it was made from (the file's SHA-256) and, for the analysis, for the same
entity names and aliases (`text.analysis.matcher_digest`). Every blob carries a CRC-32: a
damaged row is a miss, a damaged database is thrown away, and the build simply works
the article out again. The database runs in WAL mode and a build's rows are one transaction,
committed only after site/ is switched: a build killed at any moment leaves the last build's rows.
"""

from __future__ import annotations

import pickle
import sqlite3
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..content.model import Article, Entity
from ..text.analysis import TextAnalysis
from . import codec
from .cache import FOLDER
from .passage_rows import chunks

FILE = "articles.sqlite"
FEW = 2000  # articles looked up by path rather than in one pass over the table
# One table per fact, each row of an article's facts under its path: a build reads the facts it needs and
# never pages through the others (a column after a large blob is reached only through that blob's pages).
FACTS = ("analysis", "sentences", "items", "blocks")  # the order of `codec.dumps`
TABLES = ("articles", *FACTS)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    path TEXT PRIMARY KEY, digest TEXT NOT NULL, matcher TEXT NOT NULL, article BLOB NOT NULL, crc INTEGER NOT NULL
);
""" + "".join(
    f"CREATE TABLE IF NOT EXISTS {fact} (path TEXT PRIMARY KEY, matcher TEXT NOT NULL, data BLOB NOT NULL,"
    " crc INTEGER NOT NULL);\n"
    for fact in FACTS
)


@dataclass
class _Row:
    """One stored article."""

    digest: str
    article: Article
    matcher: str  # the analysis (read from the database only when asked for) was made for these names


class ArticleMemo:
    """Articles and their analyses from earlier builds, by content file."""

    def __init__(self, root: Path, key: str):
        self.path = root / FOLDER / FILE
        self.key = key
        self.db: sqlite3.Connection | None = None
        self.rows: dict[str, _Row] = {}
        self.hits: set[str] = set()  # paths whose stored analysis this build used
        self.items: dict[str, bytes] = {}  # path -> the stored analysis' `codec.items`, for those this build used
        self.present: set[str] = set()
        self.staged: set[str] = set()  # paths whose fresh rows this build has written (`put`)
        self.broken = False  # writing failed: commit nothing
        self._open()

    def _open(self) -> None:
        """Open the database, or start afresh when it is damaged or from another global key."""
        self.path.parent.mkdir(exist_ok=True)
        try:
            self._connect()
        except sqlite3.DatabaseError:  # not a database, or damaged
            self.close()
            for damaged in (self.path, *(self.path.with_name(self.path.name + end) for end in ("-wal", "-shm"))):
                damaged.unlink(missing_ok=True)  # a log left beside a new database would be replayed into it
            self._connect()

    def _connect(self) -> None:
        """Connect and check the global key."""
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")  # a killed build leaves the last committed rows intact
        self.db.execute("PRAGMA synchronous=NORMAL")  # a power cut may lose the last commit, never corrupt
        self.db.executescript(SCHEMA)
        stored = self.db.execute("SELECT value FROM meta WHERE key = 'global'").fetchone()
        if stored is None or stored[0] != self.key:  # another version of the code: its rows may have another shape
            with self.db:
                for table in TABLES:
                    self.db.execute(f"DROP TABLE IF EXISTS {table}")
                self.db.executescript(SCHEMA)
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('global', ?)", (self.key,))

    def close(self) -> None:
        """Release the database."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def known_articles(self) -> dict[str, tuple[str, Article]]:
        """path -> (digest, article) for every intact stored article (rows streamed, not all held at once)."""
        try:
            for path, digest, blob, crc, matcher in self.db.execute(
                "SELECT path, digest, article, crc, matcher FROM articles"
            ):
                if zlib.crc32(blob) != crc:
                    continue
                try:
                    article = pickle.loads(blob)
                except Exception:  # damaged in a way the checksum missed, or from other library versions
                    continue
                if isinstance(article, Article):
                    self.rows[path] = _Row(digest, article, matcher)
        except sqlite3.DatabaseError:
            self.rows.clear()
        return {path: (row.digest, row.article) for path, row in self.rows.items()}

    def hold(self, held: Mapping[str, tuple[str, Article]]) -> None:
        """Take articles a long-running process holds in memory (path -> file digest, article) as the ones
        stored, where the store has a row for the same bytes: `known_articles` without reading them back."""
        try:
            for path, digest, matcher in self.db.execute("SELECT path, digest, matcher FROM articles"):
                found = held.get(path)
                if found is not None and found[0] == digest:
                    self.rows[path] = _Row(digest, found[1], matcher)
        except sqlite3.DatabaseError:
            self.rows.clear()

    def vouch(self, articles: Sequence[Article], matcher: str) -> None:
        """Count the analyses of these held articles as stored (`stage` leaves them be) where the store has
        their row, for the same bytes (`hold`) and entity names; the others are staged afresh."""
        for article in articles:
            row = self.rows.get(article.source.path)
            if row is not None and row.article is article and row.matcher == matcher:
                self.hits.add(article.source.path)

    def _stored(self, column: str, articles: Sequence[Article], matcher: str, wanted):
        """(place, bytes) of each intact `column` stored for these entity names, for articles `wanted(place)` accepts.

        Few wanted articles are looked up by path; many are read in one pass over the table."""
        place = {a.source.path: i for i, a in enumerate(articles)}
        asked = [a.source.path for i, a in enumerate(articles) if wanted(i)]
        query = f"SELECT path, data, crc FROM {column} WHERE matcher = ?"
        if len(asked) > FEW:
            batches = [self.db.execute(query, (matcher,))]
        else:
            batches = (
                self.db.execute(f"{query} AND path IN ({', '.join('?' * len(part))})", (matcher, *part))
                for part in chunks(asked)
            )
        for rows in batches:
            for path, data, crc in rows:
                i = place.get(path)
                if i is not None and wanted(i) and zlib.crc32(data) == crc:
                    yield i, data

    def sentences(self, articles: Sequence[Article], matcher: str) -> list:
        """Each article's stored comparable sentences, or None where none fit its bytes."""
        return self._pickled("sentences", articles, matcher)

    def blocks(self, articles: Sequence[Article], matcher: str) -> list:
        """Each article's stored blocks, or None where none fit its bytes."""
        return self._pickled("blocks", articles, matcher)

    def _pickled(self, fact: str, articles: Sequence[Article], matcher: str) -> list:
        """Each article's stored `fact`, unpickled, for the articles read back or staged by this build; None
        for the others and where the row is damaged."""
        found: list = [None] * len(articles)

        def known(i: int) -> bool:
            path = articles[i].source.path
            row = self.rows.get(path)
            return (row is not None and row.article is articles[i]) or path in self.staged

        try:
            for i, data in self._stored(fact, articles, matcher, known):
                try:
                    found[i] = pickle.loads(data)
                except Exception:  # damaged in a way the checksum missed
                    continue
        except sqlite3.DatabaseError:
            return [None] * len(articles)
        return found

    def stored_sentences(self, articles: Sequence[Article], matcher: str) -> list[bool]:
        """Whether each article has comparable sentences stored for its bytes (their row is not read: `sentences`
        reads them, and finds a damaged one missing)."""
        place = {a.source.path: i for i, a in enumerate(articles)}
        found = [False] * len(articles)
        try:
            for (path,) in self.db.execute("SELECT path FROM sentences WHERE matcher = ?", (matcher,)):
                i = place.get(path)
                if i is not None:
                    row = self.rows.get(path)
                    found[i] = row is not None and row.article is articles[i]
        except sqlite3.DatabaseError:
            return [False] * len(articles)
        return found

    def analyses(
        self, articles: Sequence[Article], matcher: str, entities: dict[str, Entity], wanted: list, sentences: list
    ) -> list:
        """The stored analysis of each article `wanted` (with its `sentences`, None where they were not read),
        or None."""
        found: list = [None] * len(articles)
        try:
            for i, data in self._stored("analysis", articles, matcher, lambda i: wanted[i]):
                try:
                    found[i] = codec.loads(data, articles[i], entities, sentences[i])
                    self.hits.add(articles[i].source.path)
                except Exception:  # damaged, or names an entity that is gone
                    continue
            for i, data in self._stored("items", articles, matcher, lambda i: found[i] is not None):
                self.items[articles[i].source.path] = data
        except sqlite3.DatabaseError:
            self.hits.clear()
            return [None] * len(articles)
        return found

    def put(self, article: Article, digest: str, matcher: str, encoded: tuple[bytes, ...]) -> None:
        """Write one article's fresh analysis, already encoded (`codec.dumps`, by a worker), into the open
        transaction as soon as it is made: its bytes wait on disk, not in this process (see `stage`)."""
        try:
            self._write(article, digest, matcher, encoded)
            self.staged.add(article.source.path)
        except sqlite3.DatabaseError:
            self.broken = True  # the next build works these articles out again

    def _write(self, article: Article, digest: str, matcher: str, encoded: tuple[bytes, ...]) -> None:
        """One article's rows (the article, then each fact of `encoded`), inside the open transaction."""
        blob = pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)
        self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
            (article.source.path, digest, matcher, blob, zlib.crc32(blob)),
        )
        for fact, data in zip(FACTS, encoded, strict=True):
            self.db.execute(
                f"INSERT OR REPLACE INTO {fact} VALUES (?, ?, ?, ?)",
                (article.source.path, matcher, data, zlib.crc32(data)),
            )

    def stage(
        self,
        digests: dict[str, str],
        articles: Sequence[Article],
        texts: Sequence[TextAnalysis],
        matcher: str,
        entities: Sequence[Entity],
    ) -> None:
        """Write what this build worked out afresh and did not `put` yet, inside a transaction that only
        `commit` makes permanent (closing without it rolls back: a failed build stores nothing)."""
        keys = codec.entity_ids(entities)
        try:
            for article, text in zip(articles, texts, strict=True):
                path = article.source.path
                if path in self.hits or path in self.staged or path not in digests:
                    continue
                self._write(article, digests[path], matcher, codec.dumps(text, keys))
        except sqlite3.DatabaseError:
            self.broken = True  # the next build works these articles out again
        self.present = {a.source.path for a in articles}

    def commit(self) -> None:
        """Make the staged rows permanent and forget files that are gone."""
        if self.broken:
            return
        try:
            gone = [row for row in self.db.execute("SELECT path FROM articles") if row[0] not in self.present]
            for table in TABLES:
                self.db.executemany(f"DELETE FROM {table} WHERE path = ?", gone)
            self.db.commit()
        except sqlite3.DatabaseError:
            pass  # the next build works these articles out again
