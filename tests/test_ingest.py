"""The raw-export importer on the real seeds, in a temporary copy of sources/."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from dossier.content import frontmatter
from dossier.content.slugs import slugify
from dossier.errors import BuildFailed
from dossier.ingest import import_sources, parse_source
from dossier.ingest.text import join_lines

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "sources"
ARTICLES = Path("content/articles")
RUTTE = "nato-chef-mark-rutte-teilt-aus.md"
STAERKEN = "nato-will-die-ukraine-militaerisch-staerken.md"
KONKRET = "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes.md"
SEED = {n[:3]: n for n in (p.name for p in SEEDS.iterdir())}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project holding only a copy of the seed sources."""
    shutil.copytree(SEEDS, tmp_path / "sources")
    for path in (tmp_path / "sources").iterdir():
        path.chmod(0o644)
    return tmp_path


@pytest.fixture
def imported(root: Path) -> Path:
    """The seed project after one import."""
    import_sources(root)
    return root


def read(root: Path, name: str) -> frontmatter.Document:
    """The parsed article file."""
    return frontmatter.parse((root / ARTICLES / name).read_text(encoding="utf-8"), name)


def plain_words(markdown: str) -> list[str]:
    """Words of a Markdown body with links and `## ` markers removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"^## ", "", text, flags=re.M).split()


def seed_text(key: str) -> str:
    """The normalised text of a seed file."""
    return frontmatter.normalize_text((SEEDS / SEED[key]).read_bytes())


def test_five_seeds_give_three_articles(imported):
    names = sorted(p.name for p in (imported / ARTICLES).iterdir())
    assert names == sorted([RUTTE, STAERKEN, KONKRET])


@pytest.mark.parametrize(("name", "seed", "skip_lines"), [(RUTTE, "000", 0), (STAERKEN, "002", 0), (KONKRET, "003", 2)])
def test_body_is_the_plain_text_word_for_word(imported, name, seed, skip_lines):
    expected = "\n".join(seed_text(seed).split("\n")[skip_lines:]).split()
    assert plain_words(read(imported, name).body) == expected


def test_metadata_merged_from_the_richest_variants(imported):
    rutte, staerken, konkret = (read(imported, n).meta for n in (RUTTE, STAERKEN, KONKRET))
    assert (rutte["kicker"], rutte["title"]) == ("Nato-Außenministertreffen", "Nato-Chef Mark Rutte teilt aus")
    assert staerken["title"] == "Nato will die Ukraine militärisch stärken"  # uncut from 001's related list
    assert rutte["date"] == dt.date(2024, 12, 4) and staerken["date"] == dt.date(2024, 12, 3)
    assert rutte["authors"] == staerken["authors"] == ["Eric Bonse"]
    assert rutte["publisher"] == staerken["publisher"] == "taz"
    assert rutte["tags"] == [
        "Nato", "Ukraine", "Russland", "Mark Rutte", "Nordkorea", "Wolodymyr Selenskij",
        "Schwerpunkt Krieg in der Ukraine",
    ]  # fmt: skip
    assert staerken["tags"][:4] == ["Ukraine", "Nato", "Schwerpunkt Krieg in der Ukraine", "Brüssel"]
    assert len(staerken["tags"]) == len(set(staerken["tags"])) == 7
    assert staerken["image_caption"].endswith("besprec…")
    assert rutte["related"][2] == {
        "kicker": "Nato-Außenministertreffen",
        "title": "Nato will die Ukraine militärisch stärken",
        "teaser": "Nato-Chef Mark Rutte fordert in Brüssel mehr Unterstützung für Kiew. Ein Nato-Beitritt bleibt strittig.",
    }
    assert konkret["title"] == "Treffen der Außenminister NATO bietet der Ukraine wenig Konkretes"
    assert "date" not in konkret and "publisher" not in konkret and "authors" not in konkret
    assert list(rutte) == [
        "title", "kicker", "teaser", "date", "authors", "publisher", "tags", "image_caption",
        "related", "provenance", "imported",
    ]  # fmt: skip


def test_provenance_names_every_variant(imported):
    prov = read(imported, STAERKEN).meta["provenance"]
    assert [(p["file"], p["format"]) for p in prov] == [
        (f"sources/{SEED['002']}", "plain"),
        (f"sources/{SEED['004']}", "taz-table"),
    ]
    assert prov[0]["used_for"] == ["body"] and "links" in prov[1]["used_for"]


def test_links_on_the_clean_body(imported):
    body = read(imported, RUTTE).body
    assert (
        "[Nato-](https://taz.de/Mark-Rutte/!t5225043/)[Generalsekretär Mark Rutte](https://taz.de/Mark-Rutte/!t5225043/)"
        in body
    )
    assert "[russischen Angriffskrieg in der Ukraine](https://taz.de/Nato-Aussenministertreffen/!6054758/)" in body
    assert "[Nato](https://taz.de/Nato/!t5008005/)" in read(imported, STAERKEN).body
    assert "Raketen- und Nuklearprogrammen" in body
    assert "\n## Ukraine fordert sofortige Einladung in die Nato\n" in body


def test_paragraphs_and_subheadings(imported):
    body = read(imported, STAERKEN).body.strip()
    assert len(body.split("\n\n")) == len(seed_text("002").strip().split("\n\n"))
    konkret = read(imported, KONKRET).body
    assert '\n## "Russlands illegaler Krieg bedroht uns alle"\n' in konkret
    assert "\n## Mehr Geld für Verteidigung\n" in konkret


def test_table_export_alone_restores_paragraphs_by_layout():
    table = parse_source(seed_text("004"), "sources/004")
    plain = parse_source(seed_text("002"), "sources/002")
    assert [b.kind for b in table.blocks] == [b.kind for b in plain.blocks]
    assert [b.text for b in table.blocks] == [b.text for b in plain.blocks]


def test_reimport_is_byte_identical_and_fast_path_writes_nothing(root, tmp_path):
    first = import_sources(root)
    assert len(first.written) == 3
    before = {p.name: p.read_bytes() for p in (root / ARTICLES).iterdir()}
    again = import_sources(root)
    assert again.written == [] and len(again.unchanged) == 3
    for path in (root / ARTICLES).iterdir():
        path.unlink()
    import_sources(root)
    assert {p.name: p.read_bytes() for p in (root / ARTICLES).iterdir()} == before


def add_editor_field(path: Path, key: str, value: str) -> None:
    """Add a front-matter key by hand, the way an editor would (before the last line '---')."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    path.write_text(f"{head}\n{key}: {value}{sep}{body}", encoding="utf-8")


