"""Public views of the workflow engine: meetings (agenda, decisions, minutes).

Thin: reads come from selectors/querysets, every action from workflows.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import permissions, services
from .exceptions import WorkflowError
from .forms import ItemDraftForm, html_to_plain_text
from .models import Item, ItemStatus, Meeting, PolicySubmission, Seconding


def meeting_detail(request, pk):
    """A meeting: when and where, its agenda, what was decided, and its minutes once approved."""
    meeting = get_object_or_404(Meeting.objects.select_related("branch", "steering_group"), pk=pk)
    agenda = meeting.agenda.select_related("item", "item__current_stage", "stage").filter(item__submitted_at__isnull=False)
    decisions = meeting.decisions.select_related("item").order_by("pk")
    return render(request, "workflows/meeting_detail.html", {
        "meeting": meeting,
        "agenda": agenda,
        "decisions": decisions,
        "can_read_minutes": permissions.can_read_minutes(request.user, meeting),
        "can_run": permissions.can_run_meeting(request.user, meeting),
    })


# --------------------------------------------------------------------------- members' items


KIND_LABELS = {"motion": "motion", "policy_submission": "policy submission", "proposal": "steering-group proposal"}


@login_required
def my_items(request):
    """A member's own items (drafts included) and the items they are asked to second."""
    mine = Item.objects.filter(proposer=request.user).select_related("current_stage", "branch")
    to_second = (
        Seconding.objects.filter(member=request.user, item__status__in=[ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS])
        .select_related("item", "item__proposer")
    )
    return render(request, "workflows/my_items.html", {"mine": mine, "to_second": to_second})


@login_required
def draft_new(request, kind):
    """Draft a motion, a policy submission or (for a steering group's members) a proposal."""
    if kind not in KIND_LABELS:
        raise Http404
    group = None
    if kind == "proposal":
        from steering_groups.models import SteeringGroup

        group = get_object_or_404(SteeringGroup, slug=request.GET.get("group") or request.POST.get("group"))
    form = ItemDraftForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_draft(
                kind, request.user, title=form.cleaned_data["title"], text=form.text_html(),
                consultation=form.cleaned_data.get("consultation"), commission=form.cleaned_data.get("commission"),
                steering_group=group, seconder_numbers=form.seconder_numbers(),
            )
        except WorkflowError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, f"Draft {item.reference} saved. Submit it when it is ready.")
            return redirect("workflows:my_item", pk=item.pk)
    return render(request, "workflows/draft_form.html", {
        "form": form, "kind": kind, "kind_label": KIND_LABELS[kind], "group": group,
    })


def _own_or_seconded(request, pk):
    item = get_object_or_404(Item.objects.select_related("current_stage", "branch", "proposer"), pk=pk)
    if not permissions.can_see_item(request.user, item):
        raise Http404
    return item.specific


@login_required
def my_item(request, pk):
    """A member's item: its text, seconders and status; edit (while a draft), submit, withdraw;
    or, for a named seconder, confirm."""
    item = _own_or_seconded(request, pk)
    is_proposer = item.proposer_id == request.user.pk
    form = None
    if is_proposer and item.status == ItemStatus.DRAFT:
        initial = {
            "title": item.title, "text": html_to_plain_text(item.text),
            "seconders": ", ".join(s.member.membership_number or "" for s in item.secondings.select_related("member")),
        }
        if isinstance(item, PolicySubmission):
            initial.update(consultation=item.consultation_id, commission=item.commission_id)
        form = ItemDraftForm(request.POST or None, kind=item.kind if item.kind != "proposal" else "motion",
                             initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.update_draft(
                    item, request.user, title=form.cleaned_data["title"], text=form.text_html(),
                    consultation=form.cleaned_data.get("consultation"), commission=form.cleaned_data.get("commission"),
                    seconder_numbers=form.seconder_numbers(),
                )
            except WorkflowError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, "Draft saved.")
                return redirect("workflows:my_item", pk=item.pk)
    secondings = list(item.secondings.select_related("member"))
    my_seconding = next((s for s in secondings if s.member_id == request.user.pk), None)
    return render(request, "workflows/my_item.html", {
        "item": item,
        "form": form,
        "is_proposer": is_proposer,
        "secondings": secondings,
        "my_seconding": my_seconding,
        "can_withdraw": is_proposer and item.is_open and not item.decisions.exists(),
        "word_limit": item.consultation.word_limit if isinstance(item, PolicySubmission) else None,
    })


@login_required
@require_POST
def my_item_action(request, pk, action):
    """Submit, withdraw or second (confirm) an item: one service call each."""
    item = _own_or_seconded(request, pk)
    actions = {
        "submit": (lambda: services.submit_item(item, request.user), "Submitted."),
        "withdraw": (lambda: services.withdraw_item(item, request.user), "Withdrawn."),
        "second": (lambda: services.confirm_seconding(item, request.user), "Thank you: you second it."),
    }
    if action not in actions:
        raise Http404
    run, done = actions[action]
    try:
        run()
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("workflows:my_item", pk=item.pk)
