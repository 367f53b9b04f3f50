"""Data protection: a member downloads their own data, and erases their account while the
democratic record (decisions, results, item texts) stays, shown as by "Former member"."""

import json

from django.core.management import call_command
from django.test import Client

from cms.models import Member
from elections.demo import seed_full_election, seed_roles
from elections.models import Nomination
from notifications import services as notification_services
from notifications.models import Follow, NotificationPreference
from workflows import services
from workflows.models import Decision

from .conftest import make_member, submit_motion


def test_member_downloads_their_own_data_without_how_they_voted(client, people):
    motion = submit_motion(people)
    notification_services.follow(people["proposer"], people["proposer"].branch)
    client.force_login(people["proposer"])
    assert "my-data.json" in client.get("/account/").content.decode()
    response = client.get("/account/my-data.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "proposer@example.org" and data["profile"]["membership_number"] == "L1"
    assert [i["reference"] for i in data["items_proposed"]] == [motion.reference]
    assert {"branch": "paris"} in [f["follows"] for f in data["follows"]]
    assert data["notification_preferences"]["delivery"] == "immediate"
    assert "ballot" not in response.content.decode().lower()
    # Someone else's download has none of it.
    client.force_login(people["member"])
    other = client.get("/account/my-data.json").content.decode()
    assert "proposer@example.org" not in other and motion.reference not in other


def test_download_includes_nominations_made_or_named_in(client, people, branches):
    make_member("returning@example.org", "L9", branches["paris"])
    election = seed_full_election(*seed_roles())
    nomination = Nomination.objects.filter(position__election=election).select_related("candidate").first()
    client.force_login(nomination.candidate)
    data = client.get("/account/my-data.json").json()
    mine = [n for n in data["nominations"] if "candidate" in n["your_roles"]]
    assert mine and mine[0]["statement"] == nomination.statement and "your_declarations" in mine[0]


def test_member_erases_their_account_and_the_record_stays_as_former_member(client, people):
    proposer = people["proposer"]
    motion = submit_motion(people)
    services.record_decision(motion, "carried", people["paris_officer"], votes_for=8, votes_against=1)
    notification_services.follow(proposer, proposer.branch)
    notification_services.preference_of(proposer)
    client.force_login(proposer)

    refused = client.post("/account/erase/", {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 400 and Member.objects.get(pk=proposer.pk).email == "proposer@example.org"

    response = client.post("/account/erase/", {"password": "demo", "confirm": "on"})
    assert response.status_code == 302
    erased = Member.objects.get(pk=proposer.pk)
    assert erased.get_full_name() == "Former member"
    assert erased.membership_number is None and "proposer" not in erased.email
    assert not erased.is_active and not erased.has_usable_password()
    assert not Follow.objects.filter(member=erased).exists()
    assert not NotificationPreference.objects.filter(member=erased).exists()
    # The record: the item, its text and its decision are unchanged, now by "Former member".
    motion.refresh_from_db()
    assert motion.proposer_id == erased.pk and "Votes for Life" in motion.text
    assert Decision.objects.filter(item=motion, outcome="carried", votes_for=8).exists()
    page = Client().get(f"/motions/{motion.reference}/").content.decode()
    assert "Former member" in page and "Proposer Tester" not in page and "proposer@example.org" not in page
    # Logged out everywhere, and the old password no longer works.
    assert client.get("/account/").status_code == 302
    assert Client().post("/login/", {"username": "proposer@example.org", "password": "demo"}).status_code == 200


def test_membership_officer_erases_a_member_on_request(people):
    call_command("erase_member", "seconder@example.org", "--yes")
    seconder = Member.objects.get(pk=people["seconder"].pk)
    assert seconder.get_full_name() == "Former member" and seconder.membership_number is None


def sign_up_form(branches):
    """A campaign sign-up form (name, email, how they can help) on the site."""
    from campaigns.models import CampaignFormField, CampaignFormPage

    home = branches["paris"].get_parent().get_parent()
    form = home.add_child(instance=CampaignFormPage(title="Sign up: Votes for Life", slug="sign-up",
                                                    to_address="", from_address="", subject=""))
    for label, field_type in (("Your name", "singleline"), ("Email", "email"), ("How can you help?", "multiline")):
        CampaignFormField.objects.create(page=form, label=label, field_type=field_type, required=False)
    return form


def test_a_members_campaign_sign_ups_are_in_their_download_and_go_with_erasure(client, people, branches):
    from wagtail.contrib.forms.models import FormSubmission

    form = sign_up_form(branches)
    visitor = Client()
    for name, email, help_text in (("Pat Proposer", "Proposer@Example.org ", "Leafleting in Paris"),
                                   ("Sam Other", "sam@example.net", "Phone banking")):
        response = visitor.post(form.url, {"your_name": name, "email": email, "how_can_you_help": help_text})
        assert response.status_code == 200, response.content.decode()[:1000]
    assert FormSubmission.objects.count() == 2

    client.force_login(people["proposer"])
    data = client.get("/account/my-data.json").json()
    assert [s["form"] for s in data["campaign_sign_ups"]] == ["Sign up: Votes for Life"]
    assert data["campaign_sign_ups"][0]["answers"]["your_name"] == "Pat Proposer"
    assert "sam@example.net" not in json.dumps(data)
    client.force_login(people["member"])
    assert client.get("/account/my-data.json").json()["campaign_sign_ups"] == []

    client.force_login(people["proposer"])
    assert client.post("/account/erase/", {"password": "demo", "confirm": "on"}).status_code == 302
    mine, other = (FormSubmission.objects.get(form_data__your_name=n) for n in ("Former member", "Sam Other"))
    assert mine.form_data["email"] == "" and "Pat" not in json.dumps(mine.form_data)
    assert "proposer@example.org" not in json.dumps(mine.form_data).lower()
    assert mine.form_data["how_can_you_help"] == "Leafleting in Paris"  # what the campaign was told stays
    assert other.form_data == {"your_name": "Sam Other", "email": "sam@example.net", "how_can_you_help": "Phone banking"}


def test_a_member_who_signs_in_by_code_only_erases_by_typing_their_address(client, people):
    member = people["member"]
    member.set_unusable_password()
    member.save()
    client.force_login(member)
    page = client.get("/account/").content.decode()
    assert "Your email address" in page and "Your password" not in page
    response = client.post("/account/erase/", {"password": "someone.else@example.org", "confirm": "on"})
    assert "That is not the address of your account." in response.content.decode()
    assert Member.objects.get(pk=member.pk).is_active
    client.post("/account/erase/", {"password": member.email.upper(), "confirm": "on"})
    assert not Member.objects.filter(email=member.email).exists()


def test_log_in_from_a_page_comes_back_to_it(client, people):
    html = client.get("/motions/").content.decode()
    assert 'href="/login/?next=/motions/"' in html
    assert 'href="/login/"' in client.get("/").content.decode()
