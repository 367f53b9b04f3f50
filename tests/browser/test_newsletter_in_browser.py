"""The Paris officer writes a newsletter in the admin, previews it as a member will see it, sends a
test to themselves, then sends it; a Paris member receives it, a Berlin member does not; the
member unsubscribes from the branch's newsletters in one click."""

import re

import pytest
from django.core import mail

from .conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_paris_officer_writes_previews_tests_and_sends_a_newsletter(live_server, page, demo_site, settings):
    from cms.models import Member
    from newsletters.models import Newsletter, NewsletterOptOut

    settings.SITE_URL = live_server.url
    paris, berlin = demo_site["paris"], demo_site["berlin"]
    Member.objects.create_user(email="amelie@example.org", password="x", branch=paris, first_name="Amélie")
    Member.objects.create_user(email="bernd@example.org", password="x", branch=berlin, first_name="Bernd")
    paris_count = Member.objects.filter(branch=paris, is_active=True).count()
    mail.outbox.clear()

    sign_in(page, live_server.url, "officer.paris@example.org", at="/admin/login/")
    page.goto(f"{live_server.url}/admin/newsletters/new/")
    page.fill("#id_subject", "Paris branch: June news")
    options = page.locator("#id_audience_key option").all_inner_texts()
    assert options == ["Members of the Paris branch"]  # never Berlin's, never all members
    page.fill("#id_intro", "Our summer social is on 21 June <script>alert(1)</script>")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Heading").click()
    page.locator("[data-contentpath=body] input[type=text]").first.fill("Come to the summer social")
    page.set_default_timeout(30_000)
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r".*/admin/newsletters/\d+/send/$"))
    newsletter = Newsletter.objects.get(subject="Paris branch: June news")
    assert page.locator("#recipient-count").inner_text() == str(paris_count)

    preview = page.frame_locator("iframe[title='Preview of the newsletter']")
    assert "Come to the summer social" in preview.locator("body").inner_text()
    assert "<script>alert(1)</script>" in preview.locator("body").inner_text()  # shown as text, never run

    page.get_by_role("button", name=re.compile("Send a test to me")).click()
    page.get_by_text("A test is on its way").wait_for()
    assert [m.to for m in mail.outbox] == [["officer.paris@example.org"]]
    assert mail.outbox[0].subject == "[Test] Paris branch: June news"
    mail.outbox.clear()

    page.get_by_role("button", name=re.compile(rf"Send to {paris_count} member")).click()
    page.get_by_text("The newsletter is being sent").wait_for()
    newsletter.refresh_from_db()
    assert newsletter.status == "sent" and newsletter.recipient_count == paris_count
    received = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == paris_count
    assert "amelie@example.org" in received and "bernd@example.org" not in received
    email = received["amelie@example.org"]
    assert "Dear Amélie," in email.body and "Come to the summer social" in email.body

    # The member opens the unsubscribe link (a GET changes nothing) and unsubscribes in one click.
    link = email.extra_headers["List-Unsubscribe"][1:-1]
    page.goto(link)
    assert not NewsletterOptOut.objects.exists()
    assert "newsletters of my branch" in page.locator("main, body").first.inner_text()
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_load_state()
    assert list(NewsletterOptOut.objects.values_list("member__email", "kind")) == [("amelie@example.org", "branch")]

    # The sent newsletter is in the Paris site's archive for members who missed it.
    page.goto(f"{live_server.url}/newsletters/branches/paris/")
    page.get_by_role("link", name="Paris branch: June news").click()
    assert "Come to the summer social" in page.locator("article").inner_text()
