"""A member in Sydney signs in and reads her home: her branch's next meeting in her own time as well as
the place's and UK time, her motion, at a desktop's and a phone's width with nothing wider than the
screen; an anonymous visitor reads LI's news and how to join, and nothing of hers."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cms import times
from tests.cms.helpers import add_news

from .conftest import sign_in
from .test_accessibility import serious_violations

PHONE = 390
# 19:30 on Tuesday 5 March 2030 in Sydney = 08:30 UK time (GMT), the same morning
SYDNEY_EVENING = datetime(2030, 3, 5, 19, 30, tzinfo=ZoneInfo("Australia/Sydney"))


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_sydney_member_reads_her_home_and_a_visitor_reads_the_news(live_server, browser, demo_site, settings):
    from cms.models import Member
    from workflows import services
    from workflows.models import Meeting

    settings.SITE_URL = live_server.url
    sydney = demo_site["sydney"]
    Meeting.objects.create(body="branch", branch=sydney, title="Sydney branch meeting", starts_at=SYDNEY_EVENING,
                           place="Trades Hall")
    member = Member.objects.create_user(email="siobhan@example.org", password="demo", branch=sydney,
                                        first_name="Siobhan", membership_number="S1", time_zone="Australia/Sydney",
                                        paid_up_until=date.today() + timedelta(days=100))
    services.create_draft("motion", member, title="Votes for Life now", text="<p>Votes for Life.</p>")
    add_news(demo_site["paris"], 2)

    for width, height in ((1280, 900), (PHONE, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server.url, "siobhan@example.org")
        page.goto(f"{live_server.url}/")
        assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Siobhan"
        branch = page.locator("section", has=page.get_by_role("heading", name="Next at Sydney"))
        when = branch.locator(".event-when").first.inner_text()
        assert "Tuesday 5 March 2030, 19:30 (Australia/Sydney)" in when
        assert times.Moment(SYDNEY_EVENING, "Australia/Sydney").uk_text in when  # "08:30 Tuesday UK time"
        motions = page.locator("section", has=page.get_by_role("heading", name="Your motions"))
        assert "Votes for Life now" in motions.inner_text()
        assert "A draft, not yet submitted" in motions.inner_text()
        assert "Times are shown in your time zone too (Australia/Sydney)" in page.locator("main").inner_text()
        assert fits_the_width(page), f"sideways scroll at {width} px"
        assert serious_violations(page) == [], f"at {width} px"
        context.close()

    for width, height in ((1280, 900), (PHONE, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        visitor = context.new_page()
        visitor.goto(f"{live_server.url}/")
        news = visitor.locator("section", has=visitor.get_by_role("heading", name="Latest news"))
        assert "Paris news 0" in news.inner_text()
        assert visitor.get_by_role("heading", name="How to join").is_visible()
        text = visitor.locator("main").inner_text()
        assert "Siobhan" not in text and "Votes for Life now" not in text and "Sydney branch meeting" not in text
        assert fits_the_width(visitor), f"sideways scroll at {width} px"
        context.close()
