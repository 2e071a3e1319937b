"""Sources compared side by side: shared passages and raw exports, word differences as <del>/<ins>."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier.content.model import PassageOccurrence, SharedPassage
from dossier.pipeline import BuildOptions, build
from dossier.site.compare import cell, passage_paths
from dossier.site.links import resolve
from dossier.text.wordiff import BREAK, DELETED, INSERTED, SAME, Piece, compare

from conftest import copy_project

PASSAGES = "vergleich/index.html"
RUTTE = "nato-chef-mark-rutte-teilt-aus"
UKRAINE = "nato-will-die-ukraine-militaerisch-staerken"
THIRD = "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes"


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def marks(node) -> tuple[list[str], list[str]]:
    """The texts of the <del> and <ins> elements in node's comparison tables."""
    tables = node.find_all("table", class_="comparison")
    return (
        [d.get_text() for t in tables for d in t.find_all("del")],
        [i.get_text() for t in tables for i in t.find_all("ins")],
    )


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("compare"))
    build(BuildOptions(root=root, search=False, jobs=1))
    return root / "site"


def test_words_compared_with_paragraphs_side_by_side():
    rows = compare(["Eins zwei drei.", "Vier fünf."], ["Eins zwo drei.", "Vier fünf sechs."])
    assert [(r.left, r.right) for r in rows] == [
        (
            [Piece(SAME, "Eins"), Piece(DELETED, "zwei"), Piece(SAME, "drei.")],
            [Piece(SAME, "Eins"), Piece(INSERTED, "zwo"), Piece(SAME, "drei.")],
        ),
        ([Piece(SAME, "Vier"), Piece(DELETED, "fünf.")], [Piece(SAME, "Vier"), Piece(INSERTED, "fünf sechs.")]),
    ]
    merged = compare(["A b.", "C d."], ["A b. C d."])  # a break only one side has stays in its row
    assert len(merged) == 1 and Piece(SAME, BREAK) in merged[0].left


def test_cells_escape_every_text():
    html = cell([Piece(SAME, "<b>&"), Piece(DELETED, "<script>"), Piece(SAME, BREAK), Piece(INSERTED, '"x"')])
    assert html == "<p>&lt;b&gt;&amp; <del>&lt;script&gt;</del></p><p><ins>&quot;x&quot;</ins></p>"


def passage_pages(site: Path) -> dict[str, BeautifulSoup]:
    """Each shared passage's comparison page by output path, as the overview lists them."""
    listed = soup(site, PASSAGES).select("ul.compared-list a")
    return {resolve(PASSAGES, a["href"])[0]: soup(site, resolve(PASSAGES, a["href"])[0]) for a in listed}


def test_near_match_shows_the_changed_word_as_del_and_ins(seed_site):
    pages = passage_pages(seed_site)
    assert len(pages) == 4  # the two taz articles share four passages
    sections = [page.find("section", class_="compared") for page in pages.values()]
    near = next(s for s in sections if "fast wörtlich" in s.get_text())
    assert marks(near) == (["besetzten"], ["besetzen"])
    heads = [th.get_text(strip=True) for th in near.find("thead").find_all("th")]
    assert heads == ["Nato-Chef Mark Rutte teilt aus", "Nato will die Ukraine militärisch stärken"]
    assert all(th.get("scope") == "col" for th in near.find_all("th"))
    partial = next(s for s in sections if "in Teilen" in s.get_text())
    assert marks(partial) == (
        ["Rutte."],
        ["Nato-Generalsekretär Mark Rutte bei einem Außenminister-Treffen am Dienstag in Brüssel."],
    )
    exact = [s for s in sections if "Steht wörtlich" in s.get_text()]
    assert len(exact) == 2
    for section in exact:
        assert marks(section) == ([], [])
        assert "Wort für Wort gleich" in section.find("caption").get_text()
    for page in pages.values():
        assert page.find("main").get("data-pagefind-body") is None  # not indexed twice by the search


def test_every_passage_note_links_its_comparison(seed_site):
    pages = passage_pages(seed_site)
    for slug in (RUTTE, UKRAINE):
        path = f"artikel/{slug}/index.html"
        notes = soup(seed_site, path).select("aside.shared-note p")
        assert len(notes) == 4
        for note in notes:
            link = note.find("a", string="Vergleich")
            target, _ = resolve(path, link["href"])
            assert target in pages
    near = f"vergleich/{RUTTE}-geteilt-3/index.html"
    assert marks(pages[near]) == (["besetzten"], ["besetzen"])  # the note of the near match leads to it
    back = [resolve(near, a["href"]) for a in pages[near].select("section.compared ul a")]
    assert back == [(f"artikel/{RUTTE}/index.html", "geteilt-3"), (f"artikel/{UKRAINE}/index.html", "geteilt-2")]


