"""Two-factor authentication before the admin opens, for every account with admin access, when
settings.ADMIN_REQUIRES_TWO_FACTOR is on (production; in the demo it is offered, not forced)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .policies import has_admin_access

ADMIN_PATHS = ("/admin/", "/django-admin/")
# The admin's own sign-in and sign-out pages stay reachable.
OPEN_ADMIN_PATHS = ("/admin/login/", "/admin/logout/", "/django-admin/login/", "/django-admin/logout/")
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def needs_two_factor_set_up(user):
    return has_admin_access(user) and not is_mfa_enabled(user, SECOND_FACTORS)


class AdminTwoFactorMiddleware:
    """Sends an officer without a second factor from the admin to the set-up page (an
    authenticator app, or a security key / passkey), then back to where they were going."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            getattr(settings, "ADMIN_REQUIRES_TWO_FACTOR", False)
            and request.path.startswith(ADMIN_PATHS)
            and not request.path.startswith(OPEN_ADMIN_PATHS)
            and needs_two_factor_set_up(request.user)
        ):
            messages.warning(request, "Accounts with admin access need two-factor authentication. Set it up "
                                      "now: it takes a minute with an authenticator app.")
            request.session["two_factor_next"] = request.get_full_path()
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
