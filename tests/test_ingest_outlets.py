"""Saved pages modelled on real outlets' markup: each gives a clean article (metadata, body without boilerplate)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dossier.ingest import import_sources, read_source
from dossier.ingest.page_kind import NotAnArticle

PAGES = Path(__file__).resolve().parent / "fixtures" / "web_pages"


def page(name: str):
    """A fixture page read as a raw export: the RawArticle and the body's (kind, text) pairs."""
    raw, warnings = read_source(f"sources/{name}", (PAGES / name).read_bytes())
    assert warnings == []
    return raw, [(b.kind, b.text) for b in raw.blocks]


def texts(blocks) -> str:
    """The body as one text, for looking for boilerplate."""
    return " ".join(text for _, text in blocks)


def test_spiegel_a_free_article_with_a_subscription_note_a_kicker_only_in_the_title_and_a_linked_byline():
    raw, blocks = page("outlet_spiegel.html")  # isAccessibleForFree: true, although the foot names SPIEGEL+
    assert (raw.kicker, raw.title) == ("Nato-Treffen in Brüssel", "Rutte fordert mehr Geld für Verteidigung")
    assert raw.authors == ["Markus Becker", "Paul-Anton Krüger"] and raw.date == dt.date(2024, 12, 4)
    assert raw.image_caption == "Nato-Generalsekretär Mark Rutte in Brüssel Foto: Olivier Hoslet / EPA"
    assert [k for k, _ in blocks] == ["p", "p", "h", "p", "p", "p"]
    assert blocks[0][1].startswith("Mark Rutte lässt keinen Zweifel")
    assert "Becker" not in texts(blocks) and "SPIEGEL+" not in texts(blocks) and "Mehr zum Thema" not in texts(blocks)


def test_zeit_saved_complete_keeps_no_label_of_a_read_also_box():
    raw, blocks = page("outlet_zeit_complete.html")
    assert (raw.kicker, raw.title, raw.publisher) == (
        "Nato-Außenminister",
        "Streit über Einladung an die Ukraine",
        "ZEIT ONLINE",
    )
    assert raw.authors == ["Lisa Caspari", "Michael Thumann"] and raw.date == dt.date(2024, 12, 3)
    assert raw.source_url == "https://www.zeit.de/politik/ausland/2024-12/nato-aussenminister-bruessel-ukraine"
    assert [k for k, _ in blocks] == ["p", "p", "h", "p", "p", "p"]
    assert "Lesen Sie auch" not in texts(blocks) and "Kommentar" not in texts(blocks)


def test_faz_in_latin_1_with_dublin_core_keeps_its_subheading_and_drops_kicker_and_source_line():
    raw, blocks = page("outlet_faz_latin1.html")  # no <article>: trafilatura's fallback drops the <h3>
    assert raw.encoding == "windows-1252"
    assert (raw.kicker, raw.title) == ("Nato-Außenminister", "Baerbock wirbt für Sicherheitsgarantien")
    assert raw.publisher == "Frankfurter Allgemeine Zeitung" and raw.authors == ["Thomas Gutschker"]
    assert raw.tags == ["Nato", "Ukraine", "Annalena Baerbock"] and raw.date == dt.date(2024, 12, 4)
    assert blocks[2] == ("h", "Kritik aus der Union")
    assert [k for k, _ in blocks] == ["p", "p", "h", "p", "p"]
    assert "Quelle" not in texts(blocks) and "Cookies" not in texts(blocks)


def test_tagesschau_in_undeclared_windows_1252_drops_the_headline_with_its_topline():
    raw, blocks = page("outlet_tagesschau_undeclared.html")
    assert raw.encoding == "windows-1252" and raw.kicker == "Nato-Treffen in Brüssel"
    assert raw.title == "Blinken verabschiedet sich von der Nato" and raw.authors == ["Helga Schmidt"]
    assert [k for k, _ in blocks] == ["p", "p", "h", "p", "p"]
    assert blocks[0][1].startswith("Für Antony Blinken ist es ein Abschied")


