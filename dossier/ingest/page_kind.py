"""What a saved page holds: an article, or a consent wall, a paywall teaser, an index or an error page."""

from __future__ import annotations

import re

from ..errors import ContentError
from .page_meta import ARTICLE_TYPES, LISTING_TYPES, PageMeta, clean
from .raw import Block
from .text import words

MIN_WORDS = 40  # fewer words than the shortest news item: not an article
_CONSENT = re.compile(
    r"cookie|einwillig|zustimm|datenschutz|consent|akzeptier|tracking|personalisiert|partner|widerruf", re.I
)
_PAYWALL = re.compile(
    r"\babo\b|abonn|weiterlesen|plus-artikel|bereits ein abo|jetzt testen|registrier|digitalzugang|paywall", re.I
)
_PAYWALL_BOX = (
    "//*[contains(translate(@class, 'PAYWL', 'paywl'), 'paywall') or contains(translate(@id, 'PAYWL', 'paywl'), 'paywall')"
    " or contains(@class, 'plus-teaser') or contains(@class, 'abo-teaser') or contains(@class, 'subscription-wall')]"
)
_ERROR = re.compile(  # in the <title> or <h1> of a short page
    r"\b(seite|page|artikel|inhalt|dokument|url)\w*\b.{0,40}"
    r"(nicht gefunden|not found|existiert (leider )?nicht|gibt es (leider )?nicht|nicht (mehr )?(verfügbar|erreichbar))"
    r"|fehlerseite|^\s*(fehler|error)\s*[45]\d\d\b|^\s*[45]\d\d\s*($|[-–|:]|not found|error|fehler)|\([45]\d\d\)",
    re.I,
)


class NotAnArticle(ContentError):
    """A saved page that holds no article: a warning, and no content file."""


def _not_an_article(path: str, found: str, advice: str) -> NotAnArticle:
    """The warning for a page that is no article."""
    return NotAnArticle(path, 0, f"no article in this page: {found}; skipped — {advice}", "warning")


_TEASER_HEADING = "//*[self::h2 or self::h3 or self::h4][.//a or ancestor::a]"


def teaser_boxes(doc) -> list[str]:
    """The text of each teaser on the page: the largest element around a linked heading that holds no other one."""
    headings = doc.xpath(_TEASER_HEADING)
    holding: dict = {}  # element -> how many linked headings it holds (keys keep lxml's proxies, so identity holds)
    for heading in headings:
        for element in (heading, *heading.iterancestors()):
            holding[element] = holding.get(element, 0) + 1
    boxes = []
    for heading in headings:
        box = heading
        for ancestor in heading.iterancestors():
            if holding[ancestor] > 1:
                break
            box = ancestor
        boxes.append(clean(box.text_content()))
    return boxes


def _teaser_share(blocks: list[Block], boxes: list[str]) -> float:
    """The share of the extracted words that stand in teasers of other articles."""
    total = sum(len(b.text.split()) for b in blocks)
    teased = sum(len(b.text.split()) for b in blocks if any(b.text in box for box in boxes))
    return teased / total if total else 1.0


def check_article(path: str, doc, meta: PageMeta, blocks: list[Block]) -> None:
    """Raise NotAnArticle when the page is a consent wall, paywall teaser, index or error page, or too short."""
    prose = [b for b in blocks if b.kind != "h"]
    text = " ".join(b.text for b in prose)
    count = len(words(text))
    again = "save the page again from the browser once the article itself is shown, or delete the file"
    headings = [meta.page_title, *(clean(h.text_content()) for h in doc.xpath("//h1"))]
    if count < 250 and any(_ERROR.search(h) for h in headings if h):
        title = meta.page_title or meta.title
        raise _not_an_article(path, f"an error page ('{title}')", "save the article's page again, or delete the file")
    page_text = clean(" ".join(doc.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")))
    consent = len(_CONSENT.findall(text or page_text))
    if count < 250 and consent >= 3 and consent * 25 > count:
        raise _not_an_article(path, "a cookie or consent notice", f"accept or close the notice first, then {again}")
    boxed = any(_PAYWALL.search(box.text_content()) for box in doc.xpath(_PAYWALL_BOX))  # not an empty placeholder
    boxed = boxed or len(_PAYWALL.findall(text)) >= 2
    if (meta.free is False and count < 200) or (boxed and count < 300 and meta.free is not True):
        raise _not_an_article(
            path,
            f"a paywall teaser (only {count} words of '{meta.title}')",
            "save the page while logged in, paste the article as plain text, or delete the file",
        )
    boxes = teaser_boxes(doc)
    declared = bool(meta.types & (ARTICLE_TYPES | {"og:article"}))
    listing = bool(meta.types & LISTING_TYPES)
    share = _teaser_share(prose, boxes) if len(boxes) >= 3 else 0.0
    if (share >= 0.5 and not declared) or share >= 0.8 or (listing and not declared and len(boxes) >= 2):
        raise _not_an_article(
            path, f"an index page listing {len(boxes)} articles", "save the page of the article you mean instead"
        )
    if count < MIN_WORDS:
        raise _not_an_article(path, f"only {count} words of text", again)
