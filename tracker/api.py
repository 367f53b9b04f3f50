"""/api/v2/motions/: the public items of every kind (motions, policy submissions, proposals)
with their stage, status and whole history, in the shape of the Wagtail API v2.

Public data only: never drafts, never names, emails or membership numbers of members.
Filters: kind, branch (slug), stage (id or name), status, q; limit/offset. A bad filter
value is a 400 with a message. Queries per request do not grow with the number of items.
"""

from django.conf import settings
from django.http import Http404
from django.urls import path
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet

from amendments import selectors as amendments
from cms.api import api_router
from cms.site_url import absolute_url
from workflows.filters import ItemFilterSet
from workflows.models import Item

from .selectors import public_items_with_history

# Beyond any listing's length, and within what every database accepts as an OFFSET.
MAX_OFFSET = 1_000_000


def stage_data(stage):
    if stage is None:
        return None
    return {"id": stage.pk, "name": stage.name, "deciding_body": stage.deciding_body, "body": stage.body_label}


def decision_data(decision):
    return {
        "stage": decision.stage_name,
        "deciding_body": decision.deciding_body,
        "body": decision.body_label,
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "votes": {"for": decision.votes_for, "against": decision.votes_against, "abstentions": decision.abstentions},
        "meeting": {"id": decision.meeting.pk, "title": decision.meeting.title} if decision.meeting else None,
        "date": decision.decided_on.isoformat(),
        "status_after": decision.status_after,
        "next_stage": decision.next_stage_name or None,
    }


def item_data(item, request, *, detail=False):
    data = {
        "id": item.pk,
        "meta": {
            "type": f"workflows.{item.kind}",
            "detail_url": absolute_url(f"/api/v2/motions/{item.pk}/"),
            "html_url": absolute_url(item.get_absolute_url()),
        },
        "reference": item.reference,
        "kind": item.kind,
        "title": item.title,
        "branch": {"slug": item.branch.slug, "title": item.branch.title} if item.branch_id else None,
        "stage": stage_data(item.current_stage),
        "status": item.status,
        "status_label": item.get_status_display(),
        "submitted_at": item.submitted_at.isoformat() if item.submitted_at else None,
        "history": [decision_data(d) for d in item.decisions.all()],
    }
    if detail:
        data["text"] = item.text
        data["pipeline"] = item.pipeline.name
        data.update(amendments.api_data(item.specific, absolute_url))
    return data


class MotionsAPIViewSet(BaseAPIViewSet):
    """Public items of all three kinds, newest first."""

    model = Item
    name = "motions"
    filters = tuple(ItemFilterSet.base_filters)
    known_query_parameters = frozenset(["limit", "offset", "format", "_", *filters])

    def get_queryset(self):
        return public_items_with_history().order_by("-submitted_at", "-pk")

    def check_query_parameters(self, queryset=None):
        unknown = set(self.request.GET) - self.known_query_parameters
        if unknown:
            raise BadRequestError(
                f"query parameter is not an operation or a recognised field: {', '.join(sorted(unknown))}"
            )

    def filter_items(self, queryset):
        """The tracker's filters (workflows.filters); a value that makes no sense is a 400 saying why."""
        filterset = ItemFilterSet(self.request.GET)
        if not filterset.is_valid():
            raise BadRequestError(filterset.error_message)
        return filterset.filter_queryset(queryset)

    def page_bounds(self):
        try:
            limit = int(self.request.GET.get("limit", 20))
            offset = int(self.request.GET.get("offset", 0))
        except ValueError:
            raise BadRequestError("limit and offset must be whole numbers") from None
        maximum = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 100)
        if limit < 0 or offset < 0:
            raise BadRequestError("limit and offset cannot be negative")
        if offset > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        if maximum and limit > maximum:
            raise BadRequestError(f"limit cannot be higher than {maximum}")
        return limit, offset

    def listing_view(self, request):
        self.check_query_parameters()
        queryset = self.filter_items(self.get_queryset())
        limit, offset = self.page_bounds()
        total = queryset.count()
        items = list(queryset[offset:offset + limit])
        return Response({"meta": {"total_count": total}, "items": [item_data(i, request) for i in items]})

    def detail_view(self, request, pk):
        item = self.get_queryset().filter(pk=pk).first()
        if item is None:
            raise Http404("No public item has this id.")
        return Response(item_data(item, request, detail=True))

    def find_view(self, request):
        reference = request.GET.get("reference", "")
        item = self.get_queryset().filter(reference__iexact=reference).first()
        if item is None:
            raise Http404("No public item has this reference.")
        return Response(item_data(item, request, detail=True))

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path("<int:pk>/", cls.as_view({"get": "detail_view"}), name="detail"),
            path("find/", cls.as_view({"get": "find_view"}), name="find"),
        ]


# Registered on the site's API (cms.api) when the app is ready (TrackerConfig.ready imports this module).
api_router.register_endpoint("motions", MotionsAPIViewSet)
