"""Per-article facts, remembered: articles and their text analyses taken from the store when their
bytes (and the entity names) are unchanged, worked out afresh otherwise, on every core.

The domain stages know nothing of this: `content.load_articles` is handed a reader that
remembers (`remembering_reader`), and `text.analysis.Analyser` analyses whatever it is
given. The comparable sentences come first (`sentences`), so the passage join can start
while the rest of each analysis is read back (`texts`).
"""

from __future__ import annotations

import pickle
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from ..content.load import ArticleReader, read_article
from ..content.model import Article
from ..text.analysis import Analyser, TextAnalysis
from ..text.blocks import blocks
from . import codec
from .memo import ArticleMemo
from .resident import Resident
from .workers import run_tasks

PARALLEL_MIN = 64  # fewer articles than this are analysed in this process: forking costs more


def remembering_reader(
    memo: ArticleMemo | None, digests: Mapping[str, str], resident: Resident | None = None
) -> ArticleReader:
    """A reader for `content.load_articles` that takes an article from the store (or from the articles a
    long-running process holds, `resident`) when its file's digest is the one it was kept with, and reads
    the file otherwise."""
    if resident is not None:
        if memo is not None:
            memo.hold(resident.articles)
        known = resident.articles
    else:
        known = memo.known_articles() if memo is not None else {}

    def read(path: Path, shown: str):
        earlier = known.get(shown)
        if earlier is not None and digests.get(shown) == earlier[0]:
            return earlier[1], []
        return read_article(path, shown)

    return read


def _analyse_span(job: tuple[Analyser, Sequence[Article]], span: tuple[int, int]) -> tuple[int, list]:
    """Worker: analyse articles [start, stop) and encode the findings; (start, their bytes)."""
    analyser, articles = job
    keys = codec.entity_ids(analyser.entities)
    return span[0], [codec.dumps(analyser.analyse(articles[i]), keys) for i in range(*span)]


