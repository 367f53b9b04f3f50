"""Atom feeds of decisions (django.contrib.syndication): per item, per branch, and all of them."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from cms.models import BranchPage
from cms.site_url import SiteUrlRequest
from workflows.models import Decision

from .selectors import public_item

LATEST = 50


def public_decisions():
    return Decision.objects.filter(item__submitted_at__isnull=False).select_related("item", "meeting").order_by(
        "-recorded_at", "-pk"
    )


class DecisionsFeed(Feed):
    """Every decision recorded on a public item, newest first."""

    feed_type = Atom1Feed
    title = "Labour International: decisions on motions"
    subtitle = "Every decision recorded in the motion tracker."

    def get_feed(self, obj, request):
        # Links in a feed are read elsewhere (a feed reader): on SITE_URL, never the request's host.
        return super().get_feed(obj, SiteUrlRequest(request))

    def link(self):
        return "/motions/"

    def items(self):
        return public_decisions()[:LATEST]

    def item_title(self, decision):
        return f"{decision.item.reference} {decision.item.title}: {decision.get_outcome_display().lower()}"

    def item_description(self, decision):
        parts = [f"{decision.stage_name} ({decision.body_label}): {decision.get_outcome_display()}"]
        if decision.has_votes:
            parts.append(f"For {decision.votes_for}, against {decision.votes_against}, "
                         f"abstentions {decision.abstentions or 0}.")
        if decision.next_stage_name:
            parts.append(f"Next: {decision.next_stage_name}.")
        else:
            parts.append(f"Now: {decision.get_status_after_display().lower()}.")
        return " ".join(parts)

    def item_link(self, decision):
        return f"{decision.item.get_absolute_url()}#decision-{decision.pk}"

    def item_guid(self, decision):
        return f"decision-{decision.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, decision):
        return decision.recorded_at

    def item_updateddate(self, decision):
        return decision.recorded_at


class ItemDecisionsFeed(DecisionsFeed):
    """The decisions on one item."""

    def get_object(self, request, reference):
        item = public_item(reference)
        if item is None:
            raise Http404("No public item has this reference.")
        return item

    def title(self, item):
        return f"{item.reference} {item.title}"

    def subtitle(self, item):
        return f"Decisions on {item.reference}."

    def link(self, item):
        return item.get_absolute_url()

    def items(self, item):
        return public_decisions().filter(item=item)[:LATEST]


class BranchDecisionsFeed(DecisionsFeed):
    """The decisions on one branch's items."""

    def get_object(self, request, slug):
        return get_object_or_404(BranchPage, slug=slug)

    def title(self, branch):
        return f"Labour International {branch.title}: decisions on motions"

    def subtitle(self, branch):
        return f"Decisions on the motions of the {branch.title} branch."

    def link(self, branch):
        return f"/motions/?branch={branch.slug}"

    def items(self, branch):
        return public_decisions().filter(item__branch=branch)[:LATEST]
