"""The address a member signs in with (allauth's EmailAddress rows) kept in step with Member.email,
which the membership list sets."""

from allauth.account.models import EmailAddress
from django.db import transaction


@transaction.atomic
def ensure_sign_in_address(member):
    """The member's own email as their primary, verified sign-in address (it comes from the party's
    membership list). Made at first sign-in; needed before allauth's email change works."""
    if not member.email:
        return None
    address = EmailAddress.objects.filter(user=member, email__iexact=member.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=member, primary=True).exists()
        return EmailAddress.objects.create(user=member, email=member.email.lower(), primary=not has_primary,
                                           verified=True)
    return address


@transaction.atomic
def replace_sign_in_address(member):
    """The membership officer changed the member's email: only the new address signs in now (codes,
    resets and invitations to the old one stop working)."""
    EmailAddress.objects.filter(user=member).delete()
    if member.email:
        EmailAddress.objects.create(user=member, email=member.email.lower(), primary=True, verified=True)
