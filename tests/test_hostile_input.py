"""Issue #12: hostile but legal content builds with everything inert, and paths never leave the project.

Script, raw HTML and Jinja syntax in bodies and front matter are published as text (escaped);
`javascript:`, `data:`, `vbscript:` and `file:` links are refused at their line; slugs that climb out
of the site, symbolic links out of the project, binary, empty and unterminated files are refused
with their path; huge files and lines build. Every refusal: exit 1, file:line, no traceback, site/
and content/ unchanged. Nothing is ever written outside site/ and .dossier-cache/."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_errors_battery import REPO, article, built_copy, changeable_copy, refused, run, write

SCRIPT = "<script>alert(1)</script>"
JINJA = "{{ 7*7 }} {% for x in range(3) %}x{% endfor %}"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    return built_copy(tmp_path_factory.mktemp("hostile") / "project")


@pytest.fixture
def project(seeded, tmp_path) -> Path:
    return changeable_copy(seeded, tmp_path / "project")


def everything(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder except the project's site/ and cache (which a build writes)."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = Path(dirpath).relative_to(folder)
        if rel.parts[-1:] == ("project",):
            dirnames[:] = [d for d in dirnames if d not in ("site", ".dossier-cache")]
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink():
                found[(rel / name).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def soup(root: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / page).read_bytes(), "lxml")


def assert_inert(page: BeautifulSoup) -> None:
    """No script element but the JSON-LD data and the layouts' own files, no event handler, no
    javascript:/data: address."""
    for script in page.find_all("script"):
        if script.get("src"):
            assert script["src"].rpartition("static/")[2] == "search.js" and not script.string, script
        else:
            assert script.get("type") == "application/ld+json", script
            assert "<" not in script.string, script.string
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), tag
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not text.strip().lower().startswith(("javascript:", "data:", "vbscript:")), tag


def test_script_raw_html_and_jinja_are_published_as_text(project, tmp_path):
    head = f'teaser: "{SCRIPT} <img src=x onerror=alert(1)> {JINJA}"\n'
    body = f"Absatz mit {SCRIPT} und <b onclick='x()'>fett</b>.\n\n{JINJA}\n\n<iframe src='https://x.example'></iframe>"
    write(project, "content/articles/x.md", article(title=f'"{SCRIPT} Titel"', head=head, body=body))
    person = (project / "content/people/mark-rutte.md").read_text(encoding="utf-8")
    write(project, "content/people/mark-rutte.md", person.rstrip() + f"\n\nNotiz {SCRIPT} {JINJA}\n")
    outside = everything(tmp_path)
    result = run(project)
    assert result.returncode == 0, result.stderr
    page = soup(project, "artikel/x/index.html")
    assert_inert(page)
    text = page.get_text()
    assert f"{SCRIPT} Titel" in text and "<img src=x onerror=alert(1)>" in text and JINJA in text
    assert "49" not in text.replace("2024", "")
    assert page.find("iframe") is None and page.find("b") is None
    rutte = soup(project, "personen/mark-rutte/index.html")
    assert_inert(rutte)
    assert SCRIPT in rutte.get_text()
    for path in (project / "site").rglob("*.html"):
        assert_inert(BeautifulSoup(path.read_bytes(), "lxml"))
    assert everything(tmp_path) == outside, "a build wrote outside site/ and .dossier-cache/"


UNSAFE = [
    "[x](javascript:alert(1))",
    "[x](JavaScript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox)",
    "[x](file:///etc/passwd)",
]


@pytest.mark.parametrize("link", UNSAFE)
def test_links_that_run_code_are_refused_at_their_line(project, link):
    write(project, "content/articles/x.md", article(body=f"Erster Absatz.\n\nZweiter mit {link}."))
    scheme = link.split("(", 1)[1].strip().split(":", 1)[0].lower()
    says = (f"a {scheme}: link is never published",)
    refused(project, where="content/articles/x.md:9: link '", says=says)
    refused(project, "check", where="content/articles/x.md:9: link '", says=says)


def test_an_unsafe_link_in_an_annotation_note_is_refused_too(project):
    note = project / "content/annotations/blinken-vorname.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n[mehr](javascript:alert(1))\n", encoding="utf-8")
    refused(project, where="content/annotations/blinken-vorname.md:", says=("a javascript: link is never published",))


@pytest.mark.parametrize("slug", ["../../etc", "x/../../y", "/etc", "..", "a/b"])
def test_a_slug_that_leaves_the_site_is_refused(project, slug):
    write(project, "content/articles/x.md", article(head=f"slug: '{slug}'\n"))
    refused(project, where="content/articles/x.md:5:", says=(f"slug '{slug}' must be lowercase",))


def test_an_article_that_is_a_link_to_etc_passwd_is_refused_unread(project):
    (project / "content/articles/passwd.md").symlink_to("/etc/passwd")
    err = refused(project, where="content/articles/passwd.md:1: a symbolic link to /etc/passwd, outside the project")
    assert "root:" not in err
    refused(project, "check", where="content/articles/passwd.md:1: a symbolic link to /etc/passwd")


def test_links_out_of_the_project_in_content_are_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside, "draussen.md", "---\nname: Draußen\n---\n\nText.\n")
    (project / "content/people/draussen.md").symlink_to(outside / "draussen.md")
    refused(project, where="content/people/draussen.md:1: a symbolic link to", says=("outside the project",))
    (project / "content/people/draussen.md").unlink()
    (project / "content/places").rename(project / "places-moved")
    shutil.copytree(project / "places-moved", outside / "places")
    (project / "content/places").symlink_to(outside / "places")
    refused(project, where="content/places/", says=("outside the project",))


def test_a_link_inside_the_project_is_followed(project):
    (project / "content/people/rutte-kopie.md").symlink_to("mark-rutte.md")
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site/personen/rutte-kopie/index.html").exists()


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("dangling", lambda p: p.symlink_to("/nonexistent/x.md"), "a symbolic link to nothing"),
        ("fifo", lambda p: os.mkfifo(p), "not a regular file"),
        ("folder", lambda p: p.mkdir(), "not a regular file"),
        ("zero", lambda p: p.symlink_to("/dev/zero"), "outside the project"),
    ],
)
def test_files_that_cannot_be_read_are_refused_without_hanging(project, name, make, says):
    make(project / f"content/articles/{name}.md")
    refused(project, where=f"content/articles/{name}.md:1: ", says=(says,))


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        (bytes(random.Random(12).randrange(256) for _ in range(5000)), "content/articles/bin.md:", "not UTF-8"),
        (b"", "content/articles/bin.md:1:", "missing front matter"),
        (b"---\n", "content/articles/bin.md:1:", "front matter is not closed"),
        (b"---\n---\n", "content/articles/bin.md:", "title"),
    ],
)
def test_binary_empty_and_bare_files_are_refused(project, data, where, says):
    write(project, "content/articles/bin.md", data)
    refused(project, where=where, says=(says,))
    refused(project, "check", where=where, says=(says,))


def test_very_long_lines_and_a_5_mb_body_build(project):
    line = "Die Nato berät in Brüssel über die Ukraine und Mark Rutte spricht. " * 3000  # ~200 kB, one line
    paragraphs = "\n\n".join(f"Absatz {i}: " + "Minister beraten über Sicherheit und Hilfe. " * 60 for i in range(2000))
    write(project, "content/articles/lang.md", article(body=line))
    write(project, "content/articles/gross.md", article(title="Groß", body=paragraphs))
    assert (project / "content/articles/gross.md").stat().st_size > 5_000_000
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert "Absatz 1999" in (project / "site/artikel/gross/index.html").read_text(encoding="utf-8")
    assert (project / "site/artikel/lang/index.html").stat().st_size > 200_000


@pytest.mark.parametrize(
    ("cut", "where", "says"),
    [
        (lambda text: "", ":1:", "missing front matter"),
        (lambda text: "---\n", ":1:", "front matter is not closed"),
        (lambda text: "---\n---\n", ":1:", "missing required key"),
        (lambda text: text[: len(text) // 8], ":1:", "front matter is not closed"),
        (lambda text: text.replace("date: 2024-12-04", "date: gestern"), ":5:", "date"),
    ],
)
def test_a_broken_imported_article_is_not_imported_again_beside_it(project, cut, where, says):
    """The raw exports of an article whose file is broken are not written into a new file next to it."""
    path = project / "content/articles/nato-chef-mark-rutte-teilt-aus.md"
    path.write_text(cut(path.read_text(encoding="utf-8")), encoding="utf-8")
    refused(project, where=f"content/articles/nato-chef-mark-rutte-teilt-aus.md{where}", says=(says,))
    assert sorted(p.name for p in (project / "content/articles").iterdir()) == [
        "nato-chef-mark-rutte-teilt-aus.md",
        "nato-will-die-ukraine-militaerisch-staerken.md",
        "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes.md",
    ]


def test_a_10_mb_line_in_an_imported_article_builds_in_time(project):
    """An imported article is compared word by word with its raw exports: a run of two million words that
    only the article has must not cost time quadratic in its length (it once took the best part of an hour)."""
    path = project / "content/articles/nato-chef-mark-rutte-teilt-aus.md"
    path.write_bytes(path.read_bytes() + b"\n" + b"wort " * 2_000_000 + b"\n")
    command = [sys.executable, str(project / "build.py"), "--root", str(project), "--no-search"]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (project / "site/artikel/nato-chef-mark-rutte-teilt-aus/index.html").stat().st_size > 10_000_000


@pytest.mark.parametrize(
    ("rel", "make"),
    [
        ("content/articles/nato-chef-mark-rutte-teilt-aus.md", lambda p: p.symlink_to("/etc/passwd")),
        ("content/people/mark-rutte.md", lambda p: p.symlink_to("/nonexistent/x.md")),
        ("content/timeline/treffen-erster-tag.md", lambda p: p.mkdir()),
        ("content/_index.md", lambda p: p.symlink_to(p)),
    ],
)
def test_a_file_refused_whole_is_named_with_a_line(project, rel, make):
    """Every refusal reads path:line: message, the shape editors and their tools jump to (line 1 for the file)."""
    (project / rel).unlink()
    make(project / rel)
    refused(project, where=f"{rel}:1: ")
    refused(project, "check", where=f"{rel}:1: ")


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "kein Link"])
def test_a_source_url_that_is_no_web_address_is_refused_at_its_line(project, address):
    """The article page links its `source_url` ("Originaladresse"): only an http(s) address is taken."""
    path = project / "content/articles/nato-chef-mark-rutte-teilt-aus.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", f"---\nsource_url: '{address}'\n", 1), "utf-8")
    refused(project, where="content/articles/nato-chef-mark-rutte-teilt-aus.md:2: ", says=("'source_url'", "https://"))


def test_a_taz_export_whose_uri_is_no_web_address_imports_without_one(tmp_path):
    from dossier.ingest import parse_source

    seed = next(p for p in (REPO / "sources").iterdir() if p.read_bytes().lstrip().startswith(b"URI:"))
    text = seed.read_text(encoding="utf-8")
    uri = text.lstrip().split("\n", 1)[0]
    raw = parse_source(text.replace(uri, "URI: javascript:alert(1)", 1), "sources/x.txt")
    assert raw.source_url == ""
    assert raw.title == parse_source(text, "sources/x.txt").title


@pytest.mark.parametrize("folder", ["articles", "people", "timeline"])
@pytest.mark.parametrize("name", [b"b\xffad.md", b"zeile\nneu.md"])
def test_a_file_name_that_is_no_utf8_text_is_refused(project, folder, name):
    """A name of bytes that are no UTF-8 (or with a line break) is refused with its path, never a traceback."""
    seed = project / "content/articles/nato-chef-mark-rutte-teilt-aus.md"
    if folder != "articles":
        seed = next((project / "content" / folder).iterdir())
    Path(os.fsdecode(os.fsencode(project / "content" / folder) + b"/" + name)).write_bytes(seed.read_bytes())
    err = refused(project, where=f"content/{folder}/", says=(".md:1: its name is not UTF-8 text",))
    assert "Traceback" not in err


def test_a_raw_export_with_nul_bytes_is_refused_at_its_line_and_imports_nothing(project):
    """A control character in a raw export would be imported into the article's file: it is named in the export."""
    seed = project / "sources/000_030b69dee8e05829.txt"
    data = seed.read_bytes()
    at = data.index(b"\n", len(data) // 2)
    seed.write_bytes(data[:at] + b" \x00\x00" + data[at:])
    line = data[:at].count(b"\n") + 1
    err = refused(project, where=f"sources/000_030b69dee8e05829.txt:{line}: ", says=("U+0000 (NUL)", "delete it"))
    assert "Traceback" not in err


@pytest.mark.parametrize("target", ["/etc/passwd", "outside"])
def test_a_raw_export_that_is_a_link_out_of_the_project_is_refused_unread(project, tmp_path, target):
    """A raw export behind a link that leads out of the project is not imported: no article holds its text."""
    if target == "outside":
        target = tmp_path / "export.txt"
        target.write_text("Nato-Treffen in Brüssel\n\nDie Außenminister berieten über die Ukraine.\n", encoding="utf-8")
    (project / "sources/pw.txt").symlink_to(target)
    err = refused(project, where="sources/pw.txt:1: a symbolic link to", says=("outside the project",))
    assert "root:" not in err
    assert len(list((project / "content/articles").iterdir())) == 3


def test_a_raw_export_whose_name_is_no_utf8_text_is_refused(project):
    Path(os.fsdecode(os.fsencode(project / "sources") + b"/b\xffad.txt")).write_bytes(b"Ein Satz.\n")
    err = refused(project, where="sources/b", says=(".txt:1: its name is not UTF-8 text",))
    assert "Traceback" not in err
    assert len(list((project / "content/articles").iterdir())) == 3


@pytest.mark.parametrize("rel", ["layouts/static/evil.css", "layouts/article.html", "layouts/partials/x.html"])
def test_a_layout_or_static_file_that_links_out_of_the_project_is_never_published(project, rel):
    """layouts/ is no window onto the disk either: /etc/passwd behind a link is refused, not copied into site/."""
    path = project / rel
    if rel == "layouts/partials/x.html":
        article = project / "layouts/article.html"
        article.write_text(
            article.read_text(encoding="utf-8").replace(
                "{% block main %}\n", "{% block main %}\n{% include 'partials/x.html' %}\n", 1
            ),
            encoding="utf-8",
        )
    path.unlink(missing_ok=True)
    path.symlink_to("/etc/passwd")
    err = refused(project, where=f"{rel}:1: ", says=("a symbolic link to /etc/passwd, outside the project",))
    assert "root:" not in err
