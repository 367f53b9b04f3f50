"""Admin screens of the workflow engine: an item with its whole history and the decision
form; a meeting's decision screen (the whole agenda at once) with its minutes.

Thin: every write is a call to workflows.services; a refused action shows the service's
message on the form where the person acted, and nothing is written.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin.views.generic.models import InspectView

from cms.times import moment_text

from . import kinds, lines, permissions, services
from .exceptions import WorkflowError
from .forms import (
    DECIDING_BODIES_WITH_MEETINGS,
    AgendaDecisionForm,
    BranchMeetingForm,
    DecisionForm,
    MinutesForm,
    plain_text_to_html,
)
from .models import ItemStatus, Meeting, PolicySubmission
from .selectors import history_decisions, meetings_deciding


class ItemInspectView(InspectView):
    """One item: its text, seconders, whole history (stage, outcome, votes, meeting, UK date,
    who recorded it), text revisions, and the decision form for those who may decide."""

    template_name = "workflows/admin/item_inspect.html"

    def get_object(self, queryset=None):
        visible = permissions.items_visible_in_admin(self.request.user)
        return get_object_or_404(visible.select_related("current_stage", "branch", "pipeline", "proposer"),
                                 pk=self.pk).specific

    def get_page_title(self):
        return self.object.reference

    def get_page_subtitle(self):
        return self.object.title

    def decision_form(self, data=None):
        item = self.object
        stage = item.current_stage
        if item.status != ItemStatus.IN_PROGRESS or not permissions.can_decide(self.request.user, item, stage):
            return None
        meetings = None
        if stage.deciding_body in DECIDING_BODIES_WITH_MEETINGS:
            # A meeting decides only once it has started: later ones are not offered (the service refuses them).
            meetings = meetings_deciding(item, stage).filter(starts_at__lte=services.now()).order_by("-starts_at")
        return DecisionForm(data, item=item, stage=stage, meetings=meetings)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object
        context.update({
            "item": item,
            "history": list(history_decisions().filter(item=item)),
            "revisions": list(item.revisions.select_related("created_by")),
            "secondings": list(item.secondings.select_related("member")),
            "agenda": list(item.agenda_entries.select_related("meeting").order_by("-meeting__starts_at")),
            "form": kwargs.get("form") or self.decision_form(),
            "is_policy_submission": isinstance(item, PolicySubmission),
        })
        if isinstance(item, PolicySubmission):
            context["word_count"] = item.word_count
            context["word_limit"] = item.consultation.word_limit
        return context

    def post(self, request, *args, **kwargs):
        form = self.decision_form(request.POST)
        if form is None:
            messages.error(request, "You may not record a decision on this item now.")
            return redirect(request.path)
        if form.is_valid():
            data = form.cleaned_data
            stage = self.object.pipeline.stages.filter(pk=data["stage"]).first()
            amended = data.get("amended_text")
            try:
                if stage is None:
                    raise WorkflowError("This form names a stage that is not one of this item's stages: reload the "
                                        "page and record the decision again. Nothing was recorded.")
                services.record_decision(
                    self.object, data["outcome"], request.user, stage=stage,
                    votes_for=data.get("votes_for"), votes_against=data.get("votes_against"),
                    abstentions=data.get("abstentions"), meeting=data.get("meeting"), note=data.get("note", ""),
                    amended_text=plain_text_to_html(amended) if amended else None, decided_on=data.get("decided_on"),
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Decision recorded on {self.object.reference}.")
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


def _later_meetings(meeting):
    """Meetings of the same body after `meeting`: where an agenda item can be deferred to."""
    return Meeting.objects.filter(
        body=meeting.body, branch_id=meeting.branch_id, steering_group_id=meeting.steering_group_id,
        starts_at__gt=meeting.starts_at,
    ).order_by("starts_at", "pk")


def _record_rows(request, meeting, chosen):
    """Record every chosen row through the services; on the first refusal of any row, roll all back."""
    failed = False
    with transaction.atomic():
        for row in chosen:
            cd, entry = row.cleaned_data, row.entry
            try:
                if cd.get("defer_to"):
                    services.defer_agenda_entry(entry, cd["defer_to"], request.user)
                else:
                    services.record_decision(
                        entry.item, cd["outcome"], request.user, stage=entry.stage, meeting=meeting,
                        votes_for=cd.get("votes_for"), votes_against=cd.get("votes_against"),
                        abstentions=cd.get("abstentions"), note=cd.get("note", ""),
                        amended_text=plain_text_to_html(cd["amended_text"]) if cd.get("amended_text") else None,
                    )
            except WorkflowError as error:
                row.add_error(None, str(error))
                failed = True
        if failed:
            transaction.set_rollback(True)
    return not failed


def meeting_decisions(request, pk):
    """A meeting's decision screen: every agenda item still waiting, one row each (an outcome
    with its votes, or "defer to" a later meeting); all rows are recorded together or, if one
    is refused, none ("Nothing was recorded"). Also the minutes (rich text, documents) and
    their approval, refused while an item is neither decided nor deferred."""
    meeting = get_object_or_404(Meeting.objects.select_related("branch", "steering_group"), pk=pk)
    if not permissions.can_run_meeting(request.user, meeting):
        raise PermissionDenied
    entries = list(meeting.open_agenda_entries().select_related(
        "item", "item__current_stage", "item__branch", "stage"))
    later = _later_meetings(meeting)
    data = request.POST if request.method == "POST" and "record" in request.POST else None
    rows = [AgendaDecisionForm(data, entry=e, later_meetings=later, prefix=f"e{e.pk}") for e in entries]
    for row in rows:  # what the meeting decides on, with the line numbers amendments refer to
        row.kind_html = kinds.decision_screen_html(row.entry.item)
        row.numbered = lines.number_lines(row.entry.item.text) if row.kind_html is None else []
    posting_minutes = request.method == "POST" and "save_minutes" in request.POST
    minutes_form = MinutesForm(request.POST if posting_minutes else None,
                               request.FILES if posting_minutes else None,
                               initial={"minutes": meeting.minutes})
    refused = False

    if data is not None:
        valid = all([row.is_valid() for row in rows])  # every row validated, so every error shows
        chosen = [row for row in rows if valid and (row.cleaned_data.get("outcome") or row.cleaned_data.get("defer_to"))]
        if valid and _record_rows(request, meeting, chosen):
            if chosen:
                messages.success(request, f"{len(chosen)} agenda item{pluralize(len(chosen))} recorded.")
            else:
                messages.info(request, "No outcome was chosen: nothing to record.")
            return redirect(reverse("workflows_admin:meeting_decisions", args=[meeting.pk]))
        refused = True
    elif posting_minutes and minutes_form.is_valid():
        cd = minutes_form.cleaned_data
        try:
            with transaction.atomic():
                services.save_minutes(meeting, request.user, minutes=cd["minutes"])
                if cd.get("document"):
                    services.attach_minutes_document(meeting, request.user, cd["document"],
                                                     title=cd.get("document_title", ""))
                if cd.get("approve"):
                    services.approve_minutes(meeting, request.user)
        except WorkflowError as error:
            minutes_form.add_error(None, str(error))
        else:
            messages.success(request, "Minutes approved and published to members." if cd.get("approve")
                             else "Minutes saved (draft).")
            return redirect(request.path)

    decided = list(meeting.decisions.select_related("item", "recorded_by").order_by("pk"))
    deferred = list(meeting.agenda.filter(deferred_to__isnull=False).select_related("item", "deferred_to"))
    return TemplateResponse(request, "workflows/admin/meeting_decisions.html", {
        "meeting": meeting,
        "rows": rows,
        "refused": refused,
        "has_started": meeting.has_started(services.now()),
        "decided": decided,
        "deferred": deferred,
        "open_count": len(entries),
        "documents": list(meeting.minutes_documents.all()),
        "minutes_form": minutes_form,
        "page_title": f"Decisions: {meeting.title}",
    })


def _scheduled_meeting(request, pk, *, future=True):
    """A branch meeting the officer plans (404 for any other meeting: they never see it)."""
    meeting = get_object_or_404(
        permissions.branch_meetings_scheduled_by(request.user).select_related("branch"), pk=pk)
    if future and meeting.is_past:
        messages.error(request, "This meeting has taken place: it can no longer be changed.")
        return None
    return meeting


def _require_branch_officer(request):
    if not permissions.officer_branches(request.user).exists():
        raise PermissionDenied


def branch_meetings(request):
    """The meetings of the officer's branch(es): upcoming first, then the recent past."""
    _require_branch_officer(request)
    scheduled = permissions.branch_meetings_scheduled_by(request.user).select_related("branch")
    return TemplateResponse(request, "workflows/admin/branch_meetings.html", {
        "upcoming": list(scheduled.upcoming(services.now())),
        "past": list(scheduled.past(services.now())[:20]),
        "page_title": "Branch meetings",
    })


