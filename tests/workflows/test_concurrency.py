"""Two officers record a decision on the same item at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from workflows import services
from workflows.exceptions import AlreadyDecided
from workflows.models import Decision, Item

from .conftest import submit_motion


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_give_one_decision_and_one_already_decided(people):
    assert connection.vendor == "postgresql"
    motion = submit_motion(people)
    stage = motion.current_stage
    officer = people["paris_officer"]
    barrier = threading.Barrier(2)
    results = []

    def decide():
        from django.db import connection as thread_connection

        try:
            item = Item.objects.get(pk=motion.pk)
            barrier.wait(timeout=10)
            services.record_decision(item, "carried", officer, stage=stage, votes_for=7, votes_against=2)
            results.append("recorded")
        except AlreadyDecided as error:
            results.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=decide) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results.count("recorded") == 1
    assert len([r for r in results if isinstance(r, AlreadyDecided)]) == 1
    assert Decision.objects.filter(item_id=motion.pk).count() == 1
    assert "already been decided" in str(next(r for r in results if isinstance(r, AlreadyDecided)))
