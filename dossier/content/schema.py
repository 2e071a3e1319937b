"""Front matter keys of every content kind, declared once, typed and documented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..errors import ContentError
from .dates import impossible

DRAFT_DOC = "true: left out of the site (with a warning) until set to false or deleted; --drafts shows it"


@dataclass(frozen=True)
class Field:
    """One front-matter key: its type, whether it is required, and what it means."""

    type: str  # "str", "date", "bool", "int", "list[str]", "list[dict]", "dict"
    required: bool = False
    doc: str = ""


ARTICLE = {
    "title": Field("str", True, "Headline without the kicker"),
    "date": Field("date", True, "Publication date, ISO 8601 (2024-12-04)"),
    "kicker": Field("str", doc="Dachzeile shown above the title"),
    "teaser": Field("str", doc="Lead paragraph shown under the title and on the start page"),
    "summary": Field("str", doc="Alias of teaser for hand-written articles"),
    "description": Field("str", doc="Alias of teaser (Hugo/Jekyll habit)"),
    "author": Field("str", doc="A single author"),
    "authors": Field("list[str]", doc="Authors in byline order"),
    "publisher": Field("str", doc="Publication that printed the article"),
    "tags": Field("list[str]", doc="Topics; each gets a topic page"),
    "draft": Field("bool", doc=DRAFT_DOC),
    "slug": Field("str", doc="URL name; defaults to the file name"),
    "image_caption": Field("str", doc="Caption of the article's picture in the source"),
    "source_url": Field("str", doc="Address of the original article"),
    "date_note": Field("str", doc="How an editor inferred a date the source lacks"),
    "related": Field("list[dict]", doc="The source's related-article list: {kicker, title, teaser}"),
    "provenance": Field("list[dict]", doc="Raw files merged into this article: {file, format, sha256, used_for}"),
    "imported": Field("dict", doc="Written by the importer: which keys it owns and their digest"),
    "speakers": Field(
        "list[dict]",
        doc="Editor's quote attributions, overriding the automatic ones: "
        "{quote: start of the quote text, speaker: entity slug or null, statement: true/false (optional)}",
    ),
}

ENTITY = {
    "name": Field("str", True, "Name as the dossier shows it"),
    "aliases": Field(
        "list[str]", doc="Other forms the texts use: surname, spelling variants, genitive, role descriptions"
    ),
    "role": Field("str", doc="Role at the time of the event"),
    "wikidata": Field("str", doc="Wikidata id such as Q57792"),
    "draft": Field("bool", doc=DRAFT_DOC),
    "slug": Field("str", doc="URL name; defaults to the file name"),
}

ANNOTATION = {
    "article": Field("str", True, "Slug of the annotated article (its file name without .md)"),
    "exact": Field("str", True, "The annotated passage, copied from the article (W3C TextQuoteSelector 'exact')"),
    "prefix": Field("str", doc="A little text right before the passage, to tell repeats apart"),
    "suffix": Field("str", doc="A little text right after the passage, to tell repeats apart"),
    "kind": Field("str", True, "Kontext, Faktencheck, Korrektur or Hinweis"),
    "author": Field("str", doc="Who wrote the note"),
    "date": Field("date", doc="When the note was written, ISO 8601"),
    "draft": Field("bool", doc=DRAFT_DOC),
    "verdict": Field(
        "str",
        doc="Faktencheck only: the rating of the claim in a word or two (unbelegt, falsch, richtig, irreführend); "
        "published as the ClaimReview's reviewRating",
    ),
    "slug": Field("str", doc="Name used in fragment ids; defaults to the file name"),
}

FACT_CHECK = "Faktencheck"  # the one annotation kind that may carry a verdict

EVENT = {
    "title": Field("str", True, "What happened, in a few words"),
    "date": Field("date", True, "Day of the event, ISO 8601 (2024-12-03)"),
    "end": Field("date", doc="Last day of an event lasting several days"),
    "source": Field(
        "str|list[str]", True, "Where the dossier learns of it: article slug(s) and/or external http(s) URL(s)"
    ),
    "entities": Field("list[str]", doc="Slugs of the people, organisations and places involved"),
    "highlight": Field("bool", doc="Shown in the start page's timeline preview"),
    "date_note": Field("str", doc="How the date was inferred when no source states it"),
    "draft": Field("bool", doc=DRAFT_DOC),
    "slug": Field("str", doc="Name used in fragment ids; defaults to the file name"),
}

HOME = {
    "title": Field("str", True, "The dossier's title"),
    "subtitle": Field("str", doc="One line under the title"),
    "description": Field("str", doc="Description for search engines and feeds"),
    "event_start": Field("date", doc="First day of the event"),
    "event_end": Field("date", doc="Last day of the event"),
    "place": Field("str", doc="Where the event took place"),
    "key_facts": Field("list[str]", doc="Short facts listed on the start page"),
    "editors": Field("list[str]", doc="Who curated the dossier"),
    "base_url": Field("str", doc="Published address; --base-url overrides it"),
}


def _is_type(value: Any, type_: str) -> bool:
    """Whether a YAML value has the declared type."""
    if type_ == "str":
        return isinstance(value, str)
    if type_ == "date":
        return isinstance(value, (dt.date, dt.datetime)) or _parses_as_date(value)
    if type_ == "bool":
        return isinstance(value, bool)
    if type_ == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if type_ == "list[dict]":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if type_ == "str|list[str]":
        return isinstance(value, str) or _is_type(value, "list[str]")
    if type_ == "dict":
        return isinstance(value, dict)
    raise ValueError(type_)


def _parses_as_date(value: Any) -> bool:
    """Whether a string is an ISO 8601 date or date-time."""
    return isinstance(value, str) and to_date(value) is not None


def to_date(value: Any) -> dt.date | None:
    """A date from a YAML date, date-time or ISO string; None if it is none of these."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


_TYPE_WORDS = {
    "str": "a text",
    "date": "a date like 2024-12-04",
    "bool": "true or false",
    "int": "a whole number",
    "list[str]": "a list of texts",
    "list[dict]": "a list of mappings",
    "str|list[str]": "a text or a list of texts",
    "dict": "a mapping",
}


def web_address_problem(text: str) -> str | None:
    """Why `text` is no published web address (https://example.org/dossier/), or None when it is one."""
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if parts.scheme in ("http", "https") and parts.netloc and " " not in text.strip():
        return None
    return (
        f"{text!r} is no web address: give the full published address, starting with https:// "
        "(or http://), e.g. https://example.org/dossier/"
    )


def validate(meta: dict, fields: dict[str, Field], path: str, key_lines: dict[str, int]) -> list[ContentError]:
    """Every unknown, ill-typed or missing key, each with its line."""
    from difflib import get_close_matches

    errors = []
    for key, value in meta.items():
        line = key_lines.get(str(key), 1)
        field = fields.get(key)
        if field is None:
            near = get_close_matches(str(key), list(fields), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else f"; known keys: {', '.join(fields)}"
            errors.append(ContentError(path, line, f"unknown key '{key}'{hint}"))
        elif value is None and not field.required:
            continue
        elif field.type == "date" and isinstance(value, str) and impossible(value):
            why = impossible(value)
            errors.append(ContentError(path, line, why if key == "date" else f"{key}: {why}"))
        elif not _is_type(value, field.type):
            errors.append(ContentError(path, line, f"'{key}' must be {_TYPE_WORDS[field.type]}, not {value!r}"))
    for key, field in fields.items():
        if field.required and meta.get(key) in (None, ""):
            errors.append(ContentError(path, 1, f"missing required key '{key}' ({field.doc})"))
    return errors
