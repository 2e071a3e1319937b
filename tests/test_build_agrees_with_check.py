"""Issue #12: `check` and `build` agree, and one mistake gives one error.

A #fragment link that names no id of its page fails the build as it fails `check`: the same
message, at the link's own line of the content file, naming the page once, with site/ untouched
(also when only the target page changed, so the build knows the linking page's links from its
state). An article refused for a bad date is reported once, not again by every annotation and
timeline event that cites it. The real command line, as in the battery."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_errors_battery import ARTICLE, article, built_copy, changeable_copy, refused, run, write

from dossier.site import links


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    return built_copy(tmp_path_factory.mktemp("agree") / "project")


@pytest.fixture
def project(seeded, tmp_path) -> Path:
    return changeable_copy(seeded, tmp_path / "project")


BODY_LINK = "[dort](artikel/nato-chef-mark-rutte-teilt-aus/#nope)"
ENTITY_LINK = "[Rutte](person:mark-rutte#nope)"


def errors_of(stderr: str) -> list[str]:
    """The problem lines of a refused command (without the count)."""
    return [
        line
        for line in stderr.splitlines()
        if ": " in line and not line.endswith("warning(s)") and ": warning: " not in line
    ]


def test_a_dead_fragment_in_a_body_fails_build_and_check_alike(project):
    body = f"Erster Absatz.\n\nZweiter Absatz mit {BODY_LINK}.\n\nDritter mit\n{ENTITY_LINK}."
    write(project, "content/articles/x.md", article(body=body))
    where = "content/articles/x.md:9: link '../nato-chef-mark-rutte-teilt-aus/index.html#nope': no element with id"
    built_err = refused(project, where=where, says=("content/articles/x.md:12: link '../../personen/mark-rutte/",))
    checked_err = refused(project, "check", where=where)
    assert errors_of(built_err) == errors_of(checked_err)
    assert len(errors_of(built_err)) == 2
    for line in errors_of(built_err):
        assert line.count("(page artikel/probe/index.html") + line.count("(page artikel/x/index.html") == 1, line


def test_a_fragment_that_dies_when_its_target_changes_fails_the_incremental_build(project):
    """rutte-nordkorea-wiedergabe links to #anm-rutte-nordkorea-vorwurf; removing that note kills the id."""
    (project / "content/annotations/rutte-nordkorea-vorwurf.md").unlink()
    says = ("no element with id 'anm-rutte-nordkorea-vorwurf'",)
    where = "content/annotations/rutte-nordkorea-wiedergabe.md:12: link "
    built_err = refused(project, where=where, says=says)
    assert errors_of(built_err) == errors_of(refused(project, "check", where=where, says=says))


def test_a_refused_article_is_reported_once_not_by_its_annotations_and_events(project):
    path = project / f"content/articles/{ARTICLE}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2024-12-04", "date: 2024-02-30"), encoding="utf-8")
    for args in ((), ("check",)):
        err = refused(project, *args, where=f"content/articles/{ARTICLE}.md:5:", says=("is not a real day",))
        assert "unknown article" not in err, err
        assert errors_of(err) == [line for line in errors_of(err) if line.startswith(f"content/articles/{ARTICLE}.md")]


def test_the_seed_site_still_builds_and_checks(seeded):
    assert run(seeded, "check").returncode == 0


def test_the_builds_fast_scan_of_ids_and_fragment_links_agrees_with_the_parser_of_check(seeded):
    """The build finds ids and #fragment links with a pattern; `check` parses: on every page they agree."""
    site = seeded / "site"
    for path in sorted(site.rglob("*.html")):
        rel, data = path.relative_to(site).as_posix(), path.read_bytes()
        if rel.startswith(links.SKIPPED_PREFIXES):
            continue
        parsed, fast = links.parse_page(data), links.page_links(rel, data)
        assert fast.ids == parsed.ids, rel
        wanted = set()
        for _, href, _ in parsed.refs:
            found = links.resolve(rel, href)
            if found and found[1] and not found[0].startswith(links.SKIPPED_PREFIXES) and not links._leaves(found[0]):
                wanted.add((href, *found))
        assert set(fast.fragments) == wanted, rel
