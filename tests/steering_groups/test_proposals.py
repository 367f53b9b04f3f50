"""Steering-group proposals: from the group, to the LIEC, to GC ratification."""

import pytest

from steering_groups.models import Proposal, SteeringGroup, SteeringGroupMembership
from tests.workflows.conftest import make_member
from workflows import services
from workflows.exceptions import DecisionError, ItemError
from workflows.models import ItemStatus
from workflows.permissions import deciding_items_for


@pytest.fixture
def comms_group(people):
    group = SteeringGroup.objects.create(name="Communications", slug="communications")
    convener = make_member("convener@example.org", "L20")
    SteeringGroupMembership.objects.create(group=group, member=convener, role="convener")
    SteeringGroupMembership.objects.create(group=group, member=people["proposer"], role="member")
    return group, convener


def test_convener_moves_a_proposal_to_the_liec_and_the_gc_adopts_it(people, comms_group):
    group, convener = comms_group
    proposal = services.create_draft("proposal", people["proposer"], title="A members' newsletter",
                                     text="<p>Send a monthly newsletter.</p>", steering_group=group)
    assert proposal.reference is None and proposal.branch is None  # a draft gets its reference when submitted
    services.submit_item(proposal, people["proposer"])
    proposal.refresh_from_db()
    assert proposal.reference.startswith("SG-")
    assert proposal.current_stage.name == "Steering group"
    assert list(deciding_items_for(convener)) == [proposal.item_ptr]
    with pytest.raises(DecisionError):
        services.record_decision(proposal, "carried", people["secretary"], votes_for=4, votes_against=1)
    services.record_decision(proposal, "carried", convener, votes_for=6, votes_against=1)
    assert proposal.current_stage.name == "LIEC"
    with pytest.raises(DecisionError):
        services.record_decision(proposal, "carried", convener, votes_for=6, votes_against=1)
    services.record_decision(proposal, "carried", people["secretary"], votes_for=9, votes_against=2)
    services.record_decision(proposal, "carried", people["secretary"], votes_for=40, votes_against=3)
    proposal.refresh_from_db()
    assert proposal.status == ItemStatus.FINISHED
    assert [d.stage_name for d in proposal.history()] == ["Steering group", "LIEC", "GC ratification"]


def test_only_group_members_propose_for_a_group(people, comms_group):
    group, _ = comms_group
    with pytest.raises(ItemError, match="Only members"):
        services.create_draft("proposal", people["member"], title="T", text="<p>x</p>", steering_group=group)
    assert not Proposal.objects.exists()


def test_a_convener_of_another_group_cannot_decide(people, comms_group):
    group, _ = comms_group
    procedures = SteeringGroup.objects.create(name="Procedures", slug="procedures")
    other = make_member("other@example.org", "L21")
    SteeringGroupMembership.objects.create(group=procedures, member=other, role="convener")
    proposal = services.create_draft("proposal", people["proposer"], title="T", text="<p>x</p>", steering_group=group)
    services.submit_item(proposal, people["proposer"])
    with pytest.raises(DecisionError, match="may not"):
        services.record_decision(proposal, "carried", other, votes_for=3, votes_against=0)
    assert list(deciding_items_for(other)) == []
