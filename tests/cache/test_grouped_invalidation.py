"""A decision purges the front cache once: its agenda moves and its signals make one invalidation
with the union of their keys (cms.cache.grouped), after its transaction commits, and none if it
rolls back."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from cms import cache
from tests.workflows.conftest import submit_motion
from workflows import services
from workflows.models import AgendaEntry, Meeting


@pytest.fixture
def invalidations(monkeypatch):
    made = []
    monkeypatch.setattr(cache, "_invalidate_now", lambda keys: made.append(list(keys)))
    return made


@pytest.mark.django_db(transaction=True)
def test_a_decision_on_an_item_on_an_agenda_makes_one_invalidation_with_the_union_of_the_keys(
    branches, people, invalidations
):
    motion = submit_motion(people, title="Votes for Life now")
    Meeting.objects.create(body="branch", branch=branches["paris"], title="Paris spring meeting",
                           starts_at=timezone.now() + timedelta(days=7))
    assert AgendaEntry.objects.filter(item=motion).exists()
    invalidations.clear()

    services.record_decision(motion, "fell", people["paris_officer"], votes_for=2, votes_against=9)

    assert len(invalidations) == 1
    keys = invalidations[0]
    assert len(keys) == len(set(keys))
    for key in (cache.MEETINGS, cache.item_key(motion.pk), cache.item_reference_key(motion.reference),
                cache.item_status_key("fell"), cache.item_status_key("in_progress"), cache.ITEM_CHANGES,
                cache.branch_items_key(branches["paris"].pk), cache.UNTAGGED):
        assert key in keys, key


@pytest.mark.django_db(transaction=True)
def test_a_decision_rolled_back_with_its_transaction_invalidates_nothing(branches, people, invalidations):
    motion = submit_motion(people, title="Votes for Life now")
    Meeting.objects.create(body="branch", branch=branches["paris"], title="Paris spring meeting",
                           starts_at=timezone.now() + timedelta(days=7))
    invalidations.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_decision(motion, "fell", people["paris_officer"], votes_for=2, votes_against=9)
        raise RuntimeError("rolled back")

    assert invalidations == []


@pytest.mark.django_db(transaction=True)
def test_a_group_waits_for_its_transaction_and_keeps_only_what_committed(invalidations):
    with cache.grouped():
        with transaction.atomic():
            cache.invalidate("a", "b")
            try:
                with transaction.atomic():  # a savepoint rolled back: its keys go nowhere
                    cache.invalidate("rolled-back")
                    raise ValueError
            except ValueError:
                pass
            assert invalidations == []
        cache.invalidate("b", "c")  # after the commit (a signal sent on commit)
        assert invalidations == []
    assert invalidations == [["a", "b", cache.UNTAGGED, "c"]]


@pytest.mark.django_db(transaction=True)
def test_a_group_inside_a_transaction_invalidates_when_it_commits(invalidations):
    with transaction.atomic():
        with cache.grouped():
            cache.invalidate("a")
        assert invalidations == []
    assert invalidations == [["a", cache.UNTAGGED]]
    invalidations.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        with cache.grouped():
            cache.invalidate("a")
        raise RuntimeError
    assert invalidations == []
