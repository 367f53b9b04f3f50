"""Two-factor authentication: required before the admin opens for every account with admin access
under the production settings; offered, not forced, in the demo."""

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def totp_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def production_rule(settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True


def test_an_officer_without_a_second_factor_is_sent_to_set_one_up_before_the_admin(client, accounts,
                                                                                  production_rule):
    client.force_login(accounts["paris_officer"])
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/django-admin/").status_code == 302
    # The rest of the site stays open to them, and so does signing out.
    assert client.get("/account/").status_code == 200
    assert client.post("/admin/logout/").status_code == 302


def test_every_kind_of_admin_access_needs_it(accounts, production_rule):
    for who in ("admin", "membership", "paris_officer"):
        client = Client()
        client.force_login(accounts[who])
        assert client.get("/admin/")["Location"].startswith("/accounts/2fa/totp/activate/"), who


def test_a_member_without_admin_access_is_never_asked(client, accounts, production_rule):
    client.force_login(accounts["member"])
    assert client.get("/account/").status_code == 200
    assert client.get("/admin/")["Location"].startswith("/login/")  # not theirs at all


def test_with_an_authenticator_the_admin_opens_and_sign_in_asks_for_the_code(accounts, production_rule):
    officer = accounts["paris_officer"]
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    client = Client()
    response = client.post("/admin/login/", {"username": officer.email, "password": "demo"})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "Labour International" in page and 'name="code"' in page
    assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_setting_up_the_authenticator_app_gives_recovery_codes_and_opens_the_admin(client, accounts,
                                                                                   production_rule):
    officer = accounts["paris_officer"]
    client.post("/admin/login/", {"username": officer.email, "password": "demo"})
    setup = client.get("/admin/")["Location"]
    reauthenticate = client.get(setup)["Location"]  # allauth asks for the password again first
    assert reauthenticate.startswith("/accounts/reauthenticate/")
    client.post(reauthenticate, {"password": "demo"})
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"|value="([A-Z2-7]+)"[^>]*id="authenticator_secret"',
                       page)
    secret = secret.group(1) or secret.group(2)
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    codes_page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert "Continue to the admin" in codes_page
    assert client.get("/admin/").status_code == 200


def test_in_the_demo_it_is_offered_not_forced(client, accounts, settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    client.force_login(accounts["paris_officer"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_the_production_settings_turn_the_rule_on(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.production", "SECRET_KEY": secrets.token_urlsafe(50),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}", "CACHE_DIR": str(tmp_path / "cache")}
    env.pop("ADMIN_REQUIRES_TWO_FACTOR", None)
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                             "print(settings.ADMIN_REQUIRES_TWO_FACTOR, settings.MFA_SUPPORTED_TYPES)"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "True ['totp', 'recovery_codes', 'webauthn']" in result.stdout, result.stderr
