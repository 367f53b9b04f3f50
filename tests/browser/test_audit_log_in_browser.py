"""In a real browser: the Paris officer records a decision on the meeting's decision screen, then
opens Reports › Site history and reads who recorded what."""

from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import signed_in
from .test_meeting_journeys import waiting_motion


@pytest.mark.django_db(transaction=True)
def test_paris_officer_records_a_decision_then_reads_it_in_site_history(live_server, browser, demo_site):
    from workflows.models import Meeting, MeetingBody

    paris = demo_site["paris"]
    motion = waiting_motion(paris, "Votes for Life now", 7)
    meeting = Meeting.objects.create(body=MeetingBody.BRANCH, branch=paris, title="Paris audit meeting",
                                     starts_at=timezone.now() + timedelta(days=2), time_zone=paris.time_zone)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))

    officer = signed_in(browser, live_server.url, "officer.paris@example.org")
    officer.goto(f"{live_server.url}/admin/workflow/meetings/{meeting.pk}/decisions/")
    officer.get_by_label(f"Outcome for {motion.reference}").select_option("carried")
    officer.get_by_label(f"Votes for {motion.reference}").fill("11")
    officer.get_by_label(f"Votes against {motion.reference}").fill("2")
    officer.get_by_role("button", name="Record these decisions").click()
    officer.get_by_text("1 agenda item recorded.").wait_for()

    officer.goto(f"{live_server.url}/admin/")
    officer.get_by_role("button", name="Reports").click()
    officer.get_by_role("link", name="Site history").click()
    officer.wait_for_url("**/admin/reports/site-history/")
    entry = officer.locator("tr", has_text=f"Recorded “Carried” for {motion.reference}")
    entry.first.wait_for()
    text = entry.first.inner_text()
    assert "at Paris branch (11 for, 2 against) (Paris audit meeting)" in text
    assert motion.title in text
    officer.context.close()
