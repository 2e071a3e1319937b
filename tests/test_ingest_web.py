"""Saved web pages as raw exports: extraction, metadata, variants across formats, pages that hold no article."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.content import frontmatter
from dossier.errors import BuildFailed
from dossier.ingest import import_sources, read_source
from dossier.ingest.raw import Block

from conftest import copy_project

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "web_pages"
SEEDS = ROOT / "sources"
ARTICLES = Path("content/articles")
RUTTE = "nato-chef-mark-rutte-teilt-aus.md"
ESTLAND = "estland-draengt-auf-staerkere-luftverteidigung.md"
KALLAS = "kallas-will-sanktionen-gegen-russlands-schattenflotte-verschaerfen.md"
BLINKEN = "blinken-verabschiedet-sich-von-der-nato.md"
ROETTGEN = "roettgen-kritisiert-debatte-ueber-friedenstruppen.md"
SEEDS_NAMES = {p.name[:3]: p.name for p in SEEDS.iterdir()}


def page(name: str):
    """A fixture page read as a raw export (RawArticle, warnings)."""
    return read_source(f"sources/{name}", (PAGES / name).read_bytes())


def project(tmp_path: Path, *pages: str, seeds: bool = True) -> Path:
    """A project holding the seeds (or not) and the given fixture pages in sources/."""
    (tmp_path / "sources").mkdir()
    for path in SEEDS.iterdir() if seeds else ():
        shutil.copy(path, tmp_path / "sources" / path.name)
    for name in pages:
        shutil.copy(PAGES / name, tmp_path / "sources" / name)
    return tmp_path


def read(root: Path, name: str) -> frontmatter.Document:
    """The parsed article file."""
    return frontmatter.parse((root / ARTICLES / name).read_text(encoding="utf-8"), name)


def test_json_ld_gives_the_metadata_and_the_body_keeps_its_structure():
    raw, warnings = page("json_ld.html")
    assert warnings == [] and raw.format == "web-page"
    assert raw.title == "Estland drängt auf stärkere Luftverteidigung"  # headline, not the <title> with the site
    assert raw.kicker == "Nato-Ostflanke"
    assert raw.teaser.startswith("Beim Treffen der Nato-Außenminister in Brüssel fordert Tallinn")
    assert raw.date == dt.date(2024, 12, 3)  # datePublished, not dateModified
    assert raw.authors == ["Kadri Tamm", "Jonas Weber"]
    assert raw.publisher == "Baltische Rundschau"
    assert raw.tags == ["Nato", "Estland", "Luftverteidigung"]  # the repeated keyword once
    assert raw.source_url == "https://rundschau.example/politik/estland-luftverteidigung-nato"
    assert [b.kind for b in raw.blocks] == ["p", "p", "h", "p", "q", "p", "p"]
    assert raw.blocks[2].text == "Rutte zeigt Verständnis"
    assert raw.blocks[4].text.startswith("„Wenn wir irgendwann zu einem Ukraine-Deal kommen")
    [link] = raw.links
    assert raw.blocks[link.block].text[link.start : link.end] == "Mark Rutte"
    assert link.url == "https://rundschau.example/thema/mark-rutte"
    text = " ".join(b.text for b in raw.blocks)
    assert "Kultur" not in text and "©" not in text  # navigation and footer


def test_open_graph_tags_alone_give_the_metadata():
    raw, _ = page("open_graph.html")
    assert raw.title == "Kallas will Sanktionen gegen Russlands Schattenflotte verschärfen"
    assert (
        raw.teaser
        == "Die neue EU-Außenbeauftragte nutzt ihren ersten Auftritt bei der Nato für einen Vorstoß gegen alte Öltanker."
    )
    assert raw.date == dt.date(2024, 12, 4)
    assert raw.authors == ["Merle Hansen"]
    assert raw.publisher == "Weser-Bote"
    assert raw.tags == ["EU", "Sanktionen", "Kaja Kallas"]
    assert raw.source_url == "https://weser-bote.example/politik/kallas-schattenflotte-sanktionen"
    assert raw.kicker == "" and len(raw.blocks) == 4


def test_boilerplate_is_left_out_and_the_meta_tags_time_and_canonical_link_count():
    raw, _ = page("boilerplate.html")
    text = "\n".join(b.text for b in raw.blocks)
    for junk in ("Cookies", "Newsletter", "Postfach", "Teilen", "Twittern", "Leser_42", "Kommentare",
                 "Mehr zum Thema", "Lawrow reist", "Impressum", "Alle Rechte", "Breadcrumb", "Region"):  # fmt: skip
        assert junk not in text, junk
    assert text.startswith("Als Antony Blinken am Mittwochnachmittag")
    assert text.endswith("zum Treffen der OSZE.")
    assert [b.text for b in raw.blocks if b.kind == "h"] == ["Sorge vor dem Kurswechsel"]
    assert "Von Paul Becker" not in text  # the byline goes to the front matter
    assert (raw.kicker, raw.title) == ("Abschied in Brüssel", "Blinken verabschiedet sich von der Nato")
    assert raw.authors == ["Paul Becker"]  # <meta name=author>
    assert raw.date == dt.date(2024, 12, 4)  # <time datetime>
    assert raw.publisher == "Rheinische Abendpost"  # the site name in <title>
    assert raw.source_url == "https://abendpost.example/politik/ausland/blinken-abschied-nato-100.html"


def test_a_windows_1252_page_keeps_its_umlauts_and_the_encoding_is_recorded(tmp_path):
    data = (PAGES / "windows_1252.html").read_bytes()
    assert "Röttgen".encode("cp1252") in data and "Röttgen".encode() not in data
    root = project(tmp_path, "windows_1252.html", seeds=False)
    import_sources(root)
    doc = read(root, ROETTGEN)
    assert doc.meta["title"] == "Röttgen kritisiert Debatte über Friedenstruppen"
    assert doc.meta["authors"] == ["Jörg Müßig"]
    assert "„gedankenlos“" in doc.body and "Äußerungen" in doc.body and "–" in doc.body
    assert doc.meta["provenance"][0]["encoding"] == "windows-1252"
    (root / ARTICLES / ROETTGEN).read_bytes().decode("utf-8")  # content files stay UTF-8


def test_a_page_copy_of_a_seed_merges_into_its_article(tmp_path):
    root = project(tmp_path)
    import_sources(root)
    before = read(root, RUTTE)
    shutil.copy(PAGES / "seed_copy.html", root / "sources" / "rutte.html")
    report = import_sources(root)
    assert [p.name for p in report.written] == [RUTTE]
    assert sorted(p.name for p in (root / ARTICLES).iterdir()) == sorted(
        [RUTTE, "nato-will-die-ukraine-militaerisch-staerken.md",
         "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes.md"]
    )  # fmt: skip
    after = read(root, RUTTE)
    assert after.body == before.body  # the plain export stays the cleanest body
    prov = after.meta["provenance"]
    assert [(p["file"], p["format"]) for p in prov][-1] == ("sources/rutte.html", "web-page")
    assert len(prov) == 3 and "metadata" in prov[-1]["used_for"]
    assert after.meta["source_url"] == "https://taz.de/Nato-Aussenministertreffen/!6050001/"  # only the page has it
    assert after.meta["title"] == before.meta["title"] and after.meta["authors"] == ["Eric Bonse"]
    assert "sources/rutte.html: merged into content/articles/nato-chef-mark-rutte-teilt-aus.md" in report.lines


def test_the_page_alone_gives_the_same_article_text(tmp_path):
    root = project(tmp_path, "seed_copy.html", seeds=False)
    import_sources(root)
    doc = read(root, RUTTE)
    assert doc.meta["kicker"] == "Nato-Außenministertreffen" and doc.meta["publisher"] == "taz"
    assert doc.body.lstrip().startswith(
        "Brüssel taz | Der nahende [Machtwechsel in Washington](https://taz.de/Donald-Trump/!t5204455/)"
    )
    assert "\n## Ukraine fordert sofortige Einladung in die Nato\n" in doc.body
    assert "Generalsekretär Mark Rutte kritisiert" not in doc.body  # the teaser is not repeated in the body
    assert "Mehr zum Thema" not in doc.body and "Autor:" not in doc.body


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("consent_wall.html", "a cookie or consent notice"),
        ("paywall.html", "a paywall teaser (only"),
        ("index_page.html", "an index page listing 6 articles"),
        ("error_page.html", "an error page ('Seite nicht gefunden (404)"),
        ("server_404.html", "an error page ('404 Not Found')"),
        ("paywall_box.html", "a paywall teaser (only"),
        ("collection_page.html", "an index page listing 4 articles"),
    ],
)
def test_a_page_without_an_article_gives_a_warning_and_no_article(tmp_path, name, found):
    root = project(tmp_path, name, "json_ld.html", seeds=False)
    report = import_sources(root)
    assert sorted(p.name for p in (root / ARTICLES).iterdir()) == [ESTLAND]  # the other page still imports
    [warning] = [w for w in report.warnings if w.path == f"sources/{name}"]
    assert warning.severity == "warning"
    assert str(warning).startswith(f"sources/{name}: warning: no article in this page: {found}")
    assert f"sources/{name}: no article, skipped (see the warning)" in report.lines


def test_pages_are_recognised_by_their_content_not_their_name(tmp_path):
    root = project(tmp_path, seeds=False)
    shutil.copy(PAGES / "open_graph.html", root / "sources" / "kallas.txt")
    import_sources(root)
    assert read(root, KALLAS).meta["provenance"][0]["format"] == "web-page"


def test_a_new_page_is_linked_and_grouped_like_the_seeds(tmp_path, capsys):
    from dossier.pipeline import BuildOptions, build

    root = copy_project(tmp_path / "project")
    shutil.copy(PAGES / "json_ld.html", root / "sources" / "estland.html")
    shutil.copy(PAGES / "consent_wall.html", root / "sources" / "wall.html")
    result = build(BuildOptions(root=root, jobs=1, search=False))
    out = capsys.readouterr().out
    assert f"sources/estland.html: new article content/articles/{ESTLAND}" in out
    assert "sources/wall.html: no article, skipped" in out
    assert any(str(w).startswith("sources/wall.html: warning: no article") for w in result.warnings)
    html = (root / "site" / "artikel" / ESTLAND.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert 'href="../../personen/mark-rutte/index.html"' in html  # the mention is linked
    assert "<blockquote>" in html and 'class="quote-ref"' in html
    quotes = (root / "site" / "zitate" / "index.html").read_text(encoding="utf-8")
    group = quotes[quotes.index("Wenn wir irgendwann zu einem Ukraine-Deal") :][:4000]
    assert "estland-draengt" in group and "nato-will-die-ukraine" in group  # one group, both sources


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file, as an editor (or a re-saved page) would."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_editor_work_survives_a_reimport_of_a_changed_page(tmp_path):
    root = project(tmp_path, "open_graph.html", seeds=False)
    import_sources(root)
    article = root / ARTICLES / KALLAS
    edit(article, "\n---\n", "\ndate_note: Von Hand geprüft.\n---\n")
    edit(
        root / "sources" / "open_graph.html",
        "Kallas zeigte sich zuversichtlich",
        "Kallas zeigte sich sehr zuversichtlich",
    )
    report = import_sources(root)
    assert report.lines[0] == f"sources/open_graph.html: changed, re-imported into content/articles/{KALLAS}"
    doc = read(root, KALLAS)
    assert doc.meta["date_note"] == "Von Hand geprüft." and "sehr zuversichtlich" in doc.body


def test_a_hand_edited_article_stops_the_reimport_of_a_changed_page(tmp_path):
    root = project(tmp_path, "open_graph.html", seeds=False)
    import_sources(root)
    article = root / ARTICLES / KALLAS
    edit(article, "Umweltverbände warnen", "Umweltverbände und Reeder warnen")
    edited = article.read_bytes()
    edit(
        root / "sources" / "open_graph.html",
        "Kallas zeigte sich zuversichtlich",
        "Kallas zeigte sich sehr zuversichtlich",
    )
    with pytest.raises(BuildFailed, match=rf"content/articles/{KALLAS}:1: edited by hand .*open_graph\.html"):
        import_sources(root)
    assert article.read_bytes() == edited


def test_missing_metadata_is_a_warning_naming_the_content_file(tmp_path):
    root = project(tmp_path, seeds=False)
    html = (PAGES / "open_graph.html").read_text(encoding="utf-8")
    for tag in ('<meta property="article:author" content="Merle Hansen">\n', '<meta property="og:site_name" content="Weser-Bote">\n'):  # fmt: skip
        html = html.replace(tag, "")
    (root / "sources" / "kallas.html").write_text(html.replace(" - Weser-Bote", ""), encoding="utf-8")
    report = import_sources(root)
    [warning] = report.warnings
    assert str(warning) == (
        f"content/articles/{KALLAS}: warning: its raw exports give no author or publisher; "
        "add 'authors:', 'publisher:' to this file by hand (a re-import keeps what you add)"
    )
    assert import_sources(root).warnings == [warning]  # said again while it lasts, also when nothing is imported


def test_a_deleted_raw_export_leaves_its_article_and_is_warned_about(tmp_path):
    root = project(tmp_path, "seed_copy.html")
    import_sources(root)
    before = (root / ARTICLES / RUTTE).read_bytes()
    (root / "sources" / "seed_copy.html").unlink()
    report = import_sources(root)
    assert (root / ARTICLES / RUTTE).read_bytes() == before
    [warning] = [w for w in report.warnings if "gone" in w.message]
    assert warning.path == f"content/articles/{RUTTE}" and warning.line > 1
    assert "sources/seed_copy.html is gone from sources/" in warning.message


def test_a_short_article_with_a_list_of_other_articles_is_still_an_article():
    raw, _ = page("short_with_teasers.html")
    assert raw.title == "Kallas besucht Kiew" and len(raw.blocks) == 3
    assert "Wetter am Wochenende" not in " ".join(b.text for b in raw.blocks)


def test_an_undeclared_windows_1252_page_saved_by_chrome_keeps_its_umlauts_and_address():
    raw, _ = page("chrome_saved_undeclared_1252.html")
    assert raw.encoding == "windows-1252" and "„Wir stehen zusammen“" in raw.blocks[0].text
    assert raw.source_url == "https://example-zeitung.example/politik/nato-123"  # from '<!-- saved from url=… -->'
    assert raw.links[0].url == "https://example-zeitung.example/politik/nato-plan-456"


def test_a_kicker_inside_the_headline_and_a_byline_without_declared_author():
    raw, _ = page("kicker_in_headline.html")
    assert (raw.kicker, raw.title) == ("Nato-Außenminister", "Streit über Einladung an Kiew")
    assert raw.authors == ["Ina Beispiel"]  # the byline; the declared author is the publisher itself
    assert raw.teaser == "Die Nato-Außenminister beraten über die Ukraine – eine Einladung bleibt aus."  # &ndash;
    assert raw.blocks[2] == Block("h", "Rutte: Erst Waffen, dann Gespräche")


@pytest.mark.parametrize(
    ("data", "what"),
    [  # (a web archive is read: tests/test_ingest_archives.py)
        (b"{\\rtf1\\ansi Nato-Treffen in Br\\'fcssel}", "a Rich Text (RTF) file"),
    ],
)
def test_files_saved_in_a_format_the_importer_does_not_read_say_how_to_save_them(tmp_path, data, what):
    root = project(tmp_path, seeds=False)
    (root / "sources" / "saved.mhtml").write_bytes(data)
    with pytest.raises(BuildFailed, match=rf"sources/saved\.mhtml:1: {re.escape(what)}, not a raw export .* instead"):
        import_sources(root)


def test_an_import_that_writes_nothing_says_only_what_is_news(tmp_path):
    root = project(tmp_path, "consent_wall.html")
    first = import_sources(root)
    assert len(first.say()) == 7  # five seeds, the skipped page, the summary
    again = import_sources(root)  # the page is parsed again (it is no article), nothing is written
    assert again.say() == ["sources/consent_wall.html: no article, skipped (see the warning)", again.summary]


def test_a_page_copy_of_the_hand_edited_seed_article_merges_and_keeps_the_editors_work(tmp_path):
    root = copy_project(tmp_path / "project")  # the real content: 003's article has a hand-edited title
    konkret = "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes.md"
    before = read(root, konkret)
    shutil.copy(PAGES / "seed_copy_plain.html", root / "sources" / "ard.html")
    report = import_sources(root)
    assert [p.name for p in report.written] == [konkret]
    doc = read(root, konkret)
    assert doc.body == before.body
    for key in ("title", "kicker", "date", "date_note"):  # changed or added by hand
        assert doc.meta[key] == before.meta[key], key
    assert doc.meta["publisher"] == "Beispiel-Nachrichten"  # what the page adds
    assert doc.meta["source_url"] == "https://nachrichten.example/ausland/europa/nato-aussenminister-treffen-100.html"
    assert [p["format"] for p in doc.meta["provenance"]] == ["plain", "web-page"]


def test_a_hand_edited_imported_field_is_kept_when_a_new_variant_leaves_it_alone(tmp_path):
    root = project(tmp_path)
    import_sources(root)
    edit(root / ARTICLES / RUTTE, "title: Nato-Chef Mark Rutte teilt aus", "title: Rutte teilt aus")
    edit(root / ARTICLES / RUTTE, "Olaf Scholz", "Bundeskanzler Olaf Scholz (SPD)")
    shutil.copy(PAGES / "seed_copy.html", root / "sources" / "rutte.html")
    report = import_sources(root)
    assert (
        f"sources/rutte.html: merged into content/articles/{RUTTE} (kept your changes to title, body)" in report.lines
    )
    doc = read(root, RUTTE)
    assert doc.meta["title"] == "Rutte teilt aus" and "Olaf Scholz (SPD)" in doc.body
    assert doc.meta["source_url"] == "https://taz.de/Nato-Aussenministertreffen/!6050001/"
    edit(root / "sources" / "rutte.html", "Sky News", "Sky")  # a changed page: what was imported is not known now
    assert "sources/rutte.html" in str(caught_failure(root))


def caught_failure(root: Path) -> BuildFailed:
    """The BuildFailed an import raises."""
    with pytest.raises(BuildFailed) as caught:
        import_sources(root)
    return caught.value


def test_a_new_variant_that_changes_a_hand_edited_field_stops_the_import(tmp_path):
    root = project(tmp_path)
    import_sources(root)
    konkret = root / ARTICLES / "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes.md"
    edit(konkret, "title: Treffen der Außenminister NATO", "title: NATO")
    page = (PAGES / "seed_copy_plain.html").read_text(encoding="utf-8")
    (root / "sources" / "ard.html").write_text(page.replace('"headline": "NATO bietet', '"headline": "Nato bietet'))
    edited = konkret.read_bytes()
    message = str(caught_failure(root))
    assert "they change what you changed too (title)" in message and "--force" in message
    assert konkret.read_bytes() == edited


def test_a_date_only_in_the_markup_is_found_and_date_lines_soft_hyphens_and_no_break_spaces_are_cleaned():
    sentence = (
        "Nato-Gene\u00adral\u00adsekre\u00adtär Mark\u00a0Rutte sprach am Dienstag in Brüssel über die Lage im Osten. "
    )
    page = (
        "<html><head><title>Rutte spricht</title></head><body><article><h1>Rutte spricht</h1>"
        '<div class="article-date">Veröffentlicht am 4. Dezember 2024, 12:30 Uhr</div>'
        f"<p>{sentence * 4}</p><p>Am 3. Dezember 2024 begann das Treffen.</p></article></body></html>"
    )
    raw, _ = read_source("sources/rutte.html", page.encode())
    assert raw.date == dt.date(2024, 12, 4)  # htmldate, from the marked date
    assert raw.blocks[0].text.startswith("Nato-Generalsekretär Mark Rutte sprach")
    assert raw.blocks[1].text == "Am 3. Dezember 2024 begann das Treffen."  # a sentence stays


@pytest.mark.parametrize(
    ("declared", "saved_as", "read_as"),
    [
        ("iso-8859-1", "cp1252", "windows-1252"),  # browsers read Latin-1 labels as Windows-1252 („“ are 0x84/0x93)
        ("windows-1252", "utf-8", "utf-8"),  # re-encoded on saving, the old label kept: the bytes win
        ("utf-8", "cp1252", "windows-1252"),  # mislabelled: not valid UTF-8, so detected
    ],
)
def test_the_declared_charset_is_honoured_and_a_wrong_one_survived(declared, saved_as, read_as):
    html = (PAGES / "windows_1252.html").read_bytes().decode("cp1252")
    html = html.replace("charset=windows-1252", f"charset={declared}")
    raw, _ = read_source("sources/page.html", html.encode(saved_as))
    assert raw.encoding == read_as
    assert raw.title == "Röttgen kritisiert Debatte über Friedenstruppen"
    assert "„gedankenlos“" in raw.blocks[0].text


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python build.py` on a project folder (no search index: these tests look at the import)."""
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "--no-search", "-j", "1", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_the_command_line_prints_the_import_and_never_a_traceback(tmp_path):
    root = copy_project(tmp_path / "project")
    shutil.copy(PAGES / "json_ld.html", root / "sources" / "estland.html")
    shutil.copy(PAGES / "consent_wall.html", root / "sources" / "wall.html")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert f"sources/estland.html: new article content/articles/{ESTLAND}\n" in result.stdout
    assert "sources/wall.html: warning: no article in this page: a cookie or consent notice" in result.stderr
    quiet = run_build(root, "-q", "--force")
    assert quiet.returncode == 0 and quiet.stdout == ""
    content = {p.name: p.read_bytes() for p in (root / ARTICLES).iterdir()}
    (root / "sources" / "junk.html").write_bytes(bytes(range(256)) * 16)
    broken = run_build(root)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert broken.stderr.startswith("sources/junk.html:1: not a text file")
    assert {p.name: p.read_bytes() for p in (root / ARTICLES).iterdir()} == content


