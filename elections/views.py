"""Views of officer elections: thin; rules in services.py, reads in selectors.py, who may do
what in policies.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import policies, selectors, services
from .forms import (
    BallotForm,
    BallotImportForm,
    CountForm,
    ElectionForm,
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
        "has_voted": request.user.is_authenticated and services.has_voted(election, request.user),
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
            messages.success(request, f"Nomination of {nomination.display_name} for {nomination.position} received.")
            return redirect(election)
    return render(request, "elections/nominate.html", {
        "election": election, "form": form, "open": election.nominations_are_open(),
    })


@login_required
@require_POST
def withdraw(request, slug, pk):
    nomination = get_object_or_404(Nomination.objects.select_related("position__election"), pk=pk,
                                   position__election__slug=slug)
    try:
        services.withdraw_nomination(nomination, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"The candidacy of {nomination.display_name} for {nomination.position} is withdrawn.")
    return redirect(nomination.position.election)


@login_required
def vote(request, slug):
    election = _election(slug)
    if services.has_voted(election, request.user):
        return render(request, "elections/vote.html", {"election": election, "already_voted": True})
    positions = list(services.contested_positions(election))
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
    })


@login_required
def manage(request, slug):
    """The secretary's (and returning officer's) page: every nomination and its validity."""
    election = _election(slug)
    if not policies.can_see_all_nominations(request.user):
        raise PermissionDenied
    is_secretary = policies.is_secretary(request.user)
    with timezone.override(UK):
        timetable = TimetableForm(_posted(request), initial={
            name: timezone.localtime(getattr(election, name), UK)
            for name in ("nominations_open", "nominations_close", "ballot_open", "ballot_close")})
        if request.method == "POST":
            if not is_secretary:
                raise PermissionDenied
            if timetable.is_valid():
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
            and timezone.now() >= election.nominations_close,
            "ruling_form": InvalidRulingForm(),
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
        services.close_nominations(election, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Nominations closed and decided: they are now public.")
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
            services.run_count(election, by=request.user, seed=form.cleaned_data["seed"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Count complete: check the rounds and any proposed quota adjustment.")
            return redirect("elections:count", slug=slug)
    return _count_page(request, election, count_form=form)


def _count_page(request, election, count_form=None, import_form=None, status=200):
    latest = services.latest_count(election)
    return render(request, "elections/count.html", {
        "election": election, "latest": latest,
        "tables": selectors.result_tables(latest) if latest else [],
        "adjustments": list(latest.adjustments.select_related(
            "position", "by__candidate", "by__partner", "replaced__candidate", "replaced__partner")) if latest else [],
        "count_form": count_form or CountForm(),
        "import_form": import_form or BallotImportForm(election=election),
        "imports": election.ballot_imports.select_related("position", "imported_by"),
        "ballots_cast": election.register.count(),
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
                                            by=request.user, skip_bad_lines=form.cleaned_data["skip_bad_lines"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            note = f"; {len(batch.skipped_lines)} bad line(s) skipped" if batch.skipped_lines else ""
            messages.success(request, f"{batch.ballots} ballots imported for {batch.position}{note}.")
            return redirect("elections:count", slug=slug)
    return _count_page(request, election, import_form=form, status=400)


@login_required
@require_POST
def confirm_adjustment(request, slug, pk):
    adjustment = get_object_or_404(QuotaAdjustment.objects.select_related("count__election", "position"), pk=pk,
                                   count__election__slug=slug)
    try:
        services.confirm_adjustment(adjustment, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Quota adjustment at {adjustment.position} confirmed.")
    return redirect("elections:count", slug=slug)


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
