"""Campaign microsites: volunteers edit their campaign; members read it and sign up."""

import io

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.documents import get_document_model
from wagtail.models import Page

from campaigns import demo
from campaigns.models import CampaignFormPage, CampaignPage, CampaignResource, CampaignUpdatePage
from cms.models import Member, MicrositeTeam


@pytest.fixture
def campaigns(demo_site):
    demo.seed(io.StringIO())
    return {c.slug: c for c in CampaignPage.objects.all()}


def counts():
    return [m.objects.count() for m in (Page, CampaignResource, FormSubmission, Member, MicrositeTeam,
                                        get_document_model())]


def test_seeding_campaigns_twice_gives_the_same_data(campaigns):
    first = counts()
    demo.seed(io.StringIO())
    assert counts() == first
    assert {"votes-for-life", "register-to-vote"} <= set(campaigns)
    for campaign in campaigns.values():
        assert CampaignUpdatePage.objects.child_of(campaign).count() >= 2
        assert CampaignFormPage.objects.child_of(campaign).live().count() == 1
        assert campaign.resources.count() == 1


def test_a_member_reads_a_campaign_and_downloads_its_resource(client, campaigns):
    index = client.get("/campaigns/").content.decode()
    assert "/campaigns/votes-for-life/" in index and "/campaigns/register-to-vote/" in index
    html = client.get("/campaigns/votes-for-life/").content.decode()
    assert "The 15-year rule is gone" in html
    assert "Votes for Life briefing" in html
    assert "/campaigns/votes-for-life/sign-up/" in html
    resource = campaigns["votes-for-life"].resources.get().document
    assert client.get(resource.url).status_code == 200


def test_a_member_signs_up_and_the_campaign_is_emailed(client, campaigns):
    form_page = CampaignFormPage.objects.child_of(campaigns["votes-for-life"]).get()
    response = client.post(form_page.url, {"your_name": "Jo Bloggs", "email": "not-an-email"})
    assert response.status_code == 200 and "Enter a valid email address" in response.content.decode()
    assert FormSubmission.objects.count() == 0
    response = client.post(form_page.url, {"your_name": "Jo Bloggs", "email": "jo@example.net",
                                           "your_branch": "Paris", "how_can_you_help": "Leafleting"})
    assert response.status_code == 200 and "Thank you for signing up" in response.content.decode()
    submission = FormSubmission.objects.get()
    assert submission.get_data()["email"] == "jo@example.net"
    assert mail.outbox[-1].to == ["votes-for-life@example.org"]


def test_only_a_campaigns_editors_see_its_submissions(client, campaigns):
    vfl_form = CampaignFormPage.objects.child_of(campaigns["votes-for-life"]).get()
    other_form = CampaignFormPage.objects.child_of(campaigns["register-to-vote"]).get()
    volunteer = Member.objects.get(email="volunteer.votes-for-life@example.org")
    assert list(get_forms_for_user(volunteer)) == [Page.objects.get(pk=vfl_form.pk)]
    assert not get_forms_for_user(Member.objects.get(email="officer.paris@example.org")).exists()
    assert not campaigns["register-to-vote"].permissions_for_user(volunteer).can_edit()
    assert campaigns["votes-for-life"].permissions_for_user(volunteer).can_publish()
    client.force_login(volunteer)
    assert client.get(f"/admin/forms/submissions/{vfl_form.pk}/").status_code == 200
    assert client.get(f"/admin/forms/submissions/{other_form.pk}/").status_code in (302, 403)
    client.force_login(Member.objects.get(email="officer.paris@example.org"))
    assert client.get(f"/admin/forms/submissions/{vfl_form.pk}/").status_code in (302, 403)


def test_the_api_gives_campaign_fields(client, campaigns):
    items = client.get("/api/v2/pages/", {"type": "campaigns.CampaignPage", "fields": "summary,aim,resources"}).json()
    vfl = next(item for item in items["items"] if item["meta"]["slug"] == "votes-for-life")
    assert vfl["summary"].startswith("British citizens abroad")
    assert vfl["resources"][0]["document"]["meta"]["download_url"]
