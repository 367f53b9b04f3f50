"""Members and officers get in through django-allauth: password, emailed code, reset, email change."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client

from cms.models import Member

from .conftest import last_email_to, links_in


def test_member_logs_in_with_email_and_password_at_login(client, accounts):
    page = client.get("/login/").content.decode()
    assert 'name="username"' in page and 'type="password"' in page and "Forgotten password?" in page
    assert "Email me a sign-in code" in page and "Labour International" in page  # inside the site's design
    response = client.post("/login/?next=/motions/", {"username": "member@example.org", "password": "demo",
                                                        "next": "/motions/"})
    assert response.status_code == 302 and response["Location"] == "/motions/"
    assert client.get("/account/").status_code == 200


def test_the_case_of_the_email_does_not_matter(client, accounts):
    response = client.post("/login/", {"username": "  Member@EXAMPLE.org ", "password": "demo"})
    assert response.status_code == 302


def test_a_wrong_password_shows_the_form_again_with_an_error(client, accounts):
    response = client.post("/login/", {"username": "member@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_officers_sign_into_the_wagtail_admin_through_the_same_page(client, accounts):
    assert client.get("/admin/")["Location"].startswith("/login/?next=/admin/")
    login_page = client.get("/admin/login/").content.decode()
    assert 'name="username"' in login_page and "Forgotten password?" in login_page
    response = client.post("/admin/login/", {"username": "officer.paris@example.org", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_djangos_admin_signs_in_through_the_site_too(client, accounts):
    response = client.get("/django-admin/login/?next=/django-admin/cms/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=%2Fdjango-admin%2Fcms%2F"
    elsewhere = client.get("/django-admin/login/?next=https://evil.example/")
    assert elsewhere["Location"] == "/login/?next=%2Fdjango-admin%2F"


def test_member_signs_in_with_a_code_sent_by_email(client, accounts):
    mail.outbox.clear()
    response = client.post("/accounts/login/code/", {"email": "member@example.org"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/confirm/")
    message = last_email_to("member@example.org")
    code = re.search(r"Your sign-in code is:\s+(\S+)", message.body).group(1)
    assert "Labour International" in message.subject
    assert client.post("/accounts/login/code/confirm/", {"code": "WRONG1"}).status_code == 200
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(accounts["member"].pk)


def test_asking_a_code_for_an_unknown_address_reveals_nothing(client, accounts):
    mail.outbox.clear()
    response = client.post("/accounts/login/code/", {"email": "stranger@example.net"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/confirm/")
    assert mail.outbox == []


def test_forgotten_password_is_reset_by_an_emailed_link(client, accounts):
    mail.outbox.clear()
    response = client.post("/accounts/password/reset/", {"email": "member@example.org"})
    assert response.status_code == 302
    link = next(url for url in links_in(last_email_to("member@example.org").body) if "/password/reset/key/" in url)
    form_url = client.get(urlsplit(link).path)["Location"]  # allauth hides the key from the page's URL
    response = client.post(form_url, {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"})
    assert response.status_code == 302
    assert Member.objects.get(pk=accounts["member"].pk).check_password("a-new-long-passphrase")
    assert Client().post("/login/", {"username": "member@example.org", "password": "demo"}).status_code == 200


def test_changing_ones_email_takes_effect_once_the_new_address_is_verified(client, accounts):
    member = accounts["member"]
    client.force_login(member)
    mail.outbox.clear()
    response = client.post("/accounts/email/", {"action_add": "", "email": "mo.new@example.net"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "member@example.org"  # not before the new address is confirmed
    link = next(url for url in links_in(last_email_to("mo.new@example.net").body) if "confirm-email" in url)
    assert client.post(urlsplit(link).path).status_code == 302
    member.refresh_from_db()
    assert member.email == "mo.new@example.net"
    assert Client().post("/login/", {"username": "mo.new@example.net", "password": "demo"}).status_code == 302


def test_nobody_signs_up_alone_members_come_from_the_membership_list(client, accounts):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200 and "closed" in response.content.decode().lower()
    client.post("/accounts/signup/", {"email": "new@example.net", "password1": "long-enough-pw-1",
                                      "password2": "long-enough-pw-1"})
    assert not Member.objects.filter(email="new@example.net").exists()


def test_logout_signs_out(client, accounts):
    client.force_login(accounts["member"])
    assert client.post("/logout/").status_code == 302
    assert client.get("/account/").status_code == 302


def test_every_demo_account_logs_in_with_demo_at_login_and_admin_login(accounts):
    from django.contrib.auth.models import Group

    for email, role in (("secretary@example.org", "Secretary"), ("policy@example.org", "Policy officer"),
                        ("returning@example.org", "Returning officer")):  # as the workflow and election demos do
        Member.objects.get(email=email).groups.add(Group.objects.get(name=role))
    for email in ("admin@example.org", "secretary@example.org", "policy@example.org", "membership@example.org",
                  "returning@example.org", "comms@example.org", "officer.paris@example.org"):
        client = Client()
        assert client.post("/admin/login/", {"username": email, "password": "demo"})["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200, email
    assert Client().post("/login/", {"username": "member@example.org", "password": "demo"}).status_code == 302


def test_the_account_page_leads_to_email_change_password_and_two_factor(client, accounts):
    client.force_login(accounts["member"])
    html = client.get("/account/").content.decode()
    for target in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        assert f'href="{target}"' in html, target
    for target in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        assert client.get(target).status_code == 200, target


def test_djangos_admin_opens_to_superusers_only(client, accounts):
    for officer in ("secretary", "membership", "returning", "paris_officer"):
        client.force_login(accounts[officer])
        response = client.get("/django-admin/")
        assert response.status_code == 302 and "/login/" in response["Location"], officer
        assert client.get("/django-admin/django_q/ormq/").status_code == 302, officer
    client.force_login(accounts["admin"])
    assert client.get("/django-admin/").status_code == 200
