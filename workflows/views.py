"""Public views of the workflow engine: meetings (agenda, decisions, minutes).

Thin: reads come from selectors/querysets, every action from workflows.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import kinds, permissions, services
from .exceptions import WorkflowError
from .forms import ItemDraftForm, SeconderInvitationForm, html_to_plain_text
from .models import Item, ItemKind, ItemStatus, Meeting, PolicySubmission, Seconding


def meeting_detail(request, pk):
    """A meeting: when and where, its agenda, what was decided, and its minutes once approved."""
    meeting = get_object_or_404(Meeting.objects.select_related("branch", "steering_group"), pk=pk)
    agenda = meeting.agenda.select_related("item", "item__current_stage", "stage", "deferred_to").filter(
        item__submitted_at__isnull=False)
    decisions = meeting.decisions.select_related("item").order_by("pk")
    can_read_minutes = permissions.can_read_minutes(request.user, meeting)
    response = render(request, "workflows/meeting_detail.html", {
        "meeting": meeting,
        "agenda": agenda,
        "decisions": decisions,
        "documents": list(meeting.minutes_documents.all()) if can_read_minutes else [],
        "can_read_minutes": can_read_minutes,
        "can_run": permissions.can_run_meeting(request.user, meeting),
        "sections": kinds.meeting_sections(request, meeting),
    })
    if request.user.is_authenticated:
        # A member's page carries the online link and their own time: no shared cache keeps it.
        patch_cache_control(response, private=True)
    return response


# --------------------------------------------------------------------------- members' items


@login_required
def my_items(request):
    """A member's own items (drafts included) and the items they are invited to second."""
    mine = Item.objects.filter(proposer=request.user).select_related("current_stage", "branch")
    to_second = (
        Seconding.objects.addressed_to(request.user)
        .filter(item__status__in=services.SECONDABLE_STATUSES, declined_at__isnull=True)
        .select_related("item", "item__proposer")
    )
    return render(request, "workflows/my_items.html", {"mine": mine, "to_second": to_second})


@login_required
def draft_new(request, kind):
    """Draft a motion, a policy submission or (for a steering group's members) a proposal."""
    try:
        spec = kinds.get(kind)
    except LookupError:
        raise Http404 from None
    if not spec.draft_page:
        raise Http404
    # A kind registered by another app reads its own details from the link (a proposal: ?group=<slug>).
    details = spec.draft_details(request) if spec.draft_details is not None else {}
    group = details.get(spec.deciding_group) if spec.deciding_group else None
    form = ItemDraftForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_draft(
                kind, request.user, title=form.cleaned_data["title"], text=form.text_html(),
                consultation=form.cleaned_data.get("consultation"), commission=form.cleaned_data.get("commission"),
                seconder_emails=form.seconder_emails(), **details,
            )
        except WorkflowError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Draft saved. It gets its reference when you submit it.")
            if item.secondings.exists():
                messages.info(request, INVITED_MESSAGE)
            return redirect("workflows:my_item", pk=item.pk)
    return render(request, "workflows/draft_form.html", {
        "form": form, "kind": kind, "kind_label": ItemKind(kind).label.lower(), "group": group,
    })


# Said for every address, a member's or not: the proposer learns nothing until the person answers.
INVITED_MESSAGE = ("Invitation recorded. If the address is a member's, we email them a link to confirm or "
                   "decline; you will see their answer here.")


def _own_or_seconded(request, pk):
    item = get_object_or_404(Item.objects.select_related("current_stage", "branch", "proposer"), pk=pk)
    if not permissions.can_see_item(request.user, item):
        raise Http404
    return item.specific


@login_required
def my_item(request, pk):
    """A member's item: its text, seconders and status; edit (while a draft), invite seconders,
    submit, withdraw; or, for an invited seconder, confirm or decline."""
    item = _own_or_seconded(request, pk)
    is_proposer = item.proposer_id == request.user.pk
    form = None
    if is_proposer and item.status == ItemStatus.DRAFT:
        initial = {"title": item.title, "text": html_to_plain_text(item.text)}
        if isinstance(item, PolicySubmission):
            initial.update(consultation=item.consultation_id, commission=item.commission_id)
        form = ItemDraftForm(request.POST or None, kind=item.kind, initial=initial, name_seconders=False)
        if request.method == "POST" and form.is_valid():
            try:
                services.update_draft(
                    item, request.user, title=form.cleaned_data["title"], text=form.text_html(),
                    consultation=form.cleaned_data.get("consultation"), commission=form.cleaned_data.get("commission"),
                )
            except WorkflowError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, "Draft saved.")
                return redirect("workflows:my_item", pk=item.pk)
    elif request.method == "POST":
        messages.error(request, "It was submitted: the text can no longer be edited, and this edit was not saved.")
        return redirect("workflows:my_item", pk=item.pk)
    return _render_my_item(request, item, form=form)


