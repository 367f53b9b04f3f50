"""A branch officer schedules their own branch's meetings in the admin, sees the waiting items
on the agenda and records the meeting's decisions; never another branch's meetings, nor the
LIEC's or the GC's."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from workflows.models import Decision, Meeting, MeetingBody

ADD_URL = "/admin/workflow/branch-meetings/new/"
LIST_URL = "/admin/workflow/branch-meetings/"


def local_in(days, zone="Europe/Paris"):
    """A date and time `days` from now as typed in the branch's zone (datetime-local format)."""
    return (timezone.now() + timedelta(days=days)).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT19:00")


def test_paris_officer_schedules_a_meeting_and_records_its_decision(client, people, branches, submitted_motion):
    client.force_login(people["paris_officer"])
    starts = local_in(10)
    response = client.post(ADD_URL, {"branch": branches["paris"].pk, "title": "", "starts_local": starts,
                                      "place": "Café de la Gare", "online_link": ""})
    assert response.status_code == 302, response.content.decode()[:2000]

    meeting = Meeting.objects.get()
    assert (meeting.body, meeting.branch, meeting.time_zone) == (MeetingBody.BRANCH, branches["paris"], "Europe/Paris")
    assert meeting.title == "Paris branch meeting"
    assert meeting.local_starts_at.strftime("%Y-%m-%dT%H:%M") == starts  # typed in Paris time
    assert [e.item_id for e in meeting.agenda.all()] == [submitted_motion.pk]

    listing = client.get(LIST_URL).content.decode()
    assert "Paris branch meeting" in listing and f"/admin/workflow/meetings/{meeting.pk}/decisions/" in listing
    assert "/admin/workflow/branch-meetings/" in client.get("/admin/").content.decode()

    entry = meeting.agenda.get()
    screen = f"/admin/workflow/meetings/{meeting.pk}/decisions/"
    assert submitted_motion.reference in client.get(screen).content.decode()
    row = {"record": "1", f"e{entry.pk}-outcome": "carried", f"e{entry.pk}-votes_for": "12",
           f"e{entry.pk}-votes_against": "1"}
    refused = client.post(screen, row)  # the meeting is in ten days: it has decided nothing yet
    assert refused.status_code == 200 and "has not started yet" in refused.content.decode()
    assert not Decision.objects.exists()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))  # it has begun
    response = client.post(screen, row)
    assert response.status_code == 302
    decision = Decision.objects.get(item=submitted_motion)
    assert (decision.meeting, decision.outcome, decision.votes_for) == (meeting, "carried", 12)


def test_paris_officer_cannot_schedule_for_berlin_nor_the_gc(client, people, branches):
    client.force_login(people["paris_officer"])
    response = client.post(ADD_URL, {"branch": branches["berlin"].pk, "starts_local": local_in(5, "Europe/Berlin"),
                                     "place": "Berlin"})
    assert response.status_code == 200
    assert response.context["form"].errors["branch"]
    # The Secretary's meeting screens (where LIEC and GC meetings are made) refuse them.
    response = client.post("/admin/meeting/new/", {"body": "gc", "title": "GC", "starts_at": "2099-01-01 19:00",
                                                   "time_zone": "Europe/London", "minutes_status": "draft"})
    assert response.status_code in (302, 403)
    assert not Meeting.objects.exists()


def test_paris_officer_sees_only_paris_meetings_and_cannot_touch_berlin_ones(client, people, branches):
    soon = timezone.now() + timedelta(days=7)
    Meeting.objects.create(body="branch", branch=branches["paris"], title="Paris spring meeting", starts_at=soon)
    berlin = Meeting.objects.create(body="branch", branch=branches["berlin"], title="Berlin spring meeting",
                                    starts_at=soon)
    Meeting.objects.create(body="gc", title="GC spring meeting", starts_at=soon)
    client.force_login(people["paris_officer"])
    listing = client.get(LIST_URL).content.decode()
    assert "Paris spring meeting" in listing
    assert "Berlin spring meeting" not in listing and "GC spring meeting" not in listing
    assert client.get(f"/admin/workflow/branch-meetings/{berlin.pk}/edit/").status_code == 404
    assert client.post(f"/admin/workflow/branch-meetings/{berlin.pk}/cancel/").status_code == 404
    assert Meeting.objects.filter(pk=berlin.pk).exists()


def test_a_meeting_in_the_past_is_refused(client, people, branches):
    client.force_login(people["paris_officer"])
    response = client.post(ADD_URL, {"branch": branches["paris"].pk, "starts_local": local_in(-1), "place": "Paris"})
    assert response.status_code == 200
    assert "in the past" in response.context["form"].errors["starts_local"][0]
    assert not Meeting.objects.exists()


def test_paris_officer_moves_and_cancels_a_future_meeting_and_its_items_go_to_the_next(
    client, people, branches, submitted_motion
):
    first = Meeting.objects.create(body="branch", branch=branches["paris"], title="First",
                                   starts_at=timezone.now() + timedelta(days=3), place="Paris")
    second = Meeting.objects.create(body="branch", branch=branches["paris"], title="Second",
                                    starts_at=timezone.now() + timedelta(days=20), place="Paris")
    assert list(first.agenda.values_list("item", flat=True)) == [submitted_motion.pk]
    client.force_login(people["paris_officer"])
    response = client.post(f"/admin/workflow/branch-meetings/{first.pk}/edit/", {
        "branch": branches["paris"].pk, "title": "First, moved", "starts_local": local_in(4), "place": "Paris"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "First, moved"

    assert client.post(f"/admin/workflow/branch-meetings/{first.pk}/cancel/").status_code == 302
    assert not Meeting.objects.filter(pk=first.pk).exists()
    assert list(second.agenda.values_list("item", flat=True)) == [submitted_motion.pk]


def test_a_meeting_has_a_real_end_time_shown_on_its_page_and_in_the_calendars(client, people, branches):
    client.force_login(people["paris_officer"])
    starts, ends = local_in(10), local_in(10).replace("T19:00", "T21:30")
    refused = client.post(ADD_URL, {"branch": branches["paris"].pk, "title": "", "starts_local": starts,
                                     "ends_local": starts.replace("T19:00", "T18:00"), "place": "Café de la Gare"})
    assert refused.status_code == 200 and "The meeting must end after it starts." in refused.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(ADD_URL, {"branch": branches["paris"].pk, "title": "", "starts_local": starts,
                                      "ends_local": ends, "place": "Café de la Gare"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.ends_at, ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M") == ends
    assert "19:00–21:30 (Europe/Paris)" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    utc_end = meeting.ends_at.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    for feed in ("/branches/paris/events.ics", "/motions/meetings.ics"):
        body = client.get(feed).content.decode().replace("\r\n ", "")
        assert f"UID:meeting-{meeting.pk}@" in body and f"DTEND:{utc_end}" in body, feed
