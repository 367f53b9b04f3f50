"""Following items, branches and consultations; the emails followers get; digests; unsubscribe."""

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from notifications import services, tasks, tokens
from notifications.models import Follow, NotificationEvent, NotificationPreference, OutboxEmail
from tests.workflows.conftest import make_member, submit_motion
from workflows import services as workflow_services
from workflows.models import Meeting, MeetingBody


def carry(motion, officer):
    return workflow_services.record_decision(motion, "carried", officer, votes_for=10, votes_against=2)


def test_member_follows_and_unfollows_an_item_with_one_click(client, submitted_motion, people):
    client.force_login(people["member"])
    page = f"/motions/{submitted_motion.reference}/"
    assert "Follow this item" in client.get(page).content.decode()
    response = client.post("/motions/follow/", {"kind": "item", "key": submitted_motion.reference,
                                                "action": "follow", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert Follow.objects.filter(member=people["member"], item=submitted_motion).exists()
    assert "Unfollow" in client.get(page).content.decode()
    client.post("/motions/follow/", {"kind": "item", "key": submitted_motion.reference, "action": "unfollow"})
    assert not Follow.objects.filter(member=people["member"], item=submitted_motion).exists()


def test_following_needs_the_csrf_token(submitted_motion, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["member"])
    response = client.post("/motions/follow/", {"kind": "item", "key": submitted_motion.reference})
    assert response.status_code == 403
    assert not Follow.objects.filter(member=people["member"]).exists()


def test_a_visitor_is_asked_to_log_in_to_follow(client, submitted_motion):
    response = client.post("/motions/follow/", {"kind": "item", "key": submitted_motion.reference})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "Log in to follow" in client.get(f"/motions/{submitted_motion.reference}/").content.decode()


def test_member_follows_a_branch_and_a_consultation(client, people, branches, consultation):
    client.force_login(people["member"])
    client.post("/motions/follow/", {"kind": "branch", "key": "paris"})
    client.post("/motions/follow/", {"kind": "consultation", "key": consultation.slug})
    assert Follow.objects.filter(member=people["member"], branch=branches["paris"]).exists()
    assert Follow.objects.filter(member=people["member"], consultation=consultation).exists()
    html = client.get("/motions/?branch=paris").content.decode()
    assert "Following Paris branch" in html
    response = client.post("/motions/follow/", {"kind": "branch", "key": "atlantis"}, follow=True)
    assert "nothing to follow" in response.content.decode()


def test_proposer_and_seconders_follow_their_item_automatically(submitted_motion, people):
    reasons = dict(Follow.objects.filter(item=submitted_motion).values_list("member__email", "reason"))
    assert reasons == {"proposer@example.org": "proposer", "seconder@example.org": "seconder"}


@override_settings(SITE_URL="https://tracker.test")
def test_follower_gets_an_email_when_put_on_an_agenda_and_when_decided(people, branches, submitted_motion):
    follower = people["member"]
    services.follow(follower, submitted_motion)
    mail.outbox.clear()
    meeting = Meeting.objects.create(body=MeetingBody.BRANCH, branch=branches["paris"], title="Paris June meeting",
                                     starts_at=timezone.now() + timedelta(days=5))
    agenda = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(agenda) == 1 and "Paris June meeting" in agenda[0].subject
    assert "(Europe/Paris) · " in agenda[0].body and " UK time" in agenda[0].body
    mail.outbox.clear()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))  # it has begun
    meeting.refresh_from_db()
    workflow_services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=10,
                                      votes_against=2, meeting=meeting, decided_on=timezone.localdate())
    to_follower = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(to_follower) == 1
    message = to_follower[0]
    next_stage = submitted_motion.current_stage.name
    assert f"New stage: {next_stage}" in message.body
    assert f"https://tracker.test/motions/{submitted_motion.reference}/#timeline" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://tracker.test/motions/unsubscribe/")
    html = message.alternatives[0][0]
    assert "Unsubscribe</a>" in html
    # The proposer and seconder hear too, each exactly once.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([follower.email, "proposer@example.org",
                                                            "seconder@example.org"])
    assert OutboxEmail.objects.filter(kind="decision", status="sent").count() == 3


def test_branch_and_consultation_followers_hear_about_their_items(people, branches):
    berlin_member = make_member("watcher@example.org", "L99", branches["berlin"])
    services.follow(berlin_member, branches["paris"])
    motion = submit_motion(people)
    mail.outbox.clear()
    carry(motion, people["paris_officer"])
    assert [m.to for m in mail.outbox].count(["watcher@example.org"]) == 1
    berlin_motion_followers = Follow.objects.filter(branch=branches["berlin"]).count()
    assert berlin_motion_followers == 0


