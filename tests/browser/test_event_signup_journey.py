"""Members sign up for an event on its page in a real browser: a member in Sydney takes the last
place on a wide screen, a member in New York lands on the waiting list on a phone; each reads the
time in their own zone as well as the place's and UK time; when the place comes free, the waiting
member moves up and is told by email."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tests.cms.helpers import add_event

from .conftest import signed_in

PHONE = 390


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def answer(page, label):
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    return your_answer(page)


def your_answer(page):
    return page.locator(".event-sign-up").get_by_role("status").inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_last_place_then_the_waiting_list_in_each_members_own_time(live_server, browser, demo_site, settings):
    from cms.models import Member
    from events import services
    from events.models import EventSignUp

    settings.SITE_URL = live_server.url
    paris = demo_site["paris"]
    # 19:00–21:00 in Paris on Wednesday 10 July 2030 (CEST) = 03:00 Thursday in Sydney, 13:00 in New York
    event = add_event(paris, "Paris summer social", datetime(2030, 7, 10, 19, 0, tzinfo=ZoneInfo("Europe/Paris")),
                      place="Café de la Paix")
    services.set_capacity(event, 1, Member.objects.get(email="officer.paris@example.org"))
    Member.objects.create_user(email="sydney.member@example.org", password="x", branch=demo_site["sydney"],
                               first_name="Siobhan", time_zone="Australia/Sydney")
    Member.objects.create_user(email="ny.member@example.org", password="x", branch=demo_site["new-york"],
                               first_name="Nadia", time_zone="America/New_York")
    url = f"{live_server.url}{event.url}"

    # Each reads the time in their own zone at both widths, the line never wider than the phone.
    for email, yours in [("sydney.member@example.org", "03:00–05:00 Thursday your time"),
                         ("ny.member@example.org", "13:00–15:00 Wednesday your time")]:
        for width in (1280, PHONE):
            page = signed_in(browser, live_server.url, email, width=width)
            page.goto(url)
            assert yours in page.locator(".event-when").inner_text()
            assert fits_the_width(page)
            page.context.close()

    sydney = signed_in(browser, live_server.url, "sydney.member@example.org", width=1280)
    sydney.goto(url)
    when = sydney.locator(".event-when").inner_text()
    assert "03:00–05:00 Thursday your time" in when
    assert "19:00–21:00" in when and "Europe/Paris" in when and "18:00–20:00 Wednesday UK time" in when
    assert "1 place left" in sydney.locator(".event-sign-up").inner_text()
    assert answer(sydney, "Going") == "Your answer: Going."
    assert "Full" in sydney.locator(".event-sign-up").inner_text()

    new_york = signed_in(browser, live_server.url, "ny.member@example.org", width=PHONE, height=800)
    new_york.goto(url)
    when = new_york.locator(".event-when").inner_text()
    assert "13:00–15:00 Wednesday your time" in when and "03:00" not in when
    assert "Full: answering “Going” puts you on the waiting list" in new_york.locator(".event-sign-up").inner_text()
    assert answer(new_york, "Going") == "Your answer: Going, on the waiting list (number 1)."
    assert fits_the_width(new_york)
    going = new_york.get_by_role("button", name="Going", exact=True)
    assert going.get_attribute("aria-pressed") == "true"
    box = going.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE and box["height"] >= 44  # a thumb's target

    # Siobhan cannot come after all: Nadia moves up, sees her place, and is told by email in her time.
    mail.outbox.clear()
    assert answer(sydney, "Not going") == "Your answer: Not going."
    assert not EventSignUp.objects.get(event=event, member__email="ny.member@example.org").waiting
    new_york.reload()
    assert your_answer(new_york) == "Your answer: Going."
    assert [m.to for m in mail.outbox] == [["ny.member@example.org"]]
    assert "Wednesday 10 July, 13:00 your time (America/New_York)" in mail.outbox[0].body
    for page in (sydney, new_york):
        page.context.close()

