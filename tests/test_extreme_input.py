"""Inputs of pathological size or shape: each builds in bounded time and memory with a correct page, or is
refused with `file:line`, what to do, exit 1, no traceback, site/ and content/ untouched.

The huge inputs are made here, in the test; nothing here times a build (tests never do): a super-linear stage is
caught by counting the work it does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_errors_battery import REPO, article, refused, run, skipped, write


def project_files(folder: str, names: list[str]) -> set[str]:
    """What a copy of the project needs to build: no tests (with their checkers), benchmarks or docs."""
    return skipped(folder, names) | ({"tests", "bench", "docs"} & set(names) if Path(folder) == REPO else set())


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("extreme") / "project"
    shutil.copytree(REPO, root, ignore=project_files)
    assert run(root).returncode == 0
    return root


@pytest.fixture
def project(seeded, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(seeded, root, symlinks=True)
    return root


def nested_list(levels: int) -> str:
    return "\n".join("  " * i + f"- Ebene {i}" for i in range(levels))


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (">" * 5000 + " tief zitiert", 7),
        ("Vorher.\n\n" + "\n".join(">" * i + " Ebene" for i in range(1, 60)), 49),  # 41 '>' on body line 43
        (nested_list(30) + "\n\nDanach ein Absatz, den markdown-it sonst verschluckt.", 27),
        ("- " * 5000 + "tief", 7),
    ],
    ids=["blockquotes-one-line", "blockquotes-one-per-line", "list-indented", "list-one-line"],
)
def test_markdown_nested_beyond_the_limit_is_refused_at_its_line(project, body, line):
    """markdown-it drops everything below its nesting limit without a word (and everything after it); the build
    refuses such a body at the line where the nesting goes too deep instead of publishing half the article."""
    write(project, "content/articles/tief.md", article(body=body))
    refused(project, where=f"content/articles/tief.md:{line}:", says=("nested too deeply", "nest them less deeply"))


def test_deep_nesting_in_an_entity_note_is_refused_too(project):
    """Every Markdown text goes through the same grammar: an entity's note is refused at its line as well."""
    person = project / "content/people/mark-rutte.md"
    person.write_text(person.read_text(encoding="utf-8") + "\n" + ">" * 100 + " tief\n", encoding="utf-8")
    err = refused(project, where="content/people/mark-rutte.md:", says=("nested too deeply",))
    assert err.count("nested too deeply") == 1, err


def test_nesting_within_the_limit_keeps_every_paragraph(project):
    body = nested_list(15) + "\n\nDanach ein Absatz nach der Liste.\n\n" + ">" * 25 + " Tief zitiert."
    write(project, "content/articles/tief.md", article(body=body))
    result = run(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site/artikel/tief/index.html").read_text(encoding="utf-8")
    assert "Ebene 14" in page and "Danach ein Absatz nach der Liste." in page and "Tief zitiert." in page
