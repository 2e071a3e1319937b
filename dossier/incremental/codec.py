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
    """An analysis' mentions and quotations as rows of plain values (entities by key), and its errors."""
    mentions = tuple((entity_keys[id(m.entity)], *_MENTION_VALUES(m)) for m in text.mentions)
    quotes = []
    for quote in text.quotes:
        row = list(_QUOTE_VALUES(quote))
        if quote.speaker is not None:
            row[_SPEAKER] = entity_keys[id(quote.speaker)]
        quotes.append(tuple(row))
    return mentions, tuple(quotes), text.errors


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
    with the sentences read (and no blocks: `memo.ArticleMemo.blocks` reads those where they are wanted).

    The objects are made from their rows' values directly (no constructor, no pickled object state): reading
    back every analysis of a large dossier is most of what an edit's build spends on its unchanged articles."""
    mention_rows, quote_rows, errors = pickle.loads(data)
    new, fields, speaker = object.__new__, MENTION_FIELDS, _SPEAKER
    mentions = []
    for row in mention_rows:
        mention = new(EntityMention)
        values = mention.__dict__  # (filled in the order the fields are declared: its keys stay the class's shared
        values["entity"], values["article"] = entities[row[0]], article  # ones, as when it is made by __init__)
        values.update(zip(fields, row[1:], strict=True))
        mentions.append(mention)
    quotes = []
    for row in quote_rows:
        quote = new(Quote)
        values = quote.__dict__
        values["article"] = article
        values.update(zip(QUOTE_FIELDS, row, strict=True))
        if row[speaker] is not None:
            values["speaker"] = entities[row[speaker]]
        quotes.append(quote)
    return TextAnalysis(blocks=None, mentions=mentions, quotes=quotes, sentences=sentences, errors=errors)
