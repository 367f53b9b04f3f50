"""Officers reach their own members, once, through the outbox; members choose; nothing is lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.rich_text import RichText

from cms.privacy import erase_member
from newsletters import audiences, services, tasks
from newsletters.models import Kind, Newsletter, NewsletterOptOut
from notifications import services as notification_services
from notifications import tokens
from notifications.models import Follow, OutboxEmail

from .backends import BatchProviderBackend
from .helpers import write

pytestmark = pytest.mark.django_db


def newsletter_emails(newsletter):
    return OutboxEmail.objects.filter(key__startswith=f"newsletter:{newsletter.pk}:")


def test_paris_officer_sends_to_paris_members_and_no_berlin_member(officers, branches):
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    assert services.recipient_count(newsletter) == 8  # proposer, seconder, lapsed, officer, secretary, policy, comms, amelie
    services.send(newsletter, officers["paris_officer"])
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT and newsletter.recipient_count == 8
    to = {m.to[0] for m in mail.outbox}
    assert "amelie@example.org" in to and "officer.paris@example.org" in to
    assert "bernd@example.org" not in to and "member@example.org" not in to
    message = next(m for m in mail.outbox if m.to == ["amelie@example.org"])
    assert message.subject == "Paris branch news"
    assert "Dear Amelie," in message.body and "Tuesday" in message.body
    html = message.alternatives[0][0]
    assert "<b>Tuesday</b>" in html and "Our next meeting" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert newsletter_emails(newsletter).filter(status=OutboxEmail.Status.SENT).count() == 8


def test_paris_officer_cannot_send_to_berlin(officers, branches):
    berlin = write(officers["berlin_officer"], branch=branches["berlin"], subject="Berlin news")
    with pytest.raises(services.NewsletterError):
        services.send(berlin, officers["paris_officer"])
    with pytest.raises(services.NewsletterError):
        services.send_test(berlin, officers["paris_officer"])
    assert not audiences.may_send_to(officers["paris_officer"], f"branch:{branches['berlin'].pk}")
    assert not audiences.may_send_to(officers["paris_officer"], "all")
    assert berlin not in audiences.manageable(officers["paris_officer"])
    assert Newsletter.objects.get(pk=berlin.pk).status == Newsletter.Status.DRAFT
    assert not mail.outbox


def test_each_officer_reaches_only_their_own_audience(officers, branches, consultation):
    region = branches["paris"].region
    keys = lambda person: {key for key, _ in audiences.audiences_for(person)}  # noqa: E731
    assert keys(officers["paris_officer"]) == {f"branch:{branches['paris'].pk}"}
    assert keys(officers["comms"]) == {"all"}
    assert keys(officers["coordinator"]) == {f"region:{region.pk}"}
    assert keys(officers["policy"]) == {f"consultation:{consultation.pk}"}
    assert keys(officers["member"]) == set()
    assert keys(officers["secretary"]) == set()


def test_communications_officer_reaches_all_and_coordinator_their_region(officers, branches):
    everyone = write(officers["comms"], audience="all", subject="LI news")
    assert services.recipient_count(everyone) == officers["comms"].__class__.objects.filter(is_active=True).count()
    region = write(officers["coordinator"], audience="region", subject="Europe", region=branches["paris"].region)
    assert services.recipient_count(region) == services.recipient_count(everyone)  # both branches are in Europe


def test_policy_officer_reaches_the_followers_of_a_consultation(officers, consultation):
    Follow.objects.create(member=officers["paris_member"], consultation=consultation)
    newsletter = write(officers["policy"], audience="consultation", subject="NPF", consultation=consultation)
    assert list(audiences.recipients(newsletter)) == [officers["paris_member"]]


def test_campaign_editors_reach_the_campaign_sign_ups(officers, branches):
    from django.contrib.auth.models import Group
    from wagtail.contrib.forms.models import FormSubmission

    from campaigns.models import CampaignFormPage, CampaignIndexPage, CampaignPage

    home = branches["paris"].get_parent()
    index = home.add_child(instance=CampaignIndexPage(title="Campaigns", slug="campaigns"))
    campaign = index.add_child(instance=CampaignPage(title="Votes abroad", slug="votes-abroad", summary="Votes."))
    form = campaign.add_child(instance=CampaignFormPage(title="Sign up", slug="sign-up"))
    FormSubmission.objects.create(page=form, form_data={"email": "Bernd@Example.org", "name": "Bernd"})
    FormSubmission.objects.create(page=form, form_data={"email": "stranger@example.net", "name": "S"})
    editor = officers["member"]
    editor.groups.add(Group.objects.get(name="Votes abroad campaign editors"))
    assert {key for key, _ in audiences.audiences_for(editor)} == {f"campaign:{campaign.pk}"}
    newsletter = write(editor, audience="campaign", subject="Votes", campaign=campaign)
    assert list(audiences.recipients(newsletter)) == [officers["berlin_member"]]


def test_never_to_opted_out_stopped_inactive_or_erased_members(officers, branches):
    paris = branches["paris"]
    NewsletterOptOut.objects.create(member=officers["proposer"], kind=Kind.BRANCH)
    notification_services.set_delivery(officers["seconder"], "immediate")
    unsubscribe_all = tokens.make_token(officers["seconder"].pk, tokens.ALL)
    notification_services.unsubscribe(unsubscribe_all)
    officers["lapsed"].is_active = False
    officers["lapsed"].save()
    erase_member(officers["paris_member"])
    NewsletterOptOut.objects.create(member=officers["comms"], kind=Kind.LI)  # another kind: still receives
    newsletter = write(officers["paris_officer"], branch=paris)
    assert {m.email for m in audiences.recipients(newsletter)} == {
        "officer.paris@example.org", "comms@example.org", "secretary@example.org", "policy@example.org"}


def test_a_double_click_sends_once(officers, branches):
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    services.send(newsletter, officers["paris_officer"])
    with pytest.raises(services.NewsletterError, match="already"):
        services.send(newsletter, officers["paris_officer"])
    tasks.send_newsletter(newsletter.pk)  # the worker's task running again (a retried task)
    tasks.send_due_newsletters()
    assert len(mail.outbox) == 8
    assert newsletter_emails(newsletter).count() == 8


def test_scheduled_at_a_uk_time_goes_then_and_not_before(officers, branches):
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    at = services.parse_uk_datetime((timezone.now() + timedelta(hours=2)).astimezone(
        services.uk_time(timezone.now().replace(tzinfo=None)).tzinfo).strftime("%Y-%m-%dT%H:%M"))
    services.send(newsletter, officers["paris_officer"], at)
    assert tasks.send_due_newsletters() == 0
    assert not mail.outbox
    Newsletter.objects.filter(pk=newsletter.pk).update(send_at=timezone.now() - timedelta(seconds=1))
    assert tasks.send_due_newsletters() == 8
    assert len(mail.outbox) == 8


def test_summer_time_uk_input_is_read_as_uk_time():
    at = services.parse_uk_datetime("2026-07-01T09:30")
    assert at.utcoffset() == timedelta(hours=1)
    assert services.parse_uk_datetime("2026-01-05T09:30").utcoffset() == timedelta(0)
    with pytest.raises(services.NewsletterError):
        services.parse_uk_datetime("tomorrow morning")


def test_a_time_in_the_past_is_refused(officers, branches):
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    with pytest.raises(services.NewsletterError, match="passed"):
        services.send(newsletter, officers["paris_officer"], timezone.now() - timedelta(hours=1))
    assert Newsletter.objects.get(pk=newsletter.pk).status == Newsletter.Status.DRAFT


def test_a_scheduled_newsletter_can_be_cancelled_before_it_goes(officers, branches):
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    services.send(newsletter, officers["paris_officer"], timezone.now() + timedelta(days=1))
    services.cancel(newsletter, officers["paris_officer"])
    assert Newsletter.objects.get(pk=newsletter.pk).status == Newsletter.Status.DRAFT


def test_test_send_goes_to_the_officer_alone(officers, branches):
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    services.send_test(newsletter, officers["paris_officer"])
    assert [m.to for m in mail.outbox] == [["officer.paris@example.org"]]
    assert mail.outbox[0].subject == "[Test] Paris branch news"
    assert Newsletter.objects.get(pk=newsletter.pk).status == Newsletter.Status.DRAFT


def test_batch_sending_one_request_per_100_recipients_with_merge_data(officers, branches, settings):
    from tests.workflows.conftest import make_member

    settings.EMAIL_BACKEND = "tests.newsletters.backends.BatchProviderBackend"
    BatchProviderBackend.reset()
    for n in range(245):
        make_member(f"paris{n}@example.org", f"P{n}", branches["paris"])
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    services.send(newsletter, officers["paris_officer"])
    assert BatchProviderBackend.requests == 3 and BatchProviderBackend.recipients == 253
    message = mail.outbox[0]
    params = message.anymail_test_params
    first = message.to[0]
    assert params["merge_data"][first]["name"]
    assert params["merge_data"][first]["unsubscribe_url"].startswith("http")
    assert params["merge_headers"][first]["List-Unsubscribe"] == f"<{params['merge_data'][first]['unsubscribe_url']}>"
    assert "{{name}}" in message.body and "{{unsubscribe_url}}" in message.body
    assert newsletter_emails(newsletter).filter(status=OutboxEmail.Status.SENT).count() == 253


def test_provider_outage_loses_nothing_and_sends_nothing_twice(officers, branches, settings):
    settings.EMAIL_BACKEND = "tests.newsletters.backends.BatchProviderBackend"
    BatchProviderBackend.reset(down=True)
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    services.send(newsletter, officers["paris_officer"])
    rows = newsletter_emails(newsletter)
    assert rows.filter(status=OutboxEmail.Status.FAILED).count() == 8
    assert "503" in rows.first().last_error
    BatchProviderBackend.reset(down=False)
    rows.update(next_attempt_at=timezone.now())
    from notifications import tasks as notification_tasks

    notification_tasks.retry_due_emails()
    notification_tasks.retry_due_emails()
    assert rows.filter(status=OutboxEmail.Status.SENT).count() == 8
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.to_email for r in rows)
    # sending the same batch again (a task run twice) sends nothing
    from newsletters import sending

    assert sending.send_batch(list(rows.values_list("pk", flat=True))) == 0
    assert len(mail.outbox) == 8


def test_one_click_unsubscribe_stops_that_kind_only(officers, branches, client):
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    services.send(newsletter, officers["paris_officer"])
    message = next(m for m in mail.outbox if m.to == ["amelie@example.org"])
    url = message.extra_headers["List-Unsubscribe"][1:-1]
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert not NewsletterOptOut.objects.exists()  # a GET changes nothing
    response = client.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert list(NewsletterOptOut.objects.values_list("member__email", "kind")) == [("amelie@example.org", "branch")]
    again = write(officers["paris_officer"], branch=branches["paris"], subject="Second")
    assert officers["paris_member"] not in audiences.recipients(again)
    client.post("/" + path, {"undo": "1"})
    assert officers["paris_member"] in audiences.recipients(again)


def test_a_forged_newsletter_scope_is_refused(officers, client):
    token = tokens.make_token(officers["member"].pk, "newsletter:everything")
    assert client.post(f"/motions/unsubscribe/{token}/").status_code == 400


def test_members_choose_kinds_on_their_preferences_page(officers, client):
    client.force_login(officers["member"])
    page = client.get("/motions/notifications/")
    assert b"Newsletters of my branch" in page.content and b'name="kinds"' in page.content
    client.post("/newsletters/preferences/", {"kinds": ["branch", "campaign"]})
    assert set(NewsletterOptOut.objects.filter(member=officers["member"]).values_list("kind", flat=True)) == {
        "li", "consultation"}


def test_hostile_html_in_the_content_is_cleaned_where_it_is_stored(officers, branches):
    hostile = ('<p onclick="steal()">Hi<script>alert(1)</script><img src=x onerror=alert(2)>'
               '<a href="javascript:alert(3)">x</a><![CDATA[><script>alert(4)</script>]]></p>')
    newsletter = write(officers["paris_officer"], branch=branches["paris"],
                       subject="Hello\r\nBcc: everyone@example.org",
                       body=[("rich_text", RichText(hostile)), ("heading", "<script>alert(5)</script>")])
    newsletter.refresh_from_db()
    assert "\n" not in newsletter.subject
    stored = newsletter.body.raw_data[0]["value"]
    assert "script" not in stored and "onclick" not in stored and "onerror" not in stored
    assert "javascript" not in stored
    services.send(newsletter, officers["paris_officer"])
    html = mail.outbox[0].alternatives[0][0]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(5)" in html


def test_a_hostile_first_name_goes_into_the_html_part_escaped(officers, branches, settings):
    from tests.workflows.conftest import make_member

    settings.EMAIL_BACKEND = "tests.newsletters.backends.BatchProviderBackend"
    BatchProviderBackend.reset()
    hostile = make_member("hostile@example.org", "H1", branches["paris"])
    hostile.first_name = '<img src=x onerror="alert(1)">'
    hostile.save()
    newsletter = write(officers["paris_officer"], branch=branches["paris"])
    services.send(newsletter, officers["paris_officer"])
    message = next(m for m in mail.outbox if "hostile@example.org" in m.to)
    merge = message.anymail_test_params["merge_data"]["hostile@example.org"]
    assert merge["name"] == '<img src=x onerror="alert(1)">'  # the text part: as typed
    assert merge["name_html"] == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    html = message.alternatives[0][0]
    assert "{{name_html}}" in html and "{{name}}" not in html
