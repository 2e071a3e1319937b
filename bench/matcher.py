"""Micro-benchmark of the entity matcher: does its cost grow with the number of names?

    python -m bench.matcher

Compiles the seed entities plus 500 synthetic people (about 1,800 forms), runs
`EntityMatcher.find` over 3,000 copies of a seed article body, and compares with a
plain longest-first regex alternation of the same forms.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from dossier.content.load import load_entities
from dossier.content.model import Entity, Source
from dossier.text.mentions import EntityMatcher

REPO = Path(__file__).resolve().parent.parent
SYLLABLES = ["ka", "lo", "mer", "tin", "be", "ra", "sch", "ul", "ven", "dor", "gi", "an", "ho", "bert", "wi", "ck"]


def synthetic_people(count: int, seed: int = 1) -> list[Entity]:
    """People with invented names, a surname alias and a role description."""
    rng = random.Random(seed)

    def word() -> str:
        """An invented capitalised word."""
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    source = Source("bench", 1)
    return [Entity("person", f"p{i}", f"{word()} {word()}", source, (word(), f"der {word()}")) for i in range(count)]


def rate(find, docs: list[str]) -> tuple[float, int]:
    """Seconds for finding in every document, and the number of hits."""
    started = time.perf_counter()
    hits = sum(len(find(doc)) for doc in docs)
    return time.perf_counter() - started, hits


def main() -> None:
    """Print characters per second for the trie-shaped matcher and a naive alternation."""
    seeds, _ = load_entities(REPO)
    body = next((REPO / "content" / "articles").glob("nato-will-*.md")).read_text(encoding="utf-8")
    docs = [body] * 3000
    chars = sum(map(len, docs))
    for label, entities in (("seed entities", seeds), ("seed + 500 people", seeds + synthetic_people(500))):
        started = time.perf_counter()
        matcher = EntityMatcher(entities)
        compiled = time.perf_counter() - started
        seconds, hits = rate(matcher.find, docs)
        print(
            f"{label}: {len(matcher.forms)} forms, compiled in {compiled * 1000:.0f} ms; "
            f"{chars / 1e6:.1f} M chars in {seconds:.2f} s = {chars / seconds / 1e6:.1f} M chars/s ({hits} mentions)"
        )
    forms = sorted(matcher.forms, key=lambda f: (-len(f), f))
    naive = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?:['’]s|s|['’])?(?!\w)")
    seconds, _ = rate(naive.findall, docs[:300])
    print(f"naive alternation, {len(forms)} forms: {chars / 10 / seconds / 1e6:.1f} M chars/s")


if __name__ == "__main__":
    main()
