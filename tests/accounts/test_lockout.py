"""Too many wrong passwords: one account whatever the case of its email, the client's address as our
proxy reports it, and a page inside the site's design that says when to try again and how else to get in."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from .conftest import last_email_to, links_in


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def guess(client, email, password="guess", path="/login/"):
    return client.post(path, {"username": email, "password": password})


def test_the_case_of_the_email_does_not_buy_more_guesses(accounts, throttled):
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert guess(client, "member@example.org").status_code == 200
    assert guess(client, "MEMBER@example.org").status_code == 200
    locked = guess(client, "Member@Example.ORG")
    assert locked.status_code == 429
    assert AccessAttempt.objects.get().username == "member@example.org"
    # Even the right password, in any case, waits for the cool-off.
    assert guess(client, "member@EXAMPLE.org", "demo").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_when_to_try_again_and_how_to_reset_the_password(accounts, throttled):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        response = guess(client, "member@example.org")
    page = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Too many sign-in attempts</h1>" in page and 'class="site-header"' in page  # the site's design
    assert "UK time" in page and "in about 60 minutes" in page
    assert 'href="/accounts/password/reset/"' in page and 'href="/accounts/login/code/"' in page


def test_behind_the_proxy_each_client_address_counts_not_the_proxys(accounts, throttled, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(3):
        response = guess(attacker, "member@example.org")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    # The member, through the same proxy from their own address, still gets in.
    member = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert guess(member, "member@example.org", "demo").status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_header_changes_nothing(accounts, throttled):
    for n in range(3):
        response = guess(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "member@example.org")
    assert response.status_code == 429


def test_resetting_the_password_by_email_lifts_the_lockout(accounts, throttled):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        guess(client, "member@example.org")
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "member@example.org"})
    link = next(url for url in links_in(last_email_to("member@example.org").body) if "/password/reset/key/" in url)
    form_url = client.get(link.split("127.0.0.1:8000")[-1])["Location"]
    client.post(form_url, {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"})
    assert not AccessAttempt.objects.filter(username="member@example.org").exists()
    assert guess(Client(REMOTE_ADDR="203.0.113.9"), "member@example.org", "a-new-long-passphrase").status_code == 302