class Analyses:
    """The text analyses of one build's articles: remembered ones read back, the others worked out."""

    def __init__(
        self,
        analyser: Analyser,
        articles: Sequence[Article],
        memo: ArticleMemo | None,
        *,
        jobs: int,
        held: Mapping[int, tuple[TextAnalysis, bytes]] | None = None,
        digests: Mapping[str, str] | None = None,
    ):
        self.analyser, self.articles, self.memo, self.jobs = analyser, list(articles), memo, jobs
        self.held = held or {}  # place -> (analysis, items) a long-running process holds (`Resident.analyses_of`)
        self.digests = digests or {}  # content file -> SHA-256: an analysis is stored under its file's bytes
        self.fresh: dict[int, TextAnalysis] = {}
        self.items: dict[str, bytes] = {}  # article path -> `codec.items` of a fresh analysis made by a worker
        self._said: Said | None = None

    def sentences(self) -> Said:
        """Each article's comparable sentences (`Said`: the stored ones are read when first asked for); the
        articles with none remembered are analysed now."""
        articles, memo, held = self.articles, self.memo, self.held
        said: list = [held[i][0].sentences if i in held else None for i in range(len(articles))]
        asked = [i for i in range(len(articles)) if said[i] is None]
        stored: set[int] = set()
        if memo is not None and asked:
            found = memo.stored_sentences([articles[i] for i in asked], self.analyser.digest)
            stored = {i for i, there in zip(asked, found, strict=True) if there}
        missing = [i for i in asked if i not in stored]
        for i, text in zip(missing, self._analyse([articles[i] for i in missing]), strict=True):
            self.fresh[i] = text
            said[i] = text.sentences
        self._said = Said(self, said)
        return self._said

    def _analyse(self, articles: list[Article]) -> list[TextAnalysis]:
        """Analyses of these articles, on forked workers when there are enough of them."""
        if self.jobs <= 1 or len(articles) < PARALLEL_MIN:
            return [self.analyser.analyse(a) for a in articles]
        chunk = max(16, min(256, len(articles) // (self.jobs * 8) or 1))
        spans = [(i, min(i + chunk, len(articles))) for i in range(0, len(articles), chunk)]
        found: list = [None] * len(articles)
        memo, matcher, by_key = self.memo, self.analyser.digest, self.analyser.by_key

        def take(part: tuple[int, list[tuple[bytes, bytes, bytes]]]) -> None:
            """A worker's span, decoded, and stored at once (its bytes are not kept here)."""
            start, encoded = part
            for place, blobs in enumerate(encoded, start):
                article = articles[place]
                text = codec.loads(blobs[0], article, by_key, pickle.loads(blobs[1]))
                self.items[article.source.path] = blobs[2]
                digest = self.digests.get(article.source.path)
                if memo is not None and digest is not None:
                    memo.put(article, digest, matcher, blobs)  # its blocks wait in the store, read back if wanted
                if memo is None or article.source.path not in memo.staged:
                    text.blocks = pickle.loads(blobs[3])  # (before anything else holds it)
                found[place] = text

        job = (self.analyser, articles)
        run_tasks(_analyse_span, job, spans, jobs=self.jobs, what="analysing articles", done=take, keep=False)
        return found

    def texts(self) -> list[TextAnalysis]:
        """Every article's analysis, in dossier order (after `sentences`; a stored one with the sentences that
        were read, or None for them)."""
        said = self._said if self._said is not None else self.sentences()
        articles, memo, held = self.articles, self.memo, self.held
        wanted = [i not in self.fresh and i not in held for i in range(len(articles))]
        stored = (
            memo.analyses(articles, self.analyser.digest, self.analyser.by_key, wanted, said.read)
            if memo is not None
            else [None] * len(articles)
        )
        if memo is not None:
            memo.vouch([articles[i] for i in held], self.analyser.digest)
        return [
            self.fresh.get(i) or (held[i][0] if i in held else text) or self.analyser.analyse(articles[i])
            for i, text in enumerate(stored)
        ]

    def blocks_of(self, texts: Sequence[TextAnalysis], wanted: Collection[str] | None = None) -> dict[str, list]:
        """Article slug -> its body's blocks, for the articles `wanted` (all when None) and any others at hand:
        an analysis read back from the store comes without them, and they are read from it only where wanted
        (the annotated articles), or parsed again where the store has none."""
        found = {a.slug: t.blocks for a, t in zip(self.articles, texts, strict=True) if t.blocks is not None}
        missing = [a for a in self.articles if a.slug not in found and (wanted is None or a.slug in wanted)]
        stored = self.memo.blocks(missing, self.analyser.digest) if self.memo is not None else [None] * len(missing)
        for article, kept in zip(missing, stored, strict=True):
            found[article.slug] = kept if isinstance(kept, list) else blocks(article.body)
        return found

    def findings(self, texts: Sequence[TextAnalysis]) -> list[tuple[Article, TextAnalysis, bytes]]:
        """Each article and its analysis beside the digests of its mentions' and quotations' own fields
        (`codec.items`), remembered or worked out with it: the page fingerprints take them instead of walking
        the objects."""
        found = []
        for place, (article, text) in enumerate(zip(self.articles, texts, strict=True)):
            path = article.source.path
            known = self.held[place][1] if place in self.held else None
            if known is None and self.memo is not None:
                known = self.memo.items.get(path)
            if known is None:
                known = self.items[path] if path in self.items else codec.items(text)
            found.append((article, text, known))
        return found

    def stage(self, texts: Sequence[TextAnalysis]) -> None:
        """Put what this build worked out into the store's open transaction."""
        if self.memo is not None:
            self.memo.stage(self.digests, self.articles, texts, self.analyser.digest, self.analyser.entities)


class Said(Sequence):
    """Each article's comparable sentences, in dossier order: those worked out or held at hand, the stored ones
    read from the article store when first asked for (`all` reads every one still unread in one pass). A build
    whose passages are remembered reads none; an edit reads those of the articles its passages lead to."""

    def __init__(self, analyses: Analyses, read: list):
        self.analyses = analyses
        self.read = read  # place -> sentences, None while unread

    def __len__(self) -> int:
        return len(self.read)

    def __getitem__(self, place: int):
        if self.read[place] is None:
            self._read([place])
        return self.read[place]

    def all(self) -> list[list]:
        """Every article's sentences, as a list (for a join in another process)."""
        self._read([i for i, sentences in enumerate(self.read) if sentences is None])
        return list(self.read)

    def _read(self, places: list[int]) -> None:
        """Read these articles' stored sentences; one whose row turns out damaged is analysed again (and
        stored afresh with its analysis)."""
        owner = self.analyses
        if not places:
            return
        articles = [owner.articles[i] for i in places]
        found = (
            owner.memo.sentences(articles, owner.analyser.digest) if owner.memo is not None else [None] * len(places)
        )
        for place, article, sentences in zip(places, articles, found, strict=True):
            if sentences is None:
                owner.fresh[place] = owner.analyser.analyse(article)
                sentences = owner.fresh[place].sentences
            self.read[place] = sentences
