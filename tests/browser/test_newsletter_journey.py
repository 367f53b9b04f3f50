"""The Paris officer writes a newsletter in the admin, sees how many members will receive it and a
preview as they will see it, sends a test to themselves, then sends it; a Paris member receives it,
a Berlin member does not; the member unsubscribes from the branch's newsletters in one click, on a
phone, and finds the newsletter in the branch's archive."""

import re

import pytest
from django.core import mail

from .conftest import sign_in, signed_in

PHONE = 390


def click_in_admin(page, button):
    """Click an admin button once it has scrolled into view and stopped moving.

    Wagtail's admin scrolls its content smoothly (`.content-wrapper {scroll-behavior: smooth}`) and
    keeps 100px at the bottom for its sticky footer (`scroll-padding-bottom`), so Playwright, which
    scrolls a button out of that strip before clicking, would read the button's place mid-scroll and
    press above it: on the send page, on the preview's sandboxed iframe. That iframe runs in a process
    of its own (an opaque origin), where Playwright's check of what was hit cannot see, so the click
    "succeeded" with no request sent. A person's pointer does not move with the page: pressing the
    button where it is posts the form (checked in this test's first version with `page.mouse`)."""
    button.scroll_into_view_if_needed()
    page.wait_for_function("""(el) => new Promise(done => {
        const top = el.getBoundingClientRect().top;
        requestAnimationFrame(() => requestAnimationFrame(() => done(el.getBoundingClientRect().top === top)));
    })""", arg=button.element_handle())
    button.click()


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_paris_officer_writes_previews_tests_and_sends_a_newsletter(live_server, browser, page, demo_site,
                                                                    settings):
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
    page.locator("input[name$='-value'][type=text]:visible").first.fill("Come to the summer social")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r".*/admin/newsletters/\d+/send/$"))
    newsletter = Newsletter.objects.get(subject="Paris branch: June news")
    assert page.url.endswith(f"/admin/newsletters/{newsletter.pk}/send/")
    assert page.locator("#recipient-count").inner_text() == str(paris_count)

    preview = page.frame_locator("iframe[title='Preview of the newsletter']")
    assert "Come to the summer social" in preview.locator("body").inner_text()
    assert "<script>alert(1)</script>" in preview.locator("body").inner_text()  # shown as text, never run

    posted = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)
    click_in_admin(page, page.get_by_role("button", name=re.compile("Send a test to me")))
    page.get_by_text("A test is on its way").wait_for()
    assert posted == [f"{live_server.url}/admin/newsletters/{newsletter.pk}/do/test/"]
    assert [m.to for m in mail.outbox] == [["officer.paris@example.org"]]
    assert mail.outbox[0].subject == "[Test] Paris branch: June news"
    newsletter.refresh_from_db()
    assert newsletter.status == "draft"  # a test sends nothing to members
    mail.outbox.clear()

    click_in_admin(page, page.get_by_role("button", name=re.compile(rf"Send to {paris_count} member")))
    page.get_by_text("The newsletter is being sent").wait_for()
    newsletter.refresh_from_db()
    assert newsletter.status == "sent" and newsletter.recipient_count == paris_count
    received = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == paris_count
    assert "amelie@example.org" in received and "bernd@example.org" not in received
    email = received["amelie@example.org"]
    assert "Dear Amélie," in email.body and "Come to the summer social" in email.body

    # On her phone, Amélie opens the unsubscribe link (a GET changes nothing) and unsubscribes in one click.
    phone = signed_in(browser, live_server.url, "amelie@example.org", width=PHONE, height=800)
    link = email.extra_headers["List-Unsubscribe"][1:-1]
    phone.goto(link)
    assert not NewsletterOptOut.objects.exists()
    assert "newsletters of my branch" in phone.locator("main, body").first.inner_text()
    assert fits_the_width(phone)
    phone.get_by_role("button", name="Unsubscribe").click()
    phone.wait_for_load_state()
    assert list(NewsletterOptOut.objects.values_list("member__email", "kind")) == [("amelie@example.org", "branch")]

    # The sent newsletter is in the Paris site's archive for members who missed it; LI's own archive
    # (/newsletters/) is for the newsletters to all members, so a branch's is not there.
    phone.goto(f"{live_server.url}/newsletters/")
    assert phone.get_by_role("link", name="Paris branch: June news").count() == 0
    phone.goto(f"{live_server.url}/newsletters/branches/paris/")
    assert fits_the_width(phone)
    phone.get_by_role("link", name="Paris branch: June news").click()
    assert "Come to the summer social" in phone.locator("article").inner_text()
    assert fits_the_width(phone)
    phone.context.close()
