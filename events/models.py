"""Members' answers to events (cms.EventPage) and each event's capacity.

- `EventSignUp`: one member's answer to one event: going (with a place, or on the waiting list),
  maybe, or not going. One row per member and event.
- `EventCapacity`: how many places an event has (no row: no limit).
- `ReminderOptOut`: a member who wants no reminders of the events they go to.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EventSignUp(models.Model):
    """A member's answer to an event. "Going" holds a place, or waits for one (`waiting`) when the
    event is full; the first waiting moves up when a place frees (events.services)."""

    class Answer(models.TextChoices):
        GOING = "going", "Going"
        MAYBE = "maybe", "Maybe"
        NOT_GOING = "not_going", "Not going"

    event = models.ForeignKey("cms.EventPage", on_delete=models.CASCADE, related_name="sign_ups")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_sign_ups")
    answer = models.CharField(max_length=16, choices=Answer.choices)
    waiting = models.BooleanField(default=False, help_text="Going, but the event is full: on the waiting list.")
    answered_at = models.DateTimeField(default=timezone.now, help_text="When the answer last changed (the "
                                                                      "waiting list's order).")
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False,
                                        help_text="The start time the reminder was sent for.")

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="event_sign_up_once"),
            models.CheckConstraint(name="event_sign_up_only_going_waits",
                                   condition=Q(waiting=False) | Q(answer="going")),
        ]
        indexes = [models.Index(fields=["event", "answer", "waiting"], name="event_sign_up_headcount")]

    def __str__(self):
        return f"{self.member} → {self.event}: {self.get_answer_display()}{' (waiting)' if self.waiting else ''}"

    @property
    def has_place(self):
        return self.answer == self.Answer.GOING and not self.waiting


class EventCapacity(models.Model):
    """How many members can come to an event; set by its branch's officers."""

    event = models.OneToOneField("cms.EventPage", on_delete=models.CASCADE, related_name="capacity")
    places = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.event}: {self.places} places"


class ReminderOptOut(models.Model):
    """A member who wants no event reminders (one-click unsubscribe of a reminder)."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="event_reminder_opt_out")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.member}: no event reminders"
