"""German words for the internal names a page would otherwise show (provenance, raw formats).

The importer records what it took from each raw file (`used_for`: body, links, metadata…)
and the file's format under internal, English names; readers see these German labels.
An unknown name (an editor's own) is shown as written.
"""

from __future__ import annotations

USED_FOR = {
    "body": "Text",
    "links": "Verweise",
    "metadata": "Metadaten",
    "related": "Artikel zum Thema",
    "title": "Titel",
    "kicker": "Dachzeile",
    "teaser": "Vorspann",
    "date": "Datum",
    "author": "Autor",
    "authors": "Autorinnen und Autoren",
    "publisher": "Verlag",
    "tags": "Themen",
    "image_caption": "Bildunterschrift",
    "source_url": "Originaladresse",
}

FORMATS = {
    "plain": "reiner Text",
    "taz-text": "taz-Textexport",
    "taz-table": "taz-Textexport in Tabellenform",
    "web-page": "gespeicherte Webseite",
    "html": "gespeicherte Webseite",
}


def used_for(values) -> list[str]:
    """German names of what a raw file was used for, in the given order."""
    return [USED_FOR.get(value, value) for value in values]


def raw_format(name: str) -> str:
    """German name of a raw export's format."""
    return FORMATS.get(name, name)
