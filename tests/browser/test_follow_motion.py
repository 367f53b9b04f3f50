"""A member follows a motion in a real browser; an officer records a decision; the member's
email arrives with the new stage, and its link opens the timeline showing it."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail

from notifications.models import Follow

from .conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_member_follows_a_motion_and_the_decision_email_opens_its_timeline(live_server, page, demo_site, settings):
    from cms.models import Member
    from workflows import services

    settings.SITE_URL = live_server.url
    paris, paid = demo_site["paris"], date.today() + timedelta(days=100)
    proposer = Member.objects.create_user(email="proposer@example.org", password="x", membership_number="B1",
                                          branch=paris, paid_up_until=paid, first_name="Ada", last_name="Proposer")
    seconder = Member.objects.create_user(email="seconder@example.org", password="x", membership_number="B2",
                                          branch=paris, paid_up_until=paid, first_name="Bea", last_name="Seconder")
    motion = services.create_draft("motion", proposer, title="Votes for Life", text="<p>Votes for Life now.</p>",
                                   seconder_emails=["seconder@example.org"])
    services.confirm_seconding(motion, seconder)
    services.submit_item(motion, proposer)
    first_stage = motion.current_stage.name

    sign_in(page, live_server.url, "member@example.org", at=f"/login/?next=/motions/{motion.reference}/")
    page.wait_for_url(f"**/motions/{motion.reference}/")
    assert page.locator('[aria-current="step"]').inner_text().startswith(first_stage)
    page.get_by_role("button", name="Follow this item").click()
    page.get_by_role("button", name=re.compile("Following this item")).wait_for()
    member = Member.objects.get(email="member@example.org")
    assert Follow.objects.filter(member=member, item=motion).exists()

    mail.outbox.clear()
    officer = Member.objects.get(email="officer.paris@example.org")
    services.record_decision(motion, "carried", officer, votes_for=14, votes_against=3, abstentions=2)
    motion.refresh_from_db()
    new_stage = motion.current_stage.name

    emails = [m for m in mail.outbox if m.to == ["member@example.org"]]
    assert len(emails) == 1
    assert f"New stage: {new_stage}" in emails[0].body
    link = re.search(r"(http\S+/motions/\S+#timeline)", emails[0].body).group(1)
    assert link.startswith(live_server.url)

    page.goto(f"{live_server.url}/motions/")  # away first: the link differs only by its #fragment
    page.goto(link)
    timeline = page.locator("#timeline")
    assert "Carried" in timeline.inner_text() and "votes for 14, against 3, abstentions 2" in timeline.inner_text()
    assert page.locator('[aria-current="step"]').inner_text().startswith(new_stage)
