"""Members take part: check in online to a running meeting, vote in its live polls, vote in
online ballots between meetings; and what the meeting's and the motion's pages show of it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from cms.times import Moment, member_zone_name, uk_zone_name
from workflows import permissions
from workflows.models import Meeting

from . import selectors, services
from .models import Attendance, Choice, Poll, PollBallot, PollVoter


@require_POST
@login_required
def check_in(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("branch"), pk=pk)
    try:
        services.check_in_online(meeting, request.user)
    except services.ParticipationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "You are checked in online: you count for the quorum and vote in this meeting's polls.")
    return redirect(meeting.get_absolute_url())


def _closes(poll, request):
    return Moment(poll.closes_at, uk_zone_name(), member_zone_name(request.user)) if poll.closes_at else None


@login_required
def vote(request, pk):
    """A poll's or ballot's voting page: the question, the choices, and once voted, the receipt.

    A vote answers with this page (200), saying it is recorded, rather than a redirect to it: in a
    ballot's last minute each request counts, and a browser's second request for the page cost as
    much as the vote. The page is built from the poll read for the vote (selectors.poll_for_vote: its
    item's reference and title, the member's branch's time zone); after a refusal the poll is read
    again (the close may be what refused it)."""
    poll = selectors.poll_for_vote(pk, request.user)
    if poll is None:
        raise Http404("No such vote.")
    receipt, error, voted, own_choice = None, None, False, None
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        try:
            receipt = services.cast_vote(poll, request.user, choice)
        except services.ParticipationError as refusal:
            error = str(refusal)
            poll = selectors.poll_for_vote(pk, request.user)
        else:
            voted = True
            if not poll.secret:  # a secret vote's page shows its receipt, never the choice
                own_choice = Choice(choice).label
                messages.success(request, f"Your vote on {poll.item.reference} is recorded.")
    if not voted:
        own = PollBallot.objects.filter(poll=poll, voter=request.user).first() if not poll.secret else None
        own_choice = own.get_choice_display() if own else None
        voted = own is not None or PollVoter.objects.filter(poll=poll, member=request.user).exists()
    why_not = None if voted else services.why_cannot_vote_in(poll, request.user)
    response = TemplateResponse(request, "participation/vote.html", {
        "poll": poll, "item": poll.item, "closes": _closes(poll, request), "choices": Choice.choices,
        "voted": voted, "own_choice": own_choice, "why_not": why_not,
        "receipt": receipt, "error": error, "turnout": services.turnout(poll),
        "result": _result(poll) if poll.closed_at else None,
        "show_form": not (receipt or poll.closed_at or voted or why_not),
    }, status=400 if error else 200)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def check_receipt(request, pk):
    poll = get_object_or_404(Poll, pk=pk, secret=True)
    code = request.POST.get("code", "") if request.method == "POST" else ""
    found = services.check_receipt(poll, code) if code else None
    return TemplateResponse(request, "participation/receipt_check.html", {"poll": poll, "code": code, "found": found})


def _result(poll):
    named = []
    if not poll.secret:
        named = list(PollBallot.objects.filter(poll=poll).select_related("voter")
                     .order_by("voter__last_name", "voter__first_name"))
    return {"decision": poll.decision, "note": poll.result_note, "named": named}


def meeting_section(request, meeting):
    """On a meeting's page: checking in online while it runs, the quorum, the open polls."""
    running = services.is_running(meeting)
    polls = list(meeting.polls.select_related("item", "decision").order_by("-opened_at"))
    can_run = permissions.can_run_meeting(request.user, meeting)
    if not running and not polls and not can_run:
        return ""
    attendance = None
    if request.user.is_authenticated:
        attendance = Attendance.objects.filter(meeting=meeting, member=request.user).first()
    open_polls = [p for p in polls if p.closed_at is None]
    for poll in open_polls:
        poll.turnout = services.turnout(poll)
        poll.voted = request.user.is_authenticated and PollVoter.objects.filter(poll=poll, member=request.user).exists()
    return render_to_string("participation/_meeting_section.html", {
        "meeting": meeting, "running": running, "attendance": attendance,
        "quorum": services.quorum(meeting) if (running or can_run) else None,
        "open_polls": open_polls, "closed_polls": [p for p in polls if p.closed_at], "can_run": can_run,
    }, request=request)


def item_vote_context(request, item):
    """For the motion's page: the vote open on it (to those who may vote, with the close in their
    time and the turnout) and the results of the polls that decided it."""
    polls = list(Poll.objects.filter(item=item).select_related("meeting", "decision").order_by("-opened_at"))
    if not polls:
        return {}
    open_poll = next((p for p in polls if p.closed_at is None), None)
    closed = [p for p in polls if p.closed_at]
    for poll in closed:  # a named vote is published: who voted how (accountability)
        poll.named = [] if poll.secret else list(
            PollBallot.objects.filter(poll=poll).select_related("voter").order_by("voter__last_name", "voter__first_name"))
    context = {"vote_polls": closed, "open_poll": open_poll}
    if open_poll is not None:
        context["open_turnout"] = services.turnout(open_poll)
        context["open_closes"] = _closes(open_poll, request)
        if request.user.is_authenticated:
            context["open_voted"] = PollVoter.objects.filter(poll=open_poll, member=request.user).exists()
            context["open_why_not"] = (None if context["open_voted"]
                                       else services.why_cannot_vote_in(open_poll, request.user, timezone.now()))
    return context
