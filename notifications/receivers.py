"""Receivers of the workflow engine's signals (sent after commit). Each does the least it
can in the request: the fan-out to followers is ONE enqueued task, done by the worker."""

from django.dispatch import receiver
from django_q.tasks import async_task

from workflows import signals
from workflows.models import Item

from . import emails, services, tasks
from .models import OutboxEmail

emails.register_send_time_link(OutboxEmail.Kind.SECONDING, tasks.seconding_link_for_email)


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


@receiver(signals.items_joined, sender=Item, dispatch_uid="notifications_items_joined")
def follow_joined_item(sender, item, sources, **kwargs):
    """Whoever followed a motion that was composited follows the composite."""
    services.carry_follows([source.pk for source in sources], item)
    services.follow_own_item(item)


@receiver(signals.seconding_requested, sender=Item, dispatch_uid="notifications_seconding_requested")
def email_seconding_request(sender, item, seconding, **kwargs):
    """Whether the address is a member's is looked up by the worker, not in the proposer's request."""
    async_task("notifications.tasks.send_seconding_request", seconding.pk, group="seconding")


@receiver(signals.seconding_answered, sender=Item, dispatch_uid="notifications_seconding_answered")
def email_seconding_answer(sender, item, seconding, **kwargs):
    async_task("notifications.tasks.send_seconding_answer", seconding.pk, group="seconding")


@receiver(signals.seconding_withdrawn, sender=Item, dispatch_uid="notifications_seconding_withdrawn")
def stop_seconding_request(sender, item, seconding, **kwargs):
    async_task("notifications.tasks.stop_seconding_request", seconding.pk, group="seconding")
