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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_draft_saved_while_it_is_submitted_never_reverts_the_submission(people):
    """The proposer's edit (another tab) and their submission reach the server at the same moment:
    the submission holds the row lock; the edit waits for it, then sees it was submitted."""
    import time

    from django.db import transaction

    from workflows.exceptions import ItemError
    from workflows.models import ItemStatus

    assert connection.vendor == "postgresql"
    proposer = people["proposer"]
    draft = services.create_draft("motion", proposer, title="Votes for Life", text="<p>First text.</p>",
                                  seconder_emails=["seconder@example.org"])
    opened = Item.objects.get(pk=draft.pk)  # the edit form was opened while it was a draft
    submitting = threading.Event()
    results = {}

    def submit():
        from django.db import connection as thread_connection

        try:
            with transaction.atomic():
                services.submit_item(Item.objects.get(pk=draft.pk), proposer)
                submitting.set()
                time.sleep(1)  # still holding the row lock when the edit arrives
            results["submit"] = "done"
        finally:
            thread_connection.close()

    def edit():
        from django.db import connection as thread_connection

        try:
            submitting.wait(timeout=10)
            started = time.monotonic()
            try:
                services.update_draft(opened, proposer, title="Votes for Life", text="<p>Edited text.</p>")
                results["edit"] = "saved"
            except ItemError as error:
                results["edit"] = str(error)
            results["edit_waited"] = time.monotonic() - started
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results["submit"] == "done"
    assert "It was submitted" in results["edit"] and "not saved" in results["edit"]
    assert results["edit_waited"] > 0.5  # it waited for the submission's lock
    final = Item.objects.get(pk=draft.pk)
    assert final.status == ItemStatus.AWAITING_SECONDERS and final.reference
    assert final.text == "<p>First text.</p>"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_saving_and_submitting_at_the_same_moment_many_times_never_reverts_a_submission(people):
    from workflows.exceptions import ItemError

    proposer = people["proposer"]
    for n in range(8):
        draft = services.create_draft("motion", proposer, title=f"Motion {n}", text="<p>First.</p>",
                                      seconder_emails=["seconder@example.org"])
        barrier = threading.Barrier(2)
        seen = {}

        def act(name, action, draft=draft, barrier=barrier, seen=seen):
            from django.db import connection as thread_connection

            stale = Item.objects.get(pk=draft.pk)
            try:
                barrier.wait(timeout=10)
                action(stale)
                seen[name] = "done"
            except ItemError as error:
                seen[name] = str(error)
            finally:
                thread_connection.close()

        threads = [
            threading.Thread(target=act, args=("edit", lambda item: services.update_draft(
                item, proposer, title=item.title, text="<p>Edited.</p>"))),
            threading.Thread(target=act, args=("submit", lambda item: services.submit_item(item, proposer))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        final = Item.objects.get(pk=draft.pk)
        assert seen["submit"] == "done" and final.status == "awaiting_seconders", seen
        assert final.text == ("<p>Edited.</p>" if seen["edit"] == "done" else "<p>First.</p>"), seen
