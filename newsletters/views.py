"""Newsletters on the site: the archive of each site's sent newsletters (LI, a branch, a
campaign) for members who missed one, one newsletter's web version, and the member's choice of
kinds (a section of their preferences page). Signed-in members only; recipients never shown."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from campaigns.models import CampaignPage
from cms.models import BranchPage

from . import preferences as newsletter_preferences
from .models import Newsletter

ARCHIVE_LENGTH = 100


def _sent():
    return Newsletter.objects.filter(status=Newsletter.Status.SENT).select_related(
        "branch", "region", "campaign", "consultation").order_by("-sent_at", "-pk")


@never_cache
@login_required
def archive(request):
    """LI's newsletters: to all members, to a region, to a consultation's followers."""
    newsletters = _sent().filter(audience__in=["all", "region", "consultation"])[:ARCHIVE_LENGTH]
    return render(request, "newsletters/archive.html", {"newsletters": newsletters, "site_title": "Labour International"})


@never_cache
@login_required
def branch_archive(request, slug):
    branch = get_object_or_404(BranchPage.objects.live(), slug=slug)
    return render(request, "newsletters/archive.html", {
        "newsletters": _sent().filter(branch=branch)[:ARCHIVE_LENGTH], "site_title": f"{branch.title} branch",
        "site": branch})


@never_cache
@login_required
def campaign_archive(request, slug):
    campaign = get_object_or_404(CampaignPage.objects.live(), slug=slug)
    return render(request, "newsletters/archive.html", {
        "newsletters": _sent().filter(campaign=campaign)[:ARCHIVE_LENGTH], "site_title": campaign.title,
        "site": campaign})


@never_cache
@login_required
def detail(request, pk):
    newsletter = get_object_or_404(_sent(), pk=pk)
    return render(request, "newsletters/detail.html", {"newsletter": newsletter, "page": newsletter})


@require_POST
@login_required
def choose_kinds(request):
    """The newsletters section of the preferences page: the kinds ticked are received."""
    newsletter_preferences.choose(request.user, request.POST.getlist("kinds"))
    messages.success(request, "Your newsletter choices are saved.")
    return redirect("tracker:preferences")