def change_source(root: Path, key: str) -> None:
    """Change a seed's text (one sentence appended)."""
    path = root / "sources" / SEED[key]
    path.write_text(path.read_text(encoding="utf-8") + " Das sagte er auch.", encoding="utf-8")


def test_editor_field_survives_a_source_change(imported):
    path = imported / ARTICLES / RUTTE
    add_editor_field(path, "date_note", "Von Hand ergänzt.")
    change_source(imported, "000")
    report = import_sources(imported)
    assert report.written == [path]
    doc = read(imported, RUTTE)
    assert doc.meta["date_note"] == "Von Hand ergänzt."
    assert list(doc.meta)[-2:] == ["date_note", "imported"]
    assert doc.body.rstrip().endswith("Das sagte er auch.")


def test_hand_edited_file_with_changed_source_is_protected(imported):
    path = imported / ARTICLES / RUTTE
    add_editor_field(path, "date_note", "Von Hand ergänzt.")
    path.write_text(path.read_text(encoding="utf-8").replace("Olaf Scholz", "Olaf  Scholz"), encoding="utf-8")
    edited = path.read_bytes()
    change_source(imported, "000")
    with pytest.raises(BuildFailed) as caught:
        import_sources(imported)
    message = str(caught.value)
    assert message.startswith(f"content/articles/{RUTTE}:1: edited by hand since it was imported")
    assert f"sources/{SEED['000']}" in message and "--force" in message
    assert path.read_bytes() == edited
    import_sources(imported, force=True)
    doc = read(imported, RUTTE)
    assert doc.meta["date_note"] == "Von Hand ergänzt."
    assert "Olaf  Scholz" not in doc.body and "Das sagte er auch." in doc.body


