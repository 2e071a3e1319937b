"""Joins across articles, remembered: worked out again only when what they read changed (early cut-off).

The shared passages read every article's comparable sentences, which follow from the
article files alone; the quotation groups read every quotation's words, speaker and kind.
Each result is kept in `.dossier-cache/joins.pickle` under a digest of what it read, with
the similarity answers it used, and a build whose digest matches takes it as it is: a new
role, an annotation, a timeline event or a body edit outside the quotations leaves the
quotation groups alone, and only an article edit makes the passages be joined again.
The quotation groups are kept speaker by speaker (only one speaker's statements are ever
compared): an article added or edited regroups the statements of the speakers it quotes, and
every other speaker keeps its groups. The anchors of the annotations are kept annotation by
annotation, under the digests of its file and of its article's file.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..content.model import Annotation, Article, Quote
from ..errors import ContentError
from ..joins.anchoring import ArticleTexts, anchor, anchor_all
from ..joins.network import Tally, tally
from ..joins.quote_groups import QuoteGroup, by_speaker_statements, group_statements, in_reading_order
from ..text.analysis import TextAnalysis
from . import cache

FILE = "joins.pickle"
BY_SPEAKER = b"quotation groups by speaker"  # how the remembered quotation groups are kept
BY_NOTE = b"anchors by annotation"  # how the remembered anchors are kept
BY_ARTICLE = b"tallies by article"  # how the remembered network tallies are kept
ASSEMBLED = "assembled"  # the passages, under the digest of the pairs' passages they were assembled from


def passages_key(articles: Sequence[Article], digests: Mapping[str, str]) -> bytes:
    """What the passage join reads: the articles in dossier order, each by its file's SHA-256."""
    digest = hashlib.blake2b(b"passages", digest_size=20)
    for article in articles:
        digest.update(f"{article.slug}\0{digests.get(article.source.path, '?')}\n".encode())
    return digest.digest()


def quotes_key(speaker: str | None, statements: Sequence[Quote]) -> bytes:
    """What the grouping of one speaker's statements reads: the speaker's key and each statement's article,
    number and words, in dossier order (NUL, which no content file holds, between them)."""
    digest = hashlib.blake2b(b"quotes", digest_size=20)
    digest.update(f"{speaker or ''}\0".encode())
    said = "\0".join([f"{q.article.slug}\0{q.number}\0{q.text}" for q in statements])
    digest.update(said.encode("utf-8", "surrogatepass"))
    return digest.digest()


class RememberedJoins:
    """The joins of the last build, each under the digest of what it read; what this build used."""

    def __init__(self, root: Path, key: str, held: Mapping | None = None, statements: Mapping | None = None):
        """The joins a long-running process `held` from its last build (`now` of that build), else the file's;
        `statements`: what that build keyed the statements by (its `statements`)."""
        self.root, self.key = root, key
        self.earlier: Mapping = held if held is not None else cache.load_memo(root, FILE, key)
        self.now: dict = {}
        self.held_statements: Mapping = statements or {}
        self.statements: dict = {}  # speaker key -> (its statements, their `quotes_key`, their groups), held by the
        # preview

    def statements_key(self, speaker: str | None, said: Sequence[Quote]) -> tuple[bytes, list[QuoteGroup] | None]:
        """`quotes_key` of one speaker's statements, and the groups made of them, as the last build of this process
        worked them out when they are the very same quotation objects (the preview holds the analyses, and nothing
        is changed once made); else their key worked out, and None."""
        held = self.held_statements.get(speaker)
        if held is not None and len(held[0]) == len(said) and all(map(operator.is_, held[0], said)):
            return held[1], held[2]
        return quotes_key(speaker, said), None

    def hold(self, speaker: str | None, said: Sequence[Quote], digest: bytes, groups: list[QuoteGroup]) -> None:
        """What this build keyed and grouped one speaker's statements by, for the next build of this process."""
        self.statements[speaker] = (said, digest, groups)

    def take(self, name: str, digest: bytes):
        """The remembered result for this digest, or None; kept for the next build when taken."""
        found = self.earlier.get(name)
        if found is None or found[0] != digest:
            return None
        self.now[name] = found
        return found[1]

    def last(self, name: str):
        """(digest, result) of the last build, or None, for a join that compares the digest itself."""
        return self.earlier.get(name)

    def carry(self, name: str) -> None:
        """Keep the last build's result for the next one as it is (what it was worked out from is unchanged)."""
        if name in self.earlier:
            self.now[name] = self.earlier[name]

    def keep(self, name: str, digest: bytes, value) -> None:
        """Remember a result worked out in this build."""
        self.now[name] = (digest, value)

    def save(self) -> None:
        """Keep what this build used for the next one."""
        cache.save_memo(self.root, FILE, self.key, self.now)


