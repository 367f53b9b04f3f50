"""A member drafts a motion and names a seconder by the email address they know them by; the
seconder opens the link from the email and confirms (or declines); the proposer sees the motion
seconded and on its way to the branch (or the refusal). The proposer's screen says the same for a
member's address and a stranger's. At a desktop's width and a 390 px phone's."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail

from tests.workflows.test_seconding import LINK

from .conftest import main_menu, signed_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def paris_member(branch, email, number, first_name, last_name):
    from cms.models import Member

    return Member.objects.create_user(email=email, password="x", membership_number=number, branch=branch,
                                      paid_up_until=date.today() + timedelta(days=100), first_name=first_name,
                                      last_name=last_name)


def emails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_member_names_a_seconder_by_email_who_confirms_from_the_email(live_server, browser, demo_site, settings):
    settings.SITE_URL = live_server.url
    paris = demo_site["paris"]
    paris_member(paris, "ada@example.org", "B1", "Ada", "Proposer")
    paris_member(paris, "bea@example.org", "B2", "Bea", "Seconder")
    mail.outbox.clear()

    page = signed_in(browser, live_server.url, "ada@example.org")
    page.goto(f"{live_server.url}/")
    main_menu(page).get_by_role("link", name="My motions").click()
    page.get_by_role("link", name="Draft a motion").click()
    page.get_by_label("Title").fill("Votes for Life")
    page.get_by_label("Text").fill("This branch calls for votes for life for every overseas citizen.")
    page.get_by_label("Seconders' email addresses").fill("Bea@example.org")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("If the address is a member's, we email them a link").wait_for()
    seconders = page.locator("#seconders-heading + ul")
    assert "bea@example.org" in seconders.inner_text() and "Waiting for an answer" in seconders.inner_text()
    assert "Bea Seconder" not in page.content()

    # The enumeration check: a stranger's address reads exactly the same.
    page.get_by_label("Seconder's email address").fill("stranger@example.com")
    page.get_by_role("button", name="Invite").click()
    page.get_by_text("stranger@example.com").wait_for()
    texts = [re.sub(r"\S+@\S+", "ADDRESS", t) for t in page.locator("#seconders-heading + ul li").all_inner_texts()]
    assert len(texts) == 2 and texts[0] == texts[1]
    # The proposer thinks better of the stranger and withdraws that invitation (asked first).
    page.locator("#seconders-heading + ul li", has_text="stranger@example.com").get_by_role(
        "link", name="Withdraw the invitation").click()
    page.get_by_role("button", name="Withdraw the invitation").click()
    page.get_by_text("Invitation to stranger@example.com withdrawn").wait_for()
    page.get_by_role("button", name=re.compile("Submit to the Paris branch")).click()
    page.get_by_text(re.compile(r"Submitted as M-\d{4}-\d{3}")).wait_for()
    assert "Waiting for its seconders to confirm" in page.locator(".status").first.inner_text()

    # Only the member got an email; the seconder opens its link, signed out, on a phone.
    assert [m.to for m in mail.outbox] == [["bea@example.org"]]
    link = LINK.search(mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)
    phone = browser.new_context(viewport=PHONE)
    seconder_page = phone.new_page()
    seconder_page.goto(link)
    assert "Ada Proposer" in seconder_page.content()
    assert "votes for life for every overseas citizen" in seconder_page.content()
    assert "stranger@example.com" not in seconder_page.content()
    assert no_sideways_scroll(seconder_page)
    seconder_page.get_by_role("button", name="I second this").click()
    seconder_page.get_by_role("status").get_by_text("Thank you: you second it").wait_for()
    phone.close()

    # The proposer sees the seconder by name, and the motion seconded: gone to the Paris branch.
    page.reload()
    seconders = page.locator("#seconders-heading + ul").inner_text()
    assert "Bea Seconder" in seconders and "Confirmed" in seconders
    assert "Waiting for the branch meeting's decision" in page.locator(".status").first.inner_text()
    page.context.close()


def test_a_seconder_declines_and_the_proposer_sees_it_on_a_phone(live_server, browser, demo_site, settings):
    settings.SITE_URL = live_server.url
    paris = demo_site["paris"]
    paris_member(paris, "ada@example.org", "B1", "Ada", "Proposer")
    paris_member(paris, "cem@example.org", "B3", "Cem", "Decliner")
    mail.outbox.clear()

    page = signed_in(browser, live_server.url, "ada@example.org", **PHONE)
    page.goto(f"{live_server.url}/my-motions/new/motion/")
    page.get_by_label("Title").fill("Fund the NHS")
    page.get_by_label("Text").fill("This branch calls for a fully funded NHS.")
    page.get_by_label("Seconders' email addresses").fill("cem@example.org")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Waiting for an answer").wait_for()
    assert no_sideways_scroll(page)

    link = LINK.search(emails_to("cem@example.org")[0].body).group(0)
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    seconder_page = other.new_page()
    seconder_page.goto(link)
    seconder_page.get_by_role("button", name="I decline").click()
    seconder_page.get_by_role("status").get_by_text("You declined to second it").wait_for()
    other.close()

    page.reload()
    assert "Declined" in page.locator("#seconders-heading + ul").inner_text()
    # Withdrawing the draft asks first, on its own page (no JavaScript needed).
    page.get_by_role("link", name="Withdraw it…").click()
    page.get_by_role("heading", name=re.compile("Withdraw your draft “Fund the NHS”")).wait_for()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Withdraw it").click()
    page.get_by_text("is withdrawn").wait_for()
    page.context.close()
