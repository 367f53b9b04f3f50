"""A hybrid General Committee in a real browser, on the seeded demo's accounts: two delegates, one
in Sydney on a phone and one in New York at a desk, check in online on the meeting's page; the
secretary (in the room, a voting officer) takes the register and opens a poll on the motion; the
delegates vote on their screens (a second vote is refused); the teller's room count is typed in,
one too many is refused, the poll closes and the motion's timeline says how it was decided."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from .conftest import signed_in


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page, name):
    if os.environ.get("SCREENSHOTS_DIR"):
        folder = Path(os.environ["SCREENSHOTS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def hybrid_gc(demo_site):
    from django.contrib.auth.models import Group

    from cms.models import Member
    from elections.models import Office, OfficeHolder
    from participation.models import BodyRule, Delegate
    from workflows import services
    from workflows.models import Meeting, MeetingBody, Outcome

    BodyRule.objects.create(body=MeetingBody.GC, quorum_percent=50)
    paid = date.today() + timedelta(days=300)
    sydney = Member.objects.create_user(email="delegate.sydney@example.org", password="demo", first_name="Sia",
                                        last_name="Delegate", membership_number="D1", branch=demo_site["paris"],
                                        paid_up_until=paid, time_zone="Australia/Sydney")
    new_york = Member.objects.create_user(email="delegate.newyork@example.org", password="demo", first_name="Nia",
                                          last_name="Delegate", membership_number="D2", branch=demo_site["berlin"],
                                          paid_up_until=paid, time_zone="America/New_York")
    for member, branch in ((sydney, demo_site["paris"]), (new_york, demo_site["berlin"])):
        Delegate.objects.create(branch=branch, member=member, since=date.today() - timedelta(days=30))
    secretary = Member.objects.get(email="secretary@example.org")
    secretary.groups.add(Group.objects.get(name="Secretary"))  # as workflows.demo makes her
    office, _ = Office.objects.get_or_create(key="chair", defaults={"title": "Chair", "order": 1, "officer": True})
    OfficeHolder.objects.create(office=office, holder=secretary, held_from=date.today() - timedelta(days=60))
    proposer = Member.objects.create_user(email="proposer.gc@example.org", password="x", membership_number="P1",
                                          branch=demo_site["paris"], paid_up_until=paid, first_name="Ada",
                                          last_name="Proposer")
    seconder = Member.objects.get(email="member@example.org")
    motion = services.create_draft("motion", proposer, title="Votes for Life now",
                                   text="<p>Restore votes for life.</p>", seconder_emails=[seconder.email])
    services.confirm_seconding(motion, seconder)
    services.submit_item(motion, proposer)
    services.record_decision(motion, Outcome.CARRIED, Member.objects.get(email="officer.paris@example.org"),
                             votes_for=12, votes_against=3)
    meeting = Meeting.objects.create(body=MeetingBody.GC, title="General Committee, November",
                                     starts_at=timezone.now() - timedelta(minutes=5),
                                     ends_at=timezone.now() + timedelta(hours=2), online_link="https://meet.example.org/gc")
    services.build_agenda(meeting)
    return {"meeting": meeting, "motion": motion}


@pytest.mark.django_db(transaction=True)
def test_a_hybrid_gc_decides_by_votes_online_and_in_the_room(live_server, browser, hybrid_gc):
    from participation.models import Poll

    meeting, motion = hybrid_gc["meeting"], hybrid_gc["motion"]
    meeting_url = f"{live_server.url}{meeting.get_absolute_url()}"

    # The delegates check in online: Sydney on a phone, New York at a desk.
    sydney = signed_in(browser, live_server.url, "delegate.sydney@example.org", width=390, height=844)
    new_york = signed_in(browser, live_server.url, "delegate.newyork@example.org")
    for delegate in (sydney, new_york):
        delegate.goto(meeting_url)
        delegate.get_by_role("button", name="Check in online").click()
        delegate.locator(".notice", has_text="You are checked in online").wait_for()

    # The secretary, in the room, ticks herself present and opens the poll.
    secretary = signed_in(browser, live_server.url, "secretary@example.org")
    secretary.goto(f"{live_server.url}/admin/participation/meetings/{meeting.pk}/")
    secretary.get_by_role("checkbox", name="Sam Secretary").check()
    secretary.get_by_role("button", name="Save the register").click()
    secretary.get_by_text("The register is saved.").wait_for()
    assert "Quorate: 3 of 3 voting members present (1 in the room, 2 online); 2 needed." in secretary.locator("#quorum").inner_text()
    secretary.get_by_role("button", name=f"Open a poll on {motion.reference}").click()
    secretary.get_by_text("is open").first.wait_for()

    # Each delegate votes on their own screen.
    for delegate, choice in ((sydney, "For"), (new_york, "Against")):
        delegate.goto(meeting_url)
        delegate.get_by_role("link", name=f"Vote on {motion.reference}").click()
        delegate.get_by_role("radio", name=choice, exact=True).check()
        delegate.get_by_role("button", name="Cast my vote").click()
        delegate.get_by_text(f"Your vote on {motion.reference} is recorded.").wait_for()
    assert no_sideways_scroll(sydney)
    shot(sydney, "live-poll-voted-390")

    # The secretary sees the online votes; one too many in the room is refused, then the count closes it.
    secretary.reload()
    assert "2 votes online so far" in secretary.locator(".poll-turnout").inner_text()
    secretary.get_by_label("For, in the room").fill("2")
    secretary.get_by_label("Against, in the room").fill("0")
    secretary.get_by_label("Abstaining, in the room").fill("0")
    secretary.get_by_role("button", name="Close the poll and record the decision").click()
    secretary.get_by_role("alert").filter(has_text="more than the 1 voting member registered in the room").wait_for()
    assert Poll.objects.get().closed_at is None
    secretary.get_by_label("For, in the room").fill("1")
    secretary.get_by_role("button", name="Close the poll and record the decision").click()
    secretary.get_by_text(f"{motion.reference}: Carried (2 for, 1 against, 0 abstentions).").wait_for()
    shot(secretary, "live-poll-closed-admin-1280")

    # Everyone reads the decision on the motion's timeline (Sydney on her phone).
    sydney.goto(f"{live_server.url}{motion.get_absolute_url()}")
    timeline = sydney.locator("#timeline").inner_text()
    assert "Decided by 2 votes online and 1 in the room (named poll)." in timeline
    assert no_sideways_scroll(sydney)
    shot(sydney, "motion-after-poll-390")
    for page in (sydney, new_york, secretary):
        page.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_phone_shows_the_ballot_close_in_the_members_own_time(live_server, browser, hybrid_gc):
    from cms.models import Member
    from participation import services

    motion = hybrid_gc["motion"]
    close = services.default_ballot_close()
    services.open_ballot(motion, Member.objects.get(email="secretary@example.org"), close)
    for email, width, zone_words in (("delegate.sydney@example.org", 390, "your time"),
                                     ("delegate.newyork@example.org", 1280, "your time")):
        reader = signed_in(browser, live_server.url, email, width=width, height=844)
        reader.goto(f"{live_server.url}{motion.get_absolute_url()}")
        card = reader.locator(".item-vote").inner_text()
        assert "You can vote until" in card and "23:59 (Europe/London)" in card and zone_words in card
        reader.get_by_role("link", name="Vote on this motion").click()
        reader.get_by_role("radio", name="For", exact=True).check()
        reader.get_by_role("button", name="Cast my vote").click()
        reader.get_by_text("is recorded").first.wait_for()
        assert no_sideways_scroll(reader)
        shot(reader, f"ballot-voted-{width}")
        reader.context.close()
