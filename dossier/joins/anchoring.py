"""Editorial annotations anchored: each note's quoted passage located in its article (pure).

An annotation names its passage the way a W3C Web Annotation ``TextQuoteSelector`` does:
the ``exact`` text, optionally a little ``prefix``/``suffix`` to tell repeats apart. The
passage is looked up in the plain text of the article's blocks (`text.blocks`), tolerant
of whitespace, soft hyphens and quote-character variants. The site shows the passage as a
`<mark>` and the note beside it (`site.annotation_notes`).
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from cydifflib import SequenceMatcher

from ..content.model import QUOTES, Anchor, Annotation, Article
from ..errors import ContentError
from ..text.blocks import Block

INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width characters


def fold(text: str) -> tuple[str, list[int]]:
    """Text compared loosely (one space per whitespace run, no soft hyphens, one quote
    character), with the original offset of every folded character."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in INVISIBLE:
            continue
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        elif ch in QUOTES:
            ch = '"'
        out.append(ch)
        where.append(i)
    return "".join(out), where


def folded(text: str) -> str:
    """Only the folded text, trimmed."""
    return fold(text)[0].strip()


def _squash(text: str) -> str:
    """Folded text without any spaces, for comparing prefixes and suffixes."""
    return folded(text).replace(" ", "")


class ArticleText:
    """The blocks of one article prepared for searching: folded once, however many annotations are looked up
    in it (one search of the whole text per passage, not a fold of every block per passage)."""

    def __init__(self, body_blocks: Sequence[Block]):
        self.blocks = list(body_blocks)
        self.texts = [b.text for b in self.blocks]
        self._hay: str | None = None
        self._starts: list[int] = []
        self._folds: dict[int, tuple[str, list[int]]] = {}

    def hay(self) -> tuple[str, list[int]]:
        """Every block folded, joined by NUL (which no passage matches), and where each block starts in it."""
        if self._hay is None:
            parts, at = [], 0
            for text in self.texts:
                part = fold(text)[0]
                self._starts.append(at)
                parts.append(part)
                at += len(part) + 1
            self._hay = "\0".join(parts)
        return self._hay, self._starts

    def fold_of(self, n: int) -> tuple[str, list[int]]:
        """`fold` of block `n` (kept: a passage found many times in one block folds it once)."""
        if n not in self._folds:
            self._folds[n] = fold(self.texts[n])
        return self._folds[n]

    def before(self, n: int, start: int, chars: int | None = None) -> str:
        """The article text before offset `start` of block `n` (blocks joined by a space), its last `chars` only."""
        parts, total, i = [self.texts[n][:start]], start, n - 1
        while i >= 0 and (chars is None or total < chars):
            parts.append(self.texts[i])
            total += len(self.texts[i]) + 1
            i -= 1
        text = " ".join(reversed(parts))
        return text if chars is None or len(text) <= chars else text[-chars:]

    def after(self, n: int, end: int, chars: int | None = None) -> str:
        """The article text after offset `end` of block `n`, its first `chars` only."""
        parts, total, i = [self.texts[n][end:]], len(self.texts[n]) - end, n + 1
        while i < len(self.texts) and (chars is None or total < chars):
            parts.append(self.texts[i])
            total += len(self.texts[i]) + 1
            i += 1
        text = " ".join(parts)
        return text if chars is None else text[:chars]


def prepared(body_blocks: Sequence[Block] | ArticleText) -> ArticleText:
    """The blocks as an ArticleText (as they are when they already are one)."""
    return body_blocks if isinstance(body_blocks, ArticleText) else ArticleText(body_blocks)


class ArticleTexts(dict):
    """Slug -> ArticleText of the article's blocks in `blocks_of`, prepared when first asked for."""

    def __init__(self, blocks_of: Mapping[str, Sequence[Block]]):
        super().__init__()
        self.blocks_of = blocks_of

    def __missing__(self, slug: str) -> ArticleText:
        self[slug] = text = prepared(self.blocks_of[slug])
        return text


@dataclass(frozen=True)
class Match:
    """One occurrence of a passage: block, range in the block's text, the article's text around it."""

    block: Block
    start: int
    end: int
    text: ArticleText = field(repr=False, compare=False)
    n: int = 0  # the block's position in the article

    @property
    def before(self) -> str:
        """All article text before the match."""
        return self.text.before(self.n, self.start)

    @property
    def after(self) -> str:
        """All article text after the match."""
        return self.text.after(self.n, self.end)

    def before_tail(self, chars: int) -> str:
        return self.text.before(self.n, self.start, chars)

    def after_head(self, chars: int) -> str:
        return self.text.after(self.n, self.end, chars)


