"""Fact checks as schema.org ClaimReview: the JSON-LD Google's fact-check markup reads.

Every annotation of kind Faktencheck becomes one ``ClaimReview`` on its article page, next to
the page's ``NewsArticle``. What a review needs beyond the annotation (who said the passage,
who the editors are, the fallback date) is collected when the pages are planned
(:func:`fact_checks`) and handed to the page in its context, so the page's fingerprint sees it;
:func:`claim_reviews` (a Jinja global) turns it into JSON-LD with the site's base URL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..content.model import QUOTES, Annotation, Article, Dossier, Entity, Quote
from ..content.schema import FACT_CHECK
from . import urls
from .page import Page, SiteInfo

# Words that make a reviewer's name an organisation ("Dossier-Redaktion", "Faktencheck-Team");
# any other name is taken for a person.
ORGANISATION_WORDS = re.compile(
    r"(redaktion|team|ressort|desk|verlag|dossier|institut|stiftung|zentrum|newsroom|gmbh|e\.\s?v\.)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FactCheck:
    """A Faktencheck annotation with what its ClaimReview says beyond it."""

    annotation: Annotation
    speaker: Entity | None  # who said the passage: the speaker of the quotation it lies in
    reviewers: tuple[str, ...]  # the annotation's author, else the dossier's editors
    published: dt.date | None  # the annotation's date, else the build's home date


def home_date(dossier: Dossier) -> dt.date | None:
    """The build's home date: the newest article's, else the event's last or first day."""
    dates = [a.date for a in dossier.articles if a.date]
    return max(dates) if dates else dossier.home.event_end or dossier.home.event_start


def speaker_of(annotation: Annotation, quotes: list[Quote]) -> Entity | None:
    """The known speaker of the quotation the annotated passage lies in, if any."""
    where = annotation.anchor
    if where is None:
        return None
    for quote in quotes:
        inside = quote.block == where.block and quote.start <= where.start and where.end <= quote.end
        if inside and quote.speaker is not None and quote.speaker.kind in ("person", "organisation"):
            return quote.speaker
    return None


def fact_checks(
    annotations: list[Annotation], quotes: list[Quote], editors: tuple[str, ...], home_date: dt.date | None
) -> list[FactCheck]:
    """The fact checks among one article's anchored annotations, in text order."""
    checks = []
    for annotation in annotations:
        if annotation.kind != FACT_CHECK or annotation.anchor is None:
            continue
        reviewers = (annotation.author,) if annotation.author else tuple(editors)
        published = annotation.date or home_date
        checks.append(FactCheck(annotation, speaker_of(annotation, quotes), reviewers, published))
    return checks


def party(name: str) -> dict:
    """schema.org Person or Organization of a reviewer's name."""
    kind = "Organization" if ORGANISATION_WORDS.search(name) else "Person"
    return {"@type": kind, "name": name}


def speaker_data(entity: Entity, page: Page, site: SiteInfo) -> dict:
    """schema.org Person (or Organization) of the claim's speaker, with their page and Wikidata."""
    data: dict = {"@type": "Person" if entity.kind == "person" else "Organization", "name": entity.name}
    if entity.role and entity.kind == "person":
        data["jobTitle"] = entity.role
    path = urls.entry(entity.kind, entity.slug)
    data["url"] = (
        urls.absolute(site.base_url, path) if site.base_url else urls.relative(page.path, path, portable=site.portable)
    )
    if entity.wikidata:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata}"
    return data


def appearance(article: Article, page: Page, site: SiteInfo) -> dict:
    """The source article the claim appeared in: its original address, else the dossier's page."""
    if article.source_url:
        url = article.source_url
    elif site.base_url:
        url = urls.absolute(site.base_url, page.path)
    else:
        url = urls.relative(page.path, page.path, portable=site.portable)
    data: dict = {"@type": "NewsArticle", "url": url, "headline": article.title, "inLanguage": "de"}
    if article.date:
        data["datePublished"] = article.date.isoformat()
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.publisher:
        data["publisher"] = {"@type": "Organization", "name": article.publisher}
    return data


def review_url(annotation: Annotation, page: Page, site: SiteInfo) -> str:
    """Address of the annotated passage: absolute with a base URL, else relative to the page itself."""
    if site.base_url:
        return urls.absolute(site.base_url, page.path, fragment=annotation.id)
    return urls.relative(page.path, page.path, portable=site.portable, fragment=annotation.id)


def claim_text(annotation: Annotation) -> str:
    """The passage as the claim: whitespace collapsed, the quotation marks around a quotation dropped."""
    text = " ".join(annotation.exact.split())
    if len(text) > 2 and text[0] in QUOTES and text[-1] in QUOTES:
        text = text[1:-1].strip()
    return text


def claim_review(check: FactCheck, article: Article, page: Page, site: SiteInfo) -> dict:
    """The ClaimReview of one fact check."""
    annotation = check.annotation
    claim: dict = {"@type": "Claim", "appearance": appearance(article, page, site)}
    if check.speaker is not None:
        claim["author"] = speaker_data(check.speaker, page, site)
    if article.date:
        claim["datePublished"] = article.date.isoformat()
    data: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url(annotation, page, site),
        "claimReviewed": claim_text(annotation),
        "itemReviewed": claim,
        "author": [party(name) for name in check.reviewers] or [{"@type": "Organization", "name": site.title}],
        "inLanguage": "de",
    }
    if annotation.verdict:
        data["reviewRating"] = {"@type": "Rating", "alternateName": annotation.verdict}
    if check.published:
        data["datePublished"] = check.published.isoformat()
    return data


def claim_reviews(page: Page, site: SiteInfo) -> list[dict]:
    """The ClaimReview JSON-LD objects of an article page, one per fact check; [] on other pages."""
    article = page.context.get("article") if page.kind == "article" else None
    if article is None:
        return []
    return [claim_review(check, article, page, site) for check in page.context.get("fact_checks", ())]
