"""The engine's actions are written to Wagtail's audit log, one entry each, and shown under
Reports › Site history to the officers who see the item or run the meeting, never to a member."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.log_actions import registry as log_registry

from cms.models import AuditLogEntry
from workflows import services
from workflows.exceptions import DecisionError
from workflows.models import Meeting, MeetingBody

SITE_HISTORY = "/admin/reports/site-history/"


def entries(action):
    return list(AuditLogEntry.objects.filter(action=action))


def only_entry(action):
    found = entries(action)
    assert len(found) == 1, f"{action}: {len(found)} entries"
    return found[0]


def site_history(client, user, **filters):
    client.force_login(user)
    return client.get(SITE_HISTORY, filters)


def test_recording_a_decision_writes_one_entry_with_who_what_and_the_votes(people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=11, votes_against=2)
    entry = only_entry("li.decision.recorded")
    assert entry.user == people["paris_officer"]
    assert entry.object_id == str(submitted_motion.pk)
    assert entry.data["reference"] == submitted_motion.reference
    assert (entry.data["outcome"], entry.data["votes_for"], entry.data["votes_against"]) == ("Carried", 11, 2)
    assert entry.message == f"Recorded “Carried” for {submitted_motion.reference} at Paris branch (11 for, 2 against)"
    assert log_registry.get_logs_for_instance(submitted_motion).filter(action="li.decision.recorded").count() == 1


def test_a_refused_decision_writes_nothing(people, submitted_motion):
    with pytest.raises(DecisionError):
        services.record_decision(submitted_motion, "carried", people["berlin_officer"], votes_for=5, votes_against=0)
    assert not entries("li.decision.recorded")


def test_submitting_seconding_and_withdrawing_are_logged_once_each(people):
    motion = services.create_draft("motion", people["proposer"], title="Votes for Life", text="<p>Now.</p>",
                                   seconder_emails=[people["seconder"].email])
    services.confirm_seconding(motion, people["seconder"])
    services.confirm_seconding(motion, people["seconder"])  # a second click changes nothing
    services.submit_item(motion, people["proposer"])
    services.withdraw_item(motion, people["proposer"])
    seconded = only_entry("li.seconding.confirmed")
    assert seconded.user == people["seconder"]
    submitted = only_entry("li.item.submitted")
    assert (submitted.user, submitted.data["reference"]) == (people["proposer"], motion.reference)
    assert submitted.message == f"Submitted {motion.reference} (In progress)"
    withdrawn = only_entry("li.item.withdrawn")
    assert (withdrawn.user, withdrawn.data["stage"]) == (people["proposer"], "Branch meeting")


def test_declining_to_second_is_logged(people):
    motion = services.create_draft("motion", people["proposer"], title="Votes for Life", text="<p>Now.</p>",
                                   seconder_emails=[people["seconder"].email])
    services.decline_seconding(motion, people["seconder"])
    assert only_entry("li.seconding.declined").user == people["seconder"]


def test_approving_minutes_and_deferring_an_item_are_logged(people, branches, submitted_motion):
    paris = branches["paris"]
    meeting = Meeting.objects.create(body=MeetingBody.BRANCH, branch=paris, title="Paris spring meeting",
                                     starts_at=timezone.now() + timedelta(days=3), time_zone=paris.time_zone)
    later = Meeting.objects.create(body=MeetingBody.BRANCH, branch=paris, title="Paris summer meeting",
                                   starts_at=timezone.now() + timedelta(days=60), time_zone=paris.time_zone)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    meeting.refresh_from_db()
    services.defer_agenda_entry(meeting.agenda.get(), later, people["paris_officer"])
    services.approve_minutes(meeting, people["paris_officer"], minutes="<p>We deferred the motion.</p>")
    deferred = only_entry("li.agenda.deferred")
    assert deferred.message == (f"Deferred {submitted_motion.reference} from “Paris spring meeting” "
                                "to “Paris summer meeting”")
    approved = only_entry("li.meeting.minutes_approved")
    assert (approved.user, approved.object_id) == (people["paris_officer"], str(meeting.pk))
    assert approved.message == "Approved and published the minutes of “Paris spring meeting”"


def test_site_history_shows_a_decision_to_the_officers_who_see_the_item_and_not_to_a_member(
        client, people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=11, votes_against=2)
    message = f"Recorded “Carried” for {submitted_motion.reference} at Paris branch (11 for, 2 against)"
    for officer in ("paris_officer", "secretary", "policy"):
        response = site_history(client, people[officer])
        assert response.status_code == 200
        assert message in response.content.decode(), officer
    # Berlin's officer does not see Paris's items in the admin, so not their history either.
    assert message not in site_history(client, people["berlin_officer"]).content.decode()
    # A member has no admin at all.
    response = site_history(client, people["member"])
    assert response.status_code == 302
    assert message not in response.content.decode()


def test_site_history_filters_by_action_and_lists_the_actions(client, people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=11, votes_against=2)
    response = site_history(client, people["secretary"], action="li.decision.recorded")
    body = response.content.decode()
    assert "Decision recorded" in body  # the action filter names it
    assert "Recorded “Carried”" in body
    assert "Submitted " not in body  # the submission's entry is filtered out
    assert "Submitted " in site_history(client, people["secretary"], action="li.item.submitted").content.decode()


def test_site_history_is_in_the_reports_menu_of_officers_without_page_rights(client, people):
    client.force_login(people["secretary"])
    assert SITE_HISTORY in client.get("/admin/").content.decode()