SHORT_NEWS = (
    "Kiew (dpa) - Bei der Suche nach einem seit Montag vermissten Bergsteiger in den Karpaten haben die Retter "
    "auch am Mittwoch keine Spur gefunden. Das Wetter erschwere die Arbeit, teilte der Zivilschutz mit. "
    "Hubschrauber könnten erst wieder fliegen, wenn der Schneefall nachlasse. Die Suche soll am Donnerstag "
    "mit mehr Helfern fortgesetzt werden."
)


@pytest.mark.parametrize(
    ("title", "extra"),
    [
        ("Vermisster nicht gefunden", ""),  # error wording in a news headline
        ("500 Helfer suchen in den Karpaten", ""),  # a number, not a status code
        ("Suche in den Karpaten geht weiter", '<div id="paywall-container"></div>'),  # an empty paywall placeholder
        ("Suche in den Karpaten", '<nav><a href="/abo/">Abo</a> <a href="/abo/plus/">Jetzt abonnieren</a></nav>'),
    ],
)
def test_a_short_news_item_is_an_article(title, extra):
    page = f"<html><head><title>{title}</title></head><body>{extra}<article><h1>{title}</h1><p>{SHORT_NEWS}</p></article></body></html>"
    raw, _ = read_source("sources/kurz.html", page.encode())
    assert raw.title == title and raw.blocks[0].text == SHORT_NEWS


