"""Whether two texts reach a difflib similarity ratio, with cheap upper bounds first (pure).

difflib's `SequenceMatcher.ratio()` is 2 M / (len a + len b), M the characters of its matching
blocks. The blocks run in order through both texts, so M is at most the longest common
subsequence, which is at most the characters in common in any order (difflib's
`quick_ratio`). Both bounds cost a fraction of `ratio()` and rule out most pairs; the
answer is always `ratio()`'s. Answers are remembered (`Decisions`), and a build keeps them
for the next one: the joins across articles ask the same questions build after build.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter


class Decisions:
    """Answers of `ratio_at_least` by a digest of the question: those asked in this build, and earlier ones."""

    def __init__(self, earlier: dict[bytes, bool] | None = None):
        self.earlier = earlier or {}
        self.asked: dict[bytes, bool] = {}

    def get(self, key: bytes) -> bool | None:
        """A known answer, remembered as asked."""
        answer = self.asked.get(key)
        if answer is None:
            answer = self.earlier.get(key)
            if answer is not None:
                self.asked[key] = answer
        return answer


DECISIONS = Decisions()  # replaced by the pipeline with the answers kept from the last build


def ratio_at_least(a: str, b: str, threshold: float) -> bool:
    """Whether `difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold`."""
    key = hashlib.blake2b(f"{threshold}\0{a}\0{b}".encode("utf-8", "surrogatepass"), digest_size=16).digest()
    answer = DECISIONS.get(key)
    if answer is None:
        answer = DECISIONS.asked[key] = _ratio_at_least(a, b, threshold)
    return answer


def _ratio_at_least(a: str, b: str, threshold: float) -> bool:
    """`ratio_at_least`, worked out."""
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
