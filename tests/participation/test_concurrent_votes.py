"""One vote per person per poll, held by the database: the same member's vote sent twice at the same
moment (a double click, two tabs) is counted once; members voting at once are all counted; a vote
racing the close is either in the result or refused. On PostgreSQL, with real concurrent connections."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from participation import services
from participation.models import PendingPollBallot, Poll, PollBallot, PollVoter

from ..workflows.conftest import make_member, submit_motion


def at_once(functions):
    barrier = threading.Barrier(len(functions))
    results = []

    def run(function):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results.append(function())
        except Exception as error:  # noqa: BLE001 (the refusals are what the test counts)
            results.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("secret", [False, True])
def test_the_same_vote_sent_twice_at_once_counts_once(people, secret):
    assert connection.vendor == "postgresql"
    motion = submit_motion(people)
    if secret:
        motion.current_stage.secret_votes = True
        motion.current_stage.save()
    poll = services.open_ballot(motion, people["paris_officer"], timezone.now() + timedelta(days=2))
    voter = people["seconder"]
    results = at_once([lambda: services.cast_vote(poll, voter, "for")] * 4)
    refused = [r for r in results if isinstance(r, services.ParticipationError)]
    assert len(refused) == 3 and all("already voted" in str(r) for r in refused)
    assert PollVoter.objects.filter(poll=poll).count() == 1
    assert PollBallot.objects.filter(poll=poll).count() + PendingPollBallot.objects.filter(poll=poll).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_members_voting_at_once_are_all_counted_and_a_vote_racing_the_close_is_in_or_refused(people, branches):
    motion = submit_motion(people)
    poll = services.open_ballot(motion, people["paris_officer"], timezone.now() + timedelta(days=2))
    voters = [make_member(f"voter{n}@example.org", f"V{n}", branches["paris"]) for n in range(12)]
    results = at_once([(lambda v=v: services.cast_vote(poll, v, "for")) for v in voters[:10]])
    assert not [r for r in results if isinstance(r, Exception)]
    assert PollVoter.objects.filter(poll=poll).count() == PollBallot.objects.filter(poll=poll).count() == 10
    results = at_once([lambda: services.cast_vote(poll, voters[10], "against"),
                       lambda: services.close_poll(poll, people["paris_officer"])])
    decision = Poll.objects.get(pk=poll.pk).decision
    counted = decision.votes_for + decision.votes_against + decision.abstentions
    assert counted == PollVoter.objects.filter(poll=poll).count()  # nothing lost, nothing outside the count
    assert counted in (10, 11)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_votes_in_flight_do_not_wait_for_each_other_and_the_close_waits_for_them(people, branches):
    """A vote holds the poll's row in share mode until it commits: another member's vote meanwhile
    goes through at once (in a ballot's last minute thousands come together), while the close waits
    for the vote in flight, so that it is in the count."""
    from django.db import OperationalError, transaction

    from participation import selectors

    motion = submit_motion(people)
    poll = services.open_ballot(motion, people["paris_officer"], timezone.now() + timedelta(days=2))
    voters = [make_member(f"flight{n}@example.org", f"F{n}", branches["paris"]) for n in range(2)]
    holding, release = threading.Event(), threading.Event()

    def vote_in_flight():
        from django.db import connection as thread_connection

        try:
            with transaction.atomic():
                assert selectors.closed_at_shared(poll.pk) is None
                PollVoter.objects.create(poll=poll, member=voters[0], voted_on=timezone.localdate())
                PollBallot.objects.create(poll=poll, choice="for", voter=voters[0])
                holding.set()
                release.wait(20)
        finally:
            thread_connection.close()

    thread = threading.Thread(target=vote_in_flight)
    thread.start()
    try:
        assert holding.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        services.cast_vote(poll, voters[1], "against")  # not queued behind the vote in flight
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        with pytest.raises(OperationalError, match="lock timeout"):
            services.close_poll(poll, people["paris_officer"])
    finally:
        release.set()
        thread.join(30)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")
    decision = services.close_poll(Poll.objects.get(pk=poll.pk), people["paris_officer"])
    assert (decision.votes_for, decision.votes_against) == (1, 1)
    with pytest.raises(services.ParticipationError, match="closed"):
        services.cast_vote(poll, make_member("late@example.org", "L", branches["paris"]), "for")
