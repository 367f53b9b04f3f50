"""Stories of consent and secrecy (issue 11): a nomination counts only once the candidate, the
proposer and the seconder have each confirmed from the link emailed to them; the candidate alone
makes their declarations; the form never tells the person nominating who else is nominated."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from elections import services
from elections.models import Nomination
from notifications.models import OutboxEmail

from .conftest import consent_all, move_to


def link_in(email):
    return re.search(r"https?://\S+/elections/\S+/confirm/\S+/", email.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def emails_to(member):
    return [m for m in mail.outbox if m.to == [member.email]]


@pytest.fixture
def nominated(election, make_member, django_capture_on_commit_callbacks):
    """Pat nominates Dana for Secretary, with Sam as seconder: Pat proposes."""
    pat, dana, sam = make_member("Pat", "Proposer"), make_member("Dana", "Candidate"), make_member("Sam", "Seconder")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        nomination = services.submit_nomination(
            position=election.positions.get(key="secretary"), submitted_by=pat, candidate=dana, proposer=pat,
            seconder=sam, statement="Organised, fair and on time.")
    return nomination


def test_the_candidate_and_seconder_are_emailed_a_link_through_the_outbox_the_proposer_confirmed_by_submitting(
        nominated):
    pat, dana, sam = nominated.proposer, nominated.candidate, nominated.seconder
    assert nominated.consented("proposer") and not nominated.consented("candidate")
    assert nominated.awaiting_consent == ["candidate", "seconder"]
    assert emails_to(pat) == []
    (to_dana,), (to_sam,) = emails_to(dana), emails_to(sam)
    assert "as candidate" in to_dana.body and "as seconder" in to_sam.body
    assert "Organised" not in to_dana.subject and "Secretary" in to_dana.subject
    assert OutboxEmail.objects.filter(kind="election", member=dana, status="sent").count() == 1


def test_the_candidate_confirms_from_the_link_and_the_nomination_counts_only_when_everyone_has(
        client, nominated, secretary):
    dana, sam = nominated.candidate, nominated.seconder
    url = path_of(link_in(emails_to(dana)[0]))
    assert client.get(url).status_code == 302  # signs in first
    client.force_login(dana)
    page = client.get(url)
    assert page.status_code == 200 and "Confirm your nomination as candidate" in page.content.decode()
    nominated.refresh_from_db()
    assert not nominated.consented("candidate")  # opening the link changes nothing
    assert client.post(url).status_code == 302
    nominated.refresh_from_db()
    assert nominated.consented("candidate") and nominated.awaiting_consent == ["seconder"]

    election = move_to(nominated.position.election, "closed")
    services.close_nominations(election, by=secretary)
    nominated.refresh_from_db()
    assert nominated.status == Nomination.INVALID
    assert f"The seconder, {sam}, has not confirmed the nomination." in nominated.invalid_reason


def test_a_nomination_everyone_confirmed_is_valid_at_the_close(nominated, secretary):
    consent_all(nominated)
    election = move_to(nominated.position.election, "closed")
    services.close_nominations(election, by=secretary)
    nominated.refresh_from_db()
    assert nominated.status == Nomination.VALID


def test_someone_else_cannot_use_the_link_and_a_tampered_link_is_refused(client, nominated, make_member):
    url = path_of(link_in(emails_to(nominated.candidate)[0]))
    client.force_login(nominated.seconder)
    assert client.post(url).status_code == 403
    client.force_login(make_member())
    assert client.get(url).status_code == 403
    client.force_login(nominated.candidate)
    assert client.post(url[:-3] + "xx/").status_code == 404
    nominated.refresh_from_db()
    assert not nominated.consented("candidate")
    with pytest.raises(PermissionDenied):
        services.confirm_consent(nominated, "candidate", by=nominated.seconder)


def test_the_secretary_sees_who_has_not_confirmed(client, nominated, secretary):
    client.force_login(secretary)
    page = client.get(reverse("elections:manage", args=[nominated.position.election.slug])).content.decode()
    assert "candidate: <strong>waiting</strong>" in page and "proposer: ✓" in page
    assert f"The candidate, {nominated.candidate}, has not confirmed the nomination." in page


def test_confirming_after_the_close_is_too_late(nominated):
    move_to(nominated.position.election, "closed")
    with pytest.raises(ValidationError, match="too late to confirm"):
        services.confirm_consent(nominated, "candidate", by=nominated.candidate)


def test_only_the_candidate_makes_the_self_declaration_of_a_restricted_post(
        client, election, make_member, django_capture_on_commit_callbacks):
    proposer, candidate, seconder = make_member(), make_member(), make_member()
    youth = election.positions.get(key="youth-officer")
    with pytest.raises(ValidationError) as raised:
        services.submit_nomination(position=youth, submitted_by=proposer, candidate=candidate, proposer=proposer,
                                   seconder=seconder, statement="Young members first.",
                                   candidate_declares_eligible=True)
    assert raised.value.message_dict["candidate_declares_eligible"] == [
        "Only the candidate makes their own declarations: they are asked when they confirm the nomination."]
    with django_capture_on_commit_callbacks(execute=True):
        nomination = services.submit_nomination(position=youth, submitted_by=proposer, candidate=candidate,
                                                proposer=proposer, seconder=seconder, statement="Young members first.")
    assert not nomination.candidate_declares_eligible
    url = path_of(link_in(emails_to(candidate)[0]))
    client.force_login(candidate)
    page = client.get(url).content.decode()
    assert "I am aged 26 or under" in page  # the post's own wording on the box
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Youth Officer is restricted: you must declare “I am aged 26 or under”." in refused.content.decode()
    assert client.post(url, {"declares_eligible": "on"}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.candidate_declares_eligible and nomination.consented("candidate")


def test_the_nomination_form_labels_the_declaration_with_the_chosen_posts_wording(client, election, make_member):
    client.force_login(make_member())
    page = client.get(reverse("elections:nominate", args=[election.slug])).content.decode()
    assert 'data-declaration="I identify as LGBT+"' in page and 'data-declaration="I am aged 26 or under"' in page
    assert "elections/nominate.js" in page and "<script>" not in page  # no inline script (CSP)
    womens = election.positions.get(key="womens-officer")
    page = client.post(reverse("elections:nominate", args=[election.slug]), {"position": womens.pk}).content.decode()
    assert '<label for="id_candidate_declares_eligible">I identify as a woman</label>' in page


def test_the_form_does_not_reveal_who_else_is_nominated_for_what(client, election, nominate, make_member):
    """Before publication a member nominating someone already nominated learns nothing from the site."""
    existing = nominate(election, "chair")
    me, seconder = make_member(), make_member()
    client.force_login(me)
    response = client.post(reverse("elections:nominate", args=[election.slug]), {
        "position": election.positions.get(key="chair").pk, "candidate_number": existing.candidate.membership_number,
        "proposer_number": me.membership_number, "seconder_number": seconder.membership_number,
        "statement": "A second nomination.",
    }, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "Nomination for Chair received" in page
    assert "already nominated" not in page and existing.candidate.last_name not in page
    # The candidate, who stands already, cannot accept a second nomination for the same post (and is told so).
    second = Nomination.objects.exclude(pk=existing.pk).get()
    with pytest.raises(ValidationError, match="You already stand for Chair on another nomination"):
        services.confirm_consent(second, "candidate", by=existing.candidate)


def test_paid_up_errors_name_no_one(client, election, make_member):
    me, lapsed, seconder = make_member(), make_member("Lee", "Lapsed", paid_up=False), make_member()
    client.force_login(me)
    response = client.post(reverse("elections:nominate", args=[election.slug]), {
        "position": election.positions.get(key="chair").pk, "candidate_number": lapsed.membership_number,
        "proposer_number": me.membership_number, "seconder_number": seconder.membership_number,
        "statement": "Hello.",
    })
    assert "Lapsed" not in response.content.decode()
    assert "is not a fully paid-up member of LI." in response.content.decode()
