"""Meetings in a real browser: the Paris officer schedules a meeting at 19:30 Paris time and
everyone reads it right (a member in Sydney in their own time too); the meeting is on the
branch site once; the officer cannot record a decision before it starts, then records one
after; the secretary approves minutes only when every agenda item is decided or deferred; the
decision screen fits a 390 px phone."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cms import times

from .conftest import signed_in

PARIS = ZoneInfo("Europe/Paris")


def waiting_motion(branch, title, n):
    """A Paris motion, seconded and submitted: waiting for the branch meeting."""
    from cms.models import Member
    from workflows import services

    paid = date.today() + timedelta(days=100)
    proposer = Member.objects.create_user(email=f"proposer{n}@example.org", password="x", membership_number=f"B{n}1",
                                          branch=branch, paid_up_until=paid, first_name="Ada", last_name="Proposer")
    seconder = Member.objects.create_user(email=f"seconder{n}@example.org", password="x",
                                          membership_number=f"B{n}2", branch=branch, paid_up_until=paid,
                                          first_name="Bea", last_name="Seconder")
    motion = services.create_draft("motion", proposer, title=title, text=f"<p>{title}.</p>",
                                   seconder_emails=[seconder.email])
    services.confirm_seconding(motion, seconder)
    services.submit_item(motion, proposer)
    return motion


def begin(meeting):
    """Move the clock on: the meeting started a few minutes ago."""
    from workflows.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    meeting.refresh_from_db()


@pytest.mark.django_db(transaction=True)
def test_paris_officer_schedules_19_30_and_every_reader_sees_it_right(live_server, browser, demo_site):
    from cms.models import Member
    from workflows.models import Decision, Meeting

    paris = demo_site["paris"]
    motion = waiting_motion(paris, "Votes for Life now", 1)
    day = (timezone.now() + timedelta(days=10)).astimezone(PARIS).date()
    starts = datetime.combine(day, time(19, 30), tzinfo=PARIS)
    expected = times.Moment(starts, "Europe/Paris")

    # The Paris officer schedules the meeting in the admin, typing Paris time.
    officer = signed_in(browser, live_server.url, "officer.paris@example.org")
    officer.goto(f"{live_server.url}/admin/workflow/branch-meetings/new/")
    officer.get_by_label("Starts").fill(f"{day:%Y-%m-%d}T19:30")
    officer.get_by_label("Place").fill("Upstairs room, Café de la Gare")
    officer.get_by_label("Online link").fill("https://meet.example.org/paris-secret")
    officer.get_by_role("button", name="Save").click()
    officer.wait_for_url(re.compile(r".*/admin/workflow/branch-meetings/$"))
    assert f"{day.day} " in officer.content() and "19:30 (Europe/Paris)" in officer.content()
    meeting = Meeting.objects.get(branch=paris)
    assert meeting.starts_at == starts

    # Anyone reads 19:30 (Europe/Paris) and UK time on the public page; no online link for a visitor.
    visitor = browser.new_page()
    visitor.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    when = visitor.locator(".meeting-when").inner_text()
    assert when == f"{expected.local_text} · {expected.uk_text}"
    assert "19:30 (Europe/Paris)" in when and "UK time" in when
    assert "paris-secret" not in visitor.content()
    # The branch site shows this one meeting (no copy as an event page), and so does its calendar.
    visitor.goto(f"{live_server.url}/branches/paris/")
    assert visitor.locator("li.meeting", has_text="Paris branch meeting").count() == 1
    assert "paris-secret" not in visitor.content()
    feed = visitor.request.get(f"{live_server.url}/branches/paris/events.ics").text()
    assert feed.count(f"UID:meeting-{meeting.pk}@") == 1 and "paris-secret" not in feed

    # A member in Sydney sets their zone on their account page and reads the meeting in their time too.
    member = signed_in(browser, live_server.url, "member@example.org")
    member.goto(f"{live_server.url}/account/")
    member.get_by_label("Your time zone").select_option("Australia/Sydney")
    member.get_by_role("button", name="Save my time zone").click()
    member.wait_for_url(re.compile(r".*/account/$"))
    assert Member.objects.get(email="member@example.org").time_zone == "Australia/Sydney"
    member.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    yours = times.your_time_text(starts, "Europe/Paris", "Australia/Sydney")
    assert re.fullmatch(r"\d\d:30 (Wednesday|Thursday|Friday|Saturday|Sunday|Monday|Tuesday) your time", yours)
    assert member.locator(".meeting-when").inner_text() == f"{expected.local_text} · {expected.uk_text} · {yours}"
    assert member.get_by_role("link", name="Join the meeting online").get_attribute("href") == \
        "https://meet.example.org/paris-secret"

    # Before it starts, the officer's decision is refused where they acted; after, it is recorded.
    screen = f"{live_server.url}/admin/workflow/meetings/{meeting.pk}/decisions/"
    officer.goto(screen)
    officer.get_by_label(f"Outcome for {motion.reference}").select_option("carried")
    officer.get_by_label(f"Votes for {motion.reference}").fill("1234")
    officer.get_by_label(f"Votes against {motion.reference}").fill("12")
    officer.get_by_role("button", name="Record these decisions").click()
    officer.locator(".decision-screen__refused").wait_for()
    assert "Nothing was recorded" in officer.locator(".decision-screen__refused").inner_text()
    assert "has not started yet" in officer.locator(".decision-row--refused").inner_text()
    assert officer.get_by_label(f"Votes for {motion.reference}").input_value() == "1234"  # nothing lost
    assert not Decision.objects.exists()

    begin(meeting)
    officer.goto(screen)
    officer.get_by_label(f"Outcome for {motion.reference}").select_option("carried")
    officer.get_by_label(f"Votes for {motion.reference}").fill("1234")
    officer.get_by_label(f"Votes against {motion.reference}").fill("12")
    officer.get_by_role("button", name="Record these decisions").click()
    officer.get_by_text("1 agenda item recorded.").wait_for()
    decision = Decision.objects.get()
    assert (decision.meeting, decision.votes_for, decision.votes_against) == (meeting, 1234, 12)
    member.goto(f"{live_server.url}/motions/{motion.reference}/")
    assert "Next meeting to decide it" not in member.content()


@pytest.mark.django_db(transaction=True)
def test_secretary_approves_minutes_only_when_all_is_decided(live_server, browser, demo_site):
    from workflows import services
    from workflows.models import Meeting

    paris, berlin = demo_site["paris"], demo_site["berlin"]
    first, second = waiting_motion(paris, "Votes for Life now", 1), waiting_motion(berlin, "Overseas seats", 2)
    services.record_decision(first, "carried", services_officer("paris"), votes_for=9, votes_against=1)
    services.record_decision(second, "carried", services_officer("berlin"), votes_for=9, votes_against=1)
    gc = Meeting.objects.create(body="gc", title="General Committee, spring", starts_at=timezone.now() + timedelta(days=1))
    later = Meeting.objects.create(body="gc", title="General Committee, summer",
                                   starts_at=timezone.now() + timedelta(days=40))
    assert gc.agenda.count() == 2
    begin(gc)

    secretary_with_admin_access()
    secretary = signed_in(browser, live_server.url, "secretary@example.org")
    screen = f"{live_server.url}/admin/workflow/meetings/{gc.pk}/decisions/"
    secretary.goto(screen)
    secretary.get_by_label(f"Outcome for {first.reference}").select_option("carried")
    secretary.get_by_label(f"Votes for {first.reference}").fill("31")
    secretary.get_by_label(f"Votes against {first.reference}").fill("4")
    secretary.get_by_role("button", name="Record these decisions").click()
    secretary.get_by_text("1 agenda item recorded.").wait_for()

    # One item is neither decided nor deferred: the minutes are refused, and say why.
    editor = secretary.locator(".decision-screen__minutes [contenteditable=true]")
    editor.click()
    secretary.keyboard.type("Quorate. Apologies from Berlin.")
    secretary.get_by_label("Approve the minutes (publishes them to members)").check()
    secretary.get_by_role("button", name="Save the minutes").click()
    secretary.get_by_text("The minutes cannot be approved yet").wait_for()
    assert second.reference in secretary.content()
    gc.refresh_from_db()
    assert not gc.minutes_published

    # Deferred to the summer meeting, the last item no longer holds the minutes up.
    secretary.goto(screen)
    defer = secretary.get_by_label(f"Or defer {second.reference} to")
    assert "General Committee, summer" in defer.inner_text()
    defer.select_option(str(later.pk))
    secretary.get_by_role("button", name="Record these decisions").click()
    secretary.get_by_text("1 agenda item recorded.").wait_for()
    assert later.agenda.filter(item=second).exists()
    editor = secretary.locator(".decision-screen__minutes [contenteditable=true]")
    editor.click()
    secretary.keyboard.type("Quorate. Apologies from Berlin.")
    secretary.get_by_label("Approve the minutes (publishes them to members)").check()
    secretary.get_by_role("button", name="Save the minutes").click()
    secretary.get_by_text("Minutes approved and published to members.").wait_for()
    gc.refresh_from_db()
    assert gc.minutes_published and "Quorate. Apologies from Berlin." in gc.minutes


def secretary_with_admin_access():
    """The demo secretary in the "Secretary" group with admin access (what the role migration gives
    the group; a transactional test before this one may have emptied it)."""
    from django.contrib.auth.models import Group, Permission

    from cms.models import Member

    group, _ = Group.objects.get_or_create(name="Secretary")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    secretary = Member.objects.get(email="secretary@example.org")
    secretary.groups.add(group)
    return secretary


def services_officer(slug):
    from cms.models import Member

    return Member.objects.get(email=f"officer.{slug}@example.org")


@pytest.mark.django_db(transaction=True)
def test_the_decision_screen_fits_a_390_px_phone(live_server, browser, demo_site):
    from workflows.models import Meeting

    paris = demo_site["paris"]
    motion = waiting_motion(paris, "A motion with a rather long title about votes for life for every overseas voter", 1)
    meeting = Meeting.objects.create(body="branch", branch=paris, title="Paris branch meeting",
                                     starts_at=timezone.now() + timedelta(days=3), time_zone="Europe/Paris")
    begin(meeting)
    phone = signed_in(browser, live_server.url, "officer.paris@example.org", width=390, height=844)
    phone.goto(f"{live_server.url}/admin/workflow/meetings/{meeting.pk}/decisions/")
    votes = phone.get_by_label(f"Votes for {motion.reference}")
    votes.fill("1234")
    box = votes.bounding_box()
    assert box["width"] >= 70  # four digits and the spinner fit
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 390 px phone"
    for label in (f"Outcome for {motion.reference}", f"Votes against {motion.reference}",
                  f"Abstentions on {motion.reference}", f"Or defer {motion.reference} to"):
        field = phone.get_by_label(label)
        field_box = field.bounding_box()
        assert field_box["x"] >= 0 and field_box["x"] + field_box["width"] <= 390, label
