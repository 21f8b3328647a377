"""schema.org JSON-LD for search engines and other machines.

An article page describes the outlet's article as a ``NewsArticle``: the
outlet as publisher, the outlet it retells as ``isBasedOn``, the dateline,
where it was written (``locationCreated``) apart from where it happened
(``contentLocation``). Claims the curators rated become ``ClaimReview``s;
claims only reported stay plain ``Claim``s: a rating is published only where one was made.
"""

from __future__ import annotations

from typing import Any

from briefing import urls
from briefing.config import Config
from briefing.model import Actor, ClaimStatus, Day
from briefing.views import ArticleView, ClaimView, EntryRef, Views

CONTEXT = "https://schema.org"

#: ClaimReview ratings on a 1-5 scale, 5 the most supported.
RATING = {
    ClaimStatus.CONFIRMED: 5,
    ClaimStatus.CORROBORATED: 4,
    ClaimStatus.DISPUTED: 2,
    ClaimStatus.FALSE: 1,
}


def _organisation(ref: EntryRef) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "Organization", "name": ref.name}
    url = getattr(ref.entry, "url", None)
    if url:
        found["url"] = url
    return found


def _briefing(config: Config) -> dict[str, Any]:
    return {"@type": "Organization", "name": config.publisher or config.title, "url": config.base_url}


def _place(ref: EntryRef) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place", "name": ref.label}
    coordinates = getattr(ref.entry, "coordinates", None)
    if coordinates:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": coordinates[0],
                        "longitude": coordinates[1]}
    return place


def website(config: Config) -> dict[str, Any]:
    return {
        "@context": CONTEXT, "@type": "WebSite", "name": config.title,
        "url": config.base_url, "inLanguage": config.language,
        "description": config.description,
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{config.base_url}{urls.SEARCH}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    }


def day_list(config: Config, day: Day, headline: str, articles: list[ArticleView]) -> dict[str, Any]:
    return {
        "@context": CONTEXT, "@type": "ItemList",
        "name": headline or day.date.isoformat(),
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": view.article.title,
             "url": urls.absolute(config.base_url, view.path)}
            for n, view in enumerate(articles, start=1)
        ],
    }


def article(config: Config, view: ArticleView, views: Views,
            image: str | None) -> tuple[dict[str, Any], ...]:
    a = view.article
    page = urls.absolute(config.base_url, view.path)
    news: dict[str, Any] = {
        "@context": CONTEXT, "@type": "NewsArticle",
        "headline": a.title, "url": page, "mainEntityOfPage": page,
        "datePublished": a.published.isoformat(), "inLanguage": a.language,
        "publisher": _organisation(view.outlet),
        "sourceOrganization": _briefing(config),
    }
    if a.summary:
        news["description"] = a.summary
    if view.based_on:
        news["isBasedOn"] = {"@type": "CreativeWork", "publisher": _organisation(view.based_on)}
    if a.source.url:
        news["sameAs"] = a.source.url
    if a.source.dateline:
        news["dateline"] = a.source.dateline
        news["locationCreated"] = {"@type": "Place", "name": a.source.dateline}
    if a.source.author:
        news["author"] = {"@type": "Person", "name": a.source.author}
    if a.source.editor:
        news["editor"] = {"@type": "Person", "name": a.source.editor}
    if view.places:
        news["contentLocation"] = [_place(p) for p in view.places]
    if view.topics:
        news["about"] = [{"@type": "Thing", "name": t.name} for t in view.topics]
    if view.actors:
        news["mentions"] = [{"@type": "Thing", "name": r.name} for r in view.actors]
    if image:
        news["image"] = image
    return (news, *(_claim(config, view, c, page, views) for c in view.claims))


def _claim(config: Config, view: ArticleView, claim: ClaimView, page: str, views: Views) -> dict[str, Any]:
    said: dict[str, Any] = {"@type": "Claim", "text": claim.claim.text,
                            "appearance": {"@type": "NewsArticle", "url": page}}
    if claim.by:
        person = isinstance(claim.by.entry, Actor) and claim.by.entry.kind == "person"
        said["author"] = {"@type": "Person" if person else "Organization", "name": claim.by.name}
    elif claim.by_text:
        said["author"] = {"@type": "Thing", "name": claim.by_text}
    status = claim.claim.status
    if not status.reviewed:
        return {"@context": CONTEXT, **said}
    return {
        "@context": CONTEXT, "@type": "ClaimReview",
        "url": f"{page}#claim-{claim.claim.id}",
        "claimReviewed": claim.claim.text,
        "itemReviewed": said,
        "author": _briefing(config),
        "datePublished": view.article.published.date().isoformat(),
        "reviewRating": {"@type": "Rating", "ratingValue": RATING[status], "bestRating": 5,
                         "worstRating": 1, "alternateName": views.status(status)},
    }
