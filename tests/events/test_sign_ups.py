"""Members answer an event in one click; officers of its own branch see who comes; places and a
waiting list that moves up by itself; a reminder the day before in each member's own time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cms.models import EventPage
from cms.privacy import erase_member
from events import reminders, services, waiting_list
from events.models import EventSignUp, ReminderOptOut
from notifications.models import OutboxEmail
from tests.workflows.conftest import make_member

pytestmark = pytest.mark.django_db


def add_event(branch, starts_at=None, **extra):
    starts_at = starts_at or timezone.now() + timedelta(days=7)
    return branch.add_child(instance=EventPage(title="Paris summer social", slug=f"social-{starts_at:%H%M%S%f}",
                                               starts_at=starts_at, place="Café de la Paix",
                                               online_link="https://meet.example.org/paris", **extra))


@pytest.fixture
def event(branches):
    return add_event(branches["paris"])


def test_a_member_answers_in_one_click_and_can_change_their_mind(people, event):
    client = Client()
    client.force_login(people["member"])
    response = client.post(f"/events/{event.pk}/answer/", {"answer": "going"})
    assert response.status_code == 302
    assert EventSignUp.objects.get(event=event, member=people["member"]).answer == "going"
    client.post(f"/events/{event.pk}/answer/", {"answer": "going"})  # a double click
    assert EventSignUp.objects.filter(event=event).count() == 1
    client.post(f"/events/{event.pk}/answer/", {"answer": "maybe"})
    assert EventSignUp.objects.get(event=event).answer == "maybe"
    page = client.get(event.url)
    assert b"Your answer: <strong>Maybe</strong>" in page.content


def test_answering_needs_a_post_with_csrf_and_a_member(people, event):
    assert Client().post(f"/events/{event.pk}/answer/", {"answer": "going"})["Location"].startswith("/login/")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["member"])
    assert strict.post(f"/events/{event.pk}/answer/", {"answer": "going"}).status_code == 403
    assert Client().get(f"/events/{event.pk}/answer/").status_code == 405
    assert not EventSignUp.objects.exists()


def test_nonsense_answers_and_past_events_are_refused(people, branches):
    past = add_event(branches["paris"], timezone.now() - timedelta(days=1))
    with pytest.raises(services.SignUpError):
        services.answer(past, people["member"], "going")
    future = add_event(branches["paris"])
    with pytest.raises(services.SignUpError):
        services.answer(future, people["member"], "<script>")
    assert not EventSignUp.objects.exists()


def test_the_page_shows_no_one_elses_name_and_visitors_a_sign_in_link(people, event):
    services.answer(event, people["proposer"], "going")
    visitor = Client().get(event.url)
    assert b"Sign in</a> to say whether you are going" in visitor.content
    assert b"Proposer" not in visitor.content
    member = Client()
    member.force_login(people["member"])
    assert b"Proposer" not in member.get(event.url).content


def test_capacity_and_a_waiting_list_that_moves_up(people, event):
    services.set_capacity(event, 2, people["paris_officer"])
    first = services.answer(event, people["proposer"], "going")
    second = services.answer(event, people["seconder"], "going")
    third = services.answer(event, people["member"], "going")
    fourth = services.answer(event, people["secretary"], "going")
    assert (first.waiting, second.waiting, third.waiting, fourth.waiting) == (False, False, True, True)
    assert services.headcount(event) == {"going": 2, "waiting": 2, "maybe": 0, "not_going": 0}
    services.answer(event, people["proposer"], "not_going")
    assert not EventSignUp.objects.get(pk=third.pk).waiting  # the first waiting moved up
    assert EventSignUp.objects.get(pk=fourth.pk).waiting
    services.set_capacity(event, 5, people["paris_officer"])
    assert not EventSignUp.objects.get(pk=fourth.pk).waiting
    services.set_capacity(event, 1, people["paris_officer"])  # lowering takes no place away
    assert services.headcount(event)["going"] == 3


def test_an_erased_member_frees_their_place(people, event):
    services.set_capacity(event, 1, people["paris_officer"])
    services.answer(event, people["proposer"], "going")
    waiting = services.answer(event, people["member"], "going")
    erase_member(people["proposer"])
    assert not EventSignUp.objects.get(pk=waiting.pk).waiting


def test_paris_officers_see_names_and_export_but_not_berlin_officers(people, event):
    services.answer(event, people["member"], "going")
    paris = Client()
    paris.force_login(people["paris_officer"])
    page = paris.get(f"/admin/event-sign-ups/{event.pk}/")
    assert page.status_code == 200 and b"Member Tester" in page.content
    assert b"member@example.org" not in page.content  # names for the venue, never addresses
    csv = paris.get(f"/admin/event-sign-ups/{event.pk}/export.csv")
    assert csv.status_code == 200 and b"Member Tester,Going" in csv.content
    assert b"Paris summer social" in paris.get("/admin/event-sign-ups/").content
    berlin = Client()
    berlin.force_login(people["berlin_officer"])
    for url in (f"/admin/event-sign-ups/{event.pk}/", f"/admin/event-sign-ups/{event.pk}/export.csv"):
        response = berlin.get(url)
        assert response.status_code in (302, 403) and b"Member Tester" not in response.content
    assert berlin.post(f"/admin/event-sign-ups/{event.pk}/", {"places": "0"}).status_code in (302, 403)
    assert services.places_of(event) is None
    assert b"Paris summer social" not in berlin.get("/admin/event-sign-ups/").content
    with pytest.raises(services.SignUpError):
        services.set_capacity(event, 3, people["berlin_officer"])


def test_csv_cells_are_never_formulas(people, event):
    people["member"].first_name = "=HYPERLINK(\"http://evil\")"
    people["member"].save()
    services.answer(event, people["member"], "going")
    client = Client()
    client.force_login(people["paris_officer"])
    assert b"'=HYPERLINK" in client.get(f"/admin/event-sign-ups/{event.pk}/export.csv").content


def test_reminder_the_day_before_at_ten_in_each_members_own_zone(people, branches):
    sydney = make_member("sydney@example.org", "S1", branches["paris"], time_zone="Australia/Sydney")
    paris_member = people["proposer"]  # no zone of their own: their branch's (Paris)
    # 19:00 Paris time on 10 July 2030 = 03:00 on 11 July in Sydney
    starts = datetime(2030, 7, 10, 19, 0, tzinfo=ZoneInfo("Europe/Paris"))
    event = add_event(branches["paris"], starts)
    services.answer(event, sydney, "going")
    services.answer(event, paris_member, "going")
    services.answer(event, people["seconder"], "maybe")
    sydney_due = datetime(2030, 7, 10, 10, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    paris_due = datetime(2030, 7, 9, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert reminders.send_reminders(now=paris_due - timedelta(minutes=1)) == 0
    assert reminders.send_reminders(now=paris_due) == 1
    assert [m.to for m in mail.outbox] == [["proposer@example.org"]]
    assert reminders.send_reminders(now=paris_due + timedelta(hours=1)) == 0  # never twice
    assert reminders.send_reminders(now=sydney_due - timedelta(minutes=1)) == 0
    assert reminders.send_reminders(now=sydney_due) == 1
    message = mail.outbox[1]
    assert message.to == ["sydney@example.org"]
    assert "Thursday 11 July, 03:00 your time (Australia/Sydney)" in message.body
    assert "19:00 (Europe/Paris)" in message.body
    assert "18:00 Wednesday UK time" in message.body
    assert "https://meet.example.org/paris" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_moved_event_is_reminded_again_and_waiting_or_opted_out_members_are_not(people, branches):
    starts = timezone.now() + timedelta(hours=20)
    event = add_event(branches["paris"], starts)
    services.set_capacity(event, 1, people["paris_officer"])
    services.answer(event, people["proposer"], "going")
    services.answer(event, people["member"], "going")  # waiting
    ReminderOptOut.objects.create(member=people["seconder"])
    services.set_capacity(event, 1, people["paris_officer"])
    now = starts - timedelta(hours=2)
    assert reminders.send_reminders(now=now) == 1
    EventPage.objects.filter(pk=event.pk).update(starts_at=starts + timedelta(hours=3))
    assert reminders.send_reminders(now=now) == 1
    assert OutboxEmail.objects.filter(kind="reminder", member=people["proposer"]).count() == 2
    assert not OutboxEmail.objects.filter(member=people["member"]).exists()


def test_one_click_unsubscribe_stops_reminders(people, branches):
    starts = timezone.now() + timedelta(hours=20)
    event = add_event(branches["paris"], starts)
    services.answer(event, people["proposer"], "going")
    # Two hours before the start the reminder is due whatever the hour of the run (at 03:30 UK
    # time, "now" is before 10:00 the day before an event 20 hours on).
    reminders.send_reminders(now=starts - timedelta(hours=2))
    url = mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert Client().post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert ReminderOptOut.objects.filter(member=people["proposer"]).exists()


def test_a_member_who_moves_up_from_the_waiting_list_is_told_once_in_their_own_time(people, branches):
    sydney = make_member("siobhan@example.org", "S2", branches["paris"], time_zone="Australia/Sydney")
    # 19:00 Paris time on 10 July 2030 = 03:00 on 11 July in Sydney
    event = add_event(branches["paris"], datetime(2030, 7, 10, 19, 0, tzinfo=ZoneInfo("Europe/Paris")))
    services.set_capacity(event, 1, people["paris_officer"])
    services.answer(event, people["proposer"], "going")
    waiting = services.answer(event, sydney, "going")
    services.answer(event, people["member"], "going")  # second on the list
    assert waiting.waiting and not mail.outbox  # going on the waiting list sends nothing

    services.answer(event, people["proposer"], "not_going")
    assert not EventSignUp.objects.get(pk=waiting.pk).waiting
    assert [m.to for m in mail.outbox] == [["siobhan@example.org"]]  # the one who moved up, not the next
    message = mail.outbox[0]
    assert message.subject == "You have a place: Paris summer social, Thursday 11 July 03:00 your time"
    assert "Dear Siobhan," in message.body
    assert "Thursday 11 July, 03:00 your time (Australia/Sydney)" in message.body
    assert "19:00 (Europe/Paris)" in message.body and "18:00 Wednesday UK time" in message.body
    assert "https://meet.example.org/paris" in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    row = OutboxEmail.objects.get(member=sydney)
    assert row.kind == "moved_up" and row.get_kind_display() == "Place from an event's waiting list"
    assert row.status == OutboxEmail.Status.SENT

    # The same move, looked at again (another request moving the list up, a retry): no second email.
    services.move_up(event)
    assert waiting_list.tell_moved_up([waiting.pk]) == 0
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.filter(kind="moved_up").count() == 1

    # Raising the places moves the next one up: told once too.
    services.set_capacity(event, 3, people["paris_officer"])
    assert [m.to for m in mail.outbox[1:]] == [[people["member"].email]]

    # Leaving and coming back onto a full list, then moving up again, is a new move: told again.
    services.set_capacity(event, 2, people["paris_officer"])
    services.answer(event, sydney, "maybe")
    services.answer(event, people["seconder"], "going")
    services.answer(event, sydney, "going")
    assert EventSignUp.objects.get(pk=waiting.pk).waiting
    services.answer(event, people["seconder"], "not_going")
    assert [m.to for m in mail.outbox[2:]] == [["siobhan@example.org"]]
    assert OutboxEmail.objects.filter(kind="moved_up", member=sydney).count() == 2


def test_a_member_who_stopped_all_emails_moves_up_without_an_email(people, event):
    from notifications.models import NotificationPreference

    NotificationPreference.objects.create(member=people["member"], stopped_at=timezone.now())
    services.set_capacity(event, 1, people["paris_officer"])
    services.answer(event, people["proposer"], "going")
    services.answer(event, people["member"], "going")
    services.answer(event, people["proposer"], "not_going")
    assert not EventSignUp.objects.get(event=event, member=people["member"]).waiting
    assert not mail.outbox and not OutboxEmail.objects.filter(kind="moved_up").exists()
