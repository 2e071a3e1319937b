"""The shared-passage join as facts in SQLite: each article's contribution, removed and added on its own.

`joins.passages` finds the passages in one pass over every article's comparable sentences.
Its answer for two articles follows from their sentences alone, and from which of their
word trigrams are stock phrases (in more than `COMMON_SHINGLE` sentences of the dossier).
This store (`.dossier-cache/passages.sqlite`) keeps what that takes, so that an edit
re-joins only the edited articles:

- `articles`: each joined article by slug, the SHA-256 of the file its sentences came from,
  and its sentences' words (to take its old contribution out again);
- `trigrams`: each word trigram (by a 64-bit hash of its words), how many sentences have it and,
  when that is at most `KEEP`, its postings: the sentences that have it, each with its `need`
  (`joins.passages.need_of`), in one blob (a first build writes 350,000 rows, not 2.7 million);
- `copies`: the sentences of each words (by hash), for the exact copies of stock sentences;
- `pairs`: the passages every pair of articles shares (`joins.passages.pair_passages`), the
  article first in the dossier first (`flipped` when that is the pair's second).

An edit takes the old version's trigrams out of `trigrams` and `copies`, puts the
new ones in, and matches the new version against the articles its uncommon trigrams and its
words lead to; every candidate pair is compared on its text, so a hash never makes a match.
A trigram that becomes a stock phrase, or stops being one, changes the pairs of the other
articles that have it: those are matched again among themselves. The passages are then
assembled from every pair's passages (`joins.passages.assembled`), as the one-pass join does: a
pair of articles that kept their bytes keeps its row, so no other article's sentences are read
and no other pair's matches are worked out again. Its result and this one are equal, as the
tests check after random edits.

A first build, or an edit too large to be worth it, joins in one pass (in another process)
and writes a new store beside the old one; `commit` puts it in place when the build succeeds.
Updates are one transaction, committed with the build: a build killed at any moment leaves
the last build's store, and a damaged store is thrown away and made again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..content.model import SharedPassage
from ..joins.passages import COMMON_SHINGLE, assembled, match_sentences, need_of, pair_passages
from ..joins.similarity import Similarity
from .cache import FOLDER
from .passage_rows import (
    KEEP,
    Hits,
    Sentences,
    chunks,
    connect,
    hashed,
    hashed_trigrams,
    postings_blob,
    postings_of,
    rebuilt,
    shared_blob,
    shared_of,
    trigram_sets,
    words_blob,
)
from .workers import Background

FILE = "passages.sqlite"
MOST_CHANGED = 0.05  # more changed articles than this share of the dossier: join in one pass


class PassageIndex:
    """The store of the last build's passage join, and this build's update of it (one transaction)."""

    def __init__(self, root: Path, key: str):
        self.path = root / FOLDER / FILE
        self.fresh = self.path.with_name(f"{FILE}.{os.getpid()}.new")  # where a one-pass join writes a new store
        self.key = key
        self.db: sqlite3.Connection | None = None
        self.renewing: Background | None = None  # the one-pass join writing a new store, to put in place on commit
        self.path.parent.mkdir(exist_ok=True)
        try:
            if self.path.exists():
                self.db = connect(self.path)
                self.db.execute("PRAGMA journal_mode=WAL")
                stored = self.db.execute("SELECT value FROM meta WHERE key = 'global'").fetchone()
                if stored is None or stored[0] != key:
                    self.close()
        except sqlite3.DatabaseError:  # damaged, or not a database: joined afresh
            self.close()

    def close(self) -> None:
        """Release the store (an update not committed is rolled back)."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def join_anew(self, slugs, per_article, digests, known, *, jobs: int) -> Background:
        """The one-pass join in another process (`rebuilt`), which then writes a new store; `result()` of what is
        returned waits for the passages, `commit` for the store, which it puts in place."""
        self.renewing = Background(
            rebuilt, self.fresh, self.key, slugs, per_article, digests, known, jobs=jobs, what="joining passages"
        )
        return self.renewing

    def commit(self) -> None:
        """Make this build's update, or its new store, the one the next build starts from."""
        if self.renewing is not None:
            self.renewing.finish()
            self.renewing = None
            self.close()
            for log in (self.path.with_name(FILE + "-wal"), self.path.with_name(FILE + "-shm")):
                log.unlink(missing_ok=True)  # a log beside the new file would be replayed into it
            self.fresh.replace(self.path)
            for left in self.path.parent.glob(f"{FILE}.*.new"):  # by builds that were killed
                left.unlink(missing_ok=True)
        elif self.db is not None and self.db.in_transaction:
            self.db.execute("COMMIT")

    def discard(self) -> None:
        """Forget this build's work (a failed build): the last build's store stays as it was."""
        if self.renewing is not None:
            self.renewing.cancel()
            self.renewing = None
        self.close()
        self.fresh.unlink(missing_ok=True)

    def update(
        self,
        slugs: Sequence[str],
        per_article: Sequence[Sentences],
        digests: Sequence[str],
        known: Mapping[bytes, bool] | None,
        before: tuple[bytes, list[SharedPassage]] | None = None,
    ) -> tuple[list[SharedPassage], dict[bytes, bool], bytes] | None:
        """The passages of these articles, by updating the store with the articles changed since, the similarity
        answers used and the digest of what the passages were assembled from (`assembled_key`); None when the
        store cannot answer (none, damaged, too many changes, a stock phrase whose sentences it no longer knows).

        `before`: (that digest, the passages) of an earlier build, taken as they are when the digest is the same
        (early cut-off: the edit changed no pair's passages and no article's place)."""
        if self.db is None:
            return None
        try:
            return self._update(slugs, per_article, digests, Similarity(known), before)
        except (sqlite3.DatabaseError, pickle.UnpicklingError, zlib.error, EOFError, KeyError, ValueError):
            if self.db is not None and self.db.in_transaction:
                self.db.execute("ROLLBACK")
            return None

    def _update(self, slugs, per_article, digests, similar: Similarity, before):
        """`update`, with the store's errors left to the caller."""
        db = self.db
        stored = {slug: (id_, digest) for slug, id_, digest in db.execute("SELECT slug, id, digest FROM articles")}
        current = dict(zip(slugs, digests, strict=True))
        place = {slug: i for i, slug in enumerate(slugs)}
        gone = [s for s, (_, digest) in stored.items() if current.get(s) != digest or digest == "?"]
        added = [s for s in slugs if s not in stored or stored[s][1] != current[s] or current[s] == "?"]
        if len(gone) + len(added) > max(1, MOST_CHANGED * len(slugs)):
            return None
        db.execute("BEGIN")
        old_sets = {s: self._old_sets(s) for s in gone}
        new_sets = {s: trigram_sets(per_article[place[s]]) for s in added}
        delta: Counter = Counter()
        for sets in old_sets.values():
            delta.subtract(t for own in sets for t in own)
        for sets in new_sets.values():
            delta.update(t for own in sets for t in own)
        rows = self._rows(list(delta))  # trigram -> [sentences that have it, postings all kept, postings]
        was = {t: rows[t][0] if t in rows else 0 for t in delta}
        after = {t: was[t] + d for t, d in delta.items()}
        flipped = [t for t, n in after.items() if (was[t] > COMMON_SHINGLE) != (n > COMMON_SHINGLE)]
        if any(t in rows and not rows[t][1] for t in flipped):
            db.execute("ROLLBACK")
            return None  # its postings were dropped when it was frequent: the one-pass join knows them
        gone_ids = {stored[s][0] for s in gone}
        holders = [{a for a, _, _ in rows[t][2]} if t in rows else set() for t in flipped]
        for s in gone:
            self._take_out(stored[s][0])
        for row in rows.values():
            row[2] = [posting for posting in row[2] if posting[0] not in gone_ids]
        next_id = (db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0) + 1
        ids = {s: id_ for s, (id_, _) in stored.items() if id_ not in gone_ids}
        for n, s in enumerate(added):
            ids[s] = next_id + n
            self._put_in(s, ids[s], per_article[place[s]], new_sets[s], current[s], rows)
        self._recount(rows, after)
        order = {id_: place[s] for s, id_ in ids.items()}  # each article's place in the dossier
        sentences_of = _ById(per_article, order)  # read as they are asked for
        found: dict[tuple[int, int], Hits] = {}
        for s in added:  # the new versions against every article
            found.update(self._matches(ids[s], new_sets[s], after, sentences_of, similar))
        partners: dict[int, set[int]] = {}  # two articles with a trigram that became or stopped being a stock
        for held in holders:  # phrase: their pair is matched again
            held -= gone_ids
            for a in held:
                partners.setdefault(a, set()).update(held - {a})
        for id_ in sorted(partners):
            sets = trigram_sets(sentences_of[id_])
            counts = {t: row[0] for t, row in self._rows(sorted({t for own in sets for t in own}), False).items()}
            found.update(self._matches(id_, sets, counts, sentences_of, similar, among=partners[id_]))
        db.executemany(
            "DELETE FROM pairs WHERE a = ? AND b = ?", [(a, b) for a in partners for b in partners[a] if a < b]
        )

        def oriented(a: int, b: int, h: Hits) -> tuple[int, int, int, bytes]:
            """A pair's row: its passages with the article first in the dossier first (flipped: article b)."""
            if order[a] < order[b]:
                return a, b, 0, shared_blob(pair_passages(sentences_of[a], sentences_of[b], h))
            swapped = {(q, p): match for (p, q), match in h.items()}
            return a, b, 1, shared_blob(pair_passages(sentences_of[b], sentences_of[a], swapped))

        db.executemany(
            "INSERT OR REPLACE INTO pairs VALUES (?, ?, ?, ?)", (oriented(a, b, h) for (a, b), h in found.items())
        )
        rows = []
        for a, b, flipped, blob in db.execute("SELECT a, b, flipped, shared FROM pairs"):
            first, second = (order[b], order[a]) if flipped else (order[a], order[b])
            if first > second:  # two articles that kept their bytes and changed places: cannot be, but if so,
                raise ValueError("a pair of articles changed places")  # the one-pass join answers
            rows.append((first, second, blob))
        rows.sort(key=lambda row: row[:2])
        digest = assembled_key(slugs, rows)
        if before is not None and before[0] == digest:
            return before[1], similar.asked, digest
        return assembled(slugs, [(a, b, shared_of(blob)) for a, b, blob in rows]), similar.asked, digest

    def _old_sets(self, slug: str) -> list[set[int]]:
        """The hashed trigrams of the stored version of an article's sentences."""
        (blob,) = self.db.execute("SELECT words FROM articles WHERE slug = ?", (slug,)).fetchone()
        return [hashed_trigrams(words) for words in pickle.loads(zlib.decompress(blob))]

    def _rows(self, trigrams: list[int], postings: bool = True) -> dict[int, list]:
        """trigram -> [sentences that have it, whether its postings are all kept, its postings (read back only
        when asked for)], for those stored."""
        found = {}
        column = "postings" if postings else "NULL"
        for part in chunks(trigrams):
            marks = ",".join("?" * len(part))
            query = f"SELECT trigram, n, complete, {column} FROM trigrams WHERE trigram IN ({marks})"
            for t, n, complete, blob in self.db.execute(query, part):
                found[t] = [n, complete, postings_of(blob) if postings else []]
        return found

    def _take_out(self, id_: int) -> None:
        """Remove an article's copies, pairs and row (its postings leave with `_recount`)."""
        db = self.db
        db.execute("DELETE FROM copies WHERE article = ?", (id_,))
        db.execute("DELETE FROM pairs WHERE a = ?", (id_,))
        db.execute("DELETE FROM pairs WHERE b = ?", (id_,))
        db.execute("DELETE FROM articles WHERE id = ?", (id_,))

    def _put_in(self, slug: str, id_: int, sentences: Sentences, sets: list[set[int]], digest, rows) -> None:
        """Add an article's row and copies, and its postings to `rows` (each posting `_recount` keeps)."""
        db = self.db
        db.execute("INSERT INTO articles VALUES (?, ?, ?, ?)", (slug, id_, digest, words_blob(sentences)))
        db.executemany("INSERT INTO copies VALUES (?, ?, ?)", ((hashed(s.words), id_, s.position) for s in sentences))
        for p, own in enumerate(sets):
            need = need_of(len(own))
            for t in own:
                rows.setdefault(t, [0, 1, []])[2].append((id_, p, need))

    def _recount(self, rows: dict[int, list], after: dict[int, int]) -> None:
        """Store each changed trigram's count and postings: a trigram grown past `KEEP` loses its postings for
        good (its row says so), one in no sentence its row."""
        db = self.db
        for t, n in after.items():
            complete = rows[t][1] if t in rows else 1
            if n <= 0:
                db.execute("DELETE FROM trigrams WHERE trigram = ?", (t,))
                continue
            if n > KEEP:
                complete = 0
            postings = postings_blob(rows[t][2]) if complete else b""
            db.execute("INSERT OR REPLACE INTO trigrams VALUES (?, ?, ?, ?)", (t, n, complete, postings))

    def _matches(self, id_, sets, counts, sentences_of, similar, among=None) -> dict[tuple[int, int], Hits]:
        """(lower id, higher id) -> sentence matches, for this article against every other (or those `among`).

        The candidates are what the one-pass join compares: sentences sharing at least the smaller
        `need` of the two in uncommon trigrams, and the k-th copy of a words in one article with the
        k-th in another."""
        mine = sentences_of[id_]
        others = (lambda a: a != id_) if among is None else (lambda a: a != id_ and a in among)
        uncommon = sorted({t for own in sets for t in own if counts.get(t, 0) <= COMMON_SHINGLE})
        holders: dict[int, list[tuple[int, int, int]]] = {}
        for part in chunks(uncommon):
            marks = ",".join("?" * len(part))
            query = f"SELECT trigram, postings FROM trigrams WHERE trigram IN ({marks})"
            for t, blob in self.db.execute(query, part):
                for a, q, need in postings_of(blob):
                    if others(a):
                        holders.setdefault(t, []).append((a, q, need))
        shared: Counter = Counter()
        needs: dict[tuple[int, int], int] = {}
        for p, own in enumerate(sets):
            for t in own:
                for a, q, need in holders.get(t, ()):
                    shared[(p, a, q)] += 1
                    needs[(a, q)] = need
        candidates = {key: n for key, n in shared.items() if n >= min(need_of(len(sets[key[0]])), needs[key[1:]])}
        for p, (a, q) in self._copies(mine, others):
            candidates[(p, a, q)] = -1
        found: dict[tuple[int, int], Hits] = {}
        for (p, a, q), n in sorted(candidates.items()):
            theirs = sentences_of[a][q]
            if n < 0 and mine[p].words != theirs.words:
                continue  # two words with one hash: the texts decide
            match = "exact" if n < 0 else match_sentences(mine[p], theirs, n, similar)
            if match:
                key, where = ((id_, a), (p, q)) if id_ < a else ((a, id_), (q, p))
                found.setdefault(key, {})[where] = match
        return found

    def _copies(self, mine: Sentences, others) -> list[tuple[int, tuple[int, int]]]:
        """(position here, (article, position there)): the k-th copy of each words here with the k-th in another."""
        here: dict[int, list[int]] = {}
        for s in mine:
            here.setdefault(hashed(s.words), []).append(s.position)
        pairs = []
        for part in chunks(sorted(here)):
            marks = ",".join("?" * len(part))
            there: dict[tuple[int, int], list[int]] = {}
            for w, a, q in self.db.execute(
                f"SELECT words, article, position FROM copies WHERE words IN ({marks})", part
            ):
                if others(a):
                    there.setdefault((w, a), []).append(q)
            for (w, a), positions in there.items():
                pairs += [(p, (a, q)) for p, q in zip(here[w], sorted(positions), strict=False)]
        return pairs


def assembled_key(slugs: Sequence[str], rows: Sequence[tuple[int, int, bytes]]) -> bytes:
    """What `assembled` reads: the articles in dossier order and each pair's passages (its places in that order
    and its row's blob, which `shared_of` reads back), in the order of the places."""
    digest = hashlib.blake2b(b"assembled", digest_size=20)
    digest.update("\0".join(slugs).encode("utf-8", "surrogatepass"))
    for a, b, blob in rows:
        digest.update(b"%d %d %d\n" % (a, b, len(blob)))
        digest.update(blob)
    return digest.digest()


class _ById:
    """The sentences of each joined article by its id in the store, taken from `per_article` only when asked for
    (an edit compares the new version with the few articles its trigrams lead to, not with every article)."""

    def __init__(self, per_article: Sequence[Sentences], place: Mapping[int, int]):
        self.per_article, self.place = per_article, place

    def __getitem__(self, id_: int) -> Sentences:
        return self.per_article[self.place[id_]]
