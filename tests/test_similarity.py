"""The difflib ratio test with cheap bounds first: always difflib's answer."""

from __future__ import annotations

import difflib
import random

from dossier.joins.similarity import common_subsequence, ratio_at_least


def _longest_common_subsequence(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for j, y in enumerate(b):
            row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
        previous = row
    return previous[-1]


def test_bounds_never_change_difflibs_answer():
    rng = random.Random(7)
    words = ["sagte", "die", "ministerin", "2030", "garantien", "für", "kiew", "ß", "é"]
    for _ in range(3000):
        a = " ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        b = " ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        if rng.random() < 0.5:
            b = a[: rng.randint(0, len(a))] + b[:4] + a[rng.randint(0, len(a)) :]
        assert common_subsequence(a, b) == _longest_common_subsequence(a, b)
        ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
        for threshold in (0.8, 0.9):
            assert ratio_at_least(a, b, threshold) == (ratio >= threshold)


def test_the_ratio_is_difflibs_to_the_last_bit_on_long_and_odd_texts():
    """cydifflib computes the ratio: the same floats as the standard library's difflib, on texts longer than
    difflib's 200-character junk heuristic (off here), with umlauts, emoji and lone surrogates."""
    from cydifflib import SequenceMatcher

    rng = random.Random(11)
    words = ["Rutte", "sagte", "Außenministerin", "Kiew", "ß", "\udc80", "😀", "2030", "für", "die"]
    for _ in range(400):
        a = " ".join(rng.choice(words) for _ in range(rng.randint(20, 80)))
        cut = rng.randint(0, len(a))
        b = a[:cut] + rng.choice(words) + a[cut + rng.randint(0, 9) :]
        expected = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
        assert SequenceMatcher(None, a, b, autojunk=False).ratio() == expected
        assert ratio_at_least(a, b, expected)
        assert expected == 1.0 or not ratio_at_least(a, b, expected + 1e-9)
