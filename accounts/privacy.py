"""Sign-in's part of an erasure (cms.privacy): the lockout's records of attempts made with the
member's address (django-axes) go with it."""

from axes.models import AccessAttempt, AccessLog

from cms.privacy import on_erasure


@on_erasure
def erase_sign_in_attempts(member, email):
    AccessAttempt.objects.filter(username__iexact=email).delete()
    AccessLog.objects.filter(username__iexact=email).delete()
