"""Officers' screens in the Wagtail admin: the GC delegates' register with its gaps, a meeting's
register, quorum and live polls (the chair opens, the teller enters the room's count, closing
records the decision), and online ballots between meetings."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from cms.times import uk_zone_name, zone
from workflows import permissions
from workflows.exceptions import WorkflowError
from workflows.models import AgendaEntry, DecidingBody, DecisionRule, Item, Meeting

from . import services
from .models import Attendance, Poll, PollBallot

VOTING_BODIES = [DecidingBody.BRANCH_MEETING, DecidingBody.LIEC, DecidingBody.GC]


class BallotForm(forms.Form):
    closes_on = forms.DateField(label="Voting closes on (the last day, UK date)",
                                help_text="Voting closes at 23:59 UK time on this day.",
                                widget=forms.DateInput(attrs={"type": "date"}))

    def closes_at(self):
        return datetime.combine(self.cleaned_data["closes_on"], services.BALLOT_CLOSES_AT, tzinfo=zone(uk_zone_name()))


def _require_officer(request):
    if not permissions.is_workflow_officer(request.user):
        raise PermissionDenied


def index(request):
    """Meetings the officer runs (today's first) and the items they may put to an online ballot."""
    _require_officer(request)
    now = timezone.now()
    meetings = list(permissions.meetings_run_by(request.user).filter(
        starts_at__gte=now - services.MEETING_WITHOUT_END_LASTS * 6).order_by("starts_at")[:20].select_related("branch"))
    for meeting in meetings:
        meeting.running = services.is_running(meeting, now)
    open_ballots = Poll.objects.filter(way=Poll.Way.BALLOT, closed_at__isnull=True).values("item_id")
    ballotable = list(permissions.deciding_items_for(request.user)
                      .filter(current_stage__deciding_body__in=VOTING_BODIES)
                      .exclude(current_stage__decision_rule=DecisionRule.NO_VOTE).exclude(pk__in=open_ballots)
                      .select_related("current_stage", "branch").order_by("reference")[:50])
    ballots = Poll.objects.filter(way=Poll.Way.BALLOT).filter(
        Q(opened_by=request.user) | Q(item__in=permissions.deciding_items_for(request.user)))
    return TemplateResponse(request, "participation/admin/index.html", {
        "page_title": "Meetings and votes", "meetings": meetings, "ballotable": ballotable,
        "ballots": ballots.select_related("item").order_by("-opened_at")[:30],
        "show_delegates": permissions.is_secretary(request.user),
    })


def delegates(request):
    if not permissions.is_secretary(request.user):
        raise PermissionDenied
    return TemplateResponse(request, "participation/admin/delegates.html", {
        "page_title": "GC delegates", "rows": services.delegate_register()})


def meeting(request, pk):
    """The register (room ticks, online check-ins), the quorum, and the live polls."""
    meeting = get_object_or_404(Meeting.objects.select_related("branch"), pk=pk)
    if not permissions.can_run_meeting(request.user, meeting):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    errors = {}
    try:
        if action == "register":
            services.set_room_register(meeting, request.POST.getlist("in_room"), request.user)
            messages.success(request, "The register is saved.")
            return redirect("participation_admin:meeting", pk=meeting.pk)
        if action == "inquorate":
            following, moved = services.record_inquorate(meeting, request.user)
            where = f" to “{following.title}”" if following else " (no later meeting is planned yet)"
            messages.success(request, f"Recorded: no decision, inquorate. {len(moved)} item(s) moved{where}.")
            return redirect("participation_admin:meeting", pk=meeting.pk)
        if action == "open_poll":
            entry = get_object_or_404(AgendaEntry, pk=request.POST.get("entry"), meeting=meeting)
            poll = services.open_live_poll(entry, request.user)
            messages.success(request, f"The poll on {poll.item.reference} is open: members checked in online vote now.")
            return redirect("participation_admin:meeting", pk=meeting.pk)
        if action == "close_poll":
            poll = get_object_or_404(Poll, pk=request.POST.get("poll"), meeting=meeting)
            decision = services.close_poll(poll, request.user, room_for=request.POST.get("room_for"),
                                           room_against=request.POST.get("room_against"),
                                           room_abstain=request.POST.get("room_abstain"))
            messages.success(request, f"{poll.item.reference}: {decision.get_outcome_display()} "
                                      f"({decision.votes_for} for, {decision.votes_against} against, "
                                      f"{decision.abstentions} abstentions). {poll.result_note}")
            return redirect("participation_admin:meeting", pk=meeting.pk)
    except (services.ParticipationError, WorkflowError) as error:
        errors[action] = str(error)
        messages.error(request, str(error))
    voters = services.meeting_voters(meeting)
    present = {a.member_id: a for a in meeting.attendance.select_related("member")}
    from cms.models import Member

    register = list(Member.objects.filter(pk__in=voters | set(present)).select_related("branch")
                    .order_by("last_name", "first_name"))
    for member in register:
        member.attendance = present.get(member.pk)
        member.votes = member.pk in voters
    polls = list(meeting.polls.select_related("item", "decision").order_by("-opened_at"))
    for poll in polls:
        poll.turnout = services.turnout(poll)
        poll.online = services.tally(poll) if not poll.secret or poll.closed_at else None
        poll.named = (list(PollBallot.objects.filter(poll=poll).select_related("voter")) if not poll.secret else [])
    polled = {p.item_id for p in polls if p.closed_at is None}
    entries = [e for e in meeting.open_agenda_entries().select_related("item", "stage") if e.item_id not in polled]
    in_room = sum(1 for m in register if m.attendance and m.attendance.way == Attendance.Way.ROOM and m.votes)
    return TemplateResponse(request, "participation/admin/meeting.html", {
        "page_title": f"Register and polls: {meeting.title}", "meeting": meeting, "register": register,
        "quorum": services.quorum(meeting), "polls": polls, "entries": entries, "errors": errors,
        "running": services.is_running(meeting), "in_room": in_room, "post": request.POST,
    }, status=400 if errors else 200)


def ballot(request, pk):
    """Put an item to its deciding body's members by online ballot."""
    item = get_object_or_404(Item.objects.select_related("current_stage", "branch"), pk=pk)
    if not permissions.can_decide(request.user, item):
        raise PermissionDenied
    initial = {"closes_on": services.default_ballot_close().date()}
    form = BallotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.open_ballot(item, request.user, form.closes_at())
        except services.ParticipationError as error:
            form.add_error("closes_on", str(error))
        else:
            messages.success(request, f"The online ballot on {item.reference} is open until "
                                      f"{poll.closes_at:%d %B %Y} 23:59 UK time; the members with a vote are emailed.")
            return redirect("participation_admin:index")
    return TemplateResponse(request, "participation/admin/ballot.html", {
        "page_title": f"Online ballot on {item.reference}", "item": item, "form": form,
        "voters": services.voting_members(services.MEETING_BODY_OF_DECIDING_BODY.get(item.current_stage.deciding_body),
                                          item.branch).count() if item.current_stage else 0,
    }, status=400 if form.errors else 200)


def close_ballot(request, pk):
    poll = get_object_or_404(Poll, pk=pk, way=Poll.Way.BALLOT)
    if request.method != "POST":
        return redirect("participation_admin:index")
    try:
        decision = services.close_poll(poll, request.user)
    except (services.ParticipationError, WorkflowError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{poll.item.reference}: {decision.get_outcome_display()}. {poll.result_note}")
    return redirect("participation_admin:index")
