"""What a vote's request reads, as parametrised SQL (Django's connection.cursor(), through
cms.models.read_rows) returning model instances: in a ballot's last minute every member's vote
comes at once, and building the ORM's queries was a large part of a vote's cost. The statements are
the ORM's own (the same tables, columns and indexes); only their building is saved."""

from django.db import connection

from cms.models import BranchPage, Member, read_rows
from workflows.models import Item

from .models import Poll, PollVoter

_POLL_FIELDS = Poll._meta.concrete_fields
# All the vote page shows of its item (its text is never read here).
_ITEM_FIELDS = [f for f in Item._meta.concrete_fields if f.attname in ("id", "reference", "title")]
# The signed-in member's branch, read for its time zone only (the close in their time).
_BRANCH_FIELDS = [f for f in BranchPage._meta.concrete_fields if f.attname in ("id", "page_ptr_id", "time_zone")]


def _column(model, name):
    return f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.get_field(name).column)}"


def poll_for_vote(pk, member):
    """The poll `pk` with its item (id, reference and title), in one read; None if there is none.
    The signed-in `member`'s branch comes in the same read, for its time zone, when the member has no
    zone of their own (cms.times.member_zone_name)."""
    quote = connection.ops.quote_name
    poll_table, item_table = quote(Poll._meta.db_table), quote(Item._meta.db_table)
    wants_zone = not member.time_zone and member.branch_id is not None and not Member.branch.is_cached(member)
    zone = (f"(SELECT {_column(BranchPage, 'time_zone')} FROM {quote(BranchPage._meta.db_table)} "
            f"WHERE {_column(BranchPage, 'page_ptr')} = %s)") if wants_zone else "NULL"
    columns = [_column(Poll, f.name) for f in _POLL_FIELDS] + [_column(Item, f.name) for f in _ITEM_FIELDS]
    sql = (f"SELECT {', '.join(columns)}, {zone} FROM {poll_table} "
           f"INNER JOIN {item_table} ON ({_column(Poll, 'item')} = {_column(Item, 'id')}) "
           f"WHERE {_column(Poll, 'id')} = %s")
    rows = read_rows(sql, [member.branch_id, pk] if wants_zone else [pk], fields=[*_POLL_FIELDS, *_ITEM_FIELDS, None])
    if not rows:
        return None
    row, n = rows[0], len(_POLL_FIELDS)
    db = connection.alias
    poll = Poll.from_db(db, [f.attname for f in _POLL_FIELDS], row[:n])
    poll.item = Item.from_db(db, [f.attname for f in _ITEM_FIELDS], row[n:n + len(_ITEM_FIELDS)])
    if wants_zone and row[-1] is not None:
        member.branch = BranchPage.from_db(db, [f.attname for f in _BRANCH_FIELDS],
                                           [member.branch_id, member.branch_id, row[-1]])
    return poll


def closed_at_shared(poll_id):
    """Inside a vote's transaction: when the poll closed (None while open), its row locked in share
    mode until the vote commits. Votes share the lock, so none waits for another (in a ballot's last
    minute they come by the thousand); closing takes the row for itself (select_for_update in
    services.close_poll), so it waits for the votes in flight and a vote after it is refused: a vote
    is either in the count or refused, never lost. SQLite has no row locks: its write transactions
    queue whole (cms.settings: IMMEDIATE), which holds the same rule."""
    quote = connection.ops.quote_name
    share = " FOR SHARE" if connection.features.has_select_for_update else ""
    rows = read_rows(f"SELECT {_column(Poll, 'closed_at')} FROM {quote(Poll._meta.db_table)} "
                     f"WHERE {_column(Poll, 'id')} = %s{share}", [poll_id], fields=[Poll._meta.get_field("closed_at")])
    if not rows:
        raise Poll.DoesNotExist(f"No poll {poll_id}.")
    return rows[0][0]


def turnout(poll_id):
    """How many have voted in the poll so far (its register's entries)."""
    quote = connection.ops.quote_name
    return read_rows(f"SELECT COUNT(*) FROM {quote(PollVoter._meta.db_table)} WHERE {_column(PollVoter, 'poll')} = %s",
                     [poll_id])[0][0]