def test_unchanged_sources_never_touch_a_hand_edited_file(imported):
    path = imported / ARTICLES / KONKRET
    path.write_text(path.read_text(encoding="utf-8").replace("wenig Konkretes\n", "wenig Konkretes!\n", 1))
    edited = path.read_bytes()
    (imported / ARTICLES / RUTTE).unlink()
    report = import_sources(imported, force=True)
    assert [p.name for p in report.written] == [RUTTE]
    assert path.read_bytes() == edited


def test_crlf_bom_trailing_spaces_import_to_the_same_file(imported, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(imported / "sources", other / "sources")
    path = other / "sources" / SEED["004"]
    messy = "\ufeff" + path.read_text(encoding="utf-8").replace("\n", "   \r\n")
    path.write_bytes(messy.encode("utf-8"))
    import_sources(other)
    a, b = read(imported, STAERKEN), read(other, STAERKEN)
    assert a.body == b.body
    strip = lambda m: {k: v for k, v in m.items() if k not in ("provenance", "imported")}  # noqa: E731
    assert strip(a.meta) == strip(b.meta)


def test_formats_are_detected_from_content_not_names(root):
    for i, path in enumerate(sorted((root / "sources").iterdir())):
        path.rename(root / "sources" / f"export-{4 - i}.md")
    import_sources(root)
    prov = read(root, STAERKEN).meta["provenance"]
    assert [(p["file"], p["format"]) for p in prov] == [
        ("sources/export-0.md", "taz-table"),
        ("sources/export-2.md", "plain"),
    ]
    assert len(list((root / ARTICLES).iterdir())) == 3


def test_new_variant_merges_into_the_existing_article(imported):
    before = read(imported, RUTTE).body
    text = seed_text("000").replace("Brüssel taz | ", "BRÜSSEL taz | ")
    (imported / "sources" / "zz-reuploaded.txt").write_text(text, encoding="utf-8")
    report = import_sources(imported)
    assert [p.name for p in report.written] == [RUTTE]
    assert len(list((imported / ARTICLES).iterdir())) == 3
    files = [p["file"] for p in read(imported, RUTTE).meta["provenance"]]
    assert files[-1] == "sources/zz-reuploaded.txt" and len(files) == 3
    assert read(imported, RUTTE).body == before  # the first plain file still wins


def test_a_file_keeps_its_name_when_the_title_changes(imported):
    path = imported / "sources" / SEED["001"]
    path.write_text(path.read_text(encoding="utf-8").replace("teilt aus", "teilt kräftig aus"), encoding="utf-8")
    import_sources(imported)
    assert read(imported, RUTTE).meta["title"] == "Nato-Chef Mark Rutte teilt kräftig aus"


def test_nothing_is_written_when_a_source_is_broken(root):
    (root / "sources" / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(BuildFailed, match=r"sources/broken\.txt:1: not a text file .*delete it from sources/"):
        import_sources(root)
    assert not (root / "content").exists()


def test_dotfiles_and_readmes_are_ignored(root):
    (root / "sources" / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "sources" / "README.md").write_text("Raw exports go here.\n", encoding="utf-8")
    assert "5 sources into 3 articles" in import_sources(root).summary


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["seinen Raketen- und", "Nuklearprogrammen"], "seinen Raketen- und Nuklearprogrammen"),
        (["hat Nato-", "Generalsekretär Mark Rutte"], "hat Nato-Generalsekretär Mark Rutte"),
        (["seinen Raketen-", "und Nuklearprogrammen"], "seinen Raketen- und Nuklearprogrammen"),
        (["„Im", "Gegenzug“, sagte er"], "„Im Gegenzug“, sagte er"),
    ],
)
def test_join_lines(lines, joined):
    assert join_lines(lines) == joined


