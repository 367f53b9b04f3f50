"""Data protection: what we hold about a member (their download) and erasure.

`member_data(member)` is everything the site holds about one member, as JSON-ready data: their
profile, the items they proposed or seconded, what they follow, how they hear about it, the
emails sent to them, the nominations they made or are named in, and the campaign sign-ups made
with their email address. Never how they voted: ballots are not linked to voters (the voter
register only says that they voted).

`erase_member(member)` removes the person and keeps the democratic record. Decisions, election
results, items and their texts stay as they are; wherever they named the person they now say
"Former member". Their email, membership number, branch and login go, and so do their address
and name in the campaign sign-ups made with that address; their follows, notification
preferences and the emails queued or sent to them are deleted; every session
ends (the password is made unusable). Members erase themselves from their account page after
confirming with their password; the membership officer runs `manage.py erase_member EMAIL` for
a request made another way.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

ERASED_FIRST_NAME = "Former"
ERASED_LAST_NAME = "member"


def _iso(value):
    return value.isoformat() if value else None


def member_data(member):
    """Everything held about `member` (see the module docstring), ready for json.dumps."""
    from elections.models import Nomination
    from notifications.models import Follow, NotificationPreference, OutboxEmail
    from workflows.models import Item, Seconding

    preference = NotificationPreference.objects.filter(member=member).first()
    nominations = (
        Nomination.objects.filter(candidate=member)
        | Nomination.objects.filter(partner=member)
        | Nomination.objects.filter(proposer=member)
        | Nomination.objects.filter(seconder=member)
        | Nomination.objects.filter(submitted_by=member)
    ).distinct().select_related("position__election", "candidate", "partner", "proposer", "seconder")
    return {
        "profile": {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "membership_number": member.membership_number,
            "branch": member.branch.title if member.branch_id else None,
            "paid_up_until": _iso(member.paid_up_until),
            "date_joined": _iso(member.date_joined),
            "last_login": _iso(member.last_login),
            "roles": sorted(member.groups.values_list("name", flat=True)),
        },
        "items_proposed": [
            {"reference": i.reference, "kind": i.kind, "title": i.title, "text": i.text, "status": i.status,
             "created_at": _iso(i.created_at), "submitted_at": _iso(i.submitted_at)}
            for i in Item.objects.filter(proposer=member).order_by("created_at", "pk")
        ],
        "items_seconded": [
            {"reference": s.item.reference, "title": s.item.title, "named_at": _iso(s.named_at),
             "confirmed_at": _iso(s.confirmed_at)}
            for s in Seconding.objects.filter(member=member).select_related("item").order_by("named_at", "pk")
        ],
        "follows": [
            {"follows": _follow_target(f), "reason": f.reason, "since": _iso(f.created_at)}
            for f in Follow.objects.filter(member=member).select_related("item", "branch", "consultation")
        ],
        "notification_preferences": {
            "delivery": preference.delivery if preference else "immediate",
            "stopped_all_emails_at": _iso(preference.stopped_at) if preference else None,
        },
        "emails_sent_to_you": [
            {"subject": e.subject, "to": e.to_email, "status": e.status, "created_at": _iso(e.created_at),
             "sent_at": _iso(e.sent_at)}
            for e in OutboxEmail.objects.filter(member=member).order_by("created_at", "pk")
        ],
        "nominations": [_nomination(n, member) for n in nominations.order_by("submitted_at", "pk")],
        "campaign_sign_ups": [
            {"form": submission.page.title, "page": submission.page.url_path, "submitted_at": _iso(submission.submit_time),
             "answers": submission.form_data}
            for submission in campaign_sign_ups(member.email)
        ],
    }


def campaign_sign_ups(email):
    """The sign-up form submissions (wagtail.contrib.forms) that give `email` as an answer: a
    sign-up is made without an account, so the address typed is what ties it to the member."""
    from django.db.models import TextField
    from django.db.models.functions import Cast
    from wagtail.contrib.forms.models import FormSubmission

    email = (email or "").strip().lower()
    if not email:
        return []
    candidates = (FormSubmission.objects.annotate(answers=Cast("form_data", TextField()))
                  .filter(answers__icontains=email).select_related("page").order_by("submit_time", "pk"))
    return [s for s in candidates
            if any(isinstance(v, str) and v.strip().lower() == email for v in (s.form_data or {}).values())]


def _erase_sign_up(submission, member, email):
    """The member's address and name taken out of one sign-up; the other answers stay (what the
    campaign was told, e.g. how many signed up from a branch)."""
    names = {n.strip().lower() for n in (member.first_name, member.last_name, member.get_full_name()) if n.strip()}
    answers = dict(submission.form_data or {})
    for key, value in answers.items():
        if not isinstance(value, str):
            continue
        if value.strip().lower() == email:
            answers[key] = ""
        elif "name" in key.lower() or value.strip().lower() in names:
            answers[key] = f"{ERASED_FIRST_NAME} {ERASED_LAST_NAME}"
    submission.form_data = answers
    submission.save(update_fields=["form_data"])


def _follow_target(follow):
    if follow.item_id:
        return {"item": follow.item.reference}
    if follow.branch_id:
        return {"branch": follow.branch.slug}
    return {"consultation": follow.consultation.slug}


def _nomination(nomination, member):
    roles = [role for role, person_id in (
        ("candidate", nomination.candidate_id), ("job-share partner", nomination.partner_id),
        ("proposer", nomination.proposer_id), ("seconder", nomination.seconder_id),
        ("submitted by you", nomination.submitted_by_id),
    ) if person_id == member.pk]
    data = {
        "election": nomination.position.election.title,
        "position": nomination.position.title,
        "your_roles": roles,
        "candidates": nomination.display_name,
        "statement": nomination.statement,
        "status": nomination.status,
        "submitted_at": _iso(nomination.submitted_at),
    }
    # The candidates' own declarations are theirs: shown only to the person who made them.
    if nomination.candidate_id == member.pk:
        data["your_declarations"] = {"woman": nomination.candidate_is_woman,
                                     "eligible_for_restricted_post": nomination.candidate_declares_eligible}
    elif nomination.partner_id == member.pk:
        data["your_declarations"] = {"woman": nomination.partner_is_woman,
                                     "eligible_for_restricted_post": nomination.partner_declares_eligible}
    return data


def erased_email(member):
    return f"former-member-{member.pk}@erased.invalid"


@transaction.atomic
def erase_member(member):
    """Remove the person, keep the record (see the module docstring). Idempotent."""
    from axes.models import AccessAttempt, AccessLog
    from wagtail.users.models import UserProfile

    from notifications.models import Follow, NotificationPreference, OutboxEmail

    Member = get_user_model()
    member = Member.objects.select_for_update().get(pk=member.pk)
    old_email = member.email
    for submission in campaign_sign_ups(old_email):
        _erase_sign_up(submission, member, old_email.strip().lower())
    Follow.objects.filter(member=member).delete()
    NotificationPreference.objects.filter(member=member).delete()
    OutboxEmail.objects.filter(member=member).delete()
    OutboxEmail.objects.filter(to_email__iexact=old_email).delete()
    AccessAttempt.objects.filter(username__iexact=old_email).delete()
    AccessLog.objects.filter(username__iexact=old_email).delete()
    UserProfile.objects.filter(user=member).delete()
    member.groups.clear()
    member.user_permissions.clear()
    member.first_name, member.last_name = ERASED_FIRST_NAME, ERASED_LAST_NAME
    member.email = erased_email(member)
    member.membership_number = None
    member.branch = None
    member.paid_up_until = None
    member.is_active = member.is_staff = member.is_superuser = False
    member.set_unusable_password()  # also ends every session (their auth hash no longer matches)
    member.save()
    return member


def is_erased(member):
    return member.email == erased_email(member)
