"""Plain Django views of the site app."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from .calendar import branch_calendar
from .models import BranchPage


def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 (any database failure means unhealthy)
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def branch_events_feed(request, slug):
    """/branches/<slug>/events.ics: the branch's events as an iCalendar feed to subscribe to."""
    branch = get_object_or_404(BranchPage.objects.live(), slug=slug)
    response = HttpResponse(branch_calendar(branch, branch.calendar_events(), request, branch.calendar_meetings()),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{branch.slug}-events.ics"'
    return response
