"""Early cut-off of the shared passages: an edit that changes no pair's passages takes the passages the last build
assembled as they are; one that makes a new shared passage assembles them again. Both give a clean build's site,
from the command line (through `.dossier-cache/joins.pickle`) and in a long-running process (held in memory)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_incremental import clean_build, site_files

from bench.corpus import generate
from dossier.incremental import passage_index
from dossier.incremental.resident import Resident
from dossier.pipeline import BuildOptions, build


def append(path: Path, paragraph: str) -> None:
    """Add a paragraph at the end of an article's body."""
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{paragraph}\n", encoding="utf-8")


def longest_paragraph(path: Path) -> str:
    """The longest paragraph of an article's body (several sentences another article can share)."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return max((p.strip() for p in body.split("\n\n") if not p.lstrip().startswith(("#", ">", "-"))), key=len)


@pytest.mark.parametrize("held", [False, True], ids=["command line", "held in memory"])
def test_passages_are_assembled_again_only_when_a_pair_of_articles_shares_other_passages(tmp_path, monkeypatch, held):
    root = generate(tmp_path / "project", articles=140, seed=5).root
    options = BuildOptions(root=root, jobs=2, search=False)
    assembling: list[int] = []
    real = passage_index.assembled
    monkeypatch.setattr(passage_index, "assembled", lambda *a: (assembling.append(1), real(*a))[1])
    resident = Resident() if held else None
    report = build(options, resident)  # joined in one pass
    articles = sorted((root / "content" / "articles").glob("*.md"))
    edited, copier, donor = articles[3], articles[11], articles[60]

    def rebuilt() -> int:
        """Build again (holding what the last build held, if so asked); how often the passages were assembled."""
        nonlocal report
        assembling.clear()
        report = build(options, report.resident if held else None)
        return len(assembling)

    append(edited, "Der Ausschuss tagte am späten Abend ohne jede Einigung über die erste Fassung.")
    assert rebuilt() == 1  # the first update after a one-pass join has no assembled passages to take
    append(edited, "Danach vertagte sich der Ausschuss auf einen Termin im Frühjahr des kommenden Jahres.")
    assert rebuilt() == 0, "no pair's passages changed, yet the passages were assembled again"
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)

    linked = f"../{donor.stem}/index.html#geteilt-"
    assert linked not in (root / "site" / "artikel" / copier.stem / "index.html").read_text(encoding="utf-8")
    append(copier, longest_paragraph(donor))
    assert rebuilt() == 1, "a new shared passage, but the last build's passages were taken"
    page = (root / "site" / "artikel" / copier.stem / "index.html").read_text(encoding="utf-8")
    assert linked in page  # the new passage links the article it is shared with
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)
