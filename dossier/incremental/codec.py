"""One article's analysis as bytes, for the article store and for worker processes.

An analysis points at its article and at entities; as bytes it names them (the article
as "this one", entities by key) and is tied to the current objects when read back, so a
stored analysis never carries a stale copy of an entity (a changed role shows at once).
The comparable sentences travel apart (the passage join reads them first), and so do the blocks: only
the articles with annotations need theirs again, so an analysis is read back without them.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Mapping, Sequence

from ..content.model import Article, Entity
from ..text.analysis import TextAnalysis
from ..text.mentions import entity_key
from .fingerprint import own_digests


class _Pickler(pickle.Pickler):
    """Pickles one article's findings without copying the article and entities they point to."""

    def __init__(self, file, article: Article, entity_keys: Mapping[int, str]):
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

    def __init__(self, file, article: Article, entities: Mapping[str, Entity]):
        super().__init__(file)
        self.article, self.entities = article, entities

    def persistent_load(self, pid):
        """The article or entity a persistent id names (KeyError for an unknown entity)."""
        return self.article if pid == "article" else self.entities[pid]


def entity_ids(entities: Sequence[Entity]) -> dict[int, str]:
    """id(entity) -> key, for `dumps`."""
    return {id(e): entity_key(e) for e in entities}


def dumps(text: TextAnalysis, article: Article, entity_keys: Mapping[int, str]) -> tuple[bytes, bytes, bytes, bytes]:
    """One article's findings as bytes: everything but the sentences and blocks; the sentences; a digest of
    each mention's and quotation's own fields (`items`); and the blocks (as `memo.FACTS` lists them)."""
    buffer = io.BytesIO()
    _Pickler(buffer, article, entity_keys).dump(dataclasses.replace(text, sentences=[], blocks=None))
    sentences = pickle.dumps(text.sentences, protocol=pickle.HIGHEST_PROTOCOL)
    return buffer.getvalue(), sentences, items(text), pickle.dumps(text.blocks, protocol=pickle.HIGHEST_PROTOCOL)


def items(text: TextAnalysis) -> bytes:
    """The digests of an analysis' mentions' and quotations' own fields (`fingerprint.own_digests`), kept with it."""
    return own_digests(text.mentions, text.quotes)


def loads(data: bytes, article: Article, entities: Mapping[str, Entity], sentences: list) -> TextAnalysis:
    """The inverse of `dumps`, tied to this build's article and entities (by key), with the sentences read
    (and no blocks: `memo.ArticleMemo.blocks` reads those where they are wanted)."""
    text = _Unpickler(io.BytesIO(data), article, entities).load()
    return dataclasses.replace(text, sentences=sentences)
