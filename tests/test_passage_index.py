"""The passage store (`incremental.passage_index`): updated one article at a time, it finds what the one-pass join finds."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from dataclasses import replace

import pytest

from bench.corpus import generate
from dossier.content.load import load_articles
from dossier.incremental import passage_index, passage_rows
from dossier.joins import passages
from dossier.joins.passages import join_passages
from dossier.text.blocks import blocks
from dossier.text.comparable import comparable_sentences


@pytest.fixture(scope="module")
def sentences(tmp_path_factory):
    """slug -> comparable sentences of a generated corpus of 150 articles."""
    root = generate(tmp_path_factory.mktemp("passage-index"), articles=150, seed=4).root
    articles, _ = load_articles(root)
    return {a.slug: comparable_sentences(blocks(a.body)) for a in articles}


def renumbered(sentences):
    """Sentences with their positions as they stand."""
    return [replace(s, position=i) for i, s in enumerate(sentences)]


def digest(sentences) -> str:
    """A stand-in for the article file's SHA-256."""
    return hashlib.sha256(repr([(s.block, s.start, s.text, s.words) for s in sentences]).encode()).hexdigest()


def edit(rng: random.Random, dossier: dict, donors: list) -> str:
    """One random edit of the dossier (slug -> sentences), as an editor's or an import's."""
    slugs = sorted(dossier)
    slug = rng.choice(slugs)
    mine, theirs = dossier[slug], dossier[rng.choice(slugs)]
    kind = rng.choice(["copy in", "drop", "reword", "remove", "add", "shuffle"])
    if kind == "copy in" and theirs:  # a passage of another article copied in: a new shared passage
        start = rng.randrange(len(theirs))
        dossier[slug] = renumbered(mine + theirs[start : start + rng.randint(1, 3)])
    elif kind == "drop" and mine:
        del mine[rng.randrange(len(mine))]
        dossier[slug] = renumbered(mine)
    elif kind == "reword" and mine:
        i = rng.randrange(len(mine))
        words = mine[i].words.split()
        words[rng.randrange(len(words))] = rng.choice(["neu", "anders", "brüssel", "gestern"])
        mine[i] = replace(mine[i], words=" ".join(words), text=" ".join(words))
        dossier[slug] = renumbered(mine)
    elif kind == "remove" and len(dossier) > 5:
        del dossier[slug]
    elif kind == "shuffle":
        dossier[slug] = renumbered(rng.sample(mine, len(mine)))
    else:  # a new article made of the sentences of others
        donor = rng.choice(donors)
        dossier[f"neu-{rng.randrange(10**6)}"] = renumbered(donor[: rng.randint(1, len(donor))])
    return kind


@pytest.mark.parametrize("common", [passages.COMMON_SHINGLE, 3])
def test_updated_store_equals_the_one_pass_join_after_random_edits(sentences, tmp_path, monkeypatch, common):
    """Seeded random edits (passages copied in, sentences dropped, reworded, reordered, articles removed and
    added), each followed by an update of the store: its passages equal the one-pass join's every time.
    With stock phrases from 4 sentences on, edits keep turning trigrams into stock phrases and back."""
    monkeypatch.setattr(passages, "COMMON_SHINGLE", common)
    monkeypatch.setattr(passage_index, "COMMON_SHINGLE", common)
    monkeypatch.setattr(passage_index, "KEEP", 2 * common)
    monkeypatch.setattr(passage_rows, "KEEP", 2 * common)
    monkeypatch.setattr(passage_index, "MOST_CHANGED", 1.0)
    rng = random.Random(common)
    dossier = {slug: list(s) for slug, s in sentences.items()}
    donors = list(sentences.values())
    (tmp_path / ".dossier-cache").mkdir()

    def state():
        slugs = sorted(dossier)
        return slugs, [dossier[s] for s in slugs], [digest(dossier[s]) for s in slugs]

    index = passage_index.PassageIndex(tmp_path, "key")
    assert index.update(*state(), None) is None, "no store yet"
    index.join_anew(*state(), None, jobs=1).result()
    index.commit()
    updated = 0
    for _ in range(40):
        kinds = [edit(rng, dossier, donors) for _ in range(rng.randint(1, 3))]
        index = passage_index.PassageIndex(tmp_path, "key")
        slugs, said, digests = state()
        found = index.update(slugs, said, digests, None)
        expected = join_passages(slugs, said)[0]
        if found is None:  # a stock phrase whose sentences were not kept: joined in one pass
            assert common == 3
            assert index.join_anew(slugs, said, digests, None, jobs=1).result()[0] == expected
        else:
            updated += 1
            assert found[0] == expected, kinds
        index.commit()
        index.close()
    assert updated >= 20


def test_update_reads_only_the_edited_article(sentences, tmp_path):
    """One article edited: its old rows are replaced, the others' rows are left as they were."""
    (tmp_path / ".dossier-cache").mkdir()
    slugs = sorted(sentences)
    said = [sentences[s] for s in slugs]
    digests = [digest(s) for s in said]
    index = passage_index.PassageIndex(tmp_path, "key")
    index.join_anew(slugs, said, digests, None, jobs=1).result()
    index.commit()
    db = sqlite3.connect(tmp_path / ".dossier-cache" / passage_index.FILE)
    ids_before = dict(db.execute("SELECT slug, id FROM articles"))
    pairs_before = {(a, b): blob for a, b, blob in db.execute("SELECT a, b, shared FROM pairs")}
    said[7] = renumbered(said[7] + said[3][:2])
    digests[7] = digest(said[7])
    index = passage_index.PassageIndex(tmp_path, "key")
    found = index.update(slugs, said, digests, None)
    index.commit()
    assert found[0] == join_passages(slugs, said)[0]
    ids_after = dict(db.execute("SELECT slug, id FROM articles"))
    assert {s for s in slugs if ids_before[s] != ids_after[s]} == {slugs[7]}
    pairs_after = {(a, b): blob for a, b, blob in db.execute("SELECT a, b, shared FROM pairs")}
    edited = {ids_before[slugs[7]], ids_after[slugs[7]]}
    assert {k: v for k, v in pairs_after.items() if not edited & set(k)} == {
        k: v for k, v in pairs_before.items() if not edited & set(k)
    }, "the other pairs keep their passages as they were"
    assert any(edited & set(k) for k in pairs_after), "the edited article shares a passage"


def test_damaged_or_foreign_store_is_joined_afresh(sentences, tmp_path):
    """A store that is not a database, or was made by other code, answers nothing: the build joins in one pass."""
    (tmp_path / ".dossier-cache").mkdir()
    slugs = sorted(sentences)[:20]
    said = [sentences[s] for s in slugs]
    digests = [digest(s) for s in said]
    index = passage_index.PassageIndex(tmp_path, "key")
    index.join_anew(slugs, said, digests, None, jobs=1).result()
    index.commit()
    assert passage_index.PassageIndex(tmp_path, "other code").update(slugs, said, digests, None) is None
    (tmp_path / ".dossier-cache" / passage_index.FILE).write_bytes(b"not a database" * 100)
    assert passage_index.PassageIndex(tmp_path, "key").update(slugs, said, digests, None) is None
