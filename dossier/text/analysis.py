"""What one article's text holds on its own: blocks, mentions, quotations, comparable sentences.

Everything here depends only on the article's file and on the entities' names and aliases
(`matcher_digest`), never on another article, and knows nothing of caches or processes:
the incremental layer decides whether an analysis is worked out, taken from the store, or
run on another core. The joins across articles (`joins/`) come after.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.model import Article, Entity, EntityMention, Quote
from ..errors import ContentError
from . import markup, mentions, quotes
from .blocks import Block, blocks
from .comparable import ComparableSentence, comparable_sentences


@dataclass
class TextAnalysis:
    """The findings in one article body."""

    blocks: list[Block] | None  # None when not at hand: a remembered analysis is read back without them
    mentions: list[EntityMention]
    quotes: list[Quote]  # overridden by the article's `speakers:` list
    sentences: list[ComparableSentence] | None  # the ones long enough to compare (None: not read back with it)
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
        """Every per-article finding of one body (one Markdown parse and one sentence split, shared by all)."""
        try:
            body_blocks = blocks(article.body)
        except markup.NestedTooDeep as deep:
            error = ContentError(article.source.path, article.source.body_line + deep.line, deep.message)
            return TextAnalysis(blocks=[], mentions=[], quotes=[], sentences=[], errors=[error])
        found = quotes.article_quotes(article, body_blocks, self.matcher.find)
        errors = quotes.apply_overrides(article, found, self.by_slug)
        named = mentions.article_mentions(article, body_blocks, self.matcher, self.by_key)
        return TextAnalysis(
            blocks=body_blocks,
            mentions=named,
            quotes=found,
            sentences=comparable_sentences(body_blocks),
            errors=errors,
        )
