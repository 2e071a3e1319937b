"""The start page's key statements: the bounded search picks what ranking every statement would pick."""

import random
from types import SimpleNamespace

from dossier.joins.quote_groups import QuoteGroup, key_quotes


def ranked_in_full(groups, limit):
    """The definition: every statement with a speaker ranked (most sources, longest, first), one per speaker."""
    ranked = sorted(
        (g for g in groups if g.speaker is not None), key=lambda g: (-len(g.articles), -len(g.text), g.anchor)
    )
    chosen, speakers = [], set()
    for group in ranked:
        if group.speaker.slug not in speakers:
            chosen.append(group)
            speakers.add(group.speaker.slug)
    return chosen[:limit]


def test_key_quotes_equal_ranking_every_statement_on_random_dossiers():
    rnd = random.Random(1)
    for trial in range(2000):
        articles = [SimpleNamespace(slug=f"a{i}") for i in range(rnd.randint(1, 8))]
        speakers = [SimpleNamespace(slug=f"s{i}") for i in range(rnd.randint(1, 7))] + [None]
        groups, number = [], 0
        for _ in range(rnd.randint(0, 30)):
            quotes = []
            for _ in range(rnd.randint(1, 6)):
                number += 1
                text = "x" * rnd.randint(1, 5)
                quotes.append(SimpleNamespace(article=rnd.choice(articles), text=text, index_anchor=f"q{number:04d}"))
            groups.append(QuoteGroup(rnd.choice(speakers), quotes))
        limit = rnd.randint(1, 5)
        assert [id(g) for g in key_quotes(groups, limit)] == [id(g) for g in ranked_in_full(groups, limit)], trial
