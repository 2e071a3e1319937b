"""The rows of the passage store (`passage_index`): its tables, the encodings of its facts, and the
one-pass join that writes a whole new store (a first build's, in another process)."""

from __future__ import annotations

import hashlib
import itertools
import pickle
import sqlite3
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..content.model import SharedPassage
from ..joins.passages import (
    COMMON_SHINGLE,
    Span,
    assembled,
    need_of,
    pair_hits,
    pair_passages,
    trigram_table,
    word_trigrams,
)
from ..joins.similarity import Similarity
from ..text.comparable import ComparableSentence

KEEP = 2 * COMMON_SHINGLE  # postings are kept for trigrams in at most this many sentences
BATCH = 500  # ids per SQL query
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    slug TEXT PRIMARY KEY, id INTEGER UNIQUE NOT NULL, digest TEXT NOT NULL, words BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS trigrams (
    trigram INTEGER PRIMARY KEY, n INTEGER NOT NULL, complete INTEGER NOT NULL, postings BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS copies (words INTEGER, article INTEGER, position INTEGER);
CREATE TABLE IF NOT EXISTS pairs (a INTEGER, b INTEGER, flipped INTEGER NOT NULL, shared BLOB NOT NULL);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS copies_by_words ON copies (words, article, position);
CREATE INDEX IF NOT EXISTS copies_by_article ON copies (article);
CREATE UNIQUE INDEX IF NOT EXISTS pairs_by_a ON pairs (a, b);
CREATE INDEX IF NOT EXISTS pairs_by_b ON pairs (b);
"""

Sentences = Sequence[ComparableSentence]
Hits = dict[tuple[int, int], str]  # (position in the first article, position in the second) -> match


def hashed(text: str) -> int:
    """A stable signed 64-bit hash of a text (SQLite's INTEGER)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def trigram_sets(sentences: Sentences) -> list[set[int]]:
    """Each sentence's distinct word trigrams, hashed."""
    return [hashed_trigrams(s.words) for s in sentences]


def hashed_trigrams(words: str) -> set[int]:
    """The distinct word trigrams of one sentence's words, hashed."""
    return set(map(hashed, word_trigrams(words)))


def words_blob(sentences: Sentences) -> bytes:
    """An article's sentences' words, stored to take its contribution out again."""
    return zlib.compress(pickle.dumps([s.words for s in sentences], protocol=pickle.HIGHEST_PROTOCOL), 1)


Posting = tuple[int, int, int]  # (article id, sentence position, its `need`) of a sentence that has a trigram
POSTINGS = "i"  # a row's postings: an array of this type, three numbers per posting (`postings_blob`)


def postings_blob(postings: Iterable[Posting]) -> bytes:
    """A trigram's postings, stored in its row (in order: by article, then position)."""
    return array(POSTINGS, itertools.chain.from_iterable(sorted(postings))).tobytes()


def postings_of(blob: bytes) -> list[Posting]:
    """A trigram's postings, read back."""
    flat = array(POSTINGS)
    flat.frombytes(blob)
    items = iter(flat)
    return list(zip(items, items, items, strict=True))


def chunks(items: Sequence, size: int = BATCH):
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def connect(path: Path) -> sqlite3.Connection:
    """A connection that leaves transactions to the caller."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def rebuilt(
    path: Path, key: str, slugs: Sequence[str], per_article: Sequence[Sentences], digests: Sequence[str], known
) -> Iterator[tuple[list[SharedPassage], dict[bytes, bool]]]:
    """The one-pass join (yielded first), then a new store at `path` that holds it (what a first build does,
    in another process: the build goes on with the passages while the store is written)."""
    similar = Similarity(known)
    sentences = [s for own in per_article for s in own]
    ids, names = trigram_table(sentences)
    counts = Counter(itertools.chain.from_iterable(ids))
    hits = pair_hits(per_article, similar, ids, counts)
    shared = [(a, b, pair_passages(per_article[a], per_article[b], h)) for (a, b), h in hits.items()]
    del hits
    yield assembled(slugs, shared), similar.asked
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    db = connect(path)
    try:
        db.execute("PRAGMA journal_mode=OFF")  # a new file, put in place only once it is whole
        db.executescript(SCHEMA)  # the indexes are made once the rows are in
        db.execute("BEGIN")
        db.execute("INSERT INTO meta VALUES ('global', ?)", (key,))
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?)",
            ((slug, a, digests[a], words_blob(per_article[a])) for a, slug in enumerate(slugs)),
        )
        keys = list(map(hashed, names))
        del names
        at = [(a, s.position) for a, own in enumerate(per_article) for s in own]
        postings = [array(POSTINGS) for _ in keys]  # trigram id -> (article, position, need)... of its kept postings
        kept = [counts[t] <= KEEP for t in range(len(keys))]
        for i, own in enumerate(ids):
            triple = (*at[i], need_of(len(own)))
            for t in own:
                if kept[t]:
                    postings[t].extend(triple)  # sentences come in order: each trigram's postings are sorted
        db.executemany(
            "INSERT INTO trigrams VALUES (?, ?, ?, ?)",
            ((keys[t], n, int(kept[t]), postings[t].tobytes()) for t, n in counts.items()),
        )
        del postings, counts
        db.executemany(
            "INSERT INTO copies VALUES (?, ?, ?)", ((hashed(s.words), *at[i]) for i, s in enumerate(sentences))
        )
        db.executemany("INSERT INTO pairs VALUES (?, ?, 0, ?)", ((a, b, shared_blob(found)) for a, b, found in shared))
        db.execute("COMMIT")
        db.executescript(INDEXES)
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()


def shared_blob(found: list[tuple[Span, Span, str]]) -> bytes:
    """The passages two articles share (`joins.passages.pair_passages`), as their pair's row keeps them."""
    return pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)


def shared_of(blob: bytes) -> list[tuple[Span, Span, str]]:
    """A pair's passages, read back."""
    return pickle.loads(blob)