def test_proposer_always_hears_about_decisions_even_after_unfollowing(people, submitted_motion):
    services.unfollow(people["proposer"], submitted_motion)
    mail.outbox.clear()
    carry(submitted_motion, people["paris_officer"])
    assert ["proposer@example.org"] in [m.to for m in mail.outbox]


def test_the_decision_receiver_only_enqueues_one_task(people, submitted_motion):
    for n in range(20):
        services.follow(make_member(f"f{n}@example.org", f"F{n}"), submitted_motion)
    with mock.patch("notifications.receivers.async_task") as enqueue:
        carry(submitted_motion, people["paris_officer"])
    calls = [c for c in enqueue.call_args_list if c.args[0] == "notifications.tasks.fan_out_decision"]
    assert len(calls) == 1 and enqueue.call_count == 1
    assert not OutboxEmail.objects.filter(kind="decision").exists()  # nothing built in the request


def test_fanning_out_twice_sends_nothing_twice(people, submitted_motion):
    services.follow(people["member"], submitted_motion)
    mail.outbox.clear()
    decision = carry(submitted_motion, people["paris_officer"])
    first = len(mail.outbox)
    tasks.fan_out_decision(decision.pk)
    tasks.retry_due_emails()
    assert len(mail.outbox) == first == 3
    assert OutboxEmail.objects.filter(kind="decision").count() == 3 and NotificationEvent.objects.filter(decision=decision).count() == 1


def test_weekly_digest_replaces_the_immediate_emails(people, submitted_motion):
    reader = people["member"]
    services.follow(reader, submitted_motion)
    services.set_delivery(reader, NotificationPreference.Delivery.WEEKLY)
    NotificationPreference.objects.filter(member=reader).update(last_digest_at=timezone.now() - timedelta(days=7))
    mail.outbox.clear()
    carry(submitted_motion, people["paris_officer"])
    assert reader.email not in [m.to[0] for m in mail.outbox]
    mail.outbox.clear()
    tasks.send_weekly_digests()
    digests = [m for m in mail.outbox if m.to == [reader.email]]
    assert len(digests) == 1
    assert submitted_motion.reference in digests[0].body and "carried" in digests[0].body
    assert "List-Unsubscribe" in digests[0].extra_headers
    tasks.send_weekly_digests()  # the same week again: nothing new, nothing twice
    assert len([m for m in mail.outbox if m.to == [reader.email]]) == 1


def test_preferences_page_lets_a_member_choose_the_digest(client, people, submitted_motion):
    client.force_login(people["proposer"])
    html = client.get("/motions/notifications/").content.decode()
    assert submitted_motion.reference in html and "weekly digest" in html
    client.post("/motions/notifications/", {"delivery": "weekly"})
    assert NotificationPreference.objects.get(member=people["proposer"]).delivery == "weekly"
    response = client.post("/motions/notifications/", {"delivery": "hourly"}, follow=True)
    assert NotificationPreference.objects.get(member=people["proposer"]).delivery == "weekly"
    assert "Choose how often" in response.content.decode()
    assert client.get("/motions/notifications/").status_code == 200
    client.logout()
    assert client.get("/motions/notifications/").status_code == 302


def test_unsubscribe_link_stops_the_follow_without_logging_in(client, people, submitted_motion):
    services.follow(people["member"], submitted_motion)
    token = tokens.make_token(people["member"].pk, f"item:{submitted_motion.pk}")
    # Opening the link (or a mail scanner fetching it) changes nothing: it asks.
    response = client.get(f"/motions/unsubscribe/{token}/")
    assert response.status_code == 200 and "Unsubscribe?" in response.content.decode()
    assert f"emails about {submitted_motion.reference}" in response.content.decode()
    assert Follow.objects.filter(member=people["member"], item=submitted_motion).exists()
    response = client.post(f"/motions/unsubscribe/{token}/")
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert not Follow.objects.filter(member=people["member"], item=submitted_motion).exists()
    # The page offers to stop everything, and says that this stops newsletters and event reminders too.
    assert "Stop all emails</button>" in response.content.decode()
    assert "newsletters" in response.content.decode() and "event reminders" in response.content.decode()
    mail.outbox.clear()
    carry(submitted_motion, people["paris_officer"])
    assert people["member"].email not in [m.to[0] for m in mail.outbox]
    client.post(f"/motions/unsubscribe/{token}/", {"undo": "1"})
    assert Follow.objects.filter(member=people["member"], item=submitted_motion).exists()


