"""The workflow tests' branches and people (Paris, Berlin), with the LI officers who write
newsletters, and "after commit" made real inside the test's transaction."""

import pytest
from django.contrib.auth.models import Group

from tests.notifications.conftest import on_commit_runs_when_the_services_transaction_closes  # noqa: F401
from tests.workflows.conftest import branches, consultation, make_member, people  # noqa: F401
from workflows.permissions import COMMUNICATIONS_OFFICER


@pytest.fixture
def officers(people, branches):  # noqa: F811
    """People plus the communications officer and Europe's regional coordinator, and more members."""
    region = branches["paris"].region
    comms = make_member("comms@example.org", "L30", branches["paris"], groups=[COMMUNICATIONS_OFFICER],
                        is_staff=True)
    coordinator = make_member("coordinator@example.org", "L31", branches["berlin"], is_staff=True)
    region.coordinator = coordinator
    region.save()
    Group.objects.get_or_create(name=COMMUNICATIONS_OFFICER)
    return {**people, "comms": comms, "coordinator": coordinator,
            "paris_member": make_member("amelie@example.org", "L32", branches["paris"]),
            "berlin_member": make_member("bernd@example.org", "L33", branches["berlin"])}
