"""The public motion tracker: /motions/ (every public item, where it stands, filters, search,
pages) and /motions/<reference>/ (one item's text, people, timeline and next meeting).

Thin: reads come from workflows.selectors. The follow buttons and "you proposed or seconded it" are
the notifications app's: its template tags (notifications/templatetags/follows.py) fill them in.
"""


from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amendments import selectors as amendments
from cms import calendar
from participation import views as participation
from workflows import filters
from workflows.filters import ItemFilterSet
from workflows.models import Meeting

from . import selectors


@require_GET
def motion_list(request):
    params = request.GET
    filterset = ItemFilterSet(params)
    paginator = Paginator(selectors.tracker_items(filterset), selectors.PER_PAGE)
    page = paginator.get_page(params.get("page"))
    stages = filters.ordered_stages()
    items = selectors.with_stage_bars(list(page.object_list), selectors.stages_by_pipeline(stages))
    choices = selectors.filter_options(filterset, stages)
    chosen = filterset.chosen
    query = params.copy()
    query.pop("page", None)
    branch = next(((slug, title) for slug, title in choices["branches"] if slug == chosen["branch"]), None)
    consultation = next(((slug, t) for slug, t in choices["consultations"] if slug == chosen["consultation"]), None)
    context = {
        "page": page,
        "items": items,
        "choices": choices,
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "query_string": query.urlencode(),
        "followed_branch": branch,
        "followed_consultation": consultation,
    }
    return render(request, "tracker/list.html", context)


@require_GET
def motion_detail(request, reference):
    item = selectors.public_item(reference)
    if item is None:
        return render(request, "tracker/not_found.html", {"reference": reference}, status=404)
    specific = item.specific
    stages = selectors.stages_by_pipeline().get(item.pipeline_id, [])
    decisions = selectors.timeline(item)
    last_stage_id = decisions[-1].stage_id if decisions else None
    # Its amendments' fates on the same timeline, in the order they were recorded.
    decisions = sorted(decisions + amendments.timeline_decisions(specific), key=lambda d: (d.recorded_at, d.pk))
    return render(request, "tracker/detail.html", {
        "item": item,
        "specific": specific,
        "steps": selectors.stage_bar(item, stages, last_stage_id),
        "seconders": selectors.seconder_names(item),
        "decisions": decisions,
        "next_meeting": selectors.next_meeting(item),
        **amendments.for_motion_page(specific, request.user),
        **participation.item_vote_context(request, item),
    })


@require_GET
def meetings_calendar(request):
    """iCalendar feed of upcoming meetings: public meeting information only (no online link)."""
    meetings = Meeting.objects.upcoming().select_related("branch", "steering_group")[:500]
    response = HttpResponse(calendar.meetings_calendar(meetings, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
