"""Views of officer elections: thin; rules in services.py, reads in selectors.py, who may do
what in policies.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import policies, selectors, services
from .forms import (
    AdjustmentDecisionForm,
    BallotForm,
    BallotImportForm,
    CountForm,
    ElectionForm,
    ExtensionForm,
    InvalidRulingForm,
    NominationForm,
    ReceiptCheckForm,
    TimetableForm,
)
from .models import UK, Election, Nomination, QuotaAdjustment


def _posted(request):
    """The POST data when posted (even empty: a blank ballot is still a ballot to refuse), else None."""
    return request.POST if request.method == "POST" else None


def _election(slug):
    return get_object_or_404(Election, slug=slug)


def _error_text(error):
    return " ".join(error.messages)


def election_list(request):
    return render(request, "elections/election_list.html", {
        "elections": selectors.elections_for_list(),
        "can_create": policies.is_secretary(request.user),
    })


def election_detail(request, slug):
    election = _election(slug)
    officer_view = policies.can_see_all_nominations(request.user)
    public = policies.nominations_are_public(election)
    return render(request, "elections/election_detail.html", {
        "election": election,
        "positions": selectors.positions_with_public_nominations(election) if public
        else election.positions.order_by("sort_order"),
        "nominations_public": public,
        "officer_view": officer_view,
        "is_secretary": policies.is_secretary(request.user),
        "is_returning_officer": policies.is_returning_officer(request.user),
        "own": selectors.own_nominations(election, request.user) if request.user.is_authenticated else [],
        "own_choice": request.user.is_authenticated and election.post_choices.filter(
            member=request.user, chosen__isnull=True).exists(),
        "has_voted": request.user.is_authenticated and services.has_voted(election, request.user),
        "extensions": election.extensions.select_related("extended_by"),
        "now": timezone.now(),
    })


@login_required
def new_election(request):
    if not policies.is_secretary(request.user):
        raise PermissionDenied
    with timezone.override(UK):  # the secretary types UK times; they are stored UTC
        form = ElectionForm(_posted(request))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                election = services.create_election(
                    title=data["title"], slug=data["slug"] or None, by=request.user,
                    **{k: data[k] for k in ("nominations_open", "nominations_close", "ballot_open", "ballot_close")})
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Election created with the guide's positions: edit them in the admin.")
                return redirect("elections:manage", slug=election.slug)
        return render(request, "elections/election_form.html", {"form": form})


@login_required
def nominate(request, slug):
    election = _election(slug)
    form = NominationForm(_posted(request), election=election, user=request.user)
    if request.method == "POST" and form.is_valid():
        nomination = form.save()
        if nomination is not None:
            # Names nobody: a membership number typed here must not reveal whose it is.
            waiting = nomination.awaiting_consent
            messages.success(request, f"Nomination for {nomination.position} received. "
                             + (f"It counts once the {', '.join(waiting)} confirm{'s' if len(waiting) == 1 else ''} "
                                "from the link emailed to them." if waiting else "Everyone it names has confirmed."))
            return redirect(election)
    return render(request, "elections/nominate.html", {
        "election": election, "form": form, "open": election.nominations_are_open(),
    })


@login_required
def vote(request, slug):
    election = _election(slug)
    if services.has_voted(election, request.user):
        return render(request, "elections/vote.html", {"election": election, "already_voted": True})
    positions, not_on_paper = services.ballot_paper(election, request.user)
    form = BallotForm(_posted(request), positions=positions)
    if request.method == "POST" and form.is_valid():
        try:
            code = services.cast_ballot(election, voter=request.user, rankings=form.rankings)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            # The receipt is shown this once and never stored in clear.
            return render(request, "elections/receipt.html", {"election": election, "code": code})
    return render(request, "elections/vote.html", {
        "election": election, "form": form, "open": election.ballot_is_open(), "positions": positions,
        "not_on_paper": not_on_paper,
    })


def receipt_check(request, slug):
    election = _election(slug)
    form = ReceiptCheckForm(_posted(request))
    check = None
    if request.method == "POST" and form.is_valid():
        check = services.check_receipt(election, form.cleaned_data["code"])
    return render(request, "elections/receipt_check.html", {"election": election, "form": form, "check": check})


def results(request, slug):
    election = _election(slug)
    if not policies.results_are_public(election):
        raise Http404("The results of this election are not published yet.")
    count = election.published_count
    return render(request, "elections/results.html", {
        "election": election, "count": count, "tables": selectors.result_tables(count),
        "adjustments": count.adjustments.select_related(
            "position", "by__candidate", "by__partner", "replaced__candidate", "replaced__partner"),
    })


@login_required
def manage(request, slug):
    """The secretary's (and returning officer's) page: every nomination and its validity."""
    election = _election(slug)
    if not policies.can_see_all_nominations(request.user):
        raise PermissionDenied
    is_secretary = policies.is_secretary(request.user)
    with timezone.override(UK):
        timetable = TimetableForm(_posted(request), election=election, initial={
            name: timezone.localtime(getattr(election, name), UK)
            for name in ("nominations_open", "nominations_close", "ballot_open", "ballot_close")})
        if request.method == "POST":
            if not is_secretary:
                raise PermissionDenied
            if not timetable.fields:
                timetable.add_error(None, timetable.fixed_reason)
            elif timetable.is_valid():
                try:
                    services.update_timetable(election, by=request.user, **timetable.cleaned_data)
                except ValidationError as error:
                    timetable.add_error(None, error.messages)
                else:
                    messages.success(request, "Timetable saved.")
                    return redirect("elections:manage", slug=slug)
        nominations = list(selectors.all_nominations(election))
        for nomination in nominations:
            nomination.problems = services.nomination_problems(nomination)
        return render(request, "elections/manage.html", {
            "election": election, "nominations": nominations, "timetable": timetable,
            "is_secretary": is_secretary, "is_returning_officer": policies.is_returning_officer(request.user),
            "can_close": is_secretary and not election.nominations_decided
            and election.nominations_have_closed(),
            "ruling_form": InvalidRulingForm(),
            "pending_choices": services.pending_post_choices(election),
            "withdrawals": selectors.withdrawals(election),
        })


@login_required
@require_POST
def rule_invalid(request, slug, pk):
    nomination = get_object_or_404(Nomination.objects.select_related("position__election"), pk=pk,
                                   position__election__slug=slug)
    form = InvalidRulingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say why the nomination is invalid.")
        services.rule_nomination_invalid(nomination, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"{nomination} ruled invalid.")
    return redirect("elections:manage", slug=slug)


@login_required
@require_POST
def close_nominations(request, slug):
    election = _election(slug)
    try:
        election = services.close_nominations(election, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if election.nominations_decided:
            messages.success(request, "Nominations closed and decided: they are now public.")
        else:
            messages.warning(request, "Nominations closed and their validity decided. Some members are validly "
                             "nominated for more than one post: each has been asked to choose one. The ballot "
                             "cannot open until they have.")
    return redirect("elections:manage", slug=slug)


@login_required
def count(request, slug):
    """The returning officer's page: import ballots, run the count, confirm adjustments, publish."""
    election = _election(slug)
    if not policies.is_returning_officer(request.user):
        raise PermissionDenied
    form = CountForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.run_count(election, by=request.user, redraw_reason=form.cleaned_data["redraw_reason"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Count complete: check the rounds and any proposed quota adjustment.")
            return redirect("elections:count", slug=slug)
    return _count_page(request, election, count_form=form)


@login_required
def extend_ballot(request, slug):
    """The returning officer extends the ballot close, with a published reason."""
    election = _election(slug)
    if not policies.is_returning_officer(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("elections:count", slug=slug)
    with timezone.override(UK):  # typed in UK time
        form = ExtensionForm(request.POST)
        if form.is_valid():
            try:
                extension = services.extend_ballot_close(
                    election, by=request.user, new_close=form.cleaned_data["new_close"],
                    reason=form.cleaned_data["reason"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, problems in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, problems)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, f"The ballot now closes {services.uk_time(extension.new_close)} (UK time).")
                return redirect("elections:count", slug=slug)
    return _count_page(request, election, extension_form=form, status=400)


def _count_page(request, election, count_form=None, import_form=None, extension_form=None, decision_forms=None,
                status=200):
    latest = services.latest_count(election)
    adjustments = list(latest.adjustments.select_related(
        "position", "by__candidate", "by__partner", "replaced__candidate", "replaced__partner", "decided_by",
        "carried_from__count")) if latest else []
    decision_forms = decision_forms or {}
    for adjustment in adjustments:
        adjustment.form = decision_forms.get(adjustment.pk) or AdjustmentDecisionForm(prefix=f"a{adjustment.pk}")
    return render(request, "elections/count.html", {
        "election": election, "latest": latest,
        "tables": selectors.result_tables(latest) if latest else [],
        "adjustments": adjustments,
        "box_changes": services.ballot_box_changes(latest) if latest and not election.is_published else [],
        "count_form": count_form or CountForm(),
        "import_form": import_form or BallotImportForm(election=election),
        "imports": election.ballot_imports.select_related("position", "imported_by"),
        "ballots_cast": election.register.filter(channel="online").count(),
        "paper_voters": election.register.filter(channel="paper").count(),
        "extension_form": extension_form or ExtensionForm(),
        "can_extend": election.nominations_decided and not election.is_published,
        "extensions": election.extensions.select_related("extended_by"),
    }, status=status)


@login_required
def import_ballots(request, slug):
    election = _election(slug)
    if not policies.is_returning_officer(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("elections:count", slug=slug)
    form = BallotImportForm(request.POST, request.FILES, election=election)
    if form.is_valid():
        name, text = form.cleaned_data["file"]
        try:
            batch = services.import_ballots(election, form.cleaned_data["position"], text=text, file_name=name,
                                            by=request.user, paper_register=form.cleaned_data["paper_register"],
                                            skip_bad_lines=form.cleaned_data["skip_bad_lines"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            note = f"; {len(batch.skipped_lines)} bad line{pluralize(batch.skipped_lines)} skipped" if batch.skipped_lines else ""
            messages.success(request, f"{batch.ballots} ballot{pluralize(batch.ballots)} imported for {batch.position}{note}.")
            return redirect("elections:count", slug=slug)
    return _count_page(request, election, import_form=form, status=400)


@login_required
@require_POST
def decide_adjustment(request, slug, pk):
    """The returning officer accepts or rejects (with a reason) one proposed quota replacement."""
    adjustment = get_object_or_404(QuotaAdjustment.objects.select_related("count__election", "position"), pk=pk,
                                   count__election__slug=slug)
    if not policies.is_returning_officer(request.user):
        raise PermissionDenied
    form = AdjustmentDecisionForm(request.POST, prefix=f"a{adjustment.pk}")
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.decide_adjustment(adjustment, by=request.user, accept=accept, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Replacement at {adjustment.position} {'accepted' if accept else 'rejected'}.")
            return redirect("elections:count", slug=slug)
    return _count_page(request, _election(slug), decision_forms={adjustment.pk: form}, status=400)


@login_required
@require_POST
def publish(request, slug):
    election = _election(slug)
    try:
        services.publish_results(election, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("elections:count", slug=slug)
    messages.success(request, "Results published.")
    return redirect("elections:results", slug=slug)
