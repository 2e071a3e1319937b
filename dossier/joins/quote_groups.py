"""Statements grouped for the reader: the same quotation across sources, by speaker (pure).

Two wordings are one quotation when their normalised words are equal, nearly equal
(difflib ratio >= `GROUP_SIMILARITY`) or when the shorter (at least `CONTAINED_MIN_WORDS`
words) stands inside the longer, as when one source quotes a fragment of a sentence
another quotes in full.

Only statements of one speaker are ever compared, so each speaker's groups depend on that speaker's
statements alone (`speaker_key`, `by_speaker_statements`): the incremental layer regroups only the
speakers whose statements changed and puts the groups in reading order (`in_reading_order`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..content.model import Article, Entity, Quote
from ..text.mentions import entity_key
from ..text.words import normalise
from .similarity import Similarity


@dataclass
class QuoteGroup:
    """One statement as every source reports it: the same or nearly the same words, one speaker."""

    speaker: Entity | None
    quotes: list[Quote]  # every occurrence, in dossier order

    @property
    def text(self) -> str:
        """The fullest wording."""
        return max(enumerate(self.quotes), key=lambda found: (len(found[1].text), -found[0]))[1].text

    @property
    def anchor(self) -> str:
        """Fragment id of the group on the quote index page."""
        return self.quotes[0].index_anchor

    @property
    def articles(self) -> list[Article]:
        """The articles it appears in, without repeats."""
        return list({id(q.article): q.article for q in self.quotes}.values())

    def variants(self) -> list[Quote]:
        """Occurrences whose wording differs from the fullest one."""
        main = normalise(self.text)
        return [q for q in self.quotes if normalise(q.text) != main]


GROUP_SIMILARITY = 0.8  # difflib ratio above which two wordings are one quotation
CONTAINED_MIN_WORDS = 4  # a shorter wording inside a longer one, of at least this many words, is the same quotation


def same_words(na: str, nb: str, similar: Similarity) -> bool:
    """Whether two normalised wordings report the same quotation: equal, nearly equal or one inside the other."""
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    if len(short.split()) >= CONTAINED_MIN_WORDS and f" {short} " in f" {long_} ":
        return True
    if 2 * len(short) < GROUP_SIMILARITY * (len(short) + len(long_)):
        return False  # too different in length for the ratio to reach the threshold
    return similar.at_least(na, nb, GROUP_SIMILARITY)


def _bigrams(words: str) -> set[tuple[str, str]]:
    """The word pairs of a normalised wording (every statement has at least one)."""
    w = words.split()
    return set(itertools.pairwise(w))


COMMON_BIGRAM = 50  # a word pair in more groups of one speaker than this is no evidence of sameness


def _candidates(words: str, slug: str | None, pairs: dict) -> list[int]:
    """Groups of the speaker sharing enough word pairs with a wording to be worth comparing, oldest first.

    A wording inside another shares all its pairs, a nearly equal one most; half will do.
    """
    own = _bigrams(words)
    shared: dict[int, int] = {}
    for pair in own:
        ids = pairs.get((slug, pair), ())
        if len(ids) <= COMMON_BIGRAM:
            for group in ids:
                shared[group] = shared.get(group, 0) + 1
    needed = max(1, len(own) // 2)
    return sorted(group for group, count in shared.items() if count >= needed)


def group_statements(
    found: Sequence[Quote], known: Mapping[bytes, bool] | None = None
) -> tuple[list[QuoteGroup], dict[bytes, bool]]:
    """Statements grouped by speaker and wording; the similarity answers used (`known`: earlier builds')."""
    similar = Similarity(known)
    return _group_statements(found, similar), similar.asked


def speaker_key(quote: Quote) -> str | None:
    """The entity key of a quotation's speaker ('person:mark-rutte'), None when it is not known."""
    return entity_key(quote.speaker) if quote.speaker else None


def by_speaker_statements(found: Sequence[Quote]) -> dict[str | None, list[Quote]]:
    """The statements (not scare quotes) of each speaker, in dossier order: what that speaker's groups read."""
    statements: dict[str | None, list[Quote]] = {}
    for quote in found:
        if quote.is_statement:
            statements.setdefault(speaker_key(quote), []).append(quote)
    return statements


def in_reading_order(groups: list[QuoteGroup], found: Sequence[Quote]) -> list[QuoteGroup]:
    """Groups sorted as the reader meets them: speakers by name (unknown last), then by first appearance."""
    order = {id(q): i for i, q in enumerate(found)}
    return sorted(
        groups,
        key=lambda g: (g.speaker is None, g.speaker.name.casefold() if g.speaker else "", order[id(g.quotes[0])]),
    )


def _group_statements(found: Sequence[Quote], similar: Similarity) -> list[QuoteGroup]:
    """Statements grouped by speaker and wording; speakers by name (unknown last), then first appearance.

    A statement joins the earliest group of its speaker holding the same or a similar wording;
    candidate groups come from an index of word pairs, so the cost stays near-linear.
    """
    groups: list[QuoteGroup] = []
    wordings: list[dict[str, None]] = []  # per group: its distinct normalised wordings, in order
    exact: dict[tuple[str | None, str], int] = {}
    pairs: dict[tuple[str | None, tuple[str, str]], list[int]] = {}
    for quote in (q for q in found if q.is_statement):
        slug = speaker_key(quote)
        words = normalise(quote.text)
        number = exact.get((slug, words))
        if number is None:
            number = next(
                (g for g in _candidates(words, slug, pairs) if any(same_words(words, w, similar) for w in wordings[g])),
                None,
            )
        if number is None:
            number = len(groups)
            groups.append(QuoteGroup(quote.speaker, []))
            wordings.append({})
        groups[number].quotes.append(quote)
        if words not in wordings[number]:
            wordings[number][words] = None
            exact.setdefault((slug, words), number)
            for pair in _bigrams(words):
                ids = pairs.setdefault((slug, pair), [])
                if number not in ids:
                    ids.append(number)
    return in_reading_order(groups, found)


def by_speaker(groups: list[QuoteGroup]) -> list[tuple[Entity | None, list[QuoteGroup]]]:
    """Groups gathered under their speaker, in the groups' order."""
    result: list[tuple[Entity | None, list[QuoteGroup]]] = []
    for group in groups:
        if result and (result[-1][0] is group.speaker):
            result[-1][1].append(group)
        else:
            result.append((group.speaker, [group]))
    return result


def key_quotes(groups: list[QuoteGroup], limit: int = 4) -> list[QuoteGroup]:
    """A few statements for the start page: most sources first, then longest; one per speaker."""
    best: dict[str, tuple] = {}  # speaker slug -> (rank, group) of its best statement
    # most sources first: a group can have no more sources than quotations, so once `limit` speakers have a
    # statement with more sources than the next group has quotations, no later group can be chosen
    size = None  # quotations of the groups looked at now (they come in falling sizes)
    for group in sorted((g for g in groups if g.speaker is not None), key=lambda g: -len(g.quotes)):
        if len(group.quotes) != size:
            size = len(group.quotes)
            most = sorted((-rank[0] for rank, _ in best.values()), reverse=True)  # each chosen speaker's sources
            if len(most) >= limit and size < most[limit - 1]:
                break
        rank = (-len(group.articles), -len(group.text), group.anchor)
        slug = group.speaker.slug
        if slug not in best or rank < best[slug][0]:
            best[slug] = (rank, group)
    return [group for _, group in sorted(best.values(), key=lambda found: found[0])][:limit]


def term_count(found: list[Quote]) -> int:
    """How many quotations are scare quotes or quoted terms, not statements."""
    return sum(1 for q in found if not q.is_statement)


def by_speaker_key(groups: Sequence[QuoteGroup]) -> dict[str, list[QuoteGroup]]:
    """Speaker's entity key ('person:mark-rutte') -> that speaker's groups, in the groups' order."""
    found: dict[str, list[QuoteGroup]] = {}
    for group in groups:
        if group.speaker is not None:
            found.setdefault(entity_key(group.speaker), []).append(group)
    return found
