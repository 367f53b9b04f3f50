"""Who an officer may write to, and who is in an audience: the one policy of newsletters.

Rights come from relations, never names: a branch officer is in the branch's team group
(workflows.permissions.officer_branch_ids), a regional coordinator is the region's `coordinator`,
a campaign's editors are its microsite team, the communications officer and the policy officer
hold their role groups. An audience is a key: "branch:5", "region:1", "all", "campaign:9",
"consultation:2".
"""

from django.db.models import Q
from wagtail.contrib.forms.models import FormSubmission

from campaigns.models import CampaignFormPage, CampaignPage
from cms.models import BranchPage, Member, Region
from notifications.models import Follow, NotificationPreference
from workflows.models import Consultation
from workflows.permissions import COMMUNICATIONS_OFFICER, has_role, is_policy_officer, officer_branch_ids

from .models import Newsletter, NewsletterOptOut


def audiences_for(user):
    """[(key, label)] of the audiences `user` may send to, in the order an officer reads them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    superuser = user.is_superuser
    choices = []
    if has_role(user, COMMUNICATIONS_OFFICER):
        choices.append(("all", "All members"))
    regions = Region.objects.all() if superuser else Region.objects.filter(coordinator=user)
    choices += [(f"region:{r.pk}", f"Members in {r.name}") for r in regions.order_by("number")]
    branches = BranchPage.objects.all() if superuser else BranchPage.objects.filter(pk__in=officer_branch_ids(user))
    choices += [(f"branch:{b.pk}", f"Members of the {b.title} branch") for b in branches.order_by("title")]
    campaigns = CampaignPage.objects.all() if superuser else CampaignPage.objects.filter(
        microsite_team__group__user=user)
    choices += [(f"campaign:{c.pk}", f"Sign-ups of {c.title}") for c in campaigns.order_by("title")]
    if is_policy_officer(user):
        choices += [(f"consultation:{c.pk}", f"Followers of {c}") for c in Consultation.objects.order_by("-year", "pk")]
    return choices


def may_send_to(user, key):
    return any(key == choice for choice, _ in audiences_for(user))


def may_manage(user, newsletter):
    """May `user` see, edit, preview, test and send this newsletter? Only for their own audience."""
    return may_send_to(user, newsletter.audience_key)


def manageable(user):
    """The newsletters `user` may manage, as a queryset."""
    keys = [key for key, _ in audiences_for(user)]
    if not keys:
        return Newsletter.objects.none()
    condition = Q()
    for key in keys:
        condition |= audience_filter(key)
    return Newsletter.objects.filter(condition)


def audience_filter(key):
    """The Q of the newsletters written for the audience `key`."""
    audience, _, pk = key.partition(":")
    if audience == "all":
        return Q(audience="all")
    return Q(audience=audience, **{f"{audience}_id": int(pk)})


def target_of(key):
    """(audience, {field: target}) for a Newsletter made for the audience `key`."""
    audience, _, pk = key.partition(":")
    if audience == "all":
        return "all", {}
    return audience, {f"{audience}_id": int(pk)}


def campaign_sign_up_emails(campaign_id):
    """The addresses given in the sign-up forms of a campaign (lower case): a sign-up is made
    without an account, so the address typed is what ties it to a member."""
    forms = CampaignFormPage.objects.filter(path__startswith=CampaignPage.objects.get(pk=campaign_id).path)
    emails = set()
    for form_data in FormSubmission.objects.filter(page__in=forms).values_list("form_data", flat=True):
        for value in (form_data or {}).values():
            if isinstance(value, str) and "@" in value:
                emails.add(value.strip().lower())
    return emails


def recipients(newsletter):
    """The members who receive `newsletter` now: in its audience, active, with an address, who did
    not opt out of its kind nor stop all emails. Erased members are inactive and renamed, so they
    are never in it. A queryset: count it, or read (pk, email, first name)."""
    members = Member.objects.filter(is_active=True).exclude(email="")
    if newsletter.audience == Newsletter.Audience.BRANCH:
        members = members.filter(branch_id=newsletter.branch_id)
    elif newsletter.audience == Newsletter.Audience.REGION:
        members = members.filter(branch__region_id=newsletter.region_id)
    elif newsletter.audience == Newsletter.Audience.CAMPAIGN:
        members = members.filter(email__in=campaign_sign_up_emails(newsletter.campaign_id))
    elif newsletter.audience == Newsletter.Audience.CONSULTATION:
        members = members.filter(pk__in=Follow.objects.filter(consultation_id=newsletter.consultation_id)
                                 .values("member_id"))
    return (
        members.exclude(pk__in=NewsletterOptOut.objects.filter(kind=newsletter.kind).values("member_id"))
        .exclude(pk__in=NotificationPreference.objects.filter(stopped_at__isnull=False).values("member_id"))
        .order_by("pk")
    )
