"""Signed unsubscribe tokens: they work without logging in, name one member and one scope
(a follow, or all emails), cannot be forged (django.core.signing, the SECRET_KEY) and expire."""

from datetime import timedelta

from django.conf import settings
from django.core import signing

SALT = "notifications.unsubscribe"
ALL = "all"
SCOPE_KINDS = ("item", "branch", "consultation")
# Scopes of the apps above (newsletters, event reminders): kind → handler with `valid(rest)`,
# `describe(member, rest)`, `unsubscribe(member, rest)` and `resubscribe(member, rest)`.
SCOPE_HANDLERS = {}


def register_scope(kind, handler):
    """An app above makes its own unsubscribe links ("<kind>:<rest>"): the one-click unsubscribe of
    notifications acts on them through `handler` (called from that app's AppConfig.ready())."""
    SCOPE_HANDLERS[kind] = handler


class BadToken(Exception):
    """A forged, damaged or expired unsubscribe token: nothing is changed."""


def max_age():
    return getattr(settings, "UNSUBSCRIBE_TOKEN_MAX_AGE", timedelta(days=365))


def make_token(member_id, scope):
    return signing.dumps({"m": member_id, "s": scope}, salt=SALT, compress=True)


def read_token(token):
    """(member id, scope) of a valid token; raises BadToken otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise BadToken("This unsubscribe link has expired.") from None
    except signing.BadSignature:
        raise BadToken("This unsubscribe link is not valid: it may have been cut short or changed.") from None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int) or not isinstance(data.get("s"), str):
        raise BadToken("This unsubscribe link is not valid.")
    scope = data["s"]
    if scope != ALL:
        kind, _, pk = scope.partition(":")
        handler = SCOPE_HANDLERS.get(kind)
        if handler is not None:
            if not handler.valid(pk):
                raise BadToken("This unsubscribe link is not valid.")
        elif kind not in SCOPE_KINDS or not pk.isdigit():
            raise BadToken("This unsubscribe link is not valid.")
    return data["m"], scope
