"""Demo: the GC's and the LIEC's quorum rules, two delegates and a substitute for every branch
(from the demo members of that branch who can sign in; member@example.org is a Paris delegate, so
that the demo member can check in to the GC and vote), and one online ballot open at the GC on a motion waiting
there, so that the motion's page shows it. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from cms.models import BranchPage, Member
from workflows.models import DecidingBody, ItemKind, ItemStatus, MeetingBody

from . import services
from .models import BodyRule, Delegate, Poll

QUORUM_RULES = {MeetingBody.GC: 25, MeetingBody.LIEC: 50}  # per cent of the voting members


def seed(stdout):
    for body, percent in QUORUM_RULES.items():
        BodyRule.objects.update_or_create(body=body, defaults={"quorum_percent": percent, "quorum_number": None})
    since = timezone.localdate() - timedelta(days=120)
    made = 0
    demo_member = Member.objects.filter(email="member@example.org").first()
    for branch in BranchPage.objects.live().order_by("title"):
        members = list(Member.objects.filter(branch=branch, membership_number__isnull=False, is_staff=False)
                       .exclude(password__startswith="!").exclude(email="member@example.org")  # "!": cannot sign in
                       .order_by("membership_number")[:3])
        if demo_member is not None and demo_member.branch_id == branch.pk:
            members.insert(0, demo_member)
        for member, role in zip(members, [Delegate.Role.DELEGATE, Delegate.Role.DELEGATE, Delegate.Role.SUBSTITUTE],
                                strict=False):
            _, created = Delegate.objects.get_or_create(branch=branch, member=member, defaults={"role": role,
                                                                                               "since": since})
            made += created
    ballot = _open_a_gc_ballot()
    stdout.write(f"Participation: quorum rules for the GC and the LIEC, {made} delegates, "
                 f"{'an online ballot on ' + ballot.item.reference if ballot else 'no ballot'}.")


def _open_a_gc_ballot():
    existing = Poll.objects.filter(way=Poll.Way.BALLOT, closed_at__isnull=True).first()
    if existing:
        return existing
    from workflows.models import Item

    motion = (Item.objects.filter(kind=ItemKind.MOTION, status=ItemStatus.IN_PROGRESS,
                                  current_stage__deciding_body=DecidingBody.GC)
              .select_related("current_stage").order_by("reference").first())
    secretary = Member.objects.filter(email="secretary@example.org").first()
    if motion is None or secretary is None:
        return None
    return services.open_ballot(motion, secretary, services.default_ballot_close())
