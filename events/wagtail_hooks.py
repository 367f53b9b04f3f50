"""Sign-ups in the Wagtail admin, for the officers of the event's own branch: the headcount, the
names (no emails; places first, then the waiting list in order), the number of places, and a CSV for the venue."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.models import EventPage
from cms.spreadsheets import neutralise_formula
from cms.times import uk_and_local_text
from workflows.permissions import officer_branches

from . import services


def _events_of(user):
    branches = officer_branches(user)
    since = timezone.now() - timezone.timedelta(days=30)
    return [e for e in EventPage.objects.filter(starts_at__gte=since).order_by("starts_at")
            if e.branch is not None and e.branch in branches]


def _event_for(request, pk):
    event = get_object_or_404(EventPage, pk=pk)
    if not services.may_see_sign_ups(request.user, event):
        raise PermissionDenied
    return event


def event_list(request):
    """Recent and upcoming events of the officer's branches, with their headcounts."""
    if not officer_branches(request.user).exists():
        raise PermissionDenied
    rows = [(event, services.headcount(event), services.places_of(event)) for event in _events_of(request.user)]
    return TemplateResponse(request, "events/admin/event_list.html", {"rows": rows, "page_title": "Event sign-ups"})


def event_sign_ups(request, pk):
    event = _event_for(request, pk)
    if request.method == "POST":
        raw = request.POST.get("places", "").strip()
        try:
            places = int(raw) if raw else None
            moved = services.set_capacity(event, places, request.user)
        except ValueError:
            messages.error(request, "Give the number of places as a whole number, or leave it empty for no limit.")
        except services.SignUpError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Places saved." + (f" {len(moved)} moved up from the waiting list."
                                                         if moved else ""))
        return redirect("event_sign_ups", pk=event.pk)
    return TemplateResponse(request, "events/admin/event_sign_ups.html", {
        "event": event, "counts": services.headcount(event), "places": services.places_of(event),
        "sign_ups": services.sign_ups_for_officers(event), "when": uk_and_local_text(event.starts_at, event.time_zone),
        "page_title": f"Sign-ups: {event.title}",
    })


def event_sign_ups_csv(request, pk):
    """Who is coming, for the venue: names and answers only (no email: the venue needs none)."""
    event = _event_for(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sign-ups-{event.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Name", "Answer", "Waiting list", "Answered at (UTC)"])
    for sign_up in services.sign_ups_for_officers(event):
        writer.writerow([neutralise_formula(v) for v in (
            sign_up.member.get_full_name() or f"Member {sign_up.member_id}", sign_up.get_answer_display(),
            "yes" if sign_up.waiting else "", sign_up.answered_at.strftime("%Y-%m-%d %H:%M"))])
    return response


class OfficersMenuItem(MenuItem):
    def is_shown(self, request):
        return officer_branches(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_sign_ups_menu_item():
    return OfficersMenuItem("Event sign-ups", reverse("event_list"), icon_name="date", order=255)


@hooks.register("register_admin_urls")
def register_sign_up_urls():
    return [
        path("event-sign-ups/", event_list, name="event_list"),
        path("event-sign-ups/<int:pk>/", event_sign_ups, name="event_sign_ups"),
        path("event-sign-ups/<int:pk>/export.csv", event_sign_ups_csv, name="event_sign_ups_csv"),
    ]