def test_reuters_drops_the_newsletter_offer_and_the_reporting_credits():
    raw, blocks = page("outlet_reuters.html")
    assert raw.authors == ["Andrew Gray", "Sabine Siebold"] and raw.date == dt.date(2024, 12, 3)
    assert len(blocks) == 5 and blocks[-1][1].startswith("Several diplomats said")
    assert "newsletter" not in texts(blocks) and "Reporting by" not in texts(blocks)


def test_bbc_names_the_author_of_its_byline_block_and_drops_the_embedded_tweet():
    raw, blocks = page("outlet_bbc.html")  # the JSON-LD author is the organisation, datePublished missing
    assert raw.authors == ["Jessica Parker"] and raw.publisher == "BBC News" and raw.date == dt.date(2024, 12, 4)
    assert [k for k, _ in blocks] == ["p", "p", "h", "p", "p", "p"]
    assert "twitter" not in texts(blocks) and "Related topics" not in texts(blocks)


def test_a_wordpress_post_with_a_yoast_graph():
    raw, blocks = page("outlet_wordpress.html")
    assert raw.authors == ["Dr. Katrin Vogel"] and raw.publisher == "Sicherheitspolitik-Blog"
    assert raw.tags == ["Nato", "Ukraine", "Sicherheitspolitik"] and raw.date == dt.date(2024, 12, 5)
    assert [k for k, _ in blocks] == ["p", "h", "p", "h", "p", "h", "p"]
    assert "Kommentar" not in texts(blocks) and "Teilen" not in texts(blocks)


def test_an_amp_page_with_microdata_drops_the_amp_tweet_and_names_the_publisher():
    raw, blocks = page("outlet_amp_taz.html")
    assert (raw.kicker, raw.title) == ("Sicherheitspolitik", "Röttgen kritisiert Debatte über Friedenstruppen")
    assert raw.publisher == "taz" and raw.authors == ["Tobias Schulze"] and raw.date == dt.date(2024, 12, 4)
    assert [k for k, _ in blocks] == ["p", "p", "p", "p"]
    assert "notwendig" not in texts(blocks)


def test_a_paywalled_teaser_in_utf_8_with_a_bom_is_a_warning_naming_the_file():
    data = b"\xef\xbb\xbf" + (PAGES / "outlet_amp_taz.html").read_bytes().replace(
        b'<html \xe2\x9a\xa1 lang="de">', b'<html lang="de">'
    )
    cut = (
        data[: data.index(b"<p>Europa")]
        + b'<div class="paywall"><p>Jetzt weiterlesen mit taz Abo.</p></div></body></html>'
    )
    with pytest.raises(NotAnArticle, match=r"sources/teaser\.html.*paywall teaser"):
        read_source("sources/teaser.html", cut)


def test_a_guardian_live_blog_keeps_its_entries_without_the_key_events_box():
    raw, blocks = page("outlet_guardian_live.html")
    assert raw.title == "Nato foreign ministers meet in Brussels – live" and raw.authors == ["Jakub Krupa"]
    assert raw.publisher == "The Guardian" and raw.date == dt.date(2024, 12, 3)
    assert [text for kind, text in blocks if kind == "h"] == ["Rutte: 'We must do more'", "Ministers arrive"]
    assert "Share" not in texts(blocks)


def test_deutsche_welle_in_english_drops_the_editor_credit():
    raw, blocks = page("outlet_dw_english.html")
    assert raw.title == "NATO: Baerbock rejects talk of peacekeepers" and raw.kicker == ""
    assert raw.publisher == "Deutsche Welle" and raw.date == dt.date(2024, 12, 4)
    assert [k for k, _ in blocks] == ["p", "p", "h", "p", "p"] and "Edited by" not in texts(blocks)


