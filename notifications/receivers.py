"""Receivers of the workflow engine's signals (sent after commit). Each does the least it
can in the request: the fan-out to followers is ONE enqueued task, done by the worker."""

from django.dispatch import receiver
from django_q.tasks import async_task

from workflows import signals
from workflows.models import Item

from . import services


@receiver(signals.decision_recorded, sender=Item, dispatch_uid="notifications_decision_recorded")
def notify_decision(sender, item, decision, **kwargs):
    async_task("notifications.tasks.fan_out_decision", decision.pk, group="fan-out")


@receiver(signals.item_put_on_agenda, sender=Item, dispatch_uid="notifications_item_put_on_agenda")
def notify_agenda(sender, item, meeting, agenda_entry, **kwargs):
    async_task("notifications.tasks.fan_out_agenda", agenda_entry.pk, group="fan-out")


@receiver(signals.item_submitted, sender=Item, dispatch_uid="notifications_item_submitted")
def follow_own_item(sender, item, **kwargs):
    """Proposer and seconders follow their item from the moment it is public (a few rows)."""
    services.follow_own_item(item)
