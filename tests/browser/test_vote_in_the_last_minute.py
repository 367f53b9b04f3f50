"""A member votes in the last minute of the ballot ("23:59 UK time" includes the minute) and gets
a receipt; a member of another region finds the Europe coordinator off their ballot, told why;
the vote page at a phone's width."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from elections import services
from elections.demo import seed_roles
from elections.models import Election

from .conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_a_member_votes_in_the_last_minute_and_a_sydney_member_is_told_why_europe_is_not_on_theirs(
        live_server, page, browser, demo_site):
    from django.contrib.auth import get_user_model

    from elections.models import Office
    from elections.reference import load_offices

    load_offices(Office)
    secretary, _returning = seed_roles()
    Member = get_user_model()
    now = timezone.now()
    if now.second >= 30:  # keep at least 30 seconds of the last minute for the browser
        time.sleep(61 - now.second)
        now = timezone.now()
    last_minute = now.replace(second=0, microsecond=0)  # the close "23:59": the ballot is in its last minute
    election = services.create_election(
        title="Last-minute ballot", slug="last-minute", by=secretary,
        nominations_open=now - timedelta(days=10), nominations_close=now - timedelta(days=5),
        ballot_open=now - timedelta(days=2), ballot_close=last_minute)
    people = iter(Member.objects.filter(email__startswith="officer.").order_by("email"))
    nominees = {}
    for key in ("chair", "coordinator-europe-africa-middle-east"):
        nominees[key] = []
        for _ in range(2):
            candidate, proposer, seconder = next(people), next(people), next(people)
            nomination = services.submit_nomination(
                position=election.positions.get(key=key), submitted_by=candidate, candidate=candidate,
                proposer=proposer, seconder=seconder, statement="I will serve LI.", now=now - timedelta(days=7))
            for role, member in (("proposer", proposer), ("seconder", seconder)):
                services.confirm_consent(nomination, role, by=member, now=now - timedelta(days=7))
            nominees[key].append(nomination)
    Election.objects.filter(pk=election.pk).update(ballot_close=now + timedelta(days=1))
    services.close_nominations(Election.objects.get(pk=election.pk), by=secretary, now=now - timedelta(days=4))
    Election.objects.filter(pk=election.pk).update(ballot_close=last_minute)
    assert now > last_minute  # the old rule (closed at 23:59:00) refused this vote

    member = Member.objects.get(email="member@example.org")  # Paris branch: Europe
    sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/elections/last-minute/vote/")
    assert "at the end of that minute" in page.content()
    europe = election.positions.get(key="coordinator-europe-africa-middle-east")
    page.select_option(f"select[name=p{europe.pk}_r1]", str(nominees[europe.key][0].pk))
    page.get_by_role("button", name="Cast my ballot").click()
    page.wait_for_selector(".receipt-code")
    code = page.locator(".receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    # A Sydney member: the Europe coordinator is not on their ballot, and they are told why (phone width).
    sydney = Member.objects.get(email="officer.sydney@example.org")
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    phone_page = phone.new_page()
    sign_in(phone_page, live_server.url, sydney.email)
    phone_page.goto(f"{live_server.url}/elections/last-minute/vote/")
    notice = phone_page.locator(".not-on-paper").inner_text()
    assert "elected by the members of the Europe, Africa and the Middle East region" in notice
    assert "your branch (Sydney) is in Asia, Australasia and the Pacific" in notice
    assert phone_page.locator(f"select[name=p{europe.pk}_r1]").count() == 0
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the vote page scrolls sideways on a phone ({width}px)"
    phone_page.screenshot(path="/tmp/ballots/vote-390.png", full_page=True)
    phone.close()
