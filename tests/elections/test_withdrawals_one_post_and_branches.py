"""Stories a returning officer must be able to follow (issue 18): withdrawals recorded with who,
whom and why (a job-share needs both partners; after the close the candidate stays on the ballot
paper and is excluded before the first round); one person, one post at the close; branch
nominations by the branch's secretary citing the branch meeting; statement words as DOMAIN.md
counts them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from elections import services
from elections.models import Nomination, Position, PostChoice, Withdrawal
from elections.nominations import word_count

from .conftest import move_to

# --------------------------------------------------------------------------- withdrawals


@pytest.fixture
def job_share(election, nominate, make_member):
    return nominate(election, "vice-chair", partner=make_member("Jo", "Partner"))


def test_one_job_share_partner_only_asks_and_the_other_confirms_from_the_emailed_link(
        client, election, job_share, django_capture_on_commit_callbacks):
    first, second = job_share.candidate, job_share.partner
    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("elections:withdraw", args=[election.slug, job_share.pk]),
                               {"reason": "We cannot share the post after all."}, follow=True)
    assert "withdrawn once" in response.content.decode()
    job_share.refresh_from_db()
    assert job_share.status == Nomination.SUBMITTED  # one partner alone withdraws nothing
    withdrawal = job_share.withdrawals.get()
    assert withdrawal.is_pending and withdrawal.awaited_partner == second
    (email,) = [m for m in mail.outbox if m.to == [second.email]]
    url = reverse("elections:withdrawal", args=[election.slug, withdrawal.pk])
    assert url in email.body and "We cannot share the post after all." in email.body
    # The partner who asked cannot confirm their own request.
    with pytest.raises(PermissionDenied):
        services.confirm_withdrawal(withdrawal, by=first)
    client.force_login(second)
    assert "Yes, withdraw our job-share" in client.get(url).content.decode()
    client.post(url, {"action": "confirm"})
    job_share.refresh_from_db()
    withdrawal.refresh_from_db()
    assert job_share.status == Nomination.WITHDRAWN
    assert (withdrawal.requested_by, withdrawal.confirmed_by, withdrawal.reason) == (
        first, second, "We cannot share the post after all.")


def test_the_other_partner_can_refuse_and_the_pair_keeps_standing(election, job_share):
    withdrawal = services.request_withdrawal(job_share, by=job_share.partner, reason="I want to stop.")
    services.decline_withdrawal(withdrawal, by=job_share.candidate)
    job_share.refresh_from_db()
    withdrawal.refresh_from_db()
    assert job_share.status == Nomination.SUBMITTED and withdrawal.declined_at is not None


def test_the_secretary_records_a_withdrawal_for_a_candidate_with_who_and_why(client, election, nominate, secretary):
    nomination = nominate(election, "treasurer")
    services.request_withdrawal(nomination, by=secretary, reason="The candidate phoned to withdraw.")
    client.force_login(secretary)
    page = client.get(reverse("elections:manage", args=[election.slug])).content.decode()
    assert "The candidate phoned to withdraw." in page and "by the secretary, for the candidate" in page
    assert Withdrawal.objects.get().requested_by == secretary


def test_a_withdrawal_after_the_close_keeps_the_name_on_the_ballot_and_excludes_it_before_round_one(
        election, nominate, secretary, returning_officer, make_member):
    ann, bob, cai = (nominate(election, "chair", candidate=make_member(first)) for first in ("Ann", "Bob", "Cai"))
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    chair = election.positions.get(key="chair")
    # Ann leads on first preferences; her voters' second choice is Cai.
    for ranking in [[ann, cai]] * 4 + [[bob, ann]] * 3 + [[cai, bob]] * 2:
        services.cast_ballot(election, voter=make_member(), rankings={chair: ranking})
    services.request_withdrawal(ann, by=ann.candidate, reason="Family reasons.")
    ann.refresh_from_db()
    assert ann.withdrawn_after_close and ann.status == Nomination.VALID
    assert Withdrawal.objects.get(nomination=ann).after_close
    # Still on the ballot paper…
    (paper,) = [p for p in services.contested_positions(election) if p.key == "chair"]
    assert ann in paper.valid_nominations
    assert list(Nomination.objects.filter(position=chair).withdrawn_after_close()) == [ann]
    # …and excluded before the first round: her ballots go to their next preference.
    move_to(election, "counting")
    record = services.run_count(election, by=returning_officer, seed=1)
    result = record.results.get(position=chair)
    assert str(ann.pk) not in result.rounds[0]["tally"]
    assert result.rounds[0]["tally"] == {str(bob.pk): 3, str(cai.pk): 6}
    assert result.winner == cai


def test_nobody_withdraws_after_the_ballot_closed(election, nominate, secretary):
    nomination = nominate(election, "chair")
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "counting")
    with pytest.raises(ValidationError, match="too late to withdraw"):
        services.request_withdrawal(nomination, by=nomination.candidate, reason="Too late.")


# --------------------------------------------------------------------------- one person, one post


def test_a_member_nominated_for_both_auditor_posts_chooses_one_before_the_ballot_opens(
        client, election, nominate, secretary, make_member, django_capture_on_commit_callbacks):
    maria = make_member("Maria", "Both")
    first = nominate(election, "auditor-1", candidate=maria)
    second = nominate(election, "auditor-2", candidate=maria)
    rival = nominate(election, "auditor-2")
    move_to(election, "closed")
    with django_capture_on_commit_callbacks(execute=True):
        election = services.close_nominations(election, by=secretary)
    assert not election.nominations_decided  # waiting for Maria
    assert [c.member for c in services.pending_post_choices(election)] == [maria]
    assert any("Choose the one post" in m.subject for m in mail.outbox if m.to == [maria.email])
    move_to(election, "ballot")
    assert not election.ballot_is_open()  # the ballot cannot open
    client.force_login(secretary)
    manage = client.get(reverse("elections:manage", args=[election.slug])).content.decode()
    assert "waiting for 1 member to choose" in manage and "Maria Both" in manage

    client.force_login(maria)
    page = client.get(reverse("elections:choose_post", args=[election.slug])).content.decode()
    assert "Auditor (first post)" in page and "Auditor (second post)" in page
    client.post(reverse("elections:choose_post", args=[election.slug]), {"nomination": str(first.pk)})
    election.refresh_from_db()
    second.refresh_from_db()
    assert election.nominations_decided and election.ballot_is_open()
    assert second.status == Nomination.WITHDRAWN
    withdrawal = second.withdrawals.get()
    assert withdrawal.kind == Withdrawal.ONE_POST and "chose Auditor (first post)" in withdrawal.reason
    outcomes = dict(election.positions.values_list("key", "outcome"))
    assert outcomes["auditor-1"] == outcomes["auditor-2"] == Position.UNOPPOSED
    rival.refresh_from_db()
    assert rival.status == Nomination.VALID
    assert PostChoice.objects.get().chosen == first


def test_only_the_member_or_the_secretary_records_the_choice(election, nominate, secretary, make_member):
    maria = make_member()
    first = nominate(election, "auditor-1", candidate=maria)
    nominate(election, "chair", candidate=maria)
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    with pytest.raises(PermissionDenied):
        services.choose_post(election, member=maria, nomination=first, by=make_member())
    services.choose_post(election, member=maria, nomination=first, by=secretary)
    election.refresh_from_db()
    assert election.nominations_decided


# --------------------------------------------------------------------------- branch nominations


@pytest.fixture
def paris_secretary(demo_site, make_member):
    """An officer of the Paris branch: a member of the branch's team group, whatever its name."""
    paris = demo_site["paris"]
    team = paris.microsite_team.group
    team.name = "Paris organisers"
    team.save()
    officer = make_member("Pierre", "Secretary", branch=paris)
    officer.groups.add(team)
    return type(officer).objects.get(pk=officer.pk)