def _render_my_item(request, item, *, form=None, invite_form=None, status=200):
    is_proposer = item.proposer_id == request.user.pk
    secondable = item.status in services.SECONDABLE_STATUSES
    secondings = list(item.secondings.active().select_related("member")) if is_proposer else []
    my_seconding = None if is_proposer else item.secondings.addressed_to(request.user).first()
    if is_proposer and secondable and invite_form is None:
        invite_form = SeconderInvitationForm()
    return render(request, "workflows/my_item.html", {
        "item": item,
        "needs_seconder": kinds.get(item.kind).needs_seconder,
        "form": form,
        "invite_form": invite_form if is_proposer and secondable else None,
        "is_proposer": is_proposer,
        "secondable": secondable,
        "secondings": secondings,
        "my_seconding": my_seconding,
        "can_withdraw": is_proposer and item.is_open and not item.decisions.exists(),
        "word_limit": item.consultation.word_limit if isinstance(item, PolicySubmission) else None,
    }, status=status)


@login_required
@require_POST
def invite_seconder(request, pk):
    """The proposer invites one more seconder by email address."""
    item = _own_or_seconded(request, pk)
    form = SeconderInvitationForm(request.POST)
    if form.is_valid():
        try:
            services.name_seconders(item, request.user, [form.cleaned_data["seconders"]])
        except WorkflowError as error:
            form.add_error("seconders", str(error))
        else:
            messages.success(request, INVITED_MESSAGE)
            return redirect("workflows:my_item", pk=item.pk)
    return _with_draft_form(request, item, invite_form=form)


def _with_draft_form(request, item, *, invite_form):
    draft_form = None
    if item.proposer_id == request.user.pk and item.status == ItemStatus.DRAFT:
        initial = {"title": item.title, "text": html_to_plain_text(item.text)}
        if isinstance(item, PolicySubmission):
            initial.update(consultation=item.consultation_id, commission=item.commission_id)
        draft_form = ItemDraftForm(kind=item.kind, initial=initial, name_seconders=False)
    return _render_my_item(request, item, form=draft_form, invite_form=invite_form, status=400)


@login_required
def withdraw_invitation(request, pk, seconding_pk):
    """The proposer withdraws an invitation to second (asked to confirm first; works without JS)."""
    item = _own_or_seconded(request, pk)
    if item.proposer_id != request.user.pk:
        raise Http404
    seconding = get_object_or_404(item.secondings.active(), pk=seconding_pk)
    if request.method == "POST":
        try:
            services.withdraw_seconding_invitation(seconding, request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Invitation to {seconding.email} withdrawn: its link no longer works.")
        return redirect("workflows:my_item", pk=item.pk)
    return render(request, "workflows/confirm_action.html", {
        "item": item,
        "heading": f"Withdraw the invitation to {seconding.email}?",
        "explanation": "The link we emailed stops working." + (
            " They confirmed they second it: they will no longer count as a seconder." if seconding.is_confirmed else ""
        ),
        "button": "Withdraw the invitation",
    })


@login_required
def withdraw(request, pk):
    """The proposer withdraws their item, after confirming on this page (works without JS)."""
    item = _own_or_seconded(request, pk)
    if item.proposer_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        try:
            services.withdraw_item(item, request.user, note=(request.POST.get("note") or "").strip()[:1000])
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{item.label} “{item.title}” is withdrawn.")
        return redirect("workflows:my_item", pk=item.pk)
    public = item.is_public
    return render(request, "workflows/confirm_action.html", {
        "item": item,
        "heading": f"Withdraw {item.reference or 'your draft'} “{item.title}”?",
        "explanation": (
            "It leaves the agenda and its public page shows it was withdrawn by you. This cannot be undone."
            if public else "It will not go forward, and the invitations to second it stop working. "
                           "This cannot be undone."
        ),
        "button": "Withdraw it",
        "note": public,
    })


@login_required
@require_POST
def my_item_action(request, pk, action):
    """Submit, second (confirm) or decline an item: one service call each."""
    item = _own_or_seconded(request, pk)
    actions = {
        "submit": (lambda: services.submit_item(item, request.user), None),
        "second": (lambda: services.confirm_seconding(item, request.user), "Thank you: you second it."),
        "decline": (lambda: services.decline_seconding(item, request.user),
                    "You declined to second it. The proposer can see that you declined."),
    }
    if action not in actions:
        raise Http404
    run, done = actions[action]
    try:
        run()
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done or _submitted_message(item))
    return redirect("workflows:my_item", pk=item.pk)


def _submitted_message(item):
    if item.status == ItemStatus.AWAITING_SECONDERS:
        return f"Submitted as {item.reference}. It goes forward when your seconders have answered."
    return f"Submitted as {item.reference}: it is now public and waits for {item.current_stage.name}."


@never_cache
def seconding_link(request, token):
    """The page a seconder opens from their email: the text and its proposer, and confirm or
    decline. The link itself is the proof that they read that address; no sign-in is needed."""
    try:
        seconding = services.seconding_for_link(token)
    except WorkflowError as error:
        return render(request, "workflows/seconding_link.html", {"error": str(error)}, status=410)
    item = seconding.item.specific
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "confirm":
                services.answer_seconding_link(seconding, confirm=True)
                messages.success(request, "Thank you: you second it. The proposer can now see your name as seconder.")
            elif answer == "decline":
                services.answer_seconding_link(seconding, confirm=False)
                messages.success(request, "You declined to second it. The proposer can see that you declined.")
            else:
                messages.error(request, "Choose to confirm or to decline.")
        except WorkflowError as error:
            messages.error(request, str(error))
        return redirect("workflows:seconding_link", token=token)
    return render(request, "workflows/seconding_link.html", {
        "seconding": seconding,
        "item": item,
        "expires_at": services.seconding_link_expires_at(seconding),
    })
