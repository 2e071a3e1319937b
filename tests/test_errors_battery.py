"""Issue #12, "every mistake answered, nothing lost": each mistake an editor can make is refused by
the real command line with exit status 1 (2 for a bad option), a `file:line` message that says what
to do, no Python traceback, and site/ and every content file exactly as they were."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "nato-chef-mark-rutte-teilt-aus"  # an imported article of the dossier
# only at the top (dossier/site stays); tests/ too: its tools (Node packages, the Nu checker) are 200 MB per copy
TOP_SKIPPED = {".git", "site", ".dossier-cache", ".pytest_cache", ".ruff_cache", "tests"}


def skipped(folder: str, names: list[str]) -> set[str]:
    """What the project copy leaves out: the repository, the tests, the built site, caches."""
    top = Path(folder) == REPO
    return {n for n in names if (top and n in TOP_SKIPPED) or n == "__pycache__" or n.endswith(".egg-info")}


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python build.py --root ROOT ARGS…` of the project copy, as an editor runs it."""
    return subprocess.run(
        [sys.executable, str(root / "build.py"), "--root", str(root), "--no-search", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def built_copy(root: Path, ignore=skipped) -> Path:
    """The project (code, content, layouts, sources) copied to `root` and built once; `root`."""
    shutil.copytree(REPO, root, ignore=ignore)
    assert (root / "dossier/site/markdown.py").exists()  # the copy runs this checkout's code, all of it
    result = run(root)
    assert result.returncode == 0, result.stderr
    return root


def changeable_copy(built: Path, root: Path) -> Path:
    """A copy of a built project (`built_copy`) at `root` that a test may change; `root`."""
    shutil.copytree(built, root, symlinks=True)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The project (code, content, layouts, sources) copied and built once."""
    return built_copy(tmp_path_factory.mktemp("battery") / "project")


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A built copy of the project that a test may change."""
    return changeable_copy(built, tmp_path / "project")


def snapshot(root: Path) -> dict[str, str]:
    """SHA-256 of every file of site/, content/ and sources/."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for part in ("site", "content", "sources")
        for p in sorted((root / part).rglob("*"))
        if p.is_file()
    }


def refused(root: Path, *args: str, where: str, says: tuple[str, ...] = (), status: int = 1) -> str:
    """Run the command, assert it is refused as issue #12 asks, and return its stderr."""
    before = snapshot(root)
    result = run(root, *args)
    err = result.stderr
    assert result.returncode == status, f"exit {result.returncode}\n{result.stdout}\n{err}"
    assert "Traceback" not in err, err
    assert where in err, err
    for words in says:
        assert words in err, f"{words!r} not in:\n{err}"
    assert snapshot(root) == before, "a refused command changed site/ or content/"
    return err


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def article(title: str = "Probe", *, head: str = "", body: str = "Ein Satz über die Nato.") -> str:
    """A hand-written article whose `date` is on line 4 (after `head` lines, if any)."""
    return f"---\ntitle: {title}\nkicker: Probe\ndate: 2024-12-05\n{head}---\n\n{body}\n"


# 1. Impossible dates, unquoted and quoted, in every kind of file


BAD_DATES = [
    ("2024-02-30", "February 2024 has 29 days"),
    ("2024-13-45", "no month 13"),
    ("'2024-02-30'", "February 2024 has 29 days"),
    ('"2024-13-45"', "no month 13"),
]


@pytest.mark.parametrize(("value", "why"), BAD_DATES)
def test_an_impossible_article_date_is_explained(project, value, why):
    write(project, "content/articles/x.md", article().replace("2024-12-05", value))
    shown = value.strip("'\"")
    err = refused(project, where="content/articles/x.md:4:", says=(f"date '{shown}' is not a real day", why))
    assert "ValueError" not in err and "YYYY-MM-DD" in err
    refused(project, "check", where="content/articles/x.md:4:", says=(why,))


@pytest.mark.parametrize(("value", "why"), BAD_DATES)
def test_impossible_event_dates_are_explained(project, value, why):
    event = "---\ntitle: Probe\ndate: 2024-12-03\nend: {end}\nsource: " + ARTICLE + "\n---\n\nText.\n"
    write(project, "content/timeline/x.md", event.format(end=value))
    refused(project, where="content/timeline/x.md:4:", says=("end: date", why))
    write(project, "content/timeline/x.md", event.format(end="2024-12-04").replace("2024-12-03", value))
    refused(project, where="content/timeline/x.md:3:", says=("is not a real day", why))


@pytest.mark.parametrize(("value", "why"), BAD_DATES)
def test_impossible_annotation_and_home_dates_are_explained(project, value, why):
    note = project / "content/annotations/blinken-vorname.md"
    note.write_text(note.read_text(encoding="utf-8").replace("date: 2024-12-05", f"date: {value}"), encoding="utf-8")
    refused(project, where="content/annotations/blinken-vorname.md:6:", says=(why,))
    note.write_bytes((REPO / "content/annotations/blinken-vorname.md").read_bytes())
    home = project / "content/_index.md"
    home.write_text(
        home.read_text(encoding="utf-8").replace("event_start: 2024-12-03", f"event_start: {value}"), encoding="utf-8"
    )
    refused(project, where="content/_index.md:5:", says=("event_start: date", why))


# 2. Files that are not UTF-8


def test_a_file_that_is_not_utf8_is_located_by_line_and_column(project):
    text = article(body="Erster Absatz.\n\nIn Br\xfcssel trafen sich die Minister.").encode("latin-1")
    write(project, "content/articles/latin.md", text)
    err = refused(project, where="content/articles/latin.md:9:", says=("column 6", "save the file as UTF-8"))
    assert "UnicodeDecodeError" not in err
    refused(project, "check", where="content/articles/latin.md:9:", says=("UTF-8",))


def test_a_start_page_that_is_not_utf8_is_reported(project):
    home = project / "content/_index.md"
    home.write_bytes(home.read_bytes().replace("Brüssel".encode(), "Brüssel".encode("cp1252"), 1))
    refused(project, where="content/_index.md:2:", says=("save the file as UTF-8",))


# 3. Control characters


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (article(title="Pro\x00be"), 2),
        (article(body="Ein Satz.\n\nNoch ein \x1b[31mSatz."), 9),
        (article(head="teaser: Ein\x0cSatz\n"), 5),
    ],
)
def test_control_characters_are_refused_with_their_line(project, text, line):
    write(project, "content/articles/x.md", text)
    err = refused(project, where=f"content/articles/x.md:{line}:", says=("control character", "delete it"))
    assert "ReaderError" not in err and "unacceptable character" not in err


