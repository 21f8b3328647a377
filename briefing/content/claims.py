"""A rating needs a basis: what ``briefing check`` asks of each claim's status.

The curators' status is a statement of their own, and readers trust it only as
far as it shows what it rests on. A rating that cites nothing is a warning
(an error with ``--strict``, which ``briefing send`` applies), never a refusal
at a first draft:

- ``confirmed`` (seen on the scene or geolocated) and ``false`` cite evidence;
- ``corroborated`` (independent reports agree) rests on two reports at least:
  the article itself and evidence from another site than the article's own;
- ``disputed`` says who disputes it (``disputed_by:``) or cites evidence.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from briefing.content.schema import ClaimMeta
from briefing.errors import Problems
from briefing.model import ClaimStatus
from briefing.yamlio import YamlDoc


def site_of(url: str) -> str:
    """The site a link is on, as reports are told apart: its host without "www."."""
    return (urlsplit(url).hostname or url).lower().removeprefix("www.")


def independent_reports(claim: ClaimMeta, article_url: str | None) -> int:
    """The article itself, and each other site its evidence is on."""
    own = site_of(article_url) if article_url else None
    return 1 + len({site_of(link) for link in claim.evidence} - {own})


def check_basis(claim: ClaimMeta, index: int, doc: YamlDoc, article_url: str | None,
                problems: Problems) -> None:
    """Warn, at the claim's status, where the rating does not show what it rests on."""
    status = ClaimStatus(claim.status)
    where = doc.location(("claims", index, "status"))
    field = f"claims[{index}].evidence"
    if status in (ClaimStatus.CONFIRMED, ClaimStatus.FALSE) and not claim.evidence:
        problems.warning(where, field, f"rated '{status.value}' without evidence: readers cannot "
                         "see what the rating rests on",
                         "add evidence: [a link to the footage, geolocation or assessment], "
                         "or rate it 'claimed' until there is one")
    elif status is ClaimStatus.CORROBORATED and independent_reports(claim, article_url) < 2:
        problems.warning(where, field, "rated 'corroborated' on this article alone: corroboration "
                         "needs a second, independent report",
                         "add evidence: [a link to another outlet's report], or rate it 'claimed'")
    elif status is ClaimStatus.DISPUTED and claim.disputed_by is None and not claim.evidence:
        problems.warning(where, f"claims[{index}].disputed_by",
                         "rated 'disputed' without saying who disputes it",
                         "add disputed_by: an actor id, or free text in quotes, "
                         "or evidence: [a link to the counter-assessment]")
