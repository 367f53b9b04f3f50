"""The returning officer's and the secretary's actions are written to Wagtail's audit log, one
entry each on the election, and shown under Reports › Site history to them, never to a member."""

from datetime import timedelta

from django.contrib.auth.models import Permission

from cms.models import AuditLogEntry
from elections import services

from . import test_count_service
from .conftest import move_to
from .test_count_service import vote

contested_election = test_count_service.contested_election  # the fixture

SITE_HISTORY = "/admin/reports/site-history/"


def only_entry(action):
    found = list(AuditLogEntry.objects.filter(action=action))
    assert len(found) == 1, f"{action}: {len(found)} entries"
    return found[0]


def with_admin_access(member):
    member.user_permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    return type(member).objects.get(pk=member.pk)


def test_count_quota_decision_and_publication_are_logged_once_each(
        client, contested_election, make_member, secretary, returning_officer):
    election = contested_election
    closed = only_entry("li.election.nominations_closed")
    assert (closed.user, closed.object_id, closed.data) == (secretary, str(election.pk), {"valid": 3, "invalid": 0})
    for _ in range(3):
        vote(election, make_member(), election.man, election.woman)
    move_to(election, "counting")
    count = services.run_count(election, by=returning_officer)
    services.confirm_adjustment(count.adjustments.get(), by=returning_officer)
    services.publish_results(election, by=returning_officer)

    counted = only_entry("li.election.counted")
    assert (counted.user, counted.data["count"], counted.data["ballots"]) == (returning_officer, count.pk, 3)
    assert counted.message == f"Counted 3 ballots (count #{count.pk})"
    quota = only_entry("li.election.quota_decided")
    assert (quota.user, quota.data["accepted"]) == (returning_officer, True)
    assert quota.message == "Accepted the gender-quota replacement at Chair"
    published = only_entry("li.election.results_published")
    assert (published.user, published.label) == (returning_officer, "LIEC elections 2026")
    # No candidate's name in what the log keeps: an erasure must not leave it behind.
    for entry in AuditLogEntry.objects.all():
        assert "Chairwoman" not in str(entry.data) and "Chairman" not in str(entry.data)

    officer, member = with_admin_access(returning_officer), with_admin_access(make_member())
    client.force_login(officer)
    page = client.get(SITE_HISTORY).content.decode()
    assert f"Counted 3 ballots (count #{count.pk})" in page
    assert "Published the results" in page and "Accepted the gender-quota replacement at Chair" in page
    client.force_login(member)  # admin access, no election role: sees none of it
    response = client.get(SITE_HISTORY)
    assert response.status_code == 200
    assert "Counted 3 ballots" not in response.content.decode()


def test_an_extension_imported_ballots_and_withdrawals_are_logged(
        contested_election, returning_officer, secretary, nominate):
    election = contested_election
    services.extend_ballot_close(election, by=returning_officer, new_close=election.ballot_close + timedelta(days=1),
                                 reason="Server outage")
    extended = only_entry("li.election.ballot_extended")
    assert extended.user == returning_officer and extended.data["reason"] == "Server outage"
    assert extended.message.startswith("Extended the ballot close from ")

    register = [m.membership_number for m in election.paper_voters]
    text = "ballot_id,rank,choice\n" + "".join(
        f"b{i},1,{election.man.display_name}\n" for i in range(2))
    services.import_ballots(election, election.chair, text=text, file_name="paper.csv", by=returning_officer,
                            paper_register=register)
    imported = only_entry("li.election.ballots_imported")
    assert imported.message == "Imported 2 paper ballots for Chair (paper.csv)"

    services.withdraw_nomination(election.woman, by=election.woman.candidate, reason="Moving away.")
    withdrawn = only_entry("li.election.nomination_withdrawn")
    assert (withdrawn.user, withdrawn.data["nomination"]) == (election.woman.candidate, election.woman.pk)


def test_ruling_a_nomination_invalid_is_logged(election, nominate, secretary):
    nomination = nominate(election, "chair")
    services.rule_nomination_invalid(nomination, by=secretary, reason="Branch meeting not quorate.")
    entry = only_entry("li.election.nomination_ruled_invalid")
    assert entry.message == f"Ruled nomination #{nomination.pk} (Chair) invalid: Branch meeting not quorate."
