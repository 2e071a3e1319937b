"""Page fingerprints: equal data, equal fingerprint (in any process); any change in the data shows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dossier import pipeline
from dossier.content.model import Article, Source
from dossier.incremental.fingerprint import Fingerprinter
from dossier.site import pages

REPO = Path(__file__).resolve().parent.parent

PRINT_ALL = """
import json, sys
from pathlib import Path
from dossier import pipeline
from dossier.site import pages
from dossier.incremental.fingerprint import Fingerprinter
dossier, _ = (_read := pipeline.read_dossier(Path(sys.argv[1]))).dossier, _read.problems
planned, _ = pages.plan(dossier)
marks = Fingerprinter("salt")
print(json.dumps({p.path: marks.page(p) for p in planned}))
"""


def article(**changes) -> Article:
    """A small article, with fields changed as asked."""
    base = Article("a", "Titel", dt.date(2024, 12, 4), "Text.", Source("content/articles/a.md", 5, {"title": 2}))
    return dataclasses.replace(base, **changes)


def test_fingerprints_are_the_same_in_every_process():
    """Two processes with different string hashing fingerprint the seed dossier's pages identically."""
    found = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        out = subprocess.run(
            [sys.executable, "-c", PRINT_ALL, str(REPO)], env=env, capture_output=True, text=True, check=True
        )
        found.append(json.loads(out.stdout))
    assert found[0] == found[1]
    assert len(set(found[0].values())) == len(found[0]), "every page has data of its own"


def test_every_field_counts_except_the_raw_body():
    """Changing any shown field changes the fingerprint; the raw body alone does not (lists never show it)."""
    base = Fingerprinter().digest(article())
    for change in ({"title": "Anders"}, {"date": dt.date(2024, 12, 3)}, {"tags": ("Nato",)}, {"kicker": "K"}):
        assert Fingerprinter().digest(article(**change)) != base, change
    assert Fingerprinter().digest(article(body="Ganz anderer Text.")) == base


def test_article_page_fingerprint_follows_the_body():
    """An article page carries its text in its body recipe: a body edit changes that page's fingerprint."""
    dossier, _ = (_read := pipeline.read_dossier(REPO)).dossier, _read.problems
    planned, _ = pages.plan(dossier)
    page = next(p for p in planned if p.body is not None)
    before = Fingerprinter().page(page)
    page = dataclasses.replace(page, body=dataclasses.replace(page.body, text=page.body.text + "\nNeu.\n"))
    assert Fingerprinter().page(page) != before


def test_sets_in_any_order_and_nested_values():
    """Sets are taken in sorted order; lists, tuples and dicts keep theirs; types are told apart."""
    marks = Fingerprinter()
    assert marks.digest({"b", "a", "c"}) == marks.digest({"c", "b", "a"})
    assert marks.digest(["a", "b"]) != marks.digest(["b", "a"])
    assert marks.digest({"x": 1}) != marks.digest({"x": "1"})
    assert marks.digest(("a", "b")) != marks.digest(("ab",))
    assert marks.digest(["a", "b"]) != marks.digest(["a\x1fsb"])
    assert marks.digest(1) != marks.digest(True)


def test_unknown_values_are_refused():
    """A function (or any value the walk cannot see into) in page data is an error, not a silent skip."""
    with pytest.raises(TypeError, match="cannot fingerprint"):
        Fingerprinter().digest({"render": lambda: "x"})


def test_the_fast_digests_of_mentions_and_quotations_cover_every_field():
    """`own_digests` digests mentions and quotations from a list of their fields: it must name every field
    but the article and the entity (digested on their own), or an edit could go unseen."""
    from dossier.content.model import EntityMention, Quote
    from dossier.incremental.fingerprint import MENTION_FIELDS, QUOTE_FIELDS

    assert set(MENTION_FIELDS) == {f.name for f in dataclasses.fields(EntityMention)} - {"article", "entity"}
    assert set(QUOTE_FIELDS) == {f.name for f in dataclasses.fields(Quote)} - {"article", "speaker"}


def test_fingerprinting_leaves_no_copy_of_a_long_text_behind():
    """Pickling a string that is not all ASCII makes Python keep its UTF-8 form inside the string for as long as
    it lives (`sys.getsizeof` counts it); a body the preview holds would carry that copy from save to save. A
    long text is digested from UTF-8 bytes made apart, and its digest still follows every character."""
    import sys as system

    body = "Größere Übungen an der Ostflanke. " * 40
    before = system.getsizeof(body)
    digest = Fingerprinter().digest(article(body=body, title=body))
    assert system.getsizeof(body) == before
    assert Fingerprinter().digest(article(body=body, title=body[:-1] + "!")) != digest
    assert Fingerprinter().digest(article(title=body)) == digest, "the body still does not count"
