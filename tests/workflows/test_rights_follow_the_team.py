"""A branch officer's rights come from the branch's team group (MicrositeTeam.group), not from
the text of a name: renaming the branch, which its own officers may do, takes nothing away, and
two branches with the same name keep their officers apart."""

from datetime import timedelta

from django.utils import timezone

from cms.models import BranchPage
from workflows import permissions, services
from workflows.models import Meeting, MeetingBody

from .conftest import make_member, submit_motion


def test_renaming_a_branch_leaves_its_officer_deciding_and_scheduling(people, branches):
    paris, officer = branches["paris"], people["paris_officer"]
    motion = submit_motion(people)
    paris.title = "Paris and Île-de-France"
    paris.save_revision().publish()
    officer = type(officer).objects.get(pk=officer.pk)  # a new request: nothing cached
    paris = BranchPage.objects.get(pk=paris.pk)
    assert paris.title == "Paris and Île-de-France"
    assert permissions.is_branch_officer(officer, paris)
    assert list(permissions.deciding_items_for(officer)) == [motion.item_ptr]
    assert permissions.can_schedule_meeting(officer, MeetingBody.BRANCH, paris)
    meeting = Meeting.objects.create(body=MeetingBody.BRANCH, branch=paris, title="Renamed branch meeting",
                                     starts_at=timezone.now() - timedelta(minutes=1))
    assert list(permissions.meetings_run_by(officer)) == [meeting]
    services.record_decision(motion, "carried", officer, votes_for=9, votes_against=1, meeting=meeting)
    motion.refresh_from_db()
    assert motion.history()[0].stage_name == "Branch meeting"


def test_two_branches_with_one_name_keep_their_officers_apart(people, branches):
    index = branches["paris"].get_parent()
    namesake = index.add_child(instance=BranchPage(title="Paris", slug="paris-texas", region=branches["paris"].region,
                                                   country="United States", time_zone="America/Chicago"))
    texan = make_member("officer.texas@example.org", "T9", namesake, is_staff=True)
    texan.groups.add(namesake.microsite_team.group)
    assert namesake.microsite_team.group != branches["paris"].microsite_team.group
    motion = submit_motion(people)  # a motion of the first Paris
    texan = type(texan).objects.get(pk=texan.pk)
    assert permissions.is_branch_officer(texan, namesake)
    assert not permissions.is_branch_officer(texan, branches["paris"])
    assert not permissions.can_decide(texan, motion)
    assert list(permissions.deciding_items_for(texan)) == []
    assert motion.item_ptr not in permissions.items_visible_in_admin(texan)
    paris_officer = type(texan).objects.get(pk=people["paris_officer"].pk)
    assert not permissions.is_branch_officer(paris_officer, namesake)
    assert list(permissions.officer_branches(paris_officer)) == [branches["paris"]]
