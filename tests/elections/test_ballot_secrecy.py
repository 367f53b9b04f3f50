"""A secret ballot: someone holding the database (or a backup of it) tries to match the voter
register with the ballots, by every order the database keeps: ids, physical row order (SQLite
rowid, PostgreSQL ctid), the first preference's id, receipt digests, timestamps. With 96 voters
none of the attacks matches more voters than chance would (one expected, six allowed)."""

import uuid

import pytest
from django.db import connection, models

from elections import services
from elections.models import Ballot, PendingBallot, Preference, VoterRegisterEntry

from .conftest import move_to

VOTERS = 96
ALLOWED = 6  # a random pairing matches one voter on average; 7 or more by chance: p < 0.0001


@pytest.fixture
def cast_election(election, nominate, secretary, make_member, returning_officer):
    """96 members vote (different rankings over two posts); the ballot closes and is counted."""
    chair = [nominate(election, "chair") for _ in range(4)]
    secretary_post = [nominate(election, "secretary") for _ in range(3)]
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    positions = {p.key: p for p in election.positions.all()}
    receipts = []  # in voting order: (voter, receipt code)
    for n in range(VOTERS):
        voter = make_member()
        ranking = chair[n % 4:] + chair[:n % 4]
        code = services.cast_ballot(election, voter=voter, rankings={
            positions["chair"]: ranking[: 1 + n % 3], positions["secretary"]: secretary_post[: 1 + n % 2]})
        receipts.append((voter, code))
    move_to(election, "counting")
    services.run_count(election, by=returning_officer, seed=1)
    election.receipts = receipts
    return election


def physical_order(table, column="id"):
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY {order}")  # noqa: S608 (fixed table names)
        values = [row[0] for row in cursor.fetchall()]
    return [uuid.UUID(str(v)) for v in values] if column != "member_id" else values


def matches(register_order, ballot_order, truth):
    """How many voters an attacker pairing the i-th register row with the i-th ballot gets right."""
    return sum(1 for voter, ballot in zip(register_order, ballot_order, strict=True) if truth[voter] == ballot)


def test_no_order_the_database_keeps_links_the_register_to_the_ballots(cast_election):
    election = cast_election
    assert not PendingBallot.objects.filter(election=election).exists()  # all in the box after the close
    digest_to_ballot = dict(Ballot.objects.filter(election=election).values_list("receipt_digest", "id"))
    truth = {voter.pk: digest_to_ballot[services._receipt_digest(code)] for voter, code in election.receipts}
    assert len(set(truth.values())) == VOTERS

    register_by_id = list(VoterRegisterEntry.objects.filter(election=election).order_by("id")
                          .values_list("member_id", flat=True))
    register_by_row = [m for m in physical_order("elections_voterregisterentry", "member_id") if m in truth]
    assert register_by_id == register_by_row == [voter.pk for voter, _ in election.receipts]  # the attacker's side

    ballots_by_id = list(Ballot.objects.filter(election=election).order_by("id").values_list("id", flat=True))
    ballots_by_row = [b for b in physical_order("elections_ballot") if b in set(truth.values())]
    ballots_by_digest = list(Ballot.objects.filter(election=election).order_by("receipt_digest")
                             .values_list("id", flat=True))
    first_preferences = {}
    for preference_id, ballot_id in Preference.objects.order_by("id").values_list("id", "ballot_id"):
        first_preferences.setdefault(ballot_id, preference_id)
    ballots_by_first_preference_id = list(first_preferences)
    first_rows = {}
    for ballot_id in physical_order("elections_preference", "ballot_id"):
        first_rows.setdefault(ballot_id, len(first_rows))
    ballots_by_preference_row = list(first_rows)

    attacks = {
        "ballot id": ballots_by_id, "ballot row order": ballots_by_row, "receipt digest": ballots_by_digest,
        "first preference id": ballots_by_first_preference_id, "preference row order": ballots_by_preference_row,
    }
    for name, ballot_order in attacks.items():
        assert len(ballot_order) == VOTERS, name
        for register in (register_by_id, register_by_row):
            found = matches(register, ballot_order, truth)
            assert found <= ALLOWED, f"sorting by {name} matches {found} voters to their ballots"


def test_nothing_on_a_ballot_or_the_register_carries_a_time(cast_election):
    for model in (Ballot, Preference, PendingBallot):
        assert not [f.name for f in model._meta.get_fields() if isinstance(f, models.DateTimeField | models.DateField)]
        assert isinstance(model._meta.pk, models.UUIDField)
    register_times = [f.name for f in VoterRegisterEntry._meta.get_fields() if isinstance(f, models.DateTimeField)]
    assert register_times == []  # only the day (voted_on)


def test_receipts_still_find_their_ballot_in_the_pool_and_in_the_box(election, nominate, secretary, make_member,
                                                                      returning_officer):
    candidates = [nominate(election, "chair") for _ in range(2)]
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    chair = election.positions.get(key="chair")
    code = services.cast_ballot(election, voter=make_member(), rankings={chair: candidates})
    assert PendingBallot.objects.count() == 1 and Ballot.objects.count() == 0
    check = services.check_receipt(election, code)
    assert check.found and not check.counted
    move_to(election, "counting")
    services.run_count(election, by=returning_officer, seed=1)
    assert PendingBallot.objects.count() == 0 and Ballot.objects.count() == 1
    assert services.check_receipt(election, code).counted


def test_a_full_pool_moves_a_random_half_into_the_box(settings, election, nominate, secretary, make_member):
    settings.ELECTION_BALLOT_POOL = 5
    candidates = [nominate(election, "chair") for _ in range(2)]
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    chair = election.positions.get(key="chair")
    for _ in range(9):
        services.cast_ballot(election, voter=make_member(), rankings={chair: candidates})
    assert Ballot.objects.count() == 0 and PendingBallot.objects.count() == 9
    services.cast_ballot(election, voter=make_member(), rankings={chair: candidates})
    assert Ballot.objects.count() == 5 and PendingBallot.objects.count() == 5
    assert Preference.objects.count() == 10
