"""Editorial annotations anchored: each note's quoted passage located in its article (pure).

An annotation names its passage the way a W3C Web Annotation ``TextQuoteSelector`` does:
the ``exact`` text, optionally a little ``prefix``/``suffix`` to tell repeats apart. The
passage is looked up in the plain text of the article's blocks (`text.blocks`), tolerant
of whitespace, soft hyphens and quote-character variants. The site shows the passage as a
`<mark>` and the note beside it (`site.annotation_notes`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class Match:
    """One occurrence of a passage: block, range in the block's text, text around it."""

    block: Block
    start: int
    end: int
    before: str  # all article text before the match
    after: str  # all article text after the match


def find_all(exact: str, body_blocks: list[Block]) -> list[Match]:
    """Every occurrence of `exact` in the blocks, compared loosely; never across blocks."""
    needle = folded(exact)
    if not needle:
        return []
    texts = [b.text for b in body_blocks]
    found = []
    longest = max(re.findall(r"\w+", needle), key=len, default="")
    for n, block in enumerate(body_blocks):
        if longest not in block.text and not any(ch in block.text for ch in INVISIBLE):
            continue  # folding never changes word characters, so the needle's longest word must be there
        hay, where = fold(block.text)
        at = hay.find(needle)
        while at != -1:
            start, end = where[at], where[at + len(needle) - 1] + 1
            before = " ".join([*texts[:n], block.text[:start]])
            after = " ".join([block.text[end:], *texts[n + 1 :]])
            found.append(Match(block, start, end, before, after))
            at = hay.find(needle, at + 1)
    return found


def fits(match: Match, prefix: str, suffix: str) -> bool:
    """Whether the text around a match agrees with the given prefix and suffix."""
    want_before, want_after = _squash(prefix), _squash(suffix)
    return _near_end(match.before, len(want_before)).endswith(want_before) and _near_start(
        match.after, len(want_after)
    ).startswith(want_after)


def _near_end(text: str, size: int) -> str:
    """The end of `_squash(text)`, at least `size` characters of it when there are (squashing only drops
    characters, so squashing a tail of the text gives a tail of the squashed text)."""
    tail = _squash(text[-(4 * size + 64) :])
    return tail if len(tail) >= size else _squash(text)


def _near_start(text: str, size: int) -> str:
    """The start of `_squash(text)`, at least `size` characters of it when there are."""
    head = _squash(text[: 4 * size + 64])
    return head if len(head) >= size else _squash(text)


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
    matcher = difflib.SequenceMatcher(autojunk=False)
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


def suggest_context(match: Match, others: list[Match]) -> tuple[str, str]:
    """A short prefix and suffix of whole words that single out `match` among `others` ('' when not needed).

    Words are taken as the article writes them (never a word cut in half; soft hyphens dropped), one more
    on each side until only `match` fits."""
    if len(others) <= 1:
        return "", ""
    reach = 64 * CONTEXT_WORDS
    before = _plain(match.before[-reach:]).split()[(1 if len(match.before) > reach else 0) :]  # no cut word
    after = _plain(match.after[:reach]).split()
    after = after[:-1] if len(match.after) > reach else after
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
    before = " ".join(match.before.split(" ")[-4:])
    after = " ".join(match.after.split(" ")[:4])
    return f"…{before}[{match.block.text[match.start : match.end]}]{after}…"


def anchor(
    annotation: Annotation, article: Article, body_blocks: Sequence[Block]
) -> tuple[Annotation, list[ContentError]]:
    """The annotation with its passage located in the article's blocks, or the reason it cannot be."""
    path, line = annotation.source.path, annotation.source.line_of("exact")
    matches = find_all(annotation.exact, body_blocks)
    if not matches:
        near = closest(annotation.exact, body_blocks)
        hint = f'; closest passage: "{near[0]}" ({_where(article, near[1])})' if near else ""
        return annotation, [ContentError(path, line, f"passage not found in article '{article.slug}'{hint}")]
    fitting = [m for m in matches if fits(m, annotation.prefix, annotation.suffix)]
    if len(fitting) == 1:
        m = fitting[0]
        where = Anchor(m.block.index, m.start, m.end, article.source.body_line + m.block.line - 1)
        return replace(annotation, anchor=where), []
    listing = "; ".join(f"{_where(article, m.block)} {excerpt(m)}" for m in matches)
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
    locate = locate or (lambda annotation, article: anchor(annotation, article, blocks_of[article.slug]))
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
