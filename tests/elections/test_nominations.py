"""Stories of nominating: every rule of the 2023 guide with a clear message, branches,
withdrawal, closing nominations, and who sees what."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections import services
from elections.models import Nomination, Office, Position

from .conftest import move_to


def test_the_guides_posts_are_reference_data_in_officer_list_order(db):
    offices = list(Office.objects.all())
    assert [o.title for o in offices][:4] == ["Chair", "Vice-Chair", "Vice-Chair / Membership", "Secretary"]
    assert sum(o.officer for o in offices) == 14 and len(offices) == 19
    assert {o.key for o in offices if not o.job_share_allowed} == {"chair", "treasurer", "auditor-1", "auditor-2"}
    assert Office.objects.get(key="womens-officer").restriction == "woman"
    assert Office.objects.get(key="youth-officer").restriction == "youth"


def test_secretary_creates_an_election_in_uk_time_with_the_guides_positions(client, secretary):
    client.force_login(secretary)
    response = client.post(reverse("elections:new"), {
        "title": "LIEC elections 2027", "slug": "",
        "nominations_open": "2027-02-19T00:00", "nominations_close": "2027-03-13T23:59",
        "ballot_open": "2027-03-20T00:00", "ballot_close": "2027-04-10T23:59",
    })
    assert response.status_code == 302
    from elections.models import Election

    election = Election.objects.get(slug="liec-elections-2027")
    assert election.nominations_close.isoformat() == "2027-03-13T23:59:00+00:00"  # GMT in March
    assert election.ballot_close.isoformat() == "2027-04-10T22:59:00+00:00"  # 23:59 BST is 22:59 UTC
    assert election.positions.count() == 19
    assert election.positions.order_by("sort_order").first().title == "Chair"
    page = client.get(reverse("elections:detail", args=[election.slug])).content.decode()
    assert "10 Apr 2027 23:59 BST" in page


def test_an_ordinary_member_cannot_create_an_election(client, make_member):
    client.force_login(make_member())
    assert client.get(reverse("elections:new")).status_code == 403


def test_paid_up_member_nominates_a_candidate_on_the_site(client, election, make_member):
    me, proposer, seconder = make_member(), make_member(), make_member()
    candidate = make_member("Dana", "Candidate")
    client.force_login(me)
    response = client.post(reverse("elections:nominate", args=[election.slug]), {
        "position": election.positions.get(key="secretary").pk,
        "candidate_number": candidate.membership_number, "proposer_number": proposer.membership_number,
        "seconder_number": seconder.membership_number.lower(), "statement": "Organised, fair and on time.",
    })
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.candidate, nomination.proposer, nomination.seconder) == (candidate, proposer, seconder)
    assert nomination.status == Nomination.SUBMITTED and nomination.submitted_by == me
    # Nobody has confirmed yet: the candidate, proposer and seconder are each emailed a link.
    assert nomination.awaiting_consent == ["candidate", "proposer", "seconder"]
    # The confirmation names nobody: a membership number typed here must not reveal whose it is.
    page = client.get(response.url).content.decode()
    assert "Nomination for Secretary received" in page and "Dana" not in page


def post_nomination(client, election, **overrides):
    data = {"position": election.positions.get(key="vice-chair").pk, "statement": "Short statement."}
    data.update(overrides)
    return client.post(reverse("elections:nominate", args=[election.slug]), data)


@pytest.fixture
def trio(make_member):
    return make_member(), make_member(), make_member()


def numbers(candidate, proposer, seconder, partner=None):
    data = {"candidate_number": candidate.membership_number, "proposer_number": proposer.membership_number,
            "seconder_number": seconder.membership_number}
    if partner:
        data["partner_number"] = partner.membership_number
    return data


def errors_of(response):
    form = response.context["form"]
    return {key: " ".join(value) for key, value in form.errors.items()}


def test_candidate_proposer_and_seconder_must_be_fully_paid_up(client, election, make_member, trio):
    lapsed = make_member(paid_up=False)
    client.force_login(trio[0])
    errors = errors_of(post_nomination(client, election, **numbers(lapsed, trio[1], trio[2])))
    assert errors["candidate_number"] == f"Membership number {lapsed.membership_number} is not a fully paid-up member of LI."
    errors = errors_of(post_nomination(client, election, **numbers(trio[0], lapsed, trio[2])))
    assert "not a fully paid-up member" in errors["proposer_number"]
    assert Nomination.objects.count() == 0


def test_an_unknown_membership_number_is_named(client, election, trio):
    client.force_login(trio[0])
    data = numbers(*trio)
    data["seconder_number"] = "L999999999"
    assert errors_of(post_nomination(client, election, **data))["seconder_number"] == \
        "No LI member has membership number L999999999."


def test_nobody_proposes_or_seconds_their_own_candidacy(client, election, trio):
    candidate, other, _ = trio
    client.force_login(candidate)
    errors = errors_of(post_nomination(client, election, **numbers(candidate, candidate, other)))
    assert errors["proposer_number"] == "Nobody can propose their own candidacy."
    errors = errors_of(post_nomination(client, election, **numbers(candidate, other, candidate)))
    assert errors["seconder_number"] == "Nobody can second their own candidacy."


def test_a_job_share_partner_cannot_propose_the_pair_either(election, make_member, trio):
    partner = make_member()
    with pytest.raises(ValidationError) as raised:
        services.submit_nomination(position=election.positions.get(key="vice-chair"), submitted_by=trio[0],
                                   candidate=trio[0], partner=partner, proposer=partner, seconder=trio[2],
                                   statement="Together.")
    assert raised.value.message_dict["proposer"] == ["Nobody can propose their own candidacy."]


def test_job_share_only_where_the_post_allows_it(client, election, make_member, trio):
    partner = make_member()
    client.force_login(trio[0])
    response = post_nomination(client, election, position=election.positions.get(key="chair").pk,
                               **numbers(*trio, partner=partner))
    assert errors_of(response)["partner_number"] == "Chair is not open to job-share: nominate one candidate."
    response = post_nomination(client, election, **numbers(*trio, partner=partner))
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.is_job_share and nomination.awaiting_consent == ["job-share partner", "proposer", "seconder"]


def test_the_statement_is_at_most_200_words_shared_by_a_job_share(client, election, make_member, trio):
    client.force_login(trio[0])
    response = post_nomination(client, election, statement="word " * 201, **numbers(*trio, partner=make_member()))
    assert errors_of(response)["statement"] == "The statement has 201 words; the limit is 200, shared by the job-share."
    assert post_nomination(client, election, statement="word " * 200, **numbers(*trio)).status_code == 302


def test_a_restricted_post_needs_the_self_declaration(client, election, trio):
    client.force_login(trio[0])
    response = post_nomination(client, election, position=election.positions.get(key="youth-officer").pk,
                               **numbers(*trio))
    assert errors_of(response)["candidate_declares_eligible"] == \
        "Youth Officer is restricted: the candidate must declare “I am aged 26 or under”."
    response = post_nomination(client, election, position=election.positions.get(key="youth-officer").pk,
                               candidate_declares_eligible="on", **numbers(*trio))
    assert response.status_code == 302


def test_nominations_only_within_the_window(client, election, trio):
    move_to(election, "closed")
    client.force_login(trio[0])
    errors = errors_of(post_nomination(client, election, **numbers(*trio)))
    assert "(UK time); they are not open now." in errors["__all__"]


def test_the_same_candidate_cannot_be_nominated_twice_for_the_same_post(client, election, make_member, trio):
    client.force_login(trio[0])
    assert post_nomination(client, election, **numbers(*trio)).status_code == 302
    errors = errors_of(post_nomination(client, election, **numbers(trio[0], make_member(), make_member())))
    assert errors["candidate_number"] == "You are already nominated for Vice-Chair: confirm or withdraw that nomination."
    # …but may stand for another post.
    other = post_nomination(client, election, position=election.positions.get(key="secretary").pk, **numbers(*trio))
    assert other.status_code == 302


def test_only_that_branchs_secretary_can_nominate_for_it(election, demo_site, trio):
    with pytest.raises(ValidationError) as raised:
        services.submit_nomination(position=election.positions.get(key="vice-chair"), submitted_by=trio[0],
                                   candidate=trio[0], proposer=trio[1], seconder=trio[2], statement="Hi.",
                                   branch=demo_site["berlin"])
    assert raised.value.message_dict["branch"] == ["Only the secretary of the Berlin branch can nominate for it."]


def test_a_candidate_withdraws_saying_why_and_may_stand_again(client, election, nominate):
    nomination = nominate(election, "treasurer")
    client.force_login(nomination.candidate)
    url = reverse("elections:withdraw", args=[election.slug, nomination.pk])
    assert "Say why" in client.post(url, {"reason": " "}).content.decode()  # a reason is needed
    nomination.refresh_from_db()
    assert nomination.status == Nomination.SUBMITTED
    client.post(url, {"reason": "I am moving to a new job."})
    nomination.refresh_from_db()
    assert nomination.status == Nomination.WITHDRAWN
    withdrawal = nomination.withdrawals.get()
    assert (withdrawal.requested_by, withdrawal.reason, withdrawal.after_close) == (
        nomination.candidate, "I am moving to a new job.", False)
    nominate(election, "treasurer", candidate=nomination.candidate)  # may stand again after withdrawing


def test_someone_else_cannot_withdraw_a_candidacy(client, election, nominate, make_member):
    nomination = nominate(election, "treasurer")
    client.force_login(make_member())
    url = reverse("elections:withdraw", args=[election.slug, nomination.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Not mine to withdraw."}).status_code == 403
    assert nomination.withdrawals.count() == 0


def test_closing_nominations_elects_unopposed_leaves_vacant_and_sends_the_rest_to_ballot(
        election, nominate, secretary, make_member):
    nominate(election, "chair")
    nominate(election, "secretary")
    nominate(election, "secretary")
    lapsing = nominate(election, "treasurer")
    with pytest.raises(ValidationError, match="Nominations close at"):
        services.close_nominations(election, by=secretary)
    move_to(election, "closed")
    lapsing.proposer.paid_up_until = election.nominations_close.date() - timedelta(days=1)  # lapsed by the close
    lapsing.proposer.save()
    services.close_nominations(election, by=secretary)
    outcomes = dict(election.positions.values_list("key", "outcome"))
    assert outcomes["chair"] == Position.UNOPPOSED
    assert outcomes["secretary"] == Position.BALLOT
    assert outcomes["treasurer"] == Position.VACANT and outcomes["auditor-1"] == Position.VACANT
    lapsing.refresh_from_db()
    assert lapsing.status == Nomination.INVALID and "proposer" in lapsing.invalid_reason


def test_secretary_sees_every_nomination_and_its_validity_members_see_none_before_the_close(
        client, election, nominate, secretary, make_member):
    nomination = nominate(election, "womens-officer", woman=True)
    services.rule_nomination_invalid(nominate(election, "chair"), by=secretary, reason="Branch meeting not quorate.")
    client.force_login(make_member())
    page = client.get(reverse("elections:detail", args=[election.slug])).content.decode()
    assert nomination.candidate.last_name not in page and "I will serve LI" not in page
    assert client.get(reverse("elections:manage", args=[election.slug])).status_code == 403
    client.force_login(secretary)
    manage = client.get(reverse("elections:manage", args=[election.slug])).content.decode()
    assert nomination.candidate.last_name in manage and "declared" in manage and "woman" in manage
    assert "Invalid: Branch meeting not quorate." in manage


def test_after_the_close_the_public_sees_valid_nominations_never_the_declarations(
        client, election, nominate, secretary):
    nomination = nominate(election, "womens-officer", woman=True)
    invalid = nominate(election, "chair")
    services.rule_nomination_invalid(invalid, by=secretary, reason="Not quorate.")
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    page = client.get(reverse("elections:detail", args=[election.slug])).content.decode()
    assert nomination.candidate.last_name in page and "I will serve LI with energy." in page
    assert invalid.candidate.last_name not in page
    assert nomination.candidate.membership_number not in page
    assert "identifies as a woman" not in page.lower() and "· declared" not in page and "partner woman" not in page