# 4. YAML in plain words; unsafe YAML refused quickly


def test_a_tab_in_the_indentation_is_named(project):
    write(project, "content/articles/x.md", article(head="tags:\n\t- Nato\n"))
    err = refused(project, where="content/articles/x.md:6:", says=("a tab in the indentation (YAML needs spaces)",))
    assert "the line reads: \\t- Nato" in err and "cannot start any token" not in err


def test_a_colon_in_a_value_is_named_and_its_line_echoed(project):
    write(project, "content/articles/x.md", article(head="teaser: Rutte sagt: kein Deal\n"))
    err = refused(project, where="content/articles/x.md:5:", says=("a colon in the value: put the value in quotes",))
    assert "the line reads: teaser: Rutte sagt: kein Deal" in err and "mapping values" not in err


def test_an_entity_with_broken_yaml_is_named(project):
    write(project, "content/people/x.md", "---\nname: Probe\nrole: Chef: der Nato\n---\n")
    refused(project, "check", where="content/people/x.md:3:", says=("put the value in quotes",))


@pytest.mark.parametrize(
    ("head", "says"),
    [
        ("teaser: !!python/object/apply:os.system ['touch pwned']\n", "the YAML tag '!!python/object/apply:os.system'"),
        ("teaser: !include secret.txt\n", "the YAML tag '!include'"),
        ("author: &a Ich\nauthors:\n- *a\n", "anchors and aliases"),
        ("title: Zweimal\n", "the key 'title' appears twice"),
    ],
)
def test_unsafe_yaml_is_refused(project, head, says):
    write(project, "content/articles/x.md", article(head=head))
    refused(project, where="content/articles/x.md:", says=(says,))
    assert not (project / "pwned").exists()


