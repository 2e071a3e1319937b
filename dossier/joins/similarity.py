"""Whether two texts reach a difflib similarity ratio, with cheap upper bounds first (pure).

difflib's `SequenceMatcher.ratio()` is 2 M / (len a + len b), M the characters of its matching
blocks. The blocks run in order through both texts, so M is at most the longest common
subsequence, which is at most the characters in common in any order (difflib's
`quick_ratio`). Both bounds cost a fraction of `ratio()` and rule out most pairs; the
answer is always `ratio()`'s. A join asks through a `Similarity`, which hands back the answers
it used, so a build can keep them for the next: the joins ask the same questions build after build.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter
from collections.abc import Mapping


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
    """Whether `difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold`."""
    total = len(a) + len(b)
    if not total:
        return threshold <= 1.0  # difflib: two empty texts are the same
    if 2.0 * sum((Counter(a) & Counter(b)).values()) / total < threshold:
        return False
    if 2.0 * common_subsequence(a, b) / total < threshold:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


def common_subsequence(a: str, b: str) -> int:
    """Length of the longest common subsequence of two texts (bit-parallel, Hyyrö 2004)."""
    if len(a) > len(b):
        a, b = b, a  # one big-integer step per character of the shorter
    masks: dict[str, int] = {}  # character -> bit j set where b[j] is it
    bit = 1
    for char in b:
        masks[char] = masks.get(char, 0) | bit
        bit <<= 1
    row = bit - 1  # zero bits count the subsequence so far
    get = masks.get
    for char in a:
        match = row & get(char, 0)
        row = (row + match) | (row - match)
    return len(b) - (row & (bit - 1)).bit_count()
