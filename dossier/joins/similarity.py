"""Whether two texts reach a difflib similarity ratio, with a cheap upper bound first (pure).

difflib's `SequenceMatcher.ratio()` is 2 M / (len a + len b), M the characters of its matching
blocks. The blocks run in order through both texts, so M is at most the longest common
subsequence: rapidfuzz's Indel similarity, computed in C, bounds the ratio from above and
rules out most pairs; the answer is always `ratio()`'s, computed by cydifflib (difflib's algorithm
in C++, by rapidfuzz's author: the same ratios, about nine times faster). A join asks through a `Similarity`, which hands back the answers
it used, so a build can keep them for the next: the joins ask the same questions build after build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from cydifflib import SequenceMatcher
from rapidfuzz.distance import LCSseq


class Similarity:
    """`ratio_at_least`, answering from what earlier builds found and remembering what it is asked.

    One is made per join, from the answers the caller kept (`known`); after the join the
    caller takes `asked` back, the answers this join used, to keep for the next build. It
    travels with the join's result, also out of a worker process."""

    def __init__(self, known: Mapping[bytes, bool] | None = None):
        self.known = known or {}
        self.asked: dict[bytes, bool] = {}

    def at_least(self, a: str, b: str, threshold: float) -> bool:
        """Whether `difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold`."""
        key = hashlib.blake2b(f"{threshold}\0{a}\0{b}".encode("utf-8", "surrogatepass"), digest_size=16).digest()
        answer = self.asked.get(key)
        if answer is None:
            answer = self.known.get(key)
            if answer is None:
                answer = ratio_at_least(a, b, threshold)
            self.asked[key] = answer
        return answer


def ratio_at_least(a: str, b: str, threshold: float) -> bool:
    """Whether `difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold`.

    2 LCS / (len a + len b), with the LCS from rapidfuzz (bit-parallel, in C), bounds difflib's
    ratio from above: most pairs stop there, and difflib's algorithm (cydifflib's) decides the rest."""
    total = len(a) + len(b)
    if not total:
        return threshold <= 1.0  # difflib: two empty texts are the same
    if 2.0 * LCSseq.similarity(a, b) / total < threshold:  # difflib's own formula, so equal ratios compare alike
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


def common_subsequence(a: str, b: str) -> int:
    """Length of the longest common subsequence of two texts."""
    return LCSseq.similarity(a, b)