def test_slugify():
    assert slugify("Nato will die Ukraine militärisch stärken") == "nato-will-die-ukraine-militaerisch-staerken"
    assert slugify("Straße nach Kyjiw: Café À la carte!") == "strasse-nach-kyjiw-cafe-a-la-carte"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Radosław Sikorski", "radoslaw-sikorski"),
        ("Đorđe Balašević", "dorde-balasevic"),
        ("Jonas Gahr Støre", "jonas-gahr-store"),
        ("Ærø Ålesund", "aero-alesund"),
        ("Viktor Orbán Ferenc Gyurcsány Kőszeg Győr Szűcs", "viktor-orban-ferenc-gyurcsany-koszeg-gyor-szucs"),
        ("Þórður Ísafjörður", "thordur-isafjoerdur"),
        ("Œuvre Straße ẞ", "oeuvre-strasse-ss"),
        ("€ — „“", "x"),
    ],
)
def test_one_slug_function_transliterates_central_european_letters(name, slug):
    assert slugify(name) == slug


BODY = (
    "Brüssel taz | Die Außenminister der Nato haben in Brüssel über weitere Hilfe für die Ukraine beraten. "
    "Generalsekretär Mark Rutte warb für mehr Luftverteidigung.\n\n"
    "„Wir müssen mehr tun“, sagte Rutte. Die Beratungen sollen im Januar weitergehen."
)


@pytest.mark.parametrize(
    ("head", "kicker", "title"),
    [
        ("Rutte wirbt für mehr Luftverteidigung", "", "Rutte wirbt für mehr Luftverteidigung"),
        (
            "Nato-Treffen: Rutte wirbt für mehr Luftverteidigung",
            "Nato-Treffen",
            "Rutte wirbt für mehr Luftverteidigung",
        ),
        (
            "Nato-Treffen\nRutte wirbt für mehr Luftverteidigung",
            "Nato-Treffen",
            "Rutte wirbt für mehr Luftverteidigung",
        ),
        ("Wirbt Rutte für mehr Luftverteidigung?", "", "Wirbt Rutte für mehr Luftverteidigung?"),
    ],
)
def test_a_plain_export_opening_with_a_headline_gets_it_as_title(head, kicker, title):
    raw = parse_source(f"{head}\n\n{BODY}\n", "sources/x.txt")
    assert (raw.kicker, raw.title) == (kicker, title)
    assert [b.kind for b in raw.blocks] == ["p", "p"] and raw.blocks[0].text.startswith("Brüssel taz |")


def test_a_plain_export_without_a_headline_keeps_its_first_paragraph():
    raw = parse_source(f"{BODY}\n\nEin Zwischentitel\n\nNoch ein Absatz mit Text.\n", "sources/x.txt")
    assert raw.title == "" and raw.blocks[0].text.startswith("Brüssel taz |")
    assert [b.kind for b in raw.blocks] == ["p", "p", "h", "p"]


def test_the_headline_of_a_plain_export_becomes_the_file_title(root):
    (root / "sources" / "new.txt").write_text(f"Nato-Treffen: Rutte wirbt für mehr Luftverteidigung\n\n{BODY}\n")
    report = import_sources(root)
    name = "rutte-wirbt-fuer-mehr-luftverteidigung.md"
    assert f"sources/new.txt: new article content/articles/{name}" in report.lines
    doc = read(root, name)
    assert (doc.meta["kicker"], doc.meta["title"]) == ("Nato-Treffen", "Rutte wirbt für mehr Luftverteidigung")
    assert "## " not in doc.body


@pytest.mark.parametrize(
    ("encoding", "recorded"), [("cp1252", "windows-1252"), ("utf-16", "utf-16-le"), ("utf-8-sig", None)]
)
def test_raw_exports_in_other_encodings_import_like_utf8(imported, tmp_path, encoding, recorded):
    other = tmp_path / "other"
    shutil.copytree(imported / "sources", other / "sources")
    path = other / "sources" / SEED["000"]
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    import_sources(other)
    assert read(other, RUTTE).body == read(imported, RUTTE).body
    entry = read(other, RUTTE).meta["provenance"][0]
    assert entry.get("encoding") == recorded  # UTF-8 (with or without BOM) goes unsaid
    (other / ARTICLES / RUTTE).read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"sources/bad\.txt:1: the file is empty: save the export again, or delete it from sources/"),
        (bytes(range(256)) * 8, r"sources/bad\.txt:1: not a text file \(binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", r"sources/bad\.txt:1: not a text file"),
        (b"URI: \n# taz.de -- ", r"sources/bad\.txt:1: not a raw export this importer knows \(a saved web page"),
        (
            b"\n".join((SEEDS / SEED["001"]).read_bytes().split(b"\n")[:7]),  # cut off after the caption
            r"sources/bad\.txt:7: ends here: a taz-text export without any article text \(cut off\?\)",
        ),
    ],
)
def test_a_broken_raw_export_gives_one_clear_message_and_changes_no_file(imported, data, message):
    before = {p.name: p.read_bytes() for p in (imported / ARTICLES).iterdir()}
    change_source(imported, "000")  # an import would rewrite this article, were it not for the broken file
    (imported / "sources" / "bad.txt").write_bytes(data)
    with pytest.raises(BuildFailed, match=message) as caught:
        import_sources(imported)
    assert len(caught.value.errors) == 1
    assert {p.name: p.read_bytes() for p in (imported / ARTICLES).iterdir()} == before