def test_a_billion_laughs_is_refused_at_once(project):
    bomb = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
        f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    write(project, "content/people/bomb.md", f"---\nname: Bombe\n{bomb}---\n")
    refused(project, where="content/people/bomb.md:3:", says=("anchors and aliases (&name, *name) are not allowed",))


# 5. Scaffolds are drafts until an editor publishes them


def test_a_new_article_is_a_draft_until_published(project):
    result = run(project, "new", "article", "Probe Artikel")
    assert result.returncode == 0, result.stderr
    text = (project / "content/articles/probe-artikel.md").read_text(encoding="utf-8")
    assert "draft: true" in text
    build = run(project)
    assert build.returncode == 0, build.stderr
    assert not (project / "site/artikel/probe-artikel").exists()
    assert "content/articles/probe-artikel.md:" in build.stderr and "draft" in build.stderr
    refused(project, "check", "--strict", where="content/articles/probe-artikel.md:", says=("draft",))
    assert run(project, "--drafts").returncode == 0
    assert (project / "site/artikel/probe-artikel/index.html").exists()


@pytest.mark.parametrize(
    ("kind", "folder", "page"),
    [
        ("person", "people", "personen"),
        ("organisation", "organisations", "organisationen"),
        ("place", "places", "orte"),
    ],
)
def test_a_new_entity_is_a_draft_until_published(project, kind, folder, page):
    assert run(project, "new", kind, "Probe Eintrag").returncode == 0
    path = project / f"content/{folder}/probe-eintrag.md"
    assert "draft: true" in path.read_text(encoding="utf-8")
    build = run(project)
    assert build.returncode == 0, build.stderr
    assert not (project / f"site/{page}/probe-eintrag").exists()
    assert f"content/{folder}/probe-eintrag.md:" in build.stderr
    refused(project, "--strict", where=f"content/{folder}/probe-eintrag.md:", says=("draft",))
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    assert run(project).returncode == 0
    assert (project / f"site/{page}/probe-eintrag/index.html").exists()


def test_a_new_annotation_is_a_draft_until_published(project):
    made = run(project, "new", "annotation", "--article", ARTICLE, "--passage", "Heftige Vorwürfe", "--slug", "probe")
    assert made.returncode == 0, made.stderr
    path = project / "content/annotations/probe.md"
    assert "draft: true" in path.read_text(encoding="utf-8")
    build = run(project)
    assert build.returncode == 0, build.stderr
    assert 'id="anm-probe"' not in (project / f"site/artikel/{ARTICLE}/index.html").read_text(encoding="utf-8")
    refused(project, "check", "--strict", where="content/annotations/probe.md:", says=("draft",))


# 6. --strict says why a warning fails


def test_strict_says_that_warnings_count_as_errors(project):
    write(project, "content/articles/x.md", article(head="draft: true\n"))
    for command in (("check", "--strict"), ("--strict",)):
        refused(project, *command, where="content/articles/x.md:", says=("under --strict warnings count as errors",))


# 7. A speaker without a person file


def test_an_unknown_speaker_hints_at_new_person(project):
    body = "„Wir bleiben an der Seite der Ukraine“, sagte sie in Kiew."
    head = "speakers:\n- quote: Wir bleiben an der Seite\n  speaker: marta-kos\n"
    write(project, "content/articles/x.md", article(head=head, body=body))
    refused(
        project,
        where="content/articles/x.md:6:",
        says=("unknown speaker 'marta-kos'", 'python build.py new person "Marta Kos"'),
    )


