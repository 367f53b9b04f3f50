"""In a real browser: a member nominates another for Secretary (the word count follows the typing),
the candidate and the seconder confirm from the links emailed to them, and the nomination counts
at the close; a job-share withdraws only when the second partner confirms. Also at 390 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from elections import services
from elections.models import Nomination, Office
from elections.nominations import word_count
from elections.reference import load_offices
from notifications.models import OutboxEmail
from tests.elections.conftest import consent_all

from .conftest import use_session_of

STATEMENT = "A well-known co-op organiser, and/or see https://example.org/liec-2026 for my record."


@pytest.fixture
def people(demo_site):
    from cms.models import Member

    def member(first, last, number):
        return Member.objects.create_user(
            email=f"{first.lower()}@example.org", password="demo", first_name=first, last_name=last,
            membership_number=number, paid_up_until=timezone.localdate() + timedelta(days=200))

    secretary = member("Sam", "Secretary", "L700001")
    from django.contrib.auth.models import Permission

    secretary.user_permissions.add(Permission.objects.get(codename="manage_elections"))
    return {"secretary": secretary, "pat": member("Pat", "Proposer", "L700002"),
            "dana": member("Dana", "Candidate", "L700003"), "sid": member("Sid", "Seconder", "L700004"),
            "jo": member("Jo", "Partner", "L700005"), "kim": member("Kim", "Partner", "L700006")}


@pytest.fixture
def election(people):
    if not Office.objects.exists():
        load_offices(Office)  # a transactional test may have flushed the migration's reference data
    now = timezone.now()
    return services.create_election(
        title="LIEC elections 2026", slug="liec-2026", by=people["secretary"],
        nominations_open=now - timedelta(days=1), nominations_close=now + timedelta(days=1),
        ballot_open=now + timedelta(days=2), ballot_close=now + timedelta(days=3))


def emailed_link(member, base_url, pattern):
    body = OutboxEmail.objects.filter(member=member).order_by("-pk").first().body_text
    return base_url + re.search(pattern, body).group(0)


@pytest.mark.django_db(transaction=True)
def test_a_member_nominates_another_who_confirms_from_the_email_and_the_seconder_too(
        live_server, page, people, election):
    base = live_server.url
    use_session_of(page, base, people["pat"])
    page.goto(f"{base}/elections/{election.slug}/nominate/")
    page.select_option("#id_position", label="Secretary")
    assert page.locator("#id_candidate_declares_eligible").is_hidden()  # Secretary needs no declaration
    page.select_option("#id_position", label="Women's Officer (For women (self-declared))")
    assert page.locator("label[for=id_candidate_declares_eligible]").inner_text() == "I identify as a woman"
    page.select_option("#id_position", label="Secretary")
    page.fill("#id_candidate_number", "L700003")
    page.fill("#id_proposer_number", "L700002")
    page.fill("#id_seconder_number", "L700004")
    page.locator("#id_statement").press_sequentially(STATEMENT, delay=2)
    # The count the candidate sees as they type is the server's count.
    assert page.locator("#statement-words").inner_text() == f"{word_count(STATEMENT)} of 200 words"
    assert word_count(STATEMENT) == 17
    page.click("text=Submit the nomination")
    assert "Nomination for Secretary received" in page.inner_text("body")
    assert "Dana" not in page.inner_text(".messages, .message, main")  # the number typed names nobody
    nomination = Nomination.objects.get()
    assert nomination.awaiting_consent == ["candidate", "seconder"]

    for who, role in (("dana", "candidate"), ("sid", "seconder")):
        use_session_of(page, base, people[who])
        page.goto(emailed_link(people[who], base, r"/elections/[\w-]+/confirm/[^/\s]+/"))
        assert page.locator("h1").inner_text() == f"Confirm your nomination as {role}"
        assert "Organiser" not in page.inner_text("h1")
        page.click("text=I confirm this nomination")
        assert "Thank you: you confirmed the nomination for Secretary" in page.inner_text("body")
    nomination.refresh_from_db()
    assert nomination.awaiting_consent == []

    type(election).objects.filter(pk=election.pk).update(
        nominations_close=timezone.now() - timedelta(minutes=5), ballot_open=timezone.now() + timedelta(days=1))
    use_session_of(page, base, people["secretary"])
    page.goto(f"{base}/elections/{election.slug}/manage/")
    assert "candidate: ✓" in page.inner_text("table.nominations")
    page.click("text=Close nominations and decide validity")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.VALID
    page.goto(f"{base}/elections/{election.slug}/")
    assert "Dana Candidate" in page.inner_text("main")


@pytest.mark.django_db(transaction=True)
def test_a_job_share_withdraws_only_when_the_second_partner_confirms(live_server, page, people, election):
    base = live_server.url
    nomination = consent_all(services.submit_nomination(
        position=election.positions.get(key="vice-chair"), submitted_by=people["jo"], candidate=people["jo"],
        partner=people["kim"], proposer=people["pat"], seconder=people["sid"], statement="Together for LI."))
    use_session_of(page, base, people["jo"])
    page.goto(f"{base}/elections/{election.slug}/")
    page.click("text=Withdraw…")
    page.fill("#id_reason", "Kim and I cannot share the post after all.")
    page.click("text=Ask my partner to confirm the withdrawal")
    assert "withdrawn once Kim Partner confirms" in page.inner_text("body")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.SUBMITTED

    use_session_of(page, base, people["kim"])
    page.goto(emailed_link(people["kim"], base, r"/elections/[\w-]+/withdrawals/\d+/"))
    assert "Kim and I cannot share the post after all." in page.inner_text("main")
    page.click("text=Yes, withdraw our job-share")
    assert "You confirmed: the job-share for Vice-Chair is withdrawn." in page.inner_text("body")
    nomination.refresh_from_db()
    withdrawal = nomination.withdrawals.get()
    assert nomination.status == Nomination.WITHDRAWN
    assert (withdrawal.requested_by, withdrawal.confirmed_by) == (people["jo"], people["kim"])


@pytest.mark.django_db(transaction=True)
def test_the_nomination_form_fits_a_phone(live_server, browser, people, election):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    use_session_of(page, live_server.url, people["pat"])
    page.goto(f"{live_server.url}/elections/{election.slug}/nominate/")
    page.locator("#id_statement").fill("Short statement.")
    page.locator("#id_statement").dispatch_event("input")
    assert page.locator("#statement-words").inner_text() == "2 of 200 words"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
