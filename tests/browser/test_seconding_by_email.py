"""A member drafts a motion and names a seconder by email address; the seconder opens the link
from the email and confirms (or declines); the proposer sees the answer. The proposer's screen
says the same for a member's address and a stranger's. Desktop and a 390 px phone."""

import re
from datetime import date, timedelta

from django.conf import settings as django_settings
from django.test import Client

from tests.workflows.test_seconding import LINK

from .test_follow_motion import ensure_default_pipelines


def signed_in_context(browser, member, live_server, **options):
    client = Client()
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    context = browser.new_context(**options)
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_member_names_a_seconder_by_email_who_confirms_from_the_email(live_server, browser, demo_site, settings,
                                                                      mailoutbox):
    from cms.models import Member

    settings.SITE_URL = live_server.url
    ensure_default_pipelines()
    paris, paid = demo_site["paris"], date.today() + timedelta(days=100)
    proposer = Member.objects.create_user(email="ada@example.org", password="x", membership_number="B1",
                                          branch=paris, paid_up_until=paid, first_name="Ada", last_name="Proposer")
    Member.objects.create_user(email="bea@example.org", password="x", membership_number="B2",
                               branch=paris, paid_up_until=paid, first_name="Bea", last_name="Seconder")

    context, page = signed_in_context(browser, proposer, live_server, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My motions").click()
    page.get_by_role("link", name="Draft a motion").click()
    page.get_by_label("Title").fill("Votes for Life")
    page.get_by_label("Text").fill("This branch calls for votes for life for every overseas citizen.")
    page.get_by_label("Seconders' email addresses").fill("Bea@example.org")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("If the address is a member's, we email them a link").wait_for()
    assert "bea@example.org" in page.locator("#seconders-heading + ul").inner_text()
    assert "Waiting for an answer" in page.locator("#seconders-heading + ul").inner_text()
    assert "Bea Seconder" not in page.content()

    # The enumeration check: a stranger's address reads exactly the same.
    page.get_by_label("Seconder's email address").fill("stranger@example.com")
    page.get_by_role("button", name="Invite").click()
    rows = page.locator("#seconders-heading + ul li")
    texts = [re.sub(r"\S+@\S+", "ADDRESS", t) for t in rows.all_inner_texts()]
    assert len(texts) == 2 and texts[0] == texts[1]
    page.get_by_role("button", name=re.compile("Submit to the Paris branch")).click()
    page.get_by_text(re.compile(r"Submitted as M-\d{4}-\d{3}")).wait_for()

    # Only the member got an email; the seconder opens its link, signed out, on a phone.
    assert [m.to for m in mailoutbox] == [["bea@example.org"]]
    link = LINK.search(mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    seconder_page = phone.new_page()
    seconder_page.goto(link)
    assert "Ada Proposer" in seconder_page.content()
    assert "votes for life for every overseas citizen" in seconder_page.content()
    assert "stranger@example.com" not in seconder_page.content()
    assert no_sideways_scroll(seconder_page)
    seconder_page.get_by_role("button", name="I second this").click()
    seconder_page.get_by_text("Thank you: you second it").wait_for()
    phone.close()

    # The proposer sees the confirmed seconder by name.
    page.reload()
    seconders = page.locator("#seconders-heading + ul").inner_text()
    assert "Bea Seconder" in seconders and "Confirmed" in seconders
    context.close()


def test_a_seconder_declines_and_the_proposer_sees_it_on_a_phone(live_server, browser, demo_site, settings,
                                                                mailoutbox):
    from cms.models import Member

    settings.SITE_URL = live_server.url
    ensure_default_pipelines()
    paris, paid = demo_site["paris"], date.today() + timedelta(days=100)
    proposer = Member.objects.create_user(email="ada@example.org", password="x", membership_number="B1",
                                          branch=paris, paid_up_until=paid, first_name="Ada", last_name="Proposer")
    Member.objects.create_user(email="cem@example.org", password="x", membership_number="B3",
                               branch=paris, paid_up_until=paid, first_name="Cem", last_name="Decliner")
    context, page = signed_in_context(browser, proposer, live_server, viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/my-motions/new/motion/")
    page.get_by_label("Title").fill("Fund the NHS")
    page.get_by_label("Text").fill("This branch calls for a fully funded NHS.")
    page.get_by_label("Seconders' email addresses").fill("cem@example.org")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Waiting for an answer").wait_for()
    assert no_sideways_scroll(page)

    link = LINK.search(mailoutbox[0].body).group(0)
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    seconder_page = other.new_page()
    seconder_page.goto(link)
    seconder_page.get_by_role("button", name="I decline").click()
    seconder_page.get_by_text("You declined to second it").wait_for()
    other.close()

    page.reload()
    assert "Declined" in page.locator("#seconders-heading + ul").inner_text()
    # Withdrawing the draft asks first, on its own page (no JavaScript needed).
    page.get_by_role("link", name="Withdraw it…").click()
    page.get_by_role("heading", name=re.compile("Withdraw your draft “Fund the NHS”")).wait_for()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Withdraw it").click()
    page.get_by_text("is withdrawn").wait_for()
    context.close()
