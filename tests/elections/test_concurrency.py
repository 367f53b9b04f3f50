"""A member submits their ballot twice at the same moment (two tabs): exactly one ballot counts."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from elections import services
from elections.models import Ballot, Office, Preference, VoterRegisterEntry
from elections.reference import load_offices

from .conftest import consent_all, move_to


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_ballots_from_one_member_give_one_ballot_and_one_refusal(make_member, secretary):
    assert connection.vendor == "postgresql"
    load_offices(Office)  # a transactional test may have flushed the migration's reference data
    from .conftest import timetable

    election = services.create_election(title="Concurrent", by=secretary, **timetable("nominations"))
    chair = election.positions.get(key="chair")
    candidates = [
        consent_all(services.submit_nomination(position=chair, submitted_by=secretary, candidate=make_member(),
                                               proposer=make_member(), seconder=make_member(), statement="Vote for me."))
        for _ in range(2)
    ]
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    voter = make_member()
    barrier = threading.Barrier(2)
    results = []

    def cast(first_choice):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results.append(services.cast_ballot(election, voter=voter, rankings={chair: [first_choice]}))
        except ValidationError as error:
            results.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=cast, args=(c,)) for c in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(results) == 2 and len(refusals) == 1
    assert "already voted" in refusals[0].messages[0]
    assert VoterRegisterEntry.objects.filter(election=election).count() == 1
    assert services.ballots_in_box(election) == 1  # the refused one left nothing behind
    services.seal_ballots(election, everything=True)
    assert Ballot.objects.filter(election=election).count() == 1
    assert Preference.objects.count() == 1
