"""A meeting's agenda pack: its agenda, each motion with line numbers and the amendments to it,
as one .docx (amendments.pack writes it from plain data; this module reads the meeting)."""

from cms.times import Moment
from workflows import lines
from workflows.models import ItemKind

from .models import Amendment
from .pack import Pack, PackAmendment, PackEntry, render_pack


def _proposer(item):
    name = item.proposer.get_full_name() if item.proposer_id else ""
    where = f" ({item.branch.title} branch)" if item.branch_id else ""
    return f"{name or 'A member'}{where}"


def pack_for(meeting):
    """The Pack of `meeting`: every motion on its agenda in agenda order, its amendments under it."""
    entries = list(meeting.agenda.filter(deferred_to__isnull=True).exclude(item__kind=ItemKind.AMENDMENT)
                   .select_related("item", "item__proposer", "item__branch").order_by("position", "pk"))
    on_agenda = [entry.item for entry in entries]
    amendments = {}
    for amendment in (Amendment.objects.public().filter(amends__in=on_agenda, agenda_entries__meeting=meeting)
                      .select_related("proposer", "branch").order_by("submitted_at", "pk")):
        amendments.setdefault(amendment.amends_id, []).append(PackAmendment(
            reference=amendment.reference, proposer=f"Tabled by {_proposer(amendment)}",
            change=amendment.lines_in_words, reason=amendment.reason, new_text=amendment.text))
    pack_entries = [PackEntry(reference=item.reference or "", title=item.title, proposer=f"Proposed by {_proposer(item)}",
                              lines=lines.number_lines(item.text), amendments=amendments.get(item.pk, []))
                    for item in on_agenda]
    return Pack(title=meeting.title, body=meeting.get_body_display(),
                when=Moment(meeting.starts_at, meeting.time_zone).text, place=meeting.place or "Online",
                entries=pack_entries)


def render(meeting):
    """The .docx bytes of `meeting`'s agenda pack."""
    return render_pack(pack_for(meeting))
