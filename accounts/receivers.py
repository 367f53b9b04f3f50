"""Sign-in side effects: a password reset by email clears the lockout (it proved the member holds
the address); every signed-in member has their email as a sign-in address (allauth's records)."""

from allauth.account.signals import password_reset
from axes.utils import reset as reset_failed_attempts
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .addresses import ensure_sign_in_address


@receiver(password_reset)
def clear_lockout_after_password_reset(sender, request, user, **kwargs):
    reset_failed_attempts(username=user.email.strip().lower())


@receiver(user_logged_in)
def make_sure_the_member_has_a_sign_in_address(sender, request, user, **kwargs):
    ensure_sign_in_address(user)
