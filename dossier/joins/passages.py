"""Passages that appear in more than one article: a join across every article's comparable sentences (pure).

Every paragraph is split into sentences; two sentences of different articles match when
their normalised words are equal or nearly equal (difflib ratio, for a changed letter or
word). Consecutive matching sentences of one paragraph that match consecutive sentences of
the same paragraph elsewhere are merged into one passage. Each occurrence gets an id in its
article, and each links to the others.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from ..content.model import PassageOccurrence, SharedPassage
from ..text.comparable import ComparableSentence as _Sentence
from .similarity import Similarity

NEAR_RATIO = 0.9  # difflib ratio of normalised sentences that counts as nearly the same
PARTIAL_WORDS = 8  # a run of this many words in common makes two sentences a partial match…
PARTIAL_SHARE = 0.7  # …when it covers this share of the shorter sentence's words
MATCH_ORDER = ("exact", "near", "partial")
COMMON_SHINGLE = 50  # a word trigram in more sentences than this is a stock phrase, no evidence of copying


def match_sentences(a: _Sentence, b: _Sentence, shared: int, similar: Similarity) -> str | None:
    """'exact', 'near' or 'partial' when two sentences sharing `shared` word trigrams match, else None.

    The same answer either way round: difflib's ratio is not symmetric, so the texts are taken
    in one order (a pair's answer must not depend on which article comes first in the dossier)."""
    if a.words == b.words:
        return "exact"
    la, lb = len(a.words), len(b.words)
    if 2 * min(la, lb) >= NEAR_RATIO * (la + lb) and similar.at_least(*sorted((a.words, b.words)), NEAR_RATIO):
        return "near"
    if shared < PARTIAL_WORDS - 2:  # a run of n common words is n - 2 common trigrams
        return None
    wa, wb = a.words.split(), b.words.split()
    if _common_run(wa, wb, max(PARTIAL_WORDS, math.ceil(PARTIAL_SHARE * min(len(wa), len(wb))))):
        return "partial"
    return None


def _common_run(a: list[str], b: list[str], size: int) -> bool:
    """Whether two word lists share a run of `size` consecutive words (difflib's longest match is that long)."""
    runs = set(map(" ".join, zip(*(a[k:] for k in range(size)), strict=False)))
    return not runs.isdisjoint(map(" ".join, zip(*(b[k:] for k in range(size)), strict=False)))


def word_trigrams(words: str):
    """The word trigrams of a sentence's normalised words, each its words joined by spaces (joined words
    rather than word tuples keep the cyclic garbage collector out)."""
    w = words.split()
    return map(" ".join, zip(w, w[1:], w[2:], strict=False))


def trigram_table(sentences: Sequence[_Sentence]) -> tuple[list[list[int]], list[str]]:
    """Per sentence: the ids of its distinct word trigrams; and each id's trigram (`word_trigrams`)."""
    number = defaultdict(itertools.count().__next__)  # trigram -> its id, on first sight
    ids = [list(set(map(number.__getitem__, word_trigrams(sentence.words)))) for sentence in sentences]
    return ids, list(number)


def need_of(size: int) -> int:
    """Uncommon trigrams two sentences must share to be compared, for the smaller of their trigram counts.

    A near match shares about a third of the shorter sentence's trigrams, a partial one at
    least `PARTIAL_WORDS - 2`."""
    return min(PARTIAL_WORDS - 2, max(1, size // 3))


def _trigrams(ids: list[list[int]], counts: Counter | None = None) -> tuple[list[list[int]], list[int]]:
    """Per sentence: its uncommon word trigrams, rarest first, and its number of distinct trigrams.

    A trigram is uncommon when it is in 2 to `COMMON_SHINGLE` sentences: one in a single
    sentence cannot be shared, one in more is a stock phrase. Trigrams are numbered by how
    many sentences have them (ties in a fixed order), so each sentence's list is sorted
    rarest first. `counts` are the sentences per trigram, counted here when not given.
    """
    counts = Counter(itertools.chain.from_iterable(ids)) if counts is None else counts
    rank = [0] * len(counts)  # trigram id -> 1 + its place rarest first, 0 when not uncommon
    uncommon = [t for t, n in counts.items() if 2 <= n <= COMMON_SHINGLE]
    uncommon.sort(key=counts.__getitem__)
    for place, trigram in enumerate(uncommon, 1):
        rank[trigram] = place
    return [sorted(filter(None, map(rank.__getitem__, own))) for own in ids], [len(own) for own in ids]


def _candidates(ids: list[list[int]], article: list[int], counts: Counter | None = None) -> dict[tuple[int, int], int]:
    """(i, j) -> number of shared uncommon word trigrams, i < j, for sentences of different articles worth comparing.

    A near match shares about a third of the shorter sentence's trigrams, a partial one at
    least `PARTIAL_WORDS - 2`; trigrams found in more than `COMMON_SHINGLE` sentences are
    stock phrases ("in der Ukraine") and count for nothing. So a pair is worth comparing when
    it shares `min(need[i], need[j])` uncommon trigrams, `need` from each sentence's own size.

    Prefix filter: with the uncommon trigrams of every sentence in one order (rarest first),
    two sentences sharing at least t of them share one among the first `len - t + 1` of each.
    Sentences are visited from the highest need to the lowest; each looks up the first
    trigrams of those visited before it (whose need is at least its own), then joins the
    index. Only pairs found so are counted in full. `ids` are each sentence's trigrams
    (`trigram_table`), `article` numbers each sentence's article.
    """
    trigrams, size = _trigrams(ids, counts)
    enough = PARTIAL_WORDS - 2
    need = list(map(need_of, size))
    by_need: list[list[int]] = [[] for _ in range(enough + 1)]
    # [t]: sentence, trigram, sentence, trigram… that join the index from need t down: one of each
    # sentence's last need - 1 (flat arrays: a tuple per entry would cost ~70 bytes, millions of them)
    extend = [array("q") for _ in range(enough + 1)]
    for i, own in enumerate(trigrams):
        by_need[need[i]].append(i)
        n = len(own)
        for place in range(max(0, n - need[i] + 1), n):
            extend[n - place].extend((i, own[place]))
    index: dict[int, list[int]] = {}
    found: dict[tuple[int, int], int] = {}
    for t in range(enough, 0, -1):
        pairs = iter(extend[t])
        for j, trigram in zip(pairs, pairs, strict=True):
            index.setdefault(trigram, []).append(j)
        extend[t] = array("q")
        for i in by_need[t]:
            own = trigrams[i]
            prefix = own[: len(own) - t + 1]
            if not prefix:
                continue
            hits = set(itertools.chain.from_iterable([index[g] for g in prefix if g in index]))
            if hits:
                other = list(itertools.compress(hits, map(article[i].__ne__, map(article.__getitem__, hits))))
                shared = map(len, map(set(own).intersection, map(trigrams.__getitem__, other)))
                for j, count in zip(other, shared, strict=True):
                    if count >= t:
                        found[(i, j) if i < j else (j, i)] = count
            for trigram in prefix:
                index.setdefault(trigram, []).append(i)
    return found


def pair_hits(
    per_article: Sequence[Sequence[_Sentence]],
    similar: Similarity,
    ids: list[list[int]] | None = None,
    counts: Counter | None = None,
) -> dict[tuple[int, int], dict[tuple[int, int], str]]:
    """(article a, article b), a < b -> {(position in a, position in b): match} for every matching sentence pair.

    `ids` are the sentences' trigrams (`trigram_table`) and `counts` the sentences per trigram,
    worked out here when not given."""
    sentences = [s for own in per_article for s in own]
    article = [a for a, own in enumerate(per_article) for _ in own]
    position = [p for own in per_article for p in range(len(own))]
    by_words: dict[str, list[int]] = {}
    for i, sentence in enumerate(sentences):
        by_words.setdefault(sentence.words, []).append(i)
    found: dict[tuple[int, int], dict[tuple[int, int], str]] = {}
    candidates = _candidates(trigram_table(sentences)[0] if ids is None else ids, article, counts)
    for same in by_words.values():  # same words: the k-th copy in one article against the k-th in another, which
        for i, j in copy_pairs([article[i] for i in same], same):  # is what `_one_to_one` keeps of all pairs
            candidates[(i, j)] = -1  # (a sentence repeated thousands of times in one body makes no millions of pairs)
    for (i, j), shared in sorted(candidates.items()):
        if article[i] == article[j]:
            continue
        match = "exact" if shared < 0 else match_sentences(sentences[i], sentences[j], shared, similar)
        if match:
            a, b = (i, j) if article[i] < article[j] else (j, i)
            found.setdefault((article[a], article[b]), {})[(position[a], position[b])] = match
    return dict(sorted(found.items()))


def copy_pairs(articles: Sequence, items: Sequence) -> list[tuple]:
    """Items of one words in several articles: the k-th of each article with the k-th of every other (in order)."""
    copies: dict = {}
    for article, item in zip(articles, items, strict=True):
        copies.setdefault(article, []).append(item)
    lists = [copies[a] for a in sorted(copies)]
    return [
        pair for x, mine in enumerate(lists) for theirs in lists[x + 1 :] for pair in zip(mine, theirs, strict=False)
    ]


def _one_to_one(hits: dict[tuple[int, int], str]) -> list[tuple[int, int, str]]:
    """Each sentence matched at most once, the best match first, then the earliest."""
    used_a, used_b, result = set(), set(), []
    for (pa, pb), match in sorted(hits.items(), key=lambda h: (MATCH_ORDER.index(h[1]), h[0])):
        if pa not in used_a and pb not in used_b:
            used_a.add(pa)
            used_b.add(pb)
            result.append((pa, pb, match))
    return sorted(result)


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


def join_passages(
    slugs: Sequence[str], per_article: Sequence[Sequence[_Sentence]], known: Mapping[bytes, bool] | None = None
) -> tuple[list[SharedPassage], dict[bytes, bool]]:
    """Every passage shared by two or more articles, each occurrence numbered within its article.

    `per_article` holds each article's comparable sentences, in dossier order, beside its
    slug; `known` the similarity answers of earlier builds. Returns the passages and the
    similarity answers this join used (to keep for the next build)."""
    similar = Similarity(known)
    return assemble(slugs, per_article, pair_hits(per_article, similar)), similar.asked


def assemble(
    slugs: Sequence[str],
    per_article: Sequence[Sequence[_Sentence]],
    hits: Mapping[tuple[int, int], Mapping[tuple[int, int], str]],
) -> list[SharedPassage]:
    """The shared passages made of the sentence matches of every pair of articles (`pair_hits`)."""
    return assembled(slugs, [(a, b, pair_passages(per_article[a], per_article[b], hits[(a, b)])) for a, b in hits])


Span = tuple[int, int, int, str]  # (block, start, end, text) of a run of sentences of one paragraph


def pair_passages(
    first: Sequence[_Sentence] | Mapping[int, object],
    second: Sequence[_Sentence] | Mapping[int, object],
    hits: Mapping[tuple[int, int], str],
) -> list[tuple[Span, Span, str]]:
    """The passages two articles share, from the matches of their sentences: for each, its span in the first,
    its span in the second and its weakest match (a fact of the two articles alone; `assembled` merges the
    passages of three or more articles). `first[i]` is the i-th sentence of the first article, or what of it
    is read here (its block, start, end and text), so a mapping of the matched sentences alone will do."""
    return [
        (_span([first[i] for i, _, _ in run]), _span([second[j] for _, j, _ in run]), _weakest(m for _, _, m in run))
        for run in _runs(_one_to_one(hits), first, second)
    ]


def assembled(
    slugs: Sequence[str], shared: Iterable[tuple[int, int, list[tuple[Span, Span, str]]]]
) -> list[SharedPassage]:
    """The shared passages of the dossier: the `pair_passages` of each pair of articles (a, b) with a < b, their
    places in dossier order, merged where they share an occurrence and numbered within each article."""
    raw: list[tuple[tuple[int, int, int, int, str], ...]] = []  # per passage: (article, block, start, end, text)
    matches: list[str] = []
    for a, b, found in sorted(shared, key=lambda pair: pair[:2]):
        for here, there, match in found:
            raw.append(((a, *here), (b, *there)))
            matches.append(match)
    return _number(slugs, _merge(raw, matches))


def _weakest(matches) -> str:
    """The weakest of several matches ('partial' < 'near' < 'exact')."""
    return max(matches, key=MATCH_ORDER.index)


def _span(run: list[_Sentence]) -> Span:
    """(block, start, end, text) covering a run of sentences of one paragraph."""
    return (run[0].block, run[0].start, run[-1].end, " ".join(s.text for s in run))


def _merge(raw: list, matches: list[str]) -> list[tuple[list, str]]:
    """Join pairwise passages that share an occurrence into one passage across three or more articles."""
    parent: dict[tuple, tuple] = {}

    def root(item: tuple) -> tuple:
        """The representative occurrence of item's passage (path-halving union-find)."""
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for first, second in raw:
        parent[root(second)] = root(first)
    members: dict[tuple, set] = {}
    weakest: dict[tuple, str] = {}
    for (first, second), match in zip(raw, matches, strict=True):
        key = root(first)
        members.setdefault(key, set()).update((first, second))
        weakest[key] = _weakest([weakest.get(key, "exact"), match])
    return [(sorted(members[key]), weakest[key]) for key in sorted(members)]


def _number(slugs: list[str], merged: list[tuple[list, str]]) -> list[SharedPassage]:
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
            PassageOccurrence(slugs[a], numbers[(a, block, start)], block, start, end, text)
            for a, block, start, end, text in occurrences
        )
        passages.append(SharedPassage(typed, match))
    passages.sort(key=lambda p: [(o.article, o.number) for o in p.occurrences])
    return passages


def occurrences_by_article(passages: list[SharedPassage]) -> dict[str, list[tuple[PassageOccurrence, SharedPassage]]]:
    """occurrences_in() for every article at once: slug -> (occurrence, passage) in reading order."""
    found: dict[str, list[tuple[PassageOccurrence, SharedPassage]]] = {}
    for passage in passages:
        for occurrence in passage.occurrences:
            found.setdefault(occurrence.article, []).append((occurrence, passage))
    for items in found.values():
        items.sort(key=lambda item: item[0].number)
    return found