def test_one_click_post_stops_all_emails(client, people, submitted_motion):
    token = tokens.make_token(people["proposer"].pk, tokens.ALL)
    assert "motion tracker emails, newsletters and event reminders" in client.get(
        f"/motions/unsubscribe/{token}/").content.decode()
    response = client.post(f"/motions/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(member=people["proposer"]).stopped_at is not None
    mail.outbox.clear()
    carry(submitted_motion, people["paris_officer"])
    assert "proposer@example.org" not in [m.to[0] for m in mail.outbox]


def test_forged_or_expired_unsubscribe_token_changes_nothing(client, people, submitted_motion):
    token = tokens.make_token(people["proposer"].pk, tokens.ALL)
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    for bad in (forged, "not-a-token", tokens.make_token(people["proposer"].pk, "item:abc")):
        response = client.get(f"/motions/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
    with override_settings(UNSUBSCRIBE_TOKEN_MAX_AGE=timedelta(seconds=-1)):
        response = client.post(f"/motions/unsubscribe/{token}/")
        assert response.status_code == 400 and "expired" in response.content.decode()
    assert not NotificationPreference.objects.filter(member=people["proposer"], stopped_at__isnull=False).exists()
    assert Follow.objects.filter(member=people["proposer"], item=submitted_motion).exists()


@override_settings(EMAIL_BACKEND="tests.notifications.backends.FlakyProviderBackend")
def test_provider_fails_three_times_then_recovers_and_every_email_arrives_once(people, submitted_motion):
    from tests.notifications.backends import FlakyProviderBackend

    followers = [make_member(f"reader{n}@example.org", f"R{n}") for n in range(4)]
    for member in followers:
        services.follow(member, submitted_motion)
    FlakyProviderBackend.reset(failures=3)
    carry(submitted_motion, people["paris_officer"])
    expected = sorted([m.email for m in followers] + ["proposer@example.org", "seconder@example.org"])
    assert OutboxEmail.objects.filter(status="failed").count() == 3  # the first three sends failed
    failed = OutboxEmail.objects.filter(status="failed").first()
    assert "503" in failed.last_error and failed.next_attempt_at > timezone.now()
    for _ in range(10):  # the retry path: each sweep once the backoff has passed
        if not OutboxEmail.objects.exclude(status="sent").exists():
            break
        OutboxEmail.objects.filter(status="failed").update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        tasks.retry_due_emails()
    assert sorted(m.to[0] for m in FlakyProviderBackend.delivered) == expected
    assert OutboxEmail.objects.filter(kind="decision", status="sent").count() == len(expected)
    assert OutboxEmail.objects.filter(attempts=2).count() == 3
    # Sending the same rows again (a duplicated task) sends nothing more.
    tasks.send_batch(list(OutboxEmail.objects.values_list("pk", flat=True)))
    tasks.retry_due_emails()
    assert len(FlakyProviderBackend.delivered) == len(expected)


@override_settings(EMAIL_BACKEND="tests.notifications.backends.FlakyProviderBackend")
def test_officer_gives_up_on_an_email_or_retries_it_now(client, people, submitted_motion, django_user_model):
    from tests.notifications.backends import FlakyProviderBackend

    FlakyProviderBackend.reset(failures=100)
    carry(submitted_motion, people["paris_officer"])
    stuck = OutboxEmail.objects.filter(status="failed").order_by("pk")
    assert stuck.count() == 2
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(admin)
    listing = client.get("/admin/outbox/?status=failed")
    assert listing.status_code == 200 and "503" in listing.content.decode()
    first, second = stuck
    assert client.get(f"/admin/outbox/{first.pk}/give-up/").status_code == 200
    client.post(f"/admin/outbox/{first.pk}/give-up/")
    first.refresh_from_db()
    assert first.status == "given_up" and first.given_up_by == admin
    tasks.retry_due_emails()
    OutboxEmail.objects.filter(pk=first.pk, status="given_up").update(next_attempt_at=timezone.now())
    tasks.retry_due_emails()
    first.refresh_from_db()
    assert first.status == "given_up"  # the sweep never retries what an officer gave up
    FlakyProviderBackend.reset(failures=0)
    client.post(f"/admin/outbox/{second.pk}/retry/")
    second.refresh_from_db()
    assert second.status == "sent" and len(FlakyProviderBackend.delivered) == 1
    member_client = Client()
    member_client.force_login(people["member"])
    assert member_client.post(f"/admin/outbox/{first.pk}/retry/").status_code in (302, 403)
    first.refresh_from_db()
    assert first.status == "given_up"


def test_the_worker_has_a_weekly_digest_and_a_retry_schedule(db):
    from django_q.models import Schedule

    digest = Schedule.objects.get(func="notifications.tasks.send_weekly_digests")
    retry = Schedule.objects.get(func="notifications.tasks.retry_due_emails")
    assert digest.schedule_type == Schedule.WEEKLY and digest.repeats == -1
    assert retry.schedule_type == Schedule.MINUTES and retry.minutes == 1
