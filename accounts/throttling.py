"""Login throttling with django-axes: one account whatever the case of its email, the client's
address as the reverse proxy reports it, and a lockout page inside the site's design that says
when to try again and how to get in another way."""

from datetime import timedelta

from allauth.account.adapter import get_adapter
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

EMAIL_FIELDS = ("email", "username", "login")


def attempted_email(request, credentials):
    """The account a sign-in attempt is for: the email, stripped and lower-cased, so that
    PROBE@example.org and probe@example.org are one account to count failures against."""
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for name in EMAIL_FIELDS:
            value = source.get(name)
            if value:
                return str(value).strip().lower()
    return None


def client_ip(request):
    """The client's address: REMOTE_ADDR, or what our reverse proxy reports when one is configured
    (TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER: the same rule as allauth's rate limits)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return request.META.get("REMOTE_ADDR")


def locked_until(request, email):
    """When the lock on this account from this address ends (the cool-off after the last failure)."""
    cool_off = get_cool_off(request) or timedelta(0)
    attempt = (
        AccessAttempt.objects.filter(username=email, ip_address=client_ip(request)).order_by("-attempt_time").first()
        if email else None
    )
    last_failure = attempt.attempt_time if attempt else timezone.now()
    return last_failure + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the "too many attempts" page (HTTP 429), inside the site's design."""
    email = attempted_email(request, credentials)
    until = locked_until(request, email)
    minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
    context = {
        "email": email or "",
        "locked_until": until,
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "reset_url": reverse("account_reset_password"),
        "code_url": reverse("account_request_login_code"),
    }
    return render(request, "accounts/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