BODY = "".join(
    f"<p>Absatz {i}: Die Außenminister der Nato haben in Brüssel über die Ukraine beraten, sagte ein Diplomat.</p>"
    for i in range(6)
)


def linked_data(source: str):
    """A page whose JSON-LD script holds the given text."""
    html = (
        f'<html lang="de"><head><meta charset="utf-8"><script type="application/ld+json">{source}</script></head>'
        f"<body><article><h1>Ein Titel</h1>{BODY}</article></body></html>"
    )
    raw, _ = read_source("sources/linked.html", html.encode())
    return raw


def test_a_german_date_and_a_list_of_names_in_json_ld():
    raw = linked_data(
        '{"@type": "NewsArticle", "datePublished": "04.12.2024 10:00",'
        ' "author": {"@type": "Person", "name": ["Anna Müller", "Jonas Weber"]}}'
    )
    assert raw.date == dt.date(2024, 12, 4) and raw.authors == ["Anna Müller", "Jonas Weber"]


def test_json_ld_nested_too_deep_to_parse_is_ignored_not_a_traceback():
    raw = linked_data('{"@graph": [' * 3000 + "]}" * 3000)
    assert len(raw.blocks) == 6 and raw.title == "Ein Titel"


def test_sz_read_also_lines_inside_the_text_are_left_out():
    raw, blocks = page("outlet_sz_read_also.html")  # 'Lesen Sie auch: <a>…</a>' between paragraphs
    assert (raw.kicker, raw.title) == ("Nato-Außenminister", "Kallas will Schattenflotte stoppen")
    assert len(blocks) == 4 and blocks[0][1].startswith("Die neue EU-Außenbeauftragte Kaja Kallas")
    assert "Lesen Sie auch" not in texts(blocks) and "Mehr zum Thema" not in texts(blocks)


def test_a_short_paragraph_that_only_names_a_newsletter_stays_in_the_body():
    """Offers are dropped where they link to themselves or close the text; a sentence of the article about a
    newsletter or subscribers is the article's."""
    paragraphs = [
        "Die Außenminister der Nato berieten in Brüssel zwei Tage lang über die Hilfe für die Ukraine.",
        "Der Newsletter des Bündnisses meldete am Abend eine Einigung.",
        *(
            f"Absatz {n}: Die Minister sprachen über Munition, Luftabwehr und die Finanzierung der Hilfe."
            for n in range(8)
        ),
        "Am Ende blieb die Frage offen, wer die Führung übernimmt, wenn Washington sich zurückzieht.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Nato berät über Ukraine</title>'
        '<meta property="og:title" content="Nato berät über Ukraine">'
        '<meta property="article:published_time" content="2024-12-04T10:00:00+01:00"></head>'
        f"<body><article><h1>Nato berät über Ukraine</h1>{body}</article></body></html>"
    )
    raw, warnings = read_source("sources/newsletter.html", html.encode("utf-8"))
    assert warnings == []
    assert "Der Newsletter des Bündnisses meldete am Abend eine Einigung." in [b.text for b in raw.blocks]


def test_the_guardian_standfirst_is_the_teaser_and_leaves_the_body():
    raw, blocks = page("outlet_guardian_live.html")  # <div data-gu-name="standfirst">, no description meta
    assert raw.teaser == (
        "Follow the latest as Nato ministers gather in Brussels for their last meeting before Donald Trump "
        "returns to the White House"
    )
    assert blocks[0] == ("h", "Rutte: 'We must do more'") and "Follow the latest" not in texts(blocks)


LEDE = "Die Außenminister der Nato ringen in Brüssel um die Hilfe für die Ukraine und um eine Einladung."


def marked_page(lede: str, head: str = "") -> str:
    """A page without a description meta whose lede (the markup given) stands under the headline."""
    return (
        f'<html lang="de"><head><meta charset="utf-8"><title>Ein Titel</title>{head}'
        '<meta property="article:published_time" content="2024-12-04T10:00:00+01:00"></head>'
        f"<body><article><h1>Ein Titel</h1>{lede}{BODY}</article></body></html>"
    )


