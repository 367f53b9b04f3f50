"""Public pages of the NPF consultations: which are open, until when (UK time and the member's
branch time), their policy commissions and word limit, and the submissions LI has made to each.

Thin: reads come from `consultations.exports.selectors`.
"""

from itertools import groupby

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from workflows.models import UK_TIME_ZONE, Consultation

from .exports import selectors


def _member_zone(request):
    """The logged-in member's branch (and so its time zone), if any and not the UK's."""
    user = request.user
    if not user.is_authenticated or not getattr(user, "branch_id", None):
        return None
    branch = user.branch
    return branch if branch.time_zone != getattr(settings, "UK_TIME_ZONE", "Europe/London") else None


def consultation_index(request):
    """/consultations/: the open consultations first, then the past ones."""
    branch = _member_zone(request)
    return render(request, "consultations/index.html", {
        "open_consultations": selectors.open_consultations(), "closed_consultations": selectors.closed_consultations(),
        "branch": branch, "uk_zone": UK_TIME_ZONE,
    })


def consultation_detail(request, slug):
    """/consultations/<slug>/: one consultation and the submissions LI members made to it, by commission."""
    consultation = get_object_or_404(Consultation.objects.prefetch_related("commissions"), slug=slug)
    branch = _member_zone(request)
    submissions = selectors.consultation_submissions(consultation)
    by_commission = [(name, list(group)) for name, group in groupby(submissions, key=lambda s: s.commission.name)]
    return render(request, "consultations/detail.html", {
        "consultation": consultation, "branch": branch, "uk_zone": UK_TIME_ZONE,
        "by_commission": by_commission, "submission_count": sum(len(g) for _, g in by_commission),
    })
