"""A member who reset their password by email is no longer locked out of password sign-in:
the reset proved they hold the address, so their failed attempts are cleared."""

from allauth.account.signals import password_reset
from axes.utils import reset as reset_failed_attempts
from django.dispatch import receiver


@receiver(password_reset)
def clear_lockout_after_password_reset(sender, request, user, **kwargs):
    reset_failed_attempts(username=user.email.strip().lower())
