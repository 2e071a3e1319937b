"""What one article's text holds on its own: blocks, mentions, quotations, comparable sentences.

Everything here depends only on the article's file and on the entities' names and aliases
(the matcher), never on another article. So it is worked out once per article, kept in
the build cache between builds (`cache.ArticleStore`), and computed for many articles at
once on every core. The joins across articles (shared passages, quotation groups,
backlinks) come after, in `pipeline.analyse_text`.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass

from . import mentions, passages, quotes
from .blocks import Block, blocks
from .errors import ContentError
from .model import Article, Entity, EntityMention, Quote

PARALLEL_MIN = 64  # fewer articles than this are analysed in this process: forking costs more


@dataclass
class TextAnalysis:
    """The findings in one article body."""

    blocks: list[Block]
    mentions: list[EntityMention]
    quotes: list[Quote]  # overridden by the article's `speakers:` list
    sentences: list  # passages._Sentence, the ones long enough to compare across articles
    errors: list[ContentError]  # problems with the `speakers:` list


def matcher_digest(entities: Sequence[Entity]) -> str:
    """What the analyses know of the entities: kind, slug, name and aliases (a role or note change keeps it)."""
    digest = hashlib.sha256()
    for entity in entities:
        digest.update(repr((entity.kind, entity.slug, entity.name, entity.aliases)).encode())
    return digest.hexdigest()


class Analyser:
    """Analyses article bodies against one set of entities."""

    def __init__(self, entities: Sequence[Entity]):
        self.entities = list(entities)
        self.matcher = mentions.EntityMatcher(self.entities)
        self.by_key = {mentions.entity_key(e): e for e in self.entities}
        self.by_slug = {e.slug: e for e in self.entities}
        self.digest = matcher_digest(self.entities)

    def analyse(self, article: Article) -> TextAnalysis:
        """Every per-article finding of one body (one Markdown parse, shared by all)."""
        body_blocks = blocks(article.body)
        found = quotes.article_quotes(article, self.matcher.find)
        errors = quotes.apply_overrides(article, found, self.by_slug)
        return TextAnalysis(
            blocks=body_blocks,
            mentions=mentions.article_mentions(article, body_blocks, self.matcher, self.by_key),
            quotes=found,
            sentences=passages._sentences(0, article),
            errors=errors,
        )

    def analyse_all(self, articles: Sequence[Article], *, jobs: int = 1) -> list[TextAnalysis]:
        """`analyse` for many articles, on `jobs` processes when there are enough of them."""
        if jobs <= 1 or len(articles) < PARALLEL_MIN:
            found = [self.analyse(a) for a in articles]
        else:
            found = in_workers(self, articles, jobs)
        return found


# --- several processes --------------------------------------------------------------------
# Workers are forked, so they already hold the articles and entities; results come back
# pickled with articles and entities named by position and key, and are tied to the
# parent's own objects on arrival.

_JOB: tuple[Analyser, Sequence[Article]] | None = None


class _Pickler(pickle.Pickler):
    """Pickles findings without copying the articles and entities they point to."""

    def __init__(self, file, articles: dict[int, int], entities: dict[int, str]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.articles, self.entities = articles, entities

    def persistent_id(self, obj):
        """('a', position) for an article, ('e', key) for an entity, None for anything else."""
        if isinstance(obj, Article):
            return ("a", self.articles[id(obj)])
        if isinstance(obj, Entity):
            return ("e", self.entities[id(obj)])
        return None


class _Unpickler(pickle.Unpickler):
    """Ties pickled findings to the articles and entities of this process."""

    def __init__(self, file, articles: Sequence[Article], entities: dict[str, Entity]):
        super().__init__(file)
        self.articles, self.entities = articles, entities

    def persistent_load(self, pid):
        """The article or entity a persistent id names."""
        kind, value = pid
        return self.articles[value] if kind == "a" else self.entities[value]


def dumps(found: list, articles: Sequence[Article], entities: Sequence[Entity]) -> bytes:
    """Findings as bytes that name articles by position and entities by key."""
    buffer = io.BytesIO()
    by_article = {id(a): i for i, a in enumerate(articles)}
    by_entity = {id(e): mentions.entity_key(e) for e in entities}
    _Pickler(buffer, by_article, by_entity).dump(found)
    return buffer.getvalue()


def loads(data: bytes, articles: Sequence[Article], entities: dict[str, Entity]):
    """The inverse of `dumps`, against this process's articles and entities (by key)."""
    return _Unpickler(io.BytesIO(data), articles, entities).load()


def _analyse_chunk(span: tuple[int, int]) -> bytes:
    """Worker: analyse articles [start, stop) of the job."""
    analyser, articles = _JOB
    start, stop = span
    found = [analyser.analyse(articles[i]) for i in range(start, stop)]
    return dumps(found, articles, analyser.entities)


def in_workers(analyser: Analyser, articles: Sequence[Article], jobs: int) -> list[TextAnalysis]:
    """Analyse articles on `jobs` forked processes, in order."""
    global _JOB
    import multiprocessing

    chunk = max(16, min(256, len(articles) // (jobs * 8) or 1))
    spans = [(i, min(i + chunk, len(articles))) for i in range(0, len(articles), chunk)]
    _JOB = (analyser, articles)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_analyse_chunk, spans, chunksize=1)
    finally:
        _JOB = None
    found: list[TextAnalysis] = []
    for part in parts:
        found += loads(part, articles, analyser.by_key)
    return found


def default_jobs() -> int:
    """Processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