def branch_meeting_form(request, pk=None):
    """Schedule a meeting of the officer's branch, or move a future one. Saving it builds its
    agenda (the post_save receiver calls services.build_agenda)."""
    _require_branch_officer(request)
    meeting = None
    if pk is not None:
        meeting = _scheduled_meeting(request, pk)
        if meeting is None:
            return redirect("workflows_admin:branch_meetings")
    form = BranchMeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        on_agenda = saved.agenda.count()
        messages.success(request, f"“{saved.title}” scheduled for {moment_text(saved.starts_at, saved.time_zone)}; "
                                  f"its agenda has {on_agenda} item{pluralize(on_agenda)}.")
        return redirect("workflows_admin:branch_meetings")
    return TemplateResponse(request, "workflows/admin/branch_meeting_form.html", {
        "form": form, "meeting": meeting,
        "page_title": f"Edit {meeting.title}" if meeting else "Schedule a branch meeting",
    })


def cancel_branch_meeting(request, pk):
    """Confirm, then cancel a future meeting of the officer's branch (services.cancel_meeting)."""
    _require_branch_officer(request)
    meeting = _scheduled_meeting(request, pk)
    if meeting is None:
        return redirect("workflows_admin:branch_meetings")
    if request.method == "POST":
        try:
            services.cancel_meeting(meeting, request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"“{meeting.title}” cancelled.")
        return redirect("workflows_admin:branch_meetings")
    return TemplateResponse(request, "workflows/admin/branch_meeting_cancel.html", {
        "meeting": meeting, "page_title": f"Cancel {meeting.title}",
    })
