"""Campaigns' part of a member's download and erasure (cms.privacy): the sign-up form submissions
(wagtail.contrib.forms) made with their email address. A sign-up is made without an account, so
the address typed is what ties it to the member; erasure takes their address and name out of it."""

from django.db.models import TextField
from django.db.models.functions import Cast
from wagtail.contrib.forms.models import FormSubmission

from cms.privacy import ERASED_FIRST_NAME, ERASED_LAST_NAME, iso, member_data_section, on_erasure


def campaign_sign_ups(email):
    """The sign-up form submissions that give `email` as an answer."""
    email = (email or "").strip().lower()
    if not email:
        return []
    candidates = (FormSubmission.objects.annotate(answers=Cast("form_data", TextField()))
                  .filter(answers__icontains=email).select_related("page").order_by("submit_time", "pk"))
    return [s for s in candidates
            if any(isinstance(v, str) and v.strip().lower() == email for v in (s.form_data or {}).values())]


@member_data_section("campaign_sign_ups")
def sign_ups_in_download(member):
    return [
        {"form": submission.page.title, "page": submission.page.url_path, "submitted_at": iso(submission.submit_time),
         "answers": submission.form_data}
        for submission in campaign_sign_ups(member.email)
    ]


@on_erasure
def erase_sign_ups(member, email):
    for submission in campaign_sign_ups(email):
        _erase_sign_up(submission, member, email.strip().lower())


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
