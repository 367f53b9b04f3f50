"""The sign-up buttons on an event's page (going / maybe / not going: one click, POST with CSRF)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from cms.models import EventPage

from . import services
from .models import EventSignUp


def sign_up_context(page, request):
    """What the event's page shows of sign-ups (cms.models.add_event_page_context). A visitor sees
    a sign-in link; a member their answer; nobody the names of others."""
    context = {"sign_up_template": "events/sign_up.html", "answers": EventSignUp.Answer.choices}
    places = services.places_of(page)
    counts = services.headcount(page) if places is not None else None
    context["places_left"] = max(places - counts["going"], 0) if places is not None else None
    if getattr(request.user, "is_authenticated", False):
        mine = EventSignUp.objects.filter(event=page, member=request.user).first()
        context["my_sign_up"] = mine
        if mine is not None and mine.waiting:
            queue = EventSignUp.objects.filter(event=page, waiting=True).order_by("answered_at", "pk")
            context["waiting_position"] = list(queue.values_list("pk", flat=True)).index(mine.pk) + 1
    return context


@require_POST
def answer(request, pk):
    event = get_object_or_404(EventPage.objects.live(), pk=pk)
    if not request.user.is_authenticated:
        return redirect(f"/login/?next={event.get_url(request) or '/'}")
    try:
        sign_up = services.answer(event, request.user, request.POST.get("answer", ""))
    except services.SignUpError as error:
        messages.error(request, str(error))
    else:
        if sign_up.waiting:
            messages.warning(request, "The event is full: you are on the waiting list. We will email you if a "
                                      "place frees up.")
        else:
            messages.success(request, f"Saved: {sign_up.get_answer_display().lower()}.")
    return redirect(event.get_url(request) or "/")