def find_all(exact: str, body_blocks: Sequence[Block] | ArticleText) -> list[Match]:
    """Every occurrence of `exact` in the blocks, compared loosely; never across blocks."""
    needle = folded(exact)
    if not needle:
        return []
    text = prepared(body_blocks)
    hay, starts = text.hay()
    found = []
    at = hay.find(needle)
    while at != -1:
        n = bisect.bisect_right(starts, at) - 1
        local = at - starts[n]
        block_hay, where = text.fold_of(n)
        if local + len(needle) <= len(block_hay):  # a needle holding NUL could reach into the next block
            start, end = where[local], where[local + len(needle) - 1] + 1
            found.append(Match(text.blocks[n], start, end, text, n))
        at = hay.find(needle, at + 1)
    return found


def fits(match: Match, prefix: str, suffix: str) -> bool:
    """Whether the text around a match agrees with the given prefix and suffix."""
    want_before, want_after = _squash(prefix), _squash(suffix)
    before = _squashed(match.before_tail, len(want_before))
    return before.endswith(want_before) and _squashed(match.after_head, len(want_after)).startswith(want_after)


def _squashed(take, size: int) -> str:
    """The squashed text `take(chars)` gives (the end of the text before a match, `Match.before_tail`, or the start
    of the text after it, `Match.after_head`), at least `size` characters of it when there are: squashing only
    drops characters, so squashing a tail (a head) of the text gives a tail (a head) of the squashed text."""
    chars = 4 * size + 64
    while True:
        raw = take(chars)
        found = _squash(raw)
        if len(found) >= size or len(raw) < chars:
            return found
        chars *= 4