def remembered_passages(remembered: RememberedJoins | None, articles: Sequence[Article], digests: Mapping[str, str]):
    """(the last build's passages and their answers when every article's file is as it was then, else None; the
    digest of what they read, `passages_key`); when taken, what the store's pairs assembled to is kept too."""
    digest = passages_key(articles, digests)
    taken = remembered.take("passages", digest) if remembered is not None else None
    if taken is not None:
        remembered.carry(ASSEMBLED)
    return taken, digest


def updated_passages(index, slugs, said, files, answers, remembered: RememberedJoins | None):
    """`PassageIndex.update` (`index`) of the articles changed since the last build, handed the passages that build
    assembled, which it takes as they are when every pair's passages and every article's place are as they were
    (early cut-off: an edit that changes no shared passage numbers none again); (passages, answers) or None."""
    found = index.update(slugs, said, files, answers, remembered.last(ASSEMBLED) if remembered is not None else None)
    if found is None:
        return None
    if remembered is not None:
        remembered.keep(ASSEMBLED, found[2], found[0])
    return found[0], found[1]


def grouped(
    quotes: Sequence[Quote], answers: Mapping[bytes, bool] | None, remembered: RememberedJoins | None
) -> tuple[list[QuoteGroup], dict[bytes, bool]]:
    """`group_statements`, speaker by speaker: a speaker whose statements read as in the last build (`quotes_key`)
    keeps the groups it had, the others are grouped afresh; the groups in reading order and the answers used."""
    if remembered is None:
        return group_statements(quotes, answers)
    earlier = remembered.take("quotes", BY_SPEAKER) or {}
    now: dict = {}  # speaker key -> (digest of its statements, members of each group by place, answers used)
    groups: list[QuoteGroup] = []
    used: dict[bytes, bool] = {}
    for speaker, said in by_speaker_statements(quotes).items():
        digest, held = remembered.statements_key(speaker, said)
        found = earlier.get(speaker)
        if found is not None and found[0] == digest:
            places, asked = found[1], found[2]
            mine = held if held is not None else [QuoteGroup(said[m[0]].speaker, [said[i] for i in m]) for m in places]
        else:
            mine, asked = group_statements(said, answers)
            place = {id(q): i for i, q in enumerate(said)}
            places = [[place[id(q)] for q in group.quotes] for group in mine]
        now[speaker] = (digest, places, asked)
        remembered.hold(speaker, said, digest, mine)
        groups += mine
        used.update(asked)
    remembered.keep("quotes", BY_SPEAKER, now)
    return in_reading_order(groups, quotes), used


def anchored(
    notes: Sequence[Annotation],
    articles: Sequence[Article],
    blocks_of: Mapping[str, Sequence],
    digests: Mapping[str, str],
    remembered: RememberedJoins | None,
    *,
    hidden: frozenset[str] | set[str] = frozenset(),
) -> tuple[list[Annotation], list[ContentError]]:
    """`anchor_all`, each annotation searched for in its article's text only when its file or its article's file
    changed since the last build (an anchor follows from those two files alone, under one version of the code);
    the others take the anchor they had."""
    if remembered is None:
        return anchor_all(notes, articles, blocks_of, hidden=hidden)
    earlier = remembered.take("anchors", BY_NOTE) or {}
    texts = ArticleTexts(blocks_of)  # each article's text prepared once for all its annotations
    now: dict = {}  # (annotation, digest of its file, digest of its article's) -> its anchor

    def locate(note: Annotation, article: Article) -> tuple[Annotation, list[ContentError]]:
        key = (note.slug, digests.get(note.source.path, "?"), digests.get(article.source.path, "?"))
        if "?" in key:  # a file whose bytes the build does not know: searched for, and not remembered
            return anchor(note, article, texts[article.slug])
        where = earlier.get(key)
        found = (replace(note, anchor=where), []) if where is not None else anchor(note, article, texts[article.slug])
        if not found[1]:
            now[key] = found[0].anchor
        return found

    result = anchor_all(notes, articles, texts, hidden=hidden, locate=locate)
    remembered.keep("anchors", BY_NOTE, now)
    return result


def tallied(
    articles: Sequence[Article],
    texts: Sequence[TextAnalysis],
    digests: Mapping[str, str],
    names: str,
    remembered: RememberedJoins | None,
) -> list[Tally]:
    """`network.tally` of each article's mentions, in dossier order: an article whose file has the bytes it had
    in the last build, under the same entity names and aliases (`names`, the analyser's digest), keeps the tally
    it had; the others are counted afresh."""
    if remembered is None:
        return [tally(text.mentions) for text in texts]
    earlier = remembered.take("tallies", BY_ARTICLE) or {}
    now: dict[str, tuple[str, str, Tally]] = {}  # article path -> (digest of its file, names, its tally)
    found = []
    for article, text in zip(articles, texts, strict=True):
        path = article.source.path
        digest = digests.get(path, "?")
        kept = earlier.get(path)
        part = kept[2] if kept is not None and kept[:2] == (digest, names) and digest != "?" else tally(text.mentions)
        if digest != "?":
            now[path] = (digest, names, part)
        found.append(part)
    remembered.keep("tallies", BY_ARTICLE, now)
    return found
