"""A form sent back in error says so at its top, as GOV.UK does: "There is a problem", a link to each field in
error, the focus on that summary so a screen reader reads it first; the field itself is marked invalid and
described by its message. Checked on a phone, on the campaign sign-up and on the sign-in page."""

import io

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def campaigns(demo_site):
    from campaigns import demo

    demo.seed(io.StringIO())


def focused_id(page):
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def test_a_visitor_who_misses_a_field_is_taken_to_it_from_the_summary(live_server, browser, campaigns):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/campaigns/votes-for-life/sign-up/")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Sign up").click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')"), focused_id(page)
    links = summary.get_by_role("link")
    assert links.count() == 2  # the name left blank, the email not an email
    # Each link goes to its field; the field is marked invalid and described by its own message.
    name_link = summary.get_by_role("link", name="Your name: This field is required.")
    field_id = name_link.get_attribute("href").removeprefix("#")
    name_link.click()
    assert focused_id(page) == field_id
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true"
    message_ids = field.get_attribute("aria-describedby").split()
    messages = " ".join(page.locator(f"#{i}").inner_text() for i in message_ids)
    assert "This field is required." in messages
    assert field.bounding_box()["y"] >= 0  # in view
    email = page.get_by_label("Email")
    assert email.get_attribute("aria-invalid") == "true"
    assert email.input_value() == "not an email"  # nothing typed is lost
    # No page scrolls sideways on a phone, error or not.
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    context.close()


def test_a_wrong_password_is_summarised_at_the_top_of_the_sign_in_form(live_server, browser, demo_site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    form = page.locator("form", has=page.get_by_label("Password", exact=True))
    form.get_by_role("textbox", name="Email", exact=True).fill("member@example.org")
    form.get_by_label("Password", exact=True).fill("not the password")
    form.get_by_role("button", name="Log in", exact=True).click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    assert "not correct" in summary.inner_text()
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')"), focused_id(page)
    context.close()


def test_erasing_an_account_looks_like_a_warning_and_is_refused_with_a_summary(live_server, browser, demo_site):
    from cms.models import Member

    from .conftest import signed_in

    page = signed_in(browser, live_server.url, "member@example.org", **PHONE)
    page.goto(f"{live_server.url}/account/")
    download = page.get_by_role("link", name="Download my data (JSON)")
    erase = page.get_by_role("button", name="Erase my account")
    looks = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color, getComputedStyle(e).borderColor]"
    assert download.evaluate(looks) != erase.evaluate(looks)
    assert erase.evaluate("e => getComputedStyle(e, '::before').content") == '"⚠"'
    assert page.locator(".danger-zone").get_by_role("button", name="Erase my account").is_visible()

    erase.click()  # neither the password nor the tick
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')"), focused_id(page)
    summary.get_by_role("link", name="Your password: This field is required.").click()
    assert focused_id(page) == "id_password"
    assert page.get_by_label("Your password").get_attribute("aria-invalid") == "true"
    assert Member.objects.filter(email="member@example.org").exists()
    page.context.close()