@pytest.mark.parametrize(
    "lede",
    [
        f'<p class="article-lede">{LEDE}</p>',
        f'<p class="dek">{LEDE}</p>',
        f'<div class="intro"><p>{LEDE}</p></div>',
        f'<p class="summary">{LEDE}</p>',
        f'<p class="teaser-text">{LEDE}</p>',
        f'<div data-component="standfirst"><p>{LEDE}</p></div>',
        f'<p data-testid="article-dek">{LEDE}</p>',
    ],
)
def test_a_lede_marked_by_class_or_data_attribute_is_the_teaser_and_not_the_first_paragraph(lede):
    raw, _ = read_source("sources/lede.html", marked_page(lede).encode())
    assert raw.teaser == LEDE and raw.blocks[0].text.startswith("Absatz 0")


def test_a_lede_set_as_a_heading_that_equals_the_described_teaser_leaves_the_body():
    html = marked_page(f"<h2>{LEDE}</h2>", f'<meta name="description" content="{LEDE}">')
    raw, _ = read_source("sources/lede.html", html.encode())
    assert raw.teaser == LEDE and raw.blocks[0].text.startswith("Absatz 0")


def test_a_described_teaser_wins_over_a_marked_lede_which_then_stays_in_the_body():
    html = marked_page(f'<p class="dek">{LEDE}</p>', '<meta name="description" content="Die Nato berät.">')
    raw, _ = read_source("sources/lede.html", html.encode())
    assert raw.teaser == "Die Nato berät." and raw.blocks[0].text == LEDE


def linked_data_warnings(source: str) -> tuple[object, list]:
    """A page whose JSON-LD script holds the given text, read with its warnings."""
    html = (
        f'<html lang="de"><head><meta charset="utf-8"><script type="application/ld+json">{source}</script></head>'
        f"<body><article><h1>Ein Titel</h1>{BODY}</article></body></html>"
    )
    return read_source("sources/linked.html", html.encode())


def test_a_date_only_modified_is_taken_with_a_warning_naming_the_file():
    raw, warnings = linked_data_warnings('{"@type": "NewsArticle", "dateModified": "2024-12-05T10:00:00+01:00"}')
    assert raw.date == dt.date(2024, 12, 5)
    [warning] = warnings
    assert warning.severity == "warning" and warning.path == "sources/linked.html"
    assert str(warning).startswith("sources/linked.html: warning: the page declares no publication date")
    assert "2024-12-05" in warning.message and "'date:'" in warning.message


def test_a_page_with_published_and_modified_dates_takes_the_published_one_without_a_warning():
    raw, warnings = linked_data_warnings(
        '{"@type": "NewsArticle", "dateModified": "2024-12-05T10:00:00+01:00",'
        ' "datePublished": "2024-12-03T18:00:00+01:00"}'
    )
    assert raw.date == dt.date(2024, 12, 3) and warnings == []


@pytest.mark.parametrize(
    "published",
    [
        '<meta property="article:published_time" content="2024-12-03T18:00:00+01:00">',
        '<meta itemprop="datePublished" content="2024-12-03">',
    ],
)
def test_a_publication_date_declared_outside_json_ld_wins_over_its_date_modified(published):
    html = (
        f'<html lang="de"><head><meta charset="utf-8">{published}<script type="application/ld+json">'
        '{"@type": "NewsArticle", "dateModified": "2024-12-05T10:00:00+01:00"}</script></head>'
        f"<body><article><h1>Ein Titel</h1>{BODY}</article></body></html>"
    )
    raw, warnings = read_source("sources/linked.html", html.encode())
    assert raw.date == dt.date(2024, 12, 3) and warnings == []