def test_a_raw_export_cut_inside_a_character_imports_with_a_warning(root):
    path = root / "sources" / SEED["003"]
    path.write_bytes(path.read_bytes().rstrip() + " Köln".encode()[:-4] + "ö".encode()[:1])
    report = import_sources(root)
    [warning] = [w for w in report.warnings if w.path == f"sources/{SEED['003']}"]
    assert "ends in the middle of a character" in warning.message and warning.severity == "warning"


def test_the_import_says_what_happened_to_every_raw_export(imported):
    change_source(imported, "000")
    (imported / "sources" / "zz-copy.txt").write_text(seed_text("002").replace("Brüssel taz", "BRÜSSEL taz"))
    report = import_sources(imported)
    assert report.lines == [
        f"sources/{SEED['000']}: changed, re-imported into content/articles/{RUTTE}",
        f"sources/{SEED['001']}: unchanged, but content/articles/{RUTTE} was updated from its other raw exports",
        f"sources/{SEED['002']}: unchanged, but content/articles/{STAERKEN} was updated from its other raw exports",
        f"sources/{SEED['003']}: unchanged (content/articles/{KONKRET})",
        f"sources/{SEED['004']}: unchanged, but content/articles/{STAERKEN} was updated from its other raw exports",
        f"sources/zz-copy.txt: merged into content/articles/{STAERKEN}",
    ]
    assert report.say()[-1] == report.summary
    [missing] = report.warnings
    assert str(missing) == (
        f"content/articles/{KONKRET}: warning: its raw exports give no date, author or publisher; "
        "add 'date:', 'authors:', 'publisher:' to this file by hand (a re-import keeps what you add)"
    )


def test_a_content_file_is_replaced_atomically(imported, monkeypatch):
    from dossier.ingest import store

    path = imported / ARTICLES / RUTTE
    before = path.read_bytes()

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(store.os, "replace", fail)
    with pytest.raises(OSError):
        store.write(path, "new text\n")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([RUTTE, STAERKEN, KONKRET])  # no temporary left


def test_text_that_looks_like_markdown_is_imported_literally(root):
    from dossier.text.blocks import blocks

    lines = ["Bürger*innen und Politiker*innen fordern _mehr_ Hilfe [1] für `Kiew` <jetzt>.", "2024. Ein Jahr."]
    (root / "sources" / "literal.txt").write_text("Ein Titel ohne Punkt\n\n" + "\n\n".join(lines) + "\n")
    import_sources(root)
    body = read(root, "ein-titel-ohne-punkt.md").body
    assert [b.text for b in blocks(body)] == lines


@pytest.mark.parametrize(
    ("data", "declared", "text", "encoding"),
    [
        (b"Gr\xfc\xdfe aus K\xf6ln", "", "Grüße aus Köln", "windows-1252"),  # charset-normalizer alone says cp775
        (b"\x84Gr\xfc\xdfe\x93 \x81 aus K\xf6ln", "windows-1252", "„Grüße“ \ufffd aus Köln", "windows-1252"),
        ("Dzień dobry, jak się masz? Zażółć gęślą jaźń.".encode("cp1250"), "", None, "cp1250"),
    ],
)
def test_decoding_short_texts(data, declared, text, encoding):
    from dossier.ingest.decode import decode

    decoded = decode(data, "sources/x.txt", declared)
    assert decoded.encoding == encoding
    assert text is None or decoded.text == text
