"""The shared-passage join as facts in SQLite: each article's contribution, removed and added on its own.

`joins.passages` finds the passages in one pass over every article's comparable sentences.
Its answer for two articles follows from their sentences alone, and from which of their
word trigrams are stock phrases (in more than `COMMON_SHINGLE` sentences of the dossier).
This store (`.dossier-cache/passages.sqlite`) keeps what that takes, so that an edit
re-joins only the edited articles:

- `articles`: each joined article by slug, the SHA-256 of the file its sentences came from,
  and its sentences' words (to take its old contribution out again);
- `counts`: how many sentences have each word trigram (by a 64-bit hash of its words);
- `postings`: the sentences that have each trigram found in at most `KEEP` sentences, with
  each sentence's `need` (`joins.passages.need_of`);
- `copies`: the sentences of each words (by hash), for the exact copies of stock sentences;
- `pairs`: the sentence matches of every pair of articles that have any.

An edit takes the old version's trigrams out of `counts`, `postings` and `copies`, puts the
new ones in, and matches the new version against the articles its uncommon trigrams and its
words lead to; every candidate pair is compared on its text, so a hash never makes a match.
A trigram that becomes a stock phrase, or stops being one, changes the pairs of the other
articles that have it: those are matched again among themselves. The passages are then
assembled from all pairs (`joins.passages.assemble`), as the one-pass join does: its result and
this one are equal, as the tests check after random edits.

A first build, or an edit too large to be worth it, joins in one pass (in another process)
and writes a new store beside the old one; `commit` puts it in place when the build succeeds.
Updates are one transaction, committed with the build: a build killed at any moment leaves
the last build's store, and a damaged store is thrown away and made again.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..content.model import SharedPassage
from ..joins.passages import COMMON_SHINGLE, assemble, match_sentences, need_of
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
    hits_blob,
    rebuilt,
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
    ) -> tuple[list[SharedPassage], dict[bytes, bool]] | None:
        """The passages of these articles, by updating the store with the articles changed since; None when the
        store cannot answer (none, damaged, too many changes, a stock phrase whose sentences it no longer knows)."""
        if self.db is None:
            return None
        try:
            return self._update(slugs, per_article, digests, Similarity(known))
        except (sqlite3.DatabaseError, pickle.UnpicklingError, zlib.error, EOFError, KeyError, ValueError):
            if self.db is not None and self.db.in_transaction:
                self.db.execute("ROLLBACK")
            return None

    def _update(self, slugs, per_article, digests, similar: Similarity):
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
        before = self._counts(list(delta))
        after = {t: before.get(t, (0, 1))[0] + d for t, d in delta.items()}
        flipped = [t for t, n in after.items() if (before.get(t, (0, 1))[0] > COMMON_SHINGLE) != (n > COMMON_SHINGLE)]
        if any(not before.get(t, (0, 1))[1] for t in flipped):
            db.execute("ROLLBACK")
            return None  # its postings were dropped when it was frequent: the one-pass join knows them
        gone_ids = {stored[s][0] for s in gone}
        holders = [{a for (a,) in db.execute("SELECT article FROM postings WHERE trigram = ?", (t,))} for t in flipped]
        for s in gone:
            self._take_out(stored[s][0], old_sets[s])
        kept = self._recount(before, after)
        next_id = (db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0) + 1
        ids = {s: id_ for s, (id_, _) in stored.items() if id_ not in gone_ids}
        for n, s in enumerate(added):
            ids[s] = next_id + n
            self._put_in(s, ids[s], per_article[place[s]], new_sets[s], kept, current[s])
        slug_of = {id_: s for s, id_ in ids.items()}
        sentences_of = {id_: per_article[place[s]] for s, id_ in ids.items()}
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
            counts = {t: n for t, (n, _) in self._counts(sorted({t for own in sets for t in own})).items()}
            found.update(self._matches(id_, sets, counts, sentences_of, similar, among=partners[id_]))
        db.executemany(
            "DELETE FROM pairs WHERE a = ? AND b = ?", [(a, b) for a in partners for b in partners[a] if a < b]
        )
        db.executemany(
            "INSERT OR REPLACE INTO pairs VALUES (?, ?, ?)", ((a, b, hits_blob(h)) for (a, b), h in found.items())
        )
        hits: dict[tuple[int, int], Hits] = {}
        for a, b, blob in db.execute("SELECT a, b, hits FROM pairs"):
            first, second = place[slug_of[a]], place[slug_of[b]]
            pairs = pickle.loads(blob)
            if first < second:
                hits[(first, second)] = dict(pairs)
            else:
                hits[(second, first)] = {(pb, pa): match for (pa, pb), match in pairs}
        return assemble(slugs, per_article, hits), similar.asked

    def _old_sets(self, slug: str) -> list[set[int]]:
        """The hashed trigrams of the stored version of an article's sentences."""
        (blob,) = self.db.execute("SELECT words FROM articles WHERE slug = ?", (slug,)).fetchone()
        return [hashed_trigrams(words) for words in pickle.loads(zlib.decompress(blob))]

    def _counts(self, trigrams: list[int]) -> dict[int, tuple[int, int]]:
        """trigram -> (sentences that have it, whether its postings are all kept), for those stored."""
        found = {}
        for part in chunks(trigrams):
            marks = ",".join("?" * len(part))
            query = f"SELECT trigram, n, complete FROM counts WHERE trigram IN ({marks})"
            for t, n, complete in self.db.execute(query, part):
                found[t] = (n, complete)
        return found

    def _take_out(self, id_: int, sets: list[set[int]]) -> None:
        """Remove an article's postings, copies, pairs and row."""
        db = self.db
        db.executemany(
            "DELETE FROM postings WHERE trigram = ? AND article = ? AND position = ?",
            ((t, id_, p) for p, own in enumerate(sets) for t in own),
        )
        db.execute("DELETE FROM copies WHERE article = ?", (id_,))
        db.execute("DELETE FROM pairs WHERE a = ?", (id_,))
        db.execute("DELETE FROM pairs WHERE b = ?", (id_,))
        db.execute("DELETE FROM articles WHERE id = ?", (id_,))

    def _recount(self, before: dict[int, tuple[int, int]], after: dict[int, int]) -> set[int]:
        """Store the new counts; a trigram grown past `KEEP` loses its postings, one in no sentence its row.
        Returns the trigrams whose postings are kept."""
        db, kept = self.db, set()
        for t, n in after.items():
            complete = before.get(t, (0, 1))[1]
            if n <= 0:
                db.execute("DELETE FROM counts WHERE trigram = ?", (t,))
                continue
            if complete and n > KEEP:
                db.execute("DELETE FROM postings WHERE trigram = ?", (t,))
                complete = 0
            db.execute("INSERT OR REPLACE INTO counts VALUES (?, ?, ?)", (t, n, complete))
            if complete:
                kept.add(t)
        return kept

    def _put_in(self, slug: str, id_: int, sentences: Sentences, sets: list[set[int]], kept: set[int], digest) -> None:
        """Add an article's row, copies and postings (of the trigrams whose postings are kept)."""
        db = self.db
        db.execute("INSERT INTO articles VALUES (?, ?, ?, ?)", (slug, id_, digest, words_blob(sentences)))
        db.executemany("INSERT INTO copies VALUES (?, ?, ?)", ((hashed(s.words), id_, s.position) for s in sentences))
        db.executemany(
            "INSERT INTO postings VALUES (?, ?, ?, ?)",
            ((t, id_, p, need_of(len(own))) for p, own in enumerate(sets) for t in own if t in kept),
        )

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
            query = f"SELECT trigram, article, position, need FROM postings WHERE trigram IN ({marks})"
            for t, a, q, need in self.db.execute(query, part):
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
