"""One article's analysis as bytes, for the article store and for worker processes.

An analysis points at its article and at entities; as bytes it leaves the article out and names
entities by key, and is tied to the current objects when read back, so a
stored analysis never carries a stale copy of an entity (a changed role shows at once).
Its mentions and quotations are stored as rows of plain values, not as pickled objects.
The comparable sentences travel apart (the passage join reads them first), and so do the blocks: only
the articles with annotations need theirs again, so an analysis is read back without them.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping, Sequence
from operator import attrgetter

from ..content.model import Article, Entity, EntityMention, Quote
from ..text.analysis import TextAnalysis
from ..text.mentions import entity_key
from .fingerprint import own_digests

# The fields of a mention and of a quotation as a stored row holds them: every field but the article (the
# article the row is read back for) in declaration order, an entity as its key (`entity_key`, None for no speaker).
MENTION_FIELDS = tuple(f.name for f in dataclasses.fields(EntityMention) if f.name not in ("entity", "article"))
QUOTE_FIELDS = tuple(f.name for f in dataclasses.fields(Quote) if f.name != "article")
_SPEAKER = QUOTE_FIELDS.index("speaker")
_MENTION_VALUES, _QUOTE_VALUES = attrgetter(*MENTION_FIELDS), attrgetter(*QUOTE_FIELDS)


def entity_ids(entities: Sequence[Entity]) -> dict[int, str]:
    """id(entity) -> key, for `dumps`."""
    return {id(e): entity_key(e) for e in entities}


def _rows(text: TextAnalysis, entity_keys: Mapping[int, str]) -> tuple:
    """The keys of the entities an analysis' mentions name, its mentions as rows of plain values (entities by
    key) pickled on their own (read only when asked for: `StoredAnalysis`), its quotations as rows and its
    errors."""
    mentions = tuple((entity_keys[id(m.entity)], *_MENTION_VALUES(m)) for m in text.mentions)
    named = tuple(dict.fromkeys(row[0] for row in mentions))
    mentions = pickle.dumps(mentions, protocol=pickle.HIGHEST_PROTOCOL)
    quotes = []
    for quote in text.quotes:
        row = list(_QUOTE_VALUES(quote))
        if quote.speaker is not None:
            row[_SPEAKER] = entity_keys[id(quote.speaker)]
        quotes.append(tuple(row))
    return named, mentions, tuple(quotes), text.errors


def dumps(text: TextAnalysis, entity_keys: Mapping[int, str]) -> tuple[bytes, bytes, bytes, bytes]:
    """One article's findings as bytes: its mentions, quotations and errors (as `_rows`); the sentences; a digest
    of each mention's and quotation's own fields (`items`); and the blocks (as `memo.FACTS` lists them)."""
    rows = pickle.dumps(_rows(text, entity_keys), protocol=pickle.HIGHEST_PROTOCOL)
    sentences = pickle.dumps(text.sentences, protocol=pickle.HIGHEST_PROTOCOL)
    return rows, sentences, items(text), pickle.dumps(text.blocks, protocol=pickle.HIGHEST_PROTOCOL)


def items(text: TextAnalysis) -> bytes:
    """The digests of an analysis' mentions' and quotations' own fields (`fingerprint.own_digests`), kept with it."""
    return own_digests(text.mentions, text.quotes)


def loads(data: bytes, article: Article, entities: Mapping[str, Entity], sentences: list) -> TextAnalysis:
    """The inverse of `dumps`, tied to this build's article and entities (by key: KeyError for one that is gone),
    with the sentences read (and no blocks: `memo.ArticleMemo.blocks` reads those where they are wanted); the
    mentions are made when first asked for (`StoredAnalysis`).

    The objects are made from their rows' values directly (no constructor, no pickled object state): reading
    back every analysis of a large dossier is most of what an edit's build spends on its unchanged articles."""
    named, mention_rows, quote_rows, errors = pickle.loads(data)
    for key in named:
        entities[key]  # (KeyError now, not when a page asks for the mentions)
    new, speaker = object.__new__, _SPEAKER
    quotes = []
    for row in quote_rows:
        quote = new(Quote)
        values = quote.__dict__  # (filled in the order the fields are declared: its keys stay the class's shared
        values["article"] = article  # ones, as when it is made by __init__)
        values.update(zip(QUOTE_FIELDS, row, strict=True))
        if row[speaker] is not None:
            values["speaker"] = entities[row[speaker]]
        quotes.append(quote)
    return StoredAnalysis(article, mention_rows, entities, quotes, sentences, errors)


def _mentions(rows: bytes, article: Article, entities: Mapping[str, Entity]) -> list[EntityMention]:
    """The mentions of an article's stored rows (`_rows`), tied to its article and these entities."""
    new, fields = object.__new__, MENTION_FIELDS
    mentions = []
    for row in pickle.loads(rows):
        mention = new(EntityMention)
        values = mention.__dict__  # (in declaration order, as in `loads`)
        values["entity"], values["article"] = entities[row[0]], article
        values.update(zip(fields, row[1:], strict=True))
        mentions.append(mention)
    return mentions


class StoredAnalysis(TextAnalysis):
    """An analysis read back from the store: its quotations at hand, its mentions made from their rows when first
    asked for. An edit's build reads back every article's analysis (the quotation groups and the warnings are
    worked out across all of them), but shows the mentions of the few articles and entities its pages plan."""

    def __init__(self, article: Article, rows: bytes, entities: Mapping[str, Entity], quotes, sentences, errors):
        self.blocks, self.quotes, self.sentences, self.errors = None, quotes, sentences, errors
        self._made: list[EntityMention] | None = None
        self._from = (rows, article, entities)

    @property
    def mentions(self) -> list[EntityMention]:
        if self._made is None:
            self._made = _mentions(*self._from)
            self._from = None
        return self._made

    @mentions.setter
    def mentions(self, value: list[EntityMention]) -> None:
        self._made, self._from = value, None

    def __eq__(self, other) -> bool:
        if not isinstance(other, TextAnalysis):
            return NotImplemented
        mine = (self.blocks, self.mentions, self.quotes, self.sentences, self.errors)
        return mine == (other.blocks, other.mentions, other.quotes, other.sentences, other.errors)

    __hash__ = None

    @property
    def made(self) -> bool:
        """Whether the mentions were made (asked for) already."""
        return self._made is not None


def made_mentions(text: TextAnalysis) -> list[EntityMention]:
    """An analysis' mentions if they are made (a stored analysis' are made only when asked for), else none."""
    return text.mentions if not isinstance(text, StoredAnalysis) or text.made else []
