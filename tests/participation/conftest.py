from datetime import date, timedelta

import pytest
from django.utils import timezone

from elections.models import Office, OfficeHolder
from workflows import services as engine
from workflows.models import Meeting, MeetingBody, Outcome

from ..workflows.conftest import branches, consultation, make_member, people, submit_motion  # noqa: F401 (fixtures)


@pytest.fixture
def gc(people, branches):  # noqa: F811 (the fixtures imported above)
    """A GC running now (started 10 minutes ago), a voting officer (the secretary, chair in post), a
    delegate and a substitute from Paris and a delegate from Berlin, and a Paris motion waiting at
    the GC's stage (carried by its branch meeting)."""
    from participation.models import Delegate

    office, _ = Office.objects.get_or_create(key="chair", defaults={"title": "Chair", "order": 1, "officer": True})
    OfficeHolder.objects.create(office=office, holder=people["secretary"], held_from=date.today() - timedelta(days=30))
    paris, berlin = branches["paris"], branches["berlin"]
    people["paris_delegate"] = make_member("delegate.paris@example.org", "L20", paris, time_zone="Australia/Sydney")
    people["paris_substitute"] = make_member("substitute.paris@example.org", "L21", paris)
    people["berlin_delegate"] = make_member("delegate.berlin@example.org", "L22", berlin, time_zone="America/New_York")
    Delegate.objects.create(branch=paris, member=people["paris_delegate"], since=date.today() - timedelta(days=10))
    Delegate.objects.create(branch=paris, member=people["paris_substitute"], role=Delegate.Role.SUBSTITUTE,
                            since=date.today() - timedelta(days=10))
    Delegate.objects.create(branch=berlin, member=people["berlin_delegate"], since=date.today() - timedelta(days=10))
    motion = submit_motion(people)
    engine.record_decision(motion, Outcome.CARRIED, people["paris_officer"], votes_for=9, votes_against=1)
    meeting = Meeting.objects.create(body=MeetingBody.GC, title="General Committee, November",
                                     starts_at=timezone.now() - timedelta(minutes=10),
                                     ends_at=timezone.now() + timedelta(hours=2))
    engine.build_agenda(meeting)
    motion.refresh_from_db()
    return {"meeting": meeting, "motion": motion, "entry": meeting.agenda.get(item=motion)}
