"""The agenda email tells each follower the meeting's time in the place's zone, UK time and their
own zone (members in Sydney and New York), in winter and in summer time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from notifications import services
from tests.workflows.conftest import make_member
from workflows.models import Meeting, MeetingBody

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(("starts", "place_and_uk", "sydney", "new_york"), [
    (datetime(2027, 1, 12, 19, 30, tzinfo=PARIS),
     "Tuesday 12 January 2027, 19:30 (Europe/Paris) · 18:30 Tuesday UK time",
     " · 05:30 Wednesday your time", " · 13:30 Tuesday your time"),
    (datetime(2027, 7, 13, 19, 30, tzinfo=PARIS),
     "Tuesday 13 July 2027, 19:30 (Europe/Paris) · 18:30 Tuesday UK time",
     " · 03:30 Wednesday your time", " · 13:30 Tuesday your time"),
])
def test_each_follower_reads_the_agenda_email_in_their_own_time(people, branches, submitted_motion, starts,
                                                                  place_and_uk, sydney, new_york):
    in_sydney = make_member("sydney@example.org", "L70", branches["paris"], time_zone="Australia/Sydney")
    in_new_york = make_member("newyork@example.org", "L71", branches["berlin"], time_zone="America/New_York")
    in_paris = make_member("paris@example.org", "L72", branches["paris"])  # their branch's zone: Paris
    for member in (in_sydney, in_new_york, in_paris):
        services.follow(member, submitted_motion)
    mail.outbox.clear()
    Meeting.objects.create(body=MeetingBody.BRANCH, branch=branches["paris"], title="Paris branch meeting",
                           starts_at=starts, time_zone="Europe/Paris")
    sent = {m.to[0]: m for m in mail.outbox}
    assert f"Paris branch meeting, {place_and_uk}{sydney}." in sent["sydney@example.org"].body
    assert f"Paris branch meeting, {place_and_uk}{new_york}." in sent["newyork@example.org"].body
    assert f"Paris branch meeting, {place_and_uk}." in sent["paris@example.org"].body
    html = sent["sydney@example.org"].alternatives[0][0]
    assert f"{place_and_uk}{sydney}." in html and "[[" not in html