def meeting_of(branch, days_ago, title=None):
    from workflows.models import Meeting, MeetingBody

    return Meeting.objects.create(body=MeetingBody.BRANCH, branch=branch, title=title or f"{branch.title} meeting",
                                  starts_at=timezone.now() - timedelta(days=days_ago))


def test_the_branch_secretary_nominates_for_the_branch_citing_a_meeting_it_held(
        client, election, demo_site, paris_secretary, make_member):
    paris = demo_site["paris"]
    held = meeting_of(paris, days_ago=3, title="Paris branch meeting: nominations")
    upcoming = meeting_of(paris, days_ago=-3, title="Paris planning meeting")
    berlin_meeting = meeting_of(demo_site["berlin"], days_ago=3, title="Berlin branch meeting")
    candidate, proposer, seconder = make_member(), make_member(), make_member()
    data = {"position": election.positions.get(key="chair").pk, "candidate_number": candidate.membership_number,
            "proposer_number": proposer.membership_number, "seconder_number": seconder.membership_number,
            "statement": "Paris nominates.", "for_branch": paris.pk}
    client.force_login(paris_secretary)
    page = client.get(reverse("elections:nominate", args=[election.slug])).content.decode()
    assert "Paris: Paris branch meeting: nominations" in page and "quorate" not in page.lower()
    assert "Berlin branch meeting" not in page and "Paris planning meeting" not in page
    response = client.post(reverse("elections:nominate", args=[election.slug]), data)
    assert "A branch nominates by decision of a branch meeting" in response.content.decode()
    with pytest.raises(ValidationError) as raised:
        services.submit_nomination(position=election.positions.get(key="chair"), submitted_by=paris_secretary,
                                   candidate=candidate, proposer=proposer, seconder=seconder, statement="x",
                                   branch=paris, branch_meeting=upcoming)
    assert "has not taken place yet" in raised.value.message_dict["branch_meeting"][0]
    with pytest.raises(ValidationError) as raised:
        services.submit_nomination(position=election.positions.get(key="chair"), submitted_by=paris_secretary,
                                   candidate=candidate, proposer=proposer, seconder=seconder, statement="x",
                                   branch=paris, branch_meeting=berlin_meeting)
    assert raised.value.message_dict["branch_meeting"] == ["That is not a meeting of the Paris branch."]
    assert client.post(reverse("elections:nominate", args=[election.slug]),
                       {**data, "branch_meeting": held.pk}).status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.branch, nomination.branch_meeting, nomination.submitted_by) == (paris, held, paris_secretary)


