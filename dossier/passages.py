"""Passages that appear in more than one article (pure: no I/O, no rendering logic beyond HTML snippets).

Every paragraph is split into sentences; two sentences of different articles match when
their normalised words are equal or nearly equal (difflib ratio, for a changed letter or
word). Consecutive matching sentences of one paragraph that match consecutive sentences of
the same paragraph elsewhere are merged into one passage. Each occurrence gets an id in its
article, and each links to the others.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from .blocks import Block, Decoration, blocks
from .model import Article, PassageOccurrence, SharedPassage
from .quotes import normalise
from .sentences import split_sentences

MIN_WORDS = 6  # shorter sentences ("Gut.", "Hände wurden geschüttelt.") are too common to count
NEAR_RATIO = 0.9  # difflib ratio of normalised sentences that counts as nearly the same
PARTIAL_WORDS = 8  # a run of this many words in common makes two sentences a partial match…
PARTIAL_SHARE = 0.7  # …when it covers this share of the shorter sentence's words
MATCH_ORDER = ("exact", "near", "partial")


@dataclass(frozen=True)
class _Sentence:
    """One sentence of one paragraph of one article."""

    article: int  # index of the article in dossier order
    block: int
    start: int
    end: int
    text: str
    words: str  # normalised


def _sentences(article_index: int, article: Article) -> list[_Sentence]:
    """The sentences of an article's paragraphs long enough to compare."""
    found = []
    for block in blocks(article.body):
        if block.kind != "paragraph":
            continue
        for start, end in split_sentences(block.text):
            text = block.text[start:end]
            words = normalise(text)
            if len(words.split()) >= MIN_WORDS:
                found.append(_Sentence(article_index, block.index, start, end, text, words))
    return found


def _match(a: _Sentence, b: _Sentence) -> str | None:
    """'exact', 'near' or 'partial' when two sentences match, else None."""
    if a.words == b.words:
        return "exact"
    matcher = difflib.SequenceMatcher(None, a.words, b.words, autojunk=False)
    if (
        matcher.real_quick_ratio() >= NEAR_RATIO
        and matcher.quick_ratio() >= NEAR_RATIO
        and matcher.ratio() >= NEAR_RATIO
    ):
        return "near"
    wa, wb = a.words.split(), b.words.split()
    block = difflib.SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    if block.size >= PARTIAL_WORDS and block.size >= PARTIAL_SHARE * min(len(wa), len(wb)):
        return "partial"
    return None


def _pairs(first: list[_Sentence], second: list[_Sentence]) -> list[tuple[int, int, str]]:
    """(i, j, match) for every sentence of `first` matching one of `second` (each used once, best match wins)."""
    used, pairs = set(), []
    for i, a in enumerate(first):
        candidates = [
            (MATCH_ORDER.index(m), j, m) for j, b in enumerate(second) if j not in used and (m := _match(a, b))
        ]
        if candidates:
            _, j, match = min(candidates)
            pairs.append((i, j, match))
            used.add(j)
    return pairs


def _runs(pairs: list[tuple[int, int, str]], first: list[_Sentence], second: list[_Sentence]) -> list[list]:
    """Pairs merged into runs of consecutive sentences of the same paragraph on both sides."""
    runs: list[list[tuple[int, int, str]]] = []
    for i, j, match in pairs:
        if runs:
            pi, pj, _ = runs[-1][-1]
            if (
                i == pi + 1
                and j == pj + 1
                and first[i].block == first[pi].block
                and second[j].block == second[pj].block
            ):
                runs[-1].append((i, j, match))
                continue
        runs.append([(i, j, match)])
    return runs


def find_passages(articles: list[Article]) -> list[SharedPassage]:
    """Every passage shared by two or more articles, each occurrence numbered within its article."""
    sentences = [_sentences(i, a) for i, a in enumerate(articles)]
    raw: list[tuple[tuple[int, int, int, int, str], ...]] = []  # per passage: (article, block, start, end, text)
    matches: list[str] = []
    for a in range(len(articles)):
        for b in range(a + 1, len(articles)):
            first, second = sentences[a], sentences[b]
            for run in _runs(_pairs(first, second), first, second):
                raw.append((_span(a, [first[i] for i, _, _ in run]), _span(b, [second[j] for _, j, _ in run])))
                matches.append(_weakest(m for _, _, m in run))
    return _number(articles, _merge(raw, matches))