def test_each_article_beside_its_raw_exports(seed_site):
    for slug, files in ((RUTTE, 2), (UKRAINE, 2), (THIRD, 1)):
        path = f"artikel/{slug}/index.html"
        link = soup(seed_site, path).select_one(".provenance").find("a", string="Vergleich")
        target, _ = resolve(path, link["href"])
        assert target == f"artikel/{slug}/vergleich/index.html"
        page = soup(seed_site, target)
        tables = page.find_all("table", class_="comparison")
        assert len(tables) == files
        for table in tables:  # the importer took every body from its cleanest variant: the words agree
            assert "Wort für Wort gleich" in table.caption.get_text()
            assert table.thead.find("th").get_text(strip=True) == "Text im Dossier"
            assert len(table.tbody.find_all("tr")) >= 5  # paragraph beside paragraph
        assert marks(page) == ([], [])
        assert page.find("main").get("data-pagefind-body") is None  # not indexed twice by the search


def test_an_editors_change_shows_against_the_raw_exports(tmp_path):
    root = copy_project(tmp_path / "project")
    article = root / "content" / "articles" / f"{UKRAINE}.md"
    text = article.read_text(encoding="utf-8")
    said = "Wenig überraschend sagt auch Moskau Nein."
    assert text.count(said) == 1
    article.write_text(text.replace(said, "Wenig überraschend sagte auch Moskau <&> Nein."), encoding="utf-8")
    build(BuildOptions(root=root, search=False, jobs=1))
    page = soup(root / "site", f"artikel/{UKRAINE}/vergleich/index.html")
    assert marks(page) == (["sagte", "<&>"] * 2, ["sagt"] * 2)  # against both raw exports
    assert "&lt;&amp;&gt;" in (root / "site" / f"artikel/{UKRAINE}/vergleich/index.html").read_text()


def test_passages_starting_at_the_same_place_get_pages_of_their_own():
    first = PassageOccurrence("a", 2, 7, 0, 247, "x")
    long = SharedPassage((first, PassageOccurrence("b", 1, 6, 0, 247, "x")), "exact")
    short = SharedPassage((PassageOccurrence("a", 2, 7, 0, 81, "x"), PassageOccurrence("c", 3, 1, 0, 81, "x")), "near")
    assert passage_paths([long, short]) == ["vergleich/a-geteilt-2/index.html", "vergleich/a-geteilt-2-2/index.html"]


def test_only_rendered_pages_compare_their_versions(tmp_path, monkeypatch):
    """The plan hands a comparison page its texts, not their comparison: a build that renders one
    passage page compares one passage, not every passage of the dossier."""
    from bench.corpus import generate
    from dossier.site import compare as site_compare

    root = generate(tmp_path / "project", articles=80, seed=5).root
    build(BuildOptions(root=root, search=False, jobs=1))
    pages = sorted((root / "site" / "vergleich").glob("*-geteilt-*/index.html"))
    assert len(pages) > 10, "the corpus shares passages"
    compared: list[tuple] = []
    real = site_compare.compare
    monkeypatch.setattr(site_compare, "compare", lambda old, new: (compared.append(old), real(old, new))[1])
    page = pages[0]
    page.write_bytes(page.read_bytes() + b"\n")  # touched in site/: rendered again, nothing else is
    report = build(BuildOptions(root=root, search=False, jobs=1))
    assert report.written == 1
    tables = page.read_bytes().count(b'<table class="comparison">')
    assert tables >= 1 and len(compared) == tables, f"{len(compared)} comparisons for one page of {len(pages)}"


def test_a_raw_export_saved_in_windows_1252_is_compared_as_the_import_read_it(tmp_path):
    """The comparison page reads a raw export as the import does (its encoding detected), not as UTF-8 only:
    a page saved in Windows-1252 was shown as 'nicht (mehr) lesbar'."""
    root = copy_project(tmp_path / "project")
    fixture = Path(__file__).parent / "fixtures" / "web_pages" / "windows_1252.html"
    (root / "sources" / "roettgen.html").write_bytes(fixture.read_bytes())
    build(BuildOptions(root=root, search=False, jobs=1))
    pages = [p for p in (root / "site" / "artikel").glob("*/vergleich/index.html") if "roettgen.html" in p.read_text()]
    assert len(pages) == 1
    page = soup(root / "site", str(pages[0].relative_to(root / "site")))
    assert "nicht (mehr) lesbar" not in page.get_text()
    (table,) = page.find_all("table", class_="comparison")
    assert "Röttgen" in table.get_text() and len(table.tbody.find_all("tr")) >= 3
