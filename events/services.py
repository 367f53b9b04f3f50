"""Business actions of event sign-ups: answer, set the capacity, move the waiting list up.
Views, the admin and tests call these; each runs in a transaction that locks the event's row,
so two answers at once never give one place twice."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from cms.models import EventPage
from workflows.permissions import is_branch_officer

from . import waiting_list
from .models import EventCapacity, EventSignUp


class SignUpError(Exception):
    """An answer or change refused, with a message for the person; nothing was changed."""


def _lock(event):
    """Lock the event's row for the rest of the transaction (PostgreSQL; SQLite's IMMEDIATE
    transactions already serialise writers)."""
    return EventPage.objects.select_for_update().only("pk").get(pk=event.pk)


def places_of(event):
    return EventCapacity.objects.filter(event=event).values_list("places", flat=True).first()


def headcount(event):
    """{"going", "waiting", "maybe", "not_going"}: how many answered each way."""
    counts = {"going": 0, "waiting": 0, "maybe": 0, "not_going": 0}
    for answer, waiting in EventSignUp.objects.filter(event=event).values_list("answer", "waiting"):
        counts["waiting" if waiting else answer] += 1
    return counts


def answer(event, member, value):
    """`member` answers `event` going / maybe / not going (idempotent: the same answer twice
    changes nothing). Going when the event is full puts them on the waiting list; leaving a
    place moves the first waiting member up. Returns the sign-up."""
    if value not in EventSignUp.Answer.values:
        raise SignUpError("Choose going, maybe or not going.")
    if not getattr(member, "is_authenticated", False) or not member.is_active:
        raise SignUpError("Sign in to answer.")
    if not event.live:
        raise SignUpError("This event is not published.")
    if (event.ends_at or event.starts_at) < timezone.now():
        raise SignUpError("This event is over.")
    with transaction.atomic():
        _lock(event)
        sign_up = EventSignUp.objects.filter(event=event, member=member).first()
        if sign_up is not None and sign_up.answer == value:
            return sign_up
        had_place = sign_up is not None and sign_up.has_place
        if sign_up is None:
            sign_up = EventSignUp(event=event, member=member)
        sign_up.answer = value
        sign_up.answered_at = timezone.now()
        sign_up.waiting = value == EventSignUp.Answer.GOING and _is_full(event)
        sign_up.save()
        if had_place and not sign_up.has_place:
            move_up(event)
    return sign_up


def _is_full(event):
    places = places_of(event)
    if places is None:
        return False
    return EventSignUp.objects.filter(event=event, answer=EventSignUp.Answer.GOING, waiting=False).count() >= places


def move_up(event):
    """Give free places to the waiting list, first come first served; those who moved up are told
    by email once the move is committed (never twice for the same move). Returns who moved up."""
    places = places_of(event)
    taken = EventSignUp.objects.filter(event=event, answer=EventSignUp.Answer.GOING, waiting=False).count()
    free = None if places is None else max(places - taken, 0)
    waiting = EventSignUp.objects.filter(event=event, waiting=True).order_by("answered_at", "pk")
    moved = list(waiting if free is None else waiting[:free])
    EventSignUp.objects.filter(pk__in=[s.pk for s in moved]).update(waiting=False)
    if moved:
        transaction.on_commit(partial(waiting_list.tell_moved_up, [s.pk for s in moved]))
    return moved


def set_capacity(event, places, by):
    """The event's officers set its number of places (None: no limit). Raising it moves the
    waiting list up; lowering it takes no place from anyone who has one."""
    if not may_see_sign_ups(by, event):
        raise SignUpError("Only the officers of this event's branch can change its places.")
    if places is not None and places < 0:
        raise SignUpError("The number of places cannot be negative.")
    with transaction.atomic():
        _lock(event)
        if places is None:
            EventCapacity.objects.filter(event=event).delete()
        else:
            EventCapacity.objects.update_or_create(event=event, defaults={"places": places})
        return move_up(event)


def may_see_sign_ups(user, event):
    """The headcount and names: the officers of the event's own branch (and superusers)."""
    return bool(getattr(user, "is_authenticated", False)) and is_branch_officer(user, event.branch)


def sign_ups_for_officers(event):
    """Everyone who answered, by name (for the venue), places first, waiting in order."""
    return (EventSignUp.objects.filter(event=event).select_related("member")
            .order_by("answer", "waiting", "answered_at", "pk"))