def _weakest(matches) -> str:
    """The weakest of several matches ('partial' < 'near' < 'exact')."""
    return max(matches, key=MATCH_ORDER.index)


def _span(article: int, run: list[_Sentence]) -> tuple[int, int, int, int, str]:
    """(article, block, start, end, text) covering a run of sentences of one paragraph."""
    return (article, run[0].block, run[0].start, run[-1].end, " ".join(s.text for s in run))


def _merge(raw: list, matches: list[str]) -> list[tuple[list, str]]:
    """Join pairwise passages that share an occurrence into one passage across three or more articles."""
    merged: list[tuple[list, str]] = []
    for occurrences, match in zip(raw, matches, strict=True):
        for i, (known, known_match) in enumerate(merged):
            if any(o in known for o in occurrences):
                merged[i] = (sorted(set(known) | set(occurrences)), _weakest([known_match, match]))
                break
        else:
            merged.append((sorted(occurrences), match))
    return merged


def _number(articles: list[Article], merged: list[tuple[list, str]]) -> list[SharedPassage]:
    """Typed passages, each occurrence numbered in reading order within its article."""
    per_article: dict[int, list[tuple[int, int]]] = {}
    for occurrences, _ in merged:
        for article, block, start, _end, _text in occurrences:
            per_article.setdefault(article, []).append((block, start))
    numbers = {
        (article, *position): n
        for article, positions in per_article.items()
        for n, position in enumerate(sorted(set(positions)), 1)
    }
    passages = []
    for occurrences, match in merged:
        typed = tuple(
            PassageOccurrence(articles[a].slug, numbers[(a, block, start)], block, start, end, text)
            for a, block, start, end, text in occurrences
        )
        passages.append(SharedPassage(typed, match))
    passages.sort(key=lambda p: [(o.article, o.number) for o in p.occurrences])
    return passages


def occurrences_in(passages: list[SharedPassage], slug: str) -> list[tuple[PassageOccurrence, SharedPassage]]:
    """(occurrence, passage) for every shared passage of one article, in reading order."""
    found = [(o, p) for p in passages for o in p.occurrences if o.article == slug]
    return sorted(found, key=lambda item: item[0].number)


Link = Callable[[str, str], str]  # (output path, fragment) -> URL relative to the page being rendered


def decorator(own: list[tuple[PassageOccurrence, SharedPassage]]) -> Callable[[Block], list[Decoration]]:
    """Decorations marking each shared passage of one article, with an id on its first character."""

    def decorate(block: Block) -> list[Decoration]:
        """The decorations of one block."""
        result = []
        for occurrence, _ in own:
            if occurrence.block == block.index:
                result.append(
                    Decoration(occurrence.start, occurrence.end, '<span class="shared">', "</span>", priority=4)
                )
                result.append(
                    Decoration(occurrence.start, occurrence.start + 1, f'<span id="{occurrence.anchor}">', "</span>")
                )
        return result

    return decorate


def after_block(
    own: list[tuple[PassageOccurrence, SharedPassage]], titles: dict[str, tuple[str, str]], link: Link
) -> Callable[[Block], str]:
    """A note after each paragraph with shared passages, linking every other occurrence.

    `titles` maps an article slug to (title, output path).
    """

    def note(block: Block) -> str:
        """The note's HTML, '' when the block shares nothing."""
        lines = []
        for occurrence, passage in own:
            if occurrence.block != block.index:
                continue
            others = [o for o in passage.occurrences if o.article != occurrence.article]
            links = ", ".join(
                f'<a href="{escape(link(titles[o.article][1], o.anchor))}">{escape(titles[o.article][0])}</a>'
                for o in others
            )
            lines.append(
                f'<p><a class="shared-here" href="#{occurrence.anchor}">Markierte Passage</a> '
                f"steht {passage.how} auch in: {links}</p>"
            )
        if not lines:
            return ""
        return '<aside class="shared-note" aria-label="Geteilte Passagen">' + "".join(lines) + "</aside>"

    return note
