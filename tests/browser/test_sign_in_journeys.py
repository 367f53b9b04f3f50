"""Signing in, in a real browser, on the seeded demo. A member the membership officer imported and
invited opens the link from the email and is signed in; next time they sign in with a code sent by
email. Under the production rule, an officer with admin access sets up an authenticator app (and
sees their recovery codes) before the admin opens, and is asked for its code when they next sign
in. Each at a desktop's width and a 390 px phone's."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.management import call_command

from .conftest import main_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


def new_page(browser, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(15_000)
    return page


def last_email_to(address):
    sent = [message for message in mail.outbox if message.to == [address]]
    assert sent, f"no email to {address} in {[message.to for message in mail.outbox]}"
    return sent[-1]


def fits(page):
    """Nothing on the page is wider than the screen (no sideways scrolling on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def import_noor(tmp_path):
    """The membership officer's monthly CSV brings a new Paris member, who has never signed in."""
    csv = tmp_path / "members.csv"
    csv.write_text("membership_number,email,first_name,last_name,branch,paid_up_until\n"
                   "L900001,noor.haddad@example.net,Noor,Haddad,paris,2030-12-31\n")
    call_command("import_members", str(csv), stdout=open("/dev/null", "w"))


def opens_the_invitation_then_signs_in_with_a_code(browser, base_url, viewport):
    """Noor's side: the link from the invitation email signs her in once; next time, a code."""
    invitation = last_email_to("noor.haddad@example.net")
    assert invitation.body.startswith("Dear Noor,")
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", invitation.body).group(0)
    assert link.startswith(base_url)

    page = new_page(browser, viewport)
    page.goto(link)
    page.get_by_role("heading", name="Welcome, Noor").wait_for()
    assert fits(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/account/")
    assert "Welcome: you are signed in" in page.get_by_role("status").inner_text()
    assert "Noor Haddad" in page.locator(".account-details").inner_text()
    assert fits(page)
    main_menu(page).get_by_role("button", name="Log out").click()
    main_menu(page).get_by_role("link", name="Log in").wait_for()

    # The link works once; next time she asks for a code, as the email told her.
    page.goto(link)
    assert "already used" in page.locator("main").inner_text()
    page.goto(f"{base_url}/motions/")
    main_menu(page).get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Email me a sign-in code").click()
    page.get_by_role("textbox", name="Email").fill("noor.haddad@example.net")
    page.get_by_role("button", name=re.compile("Request code", re.I)).click()
    page.get_by_role("textbox", name="Code").wait_for()
    assert fits(page)
    code = re.search(r"Your sign-in code is:\s+(\S+)", last_email_to("noor.haddad@example.net").body).group(1)
    page.get_by_role("textbox", name="Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert "Successfully signed in as Noor Haddad" in page.locator(".messages").inner_text()
    main_menu(page).get_by_role("link", name="Your account").click()
    assert "Noor Haddad" in page.locator(".account-details").inner_text()
    page.context.close()


def test_the_membership_officer_invites_an_imported_member_who_signs_in_from_the_email_then_with_a_code(
        live_server, browser, demo_site, settings, tmp_path):
    settings.SITE_URL = live_server.url
    import_noor(tmp_path)
    mail.outbox.clear()

    # The membership officer invites the Paris members never invited, from the membership list.
    officer = new_page(browser, DESKTOP)
    sign_in(officer, live_server.url, "membership@example.org", at="/admin/login/")
    officer.get_by_role("link", name="Membership").first.click()
    officer.get_by_role("link", name="Invite members").click()
    officer.get_by_label("Branch").select_option(label="Paris")
    assert officer.get_by_label("Only members never invited").is_checked()
    officer.get_by_role("button", name="Send invitations").click()
    officer.get_by_text(re.compile(r"\d+ members? invited")).wait_for()
    officer.context.close()

    opens_the_invitation_then_signs_in_with_a_code(browser, live_server.url, DESKTOP)


def test_on_a_phone_a_member_invited_by_invite_members_signs_in_from_the_email_then_with_a_code(
        live_server, browser, demo_site, settings, tmp_path):
    settings.SITE_URL = live_server.url
    import_noor(tmp_path)
    mail.outbox.clear()
    call_command("invite_members", "--branch", "paris", "--not-yet-invited", stdout=open("/dev/null", "w"))

    opens_the_invitation_then_signs_in_with_a_code(browser, live_server.url, PHONE)


def totp_code(secret, *, after=None):
    """The code the officer's authenticator app shows now (a fresh one if `after`, the last
    30-second step used, is still current; never one about to turn over)."""
    while int(time.time()) % 30 > 26 or (after is not None and int(time.time()) // 30 <= after):
        time.sleep(0.5)
    step = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, step)), step


@WIDTHS
def test_an_officer_sets_up_an_authenticator_app_before_the_admin_opens_and_is_asked_for_its_code_next_time(
        live_server, browser, demo_site, settings, viewport):
    from allauth.mfa.models import Authenticator

    settings.ADMIN_REQUIRES_TWO_FACTOR = True  # the production rule
    base = live_server.url
    page = new_page(browser, viewport)
    sign_in(page, base, "officer.paris@example.org", at="/admin/login/")
    # Sent from the admin to set up two factors; allauth asks for the password again first.
    assert "need two-factor authentication" in page.get_by_role("status").inner_text()
    page.get_by_role("heading", name="Confirm Access").wait_for()
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()
    qr = page.locator("main img").first
    assert qr.is_visible() and qr.evaluate("img => img.naturalWidth") > 0
    assert fits(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    code, step = totp_code(secret)
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Activate").click()

    page.get_by_role("heading", name="Recovery Codes").wait_for()
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) >= 10 and all(re.fullmatch(r"[0-9a-z]{8}", c) for c in codes), codes
    assert fits(page)
    page.get_by_role("link", name="Continue to the admin").click()
    page.wait_for_url(f"{base}/admin/")
    page.get_by_role("heading", name=re.compile("Waiting for your decision")).wait_for()
    assert Authenticator.objects.filter(user__email="officer.paris@example.org", type="totp").exists()
    page.context.close()

    # Next time, the password alone does not open the admin: the app's code does.
    page = new_page(browser, viewport)
    sign_in(page, base, "officer.paris@example.org", at="/admin/login/")
    page.get_by_role("heading", name="Two-Factor Authentication").wait_for()
    assert "/admin/" not in page.url
    code, _ = totp_code(secret, after=step)
    page.get_by_role("textbox", name="Code").fill(code)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{base}/admin/")
    page.get_by_role("heading", name=re.compile("Waiting for your decision")).wait_for()
    page.context.close()
