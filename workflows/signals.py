"""Signals of the workflow engine, sent only after the transaction that caused them commits
(`transaction.on_commit`), so a receiver (notifications, feeds) never sees a rolled-back change.

- decision_recorded(sender=Item class, item, decision): a body decided on an item.
- item_put_on_agenda(sender=Item class, item, meeting, agenda_entry): an item waits on a meeting's agenda.
- item_submitted(sender=Item class, item): an item entered its first stage (it is now public).
- seconding_requested(sender=Item class, item, seconding): a member was named as a seconder.
- item_withdrawn(sender=Item class, item): the proposer withdrew an item.
"""

from django.dispatch import Signal

decision_recorded = Signal()
item_put_on_agenda = Signal()
item_submitted = Signal()
seconding_requested = Signal()
item_withdrawn = Signal()