def _words(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word of a folded text."""
    spans, start = [], 0
    for word in text.split(" "):
        spans.append((start, start + len(word)))
        start += len(word) + 1
    return [(a, b) for a, b in spans if b > a]


def closest(exact: str, body_blocks: list[Block]) -> tuple[str, Block] | None:
    """The passage of the article most like `exact` (same number of words, give or take one),
    as the article writes it."""
    needle = folded(exact)
    size = max(1, len(needle.split(" ")))
    best: tuple[float, str, Block] | None = None
    matcher = SequenceMatcher(autojunk=False)  # (cydifflib: difflib's algorithm and answers, in C++)
    matcher.set_seq2(needle.casefold())
    for block in body_blocks:
        hay, where = fold(block.text)
        words = _words(hay)
        for width in sorted({max(1, size - 1), size, size + 1}):
            for i in range(max(1, len(words) - width + 1)):
                span = words[i : i + width]
                if not span:
                    continue
                start, end = span[0][0], span[-1][1]
                matcher.set_seq1(hay[start:end].casefold())
                if best and (matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]):
                    continue
                ratio = matcher.ratio()
                if not best or ratio > best[0]:
                    best = (ratio, block.text[where[start] : where[end - 1] + 1], block)
    return (" ".join(best[1].replace("\u00ad", "").split()), best[2]) if best else None


CONTEXT_WORDS = 12  # the most words of prefix or suffix a scaffold or hint suggests
EXCERPT_CHARS = 400  # the text around a match a message's excerpt is taken from (four words of it)
LISTED = 10  # the most occurrences a message lists


def suggest_context(match: Match, others: list[Match]) -> tuple[str, str]:
    """A short prefix and suffix of whole words that single out `match` among `others` ('' when not needed).

    Words are taken as the article writes them (never a word cut in half; soft hyphens dropped), one more
    on each side until only `match` fits."""
    if len(others) <= 1:
        return "", ""
    reach = 64 * CONTEXT_WORDS
    before_text, after_text = match.before_tail(reach + 1), match.after_head(reach + 1)
    before = _plain(before_text[-reach:]).split()[(1 if len(before_text) > reach else 0) :]  # no cut word
    after = _plain(after_text[:reach]).split()
    after = after[:-1] if len(after_text) > reach else after
    for size in range(1, CONTEXT_WORDS + 1):
        prefix, suffix = " ".join(before[-size:]), " ".join(after[:size])
        if sum(fits(m, prefix, suffix) for m in others) == 1:
            return prefix, suffix
    return "", ""


def _plain(text: str) -> str:
    """Text without soft hyphens and zero-width characters."""
    return text.translate({ord(ch): None for ch in INVISIBLE})


def _where(article: Article, block: Block) -> str:
    """'content/articles/x.md:12' for a block of an article."""
    return f"{article.source.path}:{article.source.body_line + block.line - 1}"


def excerpt(match: Match) -> str:
    """The match with a few words around it, for a message."""
    before = " ".join(match.before_tail(EXCERPT_CHARS).split(" ")[-4:])
    after = " ".join(match.after_head(EXCERPT_CHARS).split(" ")[:4])
    return f"…{before}[{match.block.text[match.start : match.end]}]{after}…"


def anchor(
    annotation: Annotation, article: Article, body_blocks: Sequence[Block] | ArticleText
) -> tuple[Annotation, list[ContentError]]:
    """The annotation with its passage located in the article's blocks, or the reason it cannot be."""
    path, line = annotation.source.path, annotation.source.line_of("exact")
    matches = find_all(annotation.exact, body_blocks)
    if not matches:
        near = closest(annotation.exact, prepared(body_blocks).blocks)
        hint = f'; closest passage: "{near[0]}" ({_where(article, near[1])})' if near else ""
        return annotation, [ContentError(path, line, f"passage not found in article '{article.slug}'{hint}")]
    fitting = [m for m in matches if fits(m, annotation.prefix, annotation.suffix)]
    if len(fitting) == 1:
        m = fitting[0]
        where = Anchor(m.block.index, m.start, m.end, article.source.body_line + m.block.line - 1)
        return replace(annotation, anchor=where), []
    listing = "; ".join(f"{_where(article, m.block)} {excerpt(m)}" for m in matches[:LISTED])
    listing += f"; and {len(matches) - LISTED} more" if len(matches) > LISTED else ""
    if not fitting:
        message = (
            f"passage found {len(matches)} time(s) in article '{article.slug}', but never with this prefix/suffix: "
            f"{listing}"
        )
    else:
        prefix, suffix = suggest_context(fitting[0], fitting)
        hint = f" (e.g. prefix: {prefix!r}, suffix: {suffix!r})" if prefix or suffix else ""
        message = (
            f"passage is ambiguous: it occurs {len(fitting)} times in article '{article.slug}'; "
            f"add 'prefix:' or 'suffix:' to say which{hint}: {listing}"
        )
    return annotation, [ContentError(path, line, message)]


def anchor_all(
    annotations: Sequence[Annotation],
    articles: Sequence[Article],
    blocks_of: Mapping[str, Sequence[Block]],
    *,
    hidden: frozenset[str] | set[str] = frozenset(),
    locate: Callable[[Annotation, Article], tuple[Annotation, list[ContentError]]] | None = None,
) -> tuple[list[Annotation], list[ContentError]]:
    """Every annotation anchored in its article and numbered in text order; errors for the rest.

    `blocks_of` maps each article's slug to its text blocks (as the analysis found them).
    Annotations of `hidden` articles (drafts left out, or files with errors of their own) are skipped.
    `locate` anchors one annotation in its article (`anchor` in its blocks, unless a caller knows better)."""
    texts = blocks_of if isinstance(blocks_of, ArticleTexts) else ArticleTexts(blocks_of)
    locate = locate or (lambda annotation, article: anchor(annotation, article, texts[article.slug]))
    by_slug = {a.slug: a for a in articles}
    anchored, errors = [], []
    for annotation in annotations:
        article = by_slug.get(annotation.article)
        if article is None and annotation.article in hidden:
            continue
        if article is None:
            near = difflib.get_close_matches(annotation.article, list(by_slug), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            line = annotation.source.line_of("article")
            errors.append(ContentError(annotation.source.path, line, f"unknown article '{annotation.article}'{hint}"))
            continue
        result, problems = locate(annotation, article)
        errors += problems
        if not problems:
            anchored.append(result)
    anchored.sort(key=lambda a: (a.article, a.anchor.block, a.anchor.start, a.slug))
    numbered, counts = [], {}
    for a in anchored:
        counts[a.article] = counts.get(a.article, 0) + 1
        numbered.append(replace(a, number=counts[a.article]))
    return numbered, errors