# 8. Links to people: near misses and fragments


@pytest.mark.parametrize("href", ["persons:mark-rutte", "people:mark-rutte", "../personen/mark-rutte/"])
def test_a_near_miss_person_link_suggests_the_reference(project, href):
    write(project, "content/articles/x.md", article(body=f"Ein Satz über [den Generalsekretär]({href})."))
    refused(project, where="content/articles/x.md:7:", says=("did you mean person:mark-rutte?",))


def test_a_person_link_keeps_its_fragment(project):
    write(project, "content/articles/x.md", article(body="Die [Zitate](person:mark-rutte#zitate) des Chefs."))
    result = run(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site/artikel/x/index.html").read_text(encoding="utf-8")
    assert 'href="../../personen/mark-rutte/index.html#zitate"' in page
    write(project, "content/articles/x.md", article(body="Die [Zitate](person:mark-rutte#gibts-nicht) des Chefs."))
    refused(project, "check", where="content/articles/x.md:", says=("no element with id 'gibts-nicht'",))


# 9. An ambiguous passage for `new annotation`


def test_new_annotation_refuses_a_repeated_passage_without_occurrence(project):
    err = refused(
        project,
        "new",
        "annotation",
        "--article",
        ARTICLE,
        "--passage",
        "Rutte",
        where=f"content/articles/{ARTICLE}.md:",
        says=("--occurrence",),
    )
    assert len(re.findall(rf"content/articles/{ARTICLE}\.md:\d+", err)) >= 3, err
    made = run(project, "new", "annotation", "--article", ARTICLE, "--passage", "Rutte", "--occurrence", "2")
    assert made.returncode == 0, made.stderr


# 10. The suggested prefix never cuts a word


def words_of(root: Path) -> set[str]:
    """Every word of the article's body."""
    text = (root / f"content/articles/{ARTICLE}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return set(re.findall(r"\w+", text.replace("\u00ad", "")))


def test_the_suggested_prefix_is_whole_words(project):
    note = "---\narticle: " + ARTICLE + "\nexact: Rutte\nkind: Kontext\n---\n\nNotiz.\n"
    write(project, "content/annotations/x.md", note)
    err = refused(project, where="content/annotations/x.md:3:", says=("prefix:",))
    prefix = re.search(r"prefix: '([^']*)'", err).group(1)
    assert prefix and set(re.findall(r"\w+", prefix)) <= words_of(project), prefix
    for n in (2, 3, 4):
        made = run(
            project,
            "new",
            "annotation",
            "--article",
            ARTICLE,
            "--passage",
            "Rutte",
            "--occurrence",
            str(n),
            "--slug",
            f"p{n}",
        )
        assert made.returncode == 0, made.stderr
    for path in (project / "content/annotations").glob("p?.md"):
        for key in ("prefix", "suffix"):
            found = re.search(rf"^{key}: (.*)$", path.read_text(encoding="utf-8"), re.M)
            if found:
                assert set(re.findall(r"\w+", found.group(1))) <= words_of(project), (path.name, found.group(1))


# 11. A base URL that is no web address


@pytest.mark.parametrize("url", ["example.org", "ftp://example.org/", "https//example.org"])
def test_a_base_url_that_is_no_web_address_is_refused(project, url):
    err = refused(project, "--base-url", url, where="--base-url", says=("https://",), status=2)
    assert url in err


def test_a_base_url_in_the_start_page_must_be_a_web_address(project):
    home = project / "content/_index.md"
    home.write_text(
        home.read_text(encoding="utf-8").replace("place:", "base_url: example.org\nplace:"), encoding="utf-8"
    )
    refused(project, where="content/_index.md:7:", says=("base_url", "https://"))
