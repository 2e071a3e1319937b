"""Every annotation as a W3C Web Annotation: one JSON-LD ``AnnotationCollection`` file.

The file (``urls.WEB_ANNOTATIONS``) holds the collection with one embedded page of items, in
the dossier's order. Each annotation targets its article's page with two selectors: a
``TextQuoteSelector`` (the passage as it stands in the article, with about 32 characters of
text before and after it) and a ``TextPositionSelector`` (its character offsets in the
article's plain text: the plain text of every paragraph and subheading, joined by a blank
line). Addresses are absolute when a base URL is known, else relative to the file itself,
as JSON-LD resolves them. The bytes depend only on the content: no clock, no set order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from ..content.model import Annotation, Article, Dossier
from ..text.blocks import Block, iter_blocks
from ..text.markup import parse
from . import urls
from .claim_review import home_date, party
from .page import SiteInfo

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATIONS = {"Kontext": "commenting", "Faktencheck": "assessing", "Korrektur": "editing", "Hinweis": "commenting"}
CONTEXT_CHARS = 32  # text kept before and after the passage in the TextQuoteSelector
BLOCK_GAP = "\n\n"  # what stands between two blocks in an article's plain text


def block_texts(markdown: str) -> list[tuple[str, bool]]:
    """(plain text, is a list item) of every paragraph and heading of a Markdown text, in order."""
    tokens = parse(markdown)
    return [(block.text, at > 0 and tokens[at - 1].type == "list_item_open") for block, at, _ in iter_blocks(tokens)]


def article_text(article: Article, blocks: Sequence[Block] | None = None) -> tuple[str, list[int]]:
    """The article's plain text and the offset of each block in it (index 0 is block 1), from its body's
    `blocks` as the analysis found them (its body is parsed again without them)."""
    offsets, parts, at = [], [], 0
    texts = [b.text for b in blocks] if blocks is not None else [text for text, _ in block_texts(article.body)]
    for text in texts:
        offsets.append(at)
        parts.append(text)
        at += len(text) + len(BLOCK_GAP)
    return BLOCK_GAP.join(parts), offsets


def note_text(markdown: str) -> str:
    """A note's Markdown as plain text: paragraphs apart, list items on their own lines after a dash."""
    out = ""
    for text, item in block_texts(markdown):
        text = " ".join(text.split())
        if out:
            out += "\n" if item and out.rsplit("\n", 1)[-1].startswith("– ") else BLOCK_GAP
        out += f"– {text}" if item else text
    return out


def address(site: SiteInfo, path: str, fragment: str = "") -> str:
    """An output path's URL: absolute under the base URL, else relative to the annotation file."""
    if site.base_url:
        return urls.absolute(site.base_url, path, fragment=fragment)
    return urls.relative(urls.WEB_ANNOTATIONS, path, portable=site.portable, fragment=fragment)


def selectors(annotation: Annotation, text: str, offsets: list[int]) -> list[dict]:
    """TextQuoteSelector and TextPositionSelector of an anchored passage in its article's plain text."""
    where = annotation.anchor
    assert where is not None
    start = offsets[where.block - 1] + where.start
    end = offsets[where.block - 1] + where.end
    quote = {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }
    return [quote, {"type": "TextPositionSelector", "start": start, "end": end}]


def creator(name: str) -> dict:
    """A Web Annotation creator (Person or Organization, as for the ClaimReview) of a name."""
    kind = party(name)["@type"]
    return {"type": kind, "name": name}


def web_annotation(
    annotation: Annotation, article: Article, plain: tuple[str, list[int]], dossier: Dossier, site: SiteInfo
) -> dict:
    """One annotation in the W3C Web Annotation data model."""
    creators = [annotation.author] if annotation.author else list(dossier.home.editors)
    day = annotation.date or home_date(dossier)
    data: dict = {
        "id": address(site, urls.index("annotations"), annotation.id),
        "type": "Annotation",
        "motivation": MOTIVATIONS.get(annotation.kind, "commenting"),
        "body": {
            "type": "TextualBody",
            "value": note_text(annotation.note),
            "format": "text/plain",
            "language": "de",
        },
        "target": {
            "source": address(site, urls.entry("article", article.slug)),
            "selector": selectors(annotation, *plain),
        },
    }
    if creators:
        data["creator"] = creator(creators[0]) if len(creators) == 1 else [creator(name) for name in creators]
    if day:
        data["created"] = data["modified"] = f"{day.isoformat()}T00:00:00Z"
    return data


def collection(dossier: Dossier, site: SiteInfo, blocks_of: Mapping[str, Sequence[Block]] | None = None) -> dict:
    """The AnnotationCollection of every anchored annotation, by article (dossier order), then position
    (`blocks_of`: article slug -> its blocks, where the build has them)."""
    blocks_of = blocks_of or {}
    articles = {a.slug: a for a in dossier.articles}
    plain: dict[str, tuple[str, list[int]]] = {}
    items = []
    for annotation in dossier.annotations:
        article = articles.get(annotation.article)
        if article is None or annotation.anchor is None:
            continue
        if article.slug not in plain:
            plain[article.slug] = article_text(article, blocks_of.get(article.slug))
        items.append(web_annotation(annotation, article, plain[article.slug], dossier, site))
    own = address(site, urls.WEB_ANNOTATIONS)
    return {
        "@context": CONTEXT,
        "id": own,
        "type": "AnnotationCollection",
        "label": f"Anmerkungen der Redaktion – {site.title}",
        "total": len(items),
        "first": {"id": f"{own}#seite-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def outputs(
    dossier: Dossier, site: SiteInfo, blocks_of: Mapping[str, Sequence[Block]] | None = None
) -> dict[str, bytes]:
    """Output path -> bytes of the Web Annotation file."""
    text = json.dumps(collection(dossier, site, blocks_of), ensure_ascii=False, indent=2)
    return {urls.WEB_ANNOTATIONS: (text + "\n").encode("utf-8")}
