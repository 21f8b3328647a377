"""Claims by verification status: what each status means, and every claim with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing import inputs, urls
from briefing.model import ClaimStatus
from briefing.units.base import Output, Planning, Unit, chunks, paginate
from briefing.views import ArticleView, ClaimView

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer


class StatusRow(NamedTuple):
    """A status on the claims page: the status, its words, how many claims, its page."""

    status: ClaimStatus
    label: str
    total: int
    path: str


class ClaimItem(NamedTuple):
    """A claim as a status page lists it, with the article that reports it."""

    claim: ClaimView
    article: ArticleView


class ClaimsIndex(Unit):
    kind = "claims-index"
    template = "claims_index.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        yield self.output(urls.CLAIMS, [inputs.claim_count(s) for s in ClaimStatus])

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        statuses = [StatusRow(s, r.views.status(s), r.reads.claim_count(s), urls.claims_path(s))
                    for s in ClaimStatus]
        return {"statuses": statuses, "page": r.page(output, r.t("claims.title"), r.t("claims.intro"))}


class ClaimsStatus(Unit):
    """Every claim with one status, newest first, each with the article that reports it."""

    kind = "claims-status"
    template = "claims_status.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        index = p.index
        for status, refs in index.claims.items():
            for page, chunk in enumerate(chunks(refs), start=1):
                ids = list(dict.fromkeys(ref.article_id for ref in chunk))
                yield self.output(urls.claims_path(status, page), [inputs.claims(status), *inputs.cards(ids)],
                                  key=status.value, page=page)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        status = ClaimStatus(output.key)
        refs = r.reads.claims(status)
        pager, chunk = paginate(refs, output.page, lambda n: urls.claims_path(status, n))
        items = []
        for ref in chunk:
            view = r.views.article(ref.article_id)
            claim = next(c for c in view.claims if c.claim.id == ref.claim_id)
            items.append(ClaimItem(claim, view))
        label = r.views.status(status)
        return {"status": status, "label": label, "items": items, "pager": pager,
                "index_path": urls.CLAIMS, "count": len(refs),
                "page": r.page(output, r.t("claims.status_title", status=label),
                               r.t(f"status.{status.value}.description"))}