def test_a_time_marked_as_published_wins_over_the_date_modified():
    html = (
        '<html lang="de"><head><meta charset="utf-8"><script type="application/ld+json">'
        '{"@type": "NewsArticle", "dateModified": "2024-12-05T10:00:00+01:00"}</script></head>'
        '<body><article><h1>Ein Titel</h1><time itemprop="datePublished" datetime="2024-12-03T18:00">3. Dezember'
        f"</time>{BODY}</article></body></html>"
    )
    raw, warnings = read_source("sources/linked.html", html.encode())
    assert raw.date == dt.date(2024, 12, 3) and warnings == []


def test_the_modified_date_warning_reaches_the_import_report(tmp_path):
    root = tmp_path / "project"
    (root / "sources").mkdir(parents=True)
    html = (
        '<html lang="de"><head><meta charset="utf-8"><script type="application/ld+json">'
        '{"@type": "NewsArticle", "dateModified": "2024-12-05T10:00:00+01:00", "author": "Anna Müller",'
        ' "publisher": {"@type": "Organization", "name": "Wochenblatt"}}</script></head>'
        f"<body><article><h1>Ein Titel</h1>{BODY}</article></body></html>"
    )
    (root / "sources" / "geaendert.html").write_text(html, encoding="utf-8")
    report = import_sources(root)
    [warning] = report.warnings
    assert warning.path == "sources/geaendert.html" and "last modified (2024-12-05)" in warning.message


def test_an_agency_beside_a_person_is_no_author():
    raw, _ = page("outlet_dw_english.html")  # JSON-LD "author": ["Teri Schultz", "dpa"]
    assert raw.authors == ["Teri Schultz"]


@pytest.mark.parametrize(
    "author",
    [
        '"dpa"',
        '"AFP"',
        '"Reuters"',
        '"AP"',
        '"epd"',
        '"KNA"',
        '"Reuters/dpa"',
        '"dpa/AFP"',
        '"dpa, AFP"',
        '{"@type": "Organization", "name": "dpa"}',
        '[{"@type": "Person", "name": "AFP"}]',
    ],
)
def test_a_page_naming_only_a_news_agency_has_no_authors(author):
    raw = linked_data(f'{{"@type": "NewsArticle", "datePublished": "2024-12-04", "author": {author}}}')
    assert raw.authors == []


@pytest.mark.parametrize(
    ("author", "authors"),
    [
        ('"Anna Müller/dpa"', ["Anna Müller"]),
        ('"Anna Müller (AFP)"', ["Anna Müller"]),
        ('"Anna Müller, Reuters"', ["Anna Müller"]),
        ('["dpa", "Anna Müller"]', ["Anna Müller"]),
        ('"Apostolos Papadopoulos"', ["Apostolos Papadopoulos"]),  # begins like 'AP', is a person
    ],
)
def test_a_person_named_with_an_agency_stays_an_author(author, authors):
    raw = linked_data(f'{{"@type": "NewsArticle", "datePublished": "2024-12-04", "author": {author}}}')
    assert raw.authors == authors


def test_an_agency_given_by_json_ld_leaves_room_for_the_author_meta():
    html = (
        '<html lang="de"><head><meta charset="utf-8"><meta name="author" content="Anna Müller">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-12-04",'
        f' "author": "dpa"}}</script></head><body><article><h1>Ein Titel</h1>{BODY}</article></body></html>'
    )
    raw, _ = read_source("sources/linked.html", html.encode())
    assert raw.authors == ["Anna Müller"]


def test_an_agency_in_the_authors_of_a_taz_export_is_no_author():
    seed = (Path(__file__).resolve().parent.parent / "sources" / "001_5f0aa89b5575cd07.txt").read_bytes()
    text = seed.replace(b"   DIR Eric Bonse\n", b"   DIR Eric Bonse\n   DIR dpa\n")
    assert text != seed
    raw, _ = read_source("sources/taz.txt", text)
    assert raw.authors == ["Eric Bonse"]
