"""Views of nominating beyond the form: confirming by the emailed link, withdrawing (with a
reason; a job-share partner confirms), and choosing one post at the close. Thin: the rules are
in nominations.py. No GET changes anything: every link opens a page with a button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from . import nominations as nominating
from . import policies
from .forms import ConsentForm, PostChoiceForm, WithdrawalForm
from .models import Election, Nomination, PostChoice, Withdrawal


def _posted(request):
    return request.POST if request.method == "POST" else None


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
def consent(request, slug, token):
    """The page an emailed link opens: the nomination as it names you, and a button to confirm."""
    try:
        nomination, role = nominating.read_consent_token(token)
    except ValidationError as error:
        return render(request, "elections/consent.html", {"error": " ".join(error.messages)}, status=404)
    election = nomination.position.election
    if election.slug != slug:
        return render(request, "elections/consent.html", {"error": "This link is not for this election."}, status=404)
    if getattr(nomination, f"{role}_id") != request.user.pk:
        return render(request, "elections/consent.html", {
            "error": "This confirmation is for another member: sign out, and sign in as the person the email was "
                     "sent to."}, status=403)
    form = ConsentForm(_posted(request), nomination=nomination, role=role)
    if request.method == "POST" and form.is_valid():
        try:
            nominating.confirm_consent(nomination, role, by=request.user,
                                       declares_eligible=form.cleaned_data.get("declares_eligible", False),
                                       is_woman=form.cleaned_data.get("is_woman") or None)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Thank you: you confirmed the nomination for {nomination.position} as "
                                      f"{Nomination.CONSENT_ROLES[role]}.")
            return redirect(election)
    return render(request, "elections/consent.html", {
        "election": election, "nomination": nomination, "role": Nomination.CONSENT_ROLES[role], "form": form,
        "already": nomination.consented(role), "open": election.nominations_are_open(),
    }, status=400 if form.errors else 200)


@login_required
def withdraw(request, slug, pk):
    """A candidate (or a job-share partner, or the secretary for them) withdraws, saying why."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("position__election", "candidate", "partner"), pk=pk,
        position__election__slug=slug)
    if request.user.pk not in {nomination.candidate_id, nomination.partner_id} and not policies.is_secretary(
            request.user):
        raise PermissionDenied
    election = nomination.position.election
    form = WithdrawalForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal = nominating.request_withdrawal(nomination, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if withdrawal.is_pending:
                messages.success(request, f"Your request is recorded: the candidacy is withdrawn once "
                                          f"{withdrawal.awaited_partner} confirms (they have been emailed).")
            elif withdrawal.after_close:
                messages.success(request, f"The candidacy for {nomination.position} is withdrawn. Nominations had "
                                          "closed: the name stays on the ballot paper and is excluded before the "
                                          "first round of the count.")
            else:
                messages.success(request, f"The candidacy for {nomination.position} is withdrawn.")
            return redirect(election)
    return render(request, "elections/withdraw.html", {
        "election": election, "nomination": nomination, "form": form,
        "pending": nomination.withdrawals.filter(completed_at__isnull=True, declined_at__isnull=True).first(),
        "after_close": election.nominations_have_closed(),
    }, status=400 if form.errors else 200)


@login_required
def withdrawal(request, slug, pk):
    """The other job-share partner confirms (or refuses) the withdrawal the first asked for."""
    record = get_object_or_404(
        Withdrawal.objects.select_related("nomination__position__election", "nomination__candidate",
                                          "nomination__partner", "requested_by"),
        pk=pk, nomination__position__election__slug=slug)
    nomination = record.nomination
    if request.user.pk not in {nomination.candidate_id, nomination.partner_id} and not policies.is_secretary(
            request.user):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "decline":
                nominating.decline_withdrawal(record, by=request.user)
                messages.success(request, "The withdrawal is cancelled: the job-share keeps standing.")
            else:
                nominating.confirm_withdrawal(record, by=request.user)
                messages.success(request, f"You confirmed: the job-share for {nomination.position} is withdrawn.")
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect(nomination.position.election)
    record.refresh_from_db()
    return render(request, "elections/withdrawal.html", {
        "election": nomination.position.election, "withdrawal": record, "nomination": nomination, "error": error,
        "can_confirm": record.is_pending and getattr(record.awaited_partner, "pk", None) == request.user.pk,
        "can_cancel": record.is_pending and record.requested_by_id == request.user.pk,
    }, status=400 if error else 200)


@login_required
def choose_post(request, slug):
    """One person, one post: a member validly nominated for several posts keeps one."""
    election = get_object_or_404(Election, slug=slug)
    member = request.user
    if request.GET.get("member") and policies.is_secretary(request.user):
        member = get_object_or_404(PostChoice, election=election, member_id=request.GET["member"]).member
    pending = {c.member_id: c for c in nominating.pending_post_choices(election)}
    choice = pending.get(member.pk)
    done = PostChoice.objects.filter(election=election, member=member, chosen__isnull=False).select_related(
        "chosen__position").first()
    if choice is None:
        return render(request, "elections/choose_post.html", {"election": election, "done": done, "member": member})
    form = PostChoiceForm(_posted(request), nominations=choice.nominations)
    if request.method == "POST" and form.is_valid():
        try:
            nominating.choose_post(election, member=member, nomination=form.cleaned_data["nomination"],
                                   by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Recorded: {member.get_full_name() or member} stands for "
                                      f"{form.cleaned_data['nomination'].position}; the other nominations are "
                                      "withdrawn.")
            return redirect(election)
    return render(request, "elections/choose_post.html", {
        "election": election, "form": form, "choice": choice, "member": member,
        "for_someone_else": member.pk != request.user.pk,
    }, status=400 if form.errors else 200)