def test_a_site_wide_bar_with_a_kicker_like_class_is_no_kicker():
    html = (PAGES / "json_ld.html").read_text(encoding="utf-8")
    html = html.replace('<div class="page">', '<div class="page"><div class="topline">Abo | Login</div>')
    raw, _ = read_source("sources/estland.html", html.encode())
    assert raw.kicker == "Nato-Ostflanke"


def test_an_old_page_laid_out_in_a_table_keeps_its_paragraphs_title_and_date():
    raw, _ = page("old_table_layout.html")  # ISO-8859-1 declared, <br><br> paragraphs, <b> headline, <font> date
    assert raw.encoding == "windows-1252"
    assert raw.title == "Nato in Brüssel"  # the headline, not '<site> - <headline>'
    assert raw.date == dt.date(2024, 12, 4)
    assert [b.kind for b in raw.blocks] == ["p", "p", "p"]  # no 'Home', no date line, no headline
    assert raw.blocks[1].text.startswith("Generalsekretär Mark Rutte forderte mehr Flugabwehr. „Wir müssen mehr tun“")


def test_a_summary_box_is_the_teaser_and_a_back_link_is_navigation():
    raw, _ = page("summary_and_backlink.html")
    assert raw.teaser.startswith("Die Außenministerin spricht von einer internationalen Präsenz")
    assert raw.authors == ["Anna Beispiel", "Ben Muster"] and raw.publisher == "Wochenblatt"
    text = " ".join(b.text for b in raw.blocks)
    assert "Zur Startseite" not in text and "Anzeige" not in text and "Typisch" not in text
    assert raw.blocks[-1].text.endswith("weiß in Brüssel niemand.")


def test_a_failing_build_still_says_which_pages_were_skipped(tmp_path):
    root = copy_project(tmp_path / "project")
    shutil.copy(PAGES / "consent_wall.html", root / "sources" / "wall.html")
    shutil.copy(PAGES / "short_with_teasers.html", root / "sources" / "kallas.html")  # no date: the build fails
    result = run_build(root)
    assert result.returncode == 1
    assert "content/articles/kallas-besucht-kiew.md:1: missing required key 'date'" in result.stderr
    assert "sources/wall.html: warning: no article in this page" in result.stderr
