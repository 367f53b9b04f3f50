"""Signals of the workflow engine, sent only after the transaction that caused them commits
(`transaction.on_commit`), so a receiver (notifications, feeds) never sees a rolled-back change.

- decision_recorded(sender=Item class, item, decision): a body decided on an item.
- item_put_on_agenda(sender=Item class, item, meeting, agenda_entry): an item waits on a meeting's agenda.
- item_submitted(sender=Item class, item): an item entered its first stage (it is now public).
- seconding_requested(sender=Item class, item, seconding): the proposer invited an address to second
  the item (or asked again after changing the text): its link is to be emailed, if it is a member's.
- seconding_withdrawn(sender=Item class, item, seconding): the proposer withdrew an invitation.
- seconding_answered(sender=Item class, item, seconding): the invited member confirmed or declined.
- item_withdrawn(sender=Item class, item): the proposer withdrew an item.
- items_joined(sender=Item class, item, sources): `sources` were joined into `item` (a composite motion),
  which moves on in their place (their followers follow it).
"""

from django.dispatch import Signal

decision_recorded = Signal()
item_put_on_agenda = Signal()
item_submitted = Signal()
seconding_requested = Signal()
seconding_withdrawn = Signal()
seconding_answered = Signal()
item_withdrawn = Signal()
items_joined = Signal()
