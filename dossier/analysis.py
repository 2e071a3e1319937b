"""What one article's text holds on its own: blocks, mentions, quotations, comparable sentences.

Everything here depends only on the article's file and on the entities' names and aliases
(the matcher), never on another article. So it is worked out once per article, kept in
the build cache between builds (`memo.ArticleMemo`), and computed for many articles at
once on every core. The joins across articles (shared passages, quotation groups,
backlinks) come after, in `pipeline.analyse_text`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import mentions, passages, quotes, workers
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
    mention_keys: dict[str, str] = field(default_factory=dict)  # see `mention_keys`
    stored: tuple[bytes, bytes] | None = field(default=None, compare=False, repr=False)  # `dumps`, in a worker


def matcher_digest(entities: Sequence[Entity]) -> str:
    """What the analyses know of the entities: kind, slug, name and aliases (a role or note change keeps it)."""
    digest = hashlib.sha256()
    for entity in entities:
        digest.update(repr((entity.kind, entity.slug, entity.name, entity.aliases)).encode())
    return digest.hexdigest()


def mention_keys(found: Sequence[EntityMention]) -> dict[str, str]:
    """Entity key -> digest of that entity's mentions in one article (what an entity page shows of them)."""
    by_entity: dict[str, list] = {}
    for m in found:
        row = (m.block, m.anchor, m.start, m.end, m.surface, m.sentence, m.sentence_start, m.sentence_index)
        by_entity.setdefault(mentions.entity_key(m.entity), []).append((*row, m.linked, m.explicit))
    return {
        key: hashlib.blake2b(repr(rows).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        for key, rows in by_entity.items()
    }


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
        named = mentions.article_mentions(article, body_blocks, self.matcher, self.by_key)
        return TextAnalysis(
            blocks=body_blocks,
            mentions=named,
            quotes=found,
            sentences=passages._sentences(0, article),
            errors=errors,
            mention_keys=mention_keys(named),
        )

    def analyse_all(self, articles: Sequence[Article], *, jobs: int = 1) -> list[TextAnalysis]:
        """`analyse` for many articles, on `jobs` processes when there are enough of them."""
        if jobs <= 1 or len(articles) < PARALLEL_MIN:
            found = [self.analyse(a) for a in articles]
        else:
            found = in_workers(self, articles, jobs)
        return found


# --- bytes, for the cache and for worker processes -----------------------------------------
# An analysis points at its article and at entities; as bytes it names them (the article
# as "this one", entities by key) and is tied to the current objects when read back.


class _Pickler(pickle.Pickler):
    """Pickles one article's findings without copying the article and entities they point to."""

    def __init__(self, file, article: Article, entity_keys: dict[int, str]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.article, self.entity_keys = article, entity_keys

    def persistent_id(self, obj):
        """'article' for the article, an entity's key for an entity, None for anything else."""
        if obj is self.article:
            return "article"
        if isinstance(obj, Entity):
            return self.entity_keys[id(obj)]
        return None


class _Unpickler(pickle.Unpickler):
    """Ties pickled findings to an article and the entities of this build."""

    def __init__(self, file, article: Article, entities: dict[str, Entity]):
        super().__init__(file)
        self.article, self.entities = article, entities

    def persistent_load(self, pid):
        """The article or entity a persistent id names (KeyError for an unknown entity)."""
        return self.article if pid == "article" else self.entities[pid]


def entity_ids(entities: Sequence[Entity]) -> dict[int, str]:
    """id(entity) -> key, for `dumps`."""
    return {id(e): mentions.entity_key(e) for e in entities}


def dumps(text: TextAnalysis, article: Article, entity_keys: dict[int, str]) -> tuple[bytes, bytes]:
    """One article's findings as bytes: everything but the sentences, and the sentences (read first, for the join)."""
    buffer = io.BytesIO()
    _Pickler(buffer, article, entity_keys).dump(dataclasses.replace(text, sentences=[], stored=None))
    return buffer.getvalue(), pickle.dumps(text.sentences, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes, article: Article, entities: dict[str, Entity], sentences: list) -> TextAnalysis:
    """The inverse of `dumps`, tied to this build's article and entities (by key), with the sentences read."""
    text = _Unpickler(io.BytesIO(data), article, entities).load()
    text.sentences = sentences
    return text


# --- several processes --------------------------------------------------------------------
# Workers are forked, so they already hold the articles and entities.


def _analyse_chunk(span: tuple[int, int]) -> list[tuple[bytes, bytes]]:
    """Worker: analyse articles [start, stop) of the job."""
    analyser, articles = workers.job()
    keys = entity_ids(analyser.entities)
    return [dumps(analyser.analyse(articles[i]), articles[i], keys) for i in range(*span)]


def in_workers(analyser: Analyser, articles: Sequence[Article], jobs: int) -> list[TextAnalysis]:
    """Analyse articles on `jobs` forked processes, in order."""
    chunk = max(16, min(256, len(articles) // (jobs * 8) or 1))
    spans = [(i, min(i + chunk, len(articles))) for i in range(0, len(articles), chunk)]
    with workers.forked(jobs, (analyser, articles)) as pool:
        parts = pool.map(_analyse_chunk, spans, chunksize=1)
    found = []
    for blobs, article in zip((blobs for part in parts for blobs in part), articles, strict=True):
        text = loads(blobs[0], article, analyser.by_key, pickle.loads(blobs[1]))
        text.stored = blobs
        found.append(text)
    return found