def test_a_group_named_like_the_branch_officers_gives_no_right_to_nominate_for_it(
        election, demo_site, paris_secretary, make_member):
    impostor = make_member()
    impostor.groups.add(Group.objects.get_or_create(name="Paris branch officers")[0])
    paris = demo_site["paris"]
    with pytest.raises(ValidationError) as raised:
        services.submit_nomination(position=election.positions.get(key="chair"), submitted_by=impostor,
                                   candidate=make_member(), proposer=impostor, seconder=make_member(), statement="x",
                                   branch=paris, branch_meeting=meeting_of(paris, days_ago=1))
    assert raised.value.message_dict["branch"] == ["Only the secretary of the Paris branch can nominate for it."]


# --------------------------------------------------------------------------- statements


@pytest.mark.parametrize("text, words", [
    ("Fair and open meetings.", 4),
    ("A well-known co-op", 5),
    ("campaigns and/or casework", 4),
    ("See https://labourinternational.net/liec-2023 for more", 8),
    ("Élections à Paris: 2023 — “ça va”", 6),
    ("", 0),
])
def test_words_are_runs_of_letters_or_digits(text, words):
    assert word_count(text) == words


def test_a_statement_of_hyphenated_words_is_counted_by_their_parts(client, election, make_member):
    me, proposer, seconder = make_member(), make_member(), make_member()
    client.force_login(me)
    data = {"position": election.positions.get(key="chair").pk, "candidate_number": me.membership_number,
            "proposer_number": proposer.membership_number, "seconder_number": seconder.membership_number}
    response = client.post(reverse("elections:nominate", args=[election.slug]), {**data, "statement": "co-op " * 101})
    assert response.context["form"].errors["statement"] == ["The statement has 202 words; the limit is 200."]
    assert client.post(reverse("elections:nominate", args=[election.slug]),
                       {**data, "statement": "co-op " * 100}).status_code == 302
