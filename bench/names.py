"""Precision of the names-to-file finder on a generated dossier whose people lose some of their files.

`python -m bench.names DEST --articles N [--seed S] [--remove K]` generates a dossier
(bench/corpus.py), deletes every K-th person file, runs the finder `check` uses
(`dossier.text.names.unfiled_names`, up to 200 names rather than check's dozen) and prints what it listed, the precision (true person
names / names listed) and whether every removed person was found. The seeds' own figure
comes from tests/test_names.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dossier.content import load
from dossier.text.blocks import blocks
from dossier.text.names import unfiled_names

from .corpus import FIRST_NAMES, generate

LIMIT = 200  # more than `check` shows (a screenful), so every removed person can be counted


def measure(dest: Path, articles: int, seed: int = 1, every: int = 4) -> tuple[list, set[str], float]:
    """(names listed, people removed, precision) for one generated dossier."""
    root = generate(dest, articles, seed).root
    people = sorted((e for e in load.load_entities(root)[0] if e.kind == "person"), key=lambda e: e.slug)
    removed = {e.name for e in people[::every]}
    for entity in people[::every]:
        (root / entity.source.path).unlink()
    texts, _ = load.load_articles(root)
    entities, _ = load.load_entities(root, drafts=True)
    names = unfiled_names(texts, {a.slug: blocks(a.body) for a in texts}, entities, limit=LIMIT)
    true = sum(n.name.split()[0] in FIRST_NAMES for n in names)  # the corpus names people "First Surname"
    return names, removed, true / len(names) if names else 1.0


def main(argv: list[str] | None = None) -> None:
    """Command line: measure one dossier."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--remove", type=int, default=4, help="delete every K-th person file")
    args = ap.parse_args(argv)
    names, removed, precision = measure(args.dest, args.articles, args.seed, args.remove)
    for name in names:
        print(f"{name.count:6d}  {name.name}")
    found = removed <= {n.name for n in names}
    print(f"{len(names)} listed, {len(removed)} removed, all removed found: {found}, precision {precision:.2f}")


if __name__ == "__main__":
    main()
