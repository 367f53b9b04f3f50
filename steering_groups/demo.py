"""Demo steering groups: Communications, Procedures, Branch Development, with members and
conveners drawn from the demo accounts; and their proposals, whose history the workflow demo
tells (`tell_proposals`, registered through workflows.kinds). Groups, memberships and proposals
are read from fixtures/demo/steering_groups.toml. Idempotent (looked up by slug, member, and kind
and title)."""

from cms.fixtures import read_toml
from cms.models import Member
from workflows.models import ItemKind

from .models import SteeringGroup, SteeringGroupMembership

GROUPS_FILE = "demo/steering_groups.toml"


def read_groups():
    """The demo groups: dicts of slug, name, remit, conveners and members (emails)."""
    return read_toml(GROUPS_FILE)["group"]


def read_proposals():
    """The demo proposals: (group slug, title, text)."""
    return [(entry["group"], entry["title"], entry["text"]) for entry in read_toml(GROUPS_FILE)["proposal"]]


def seed(stdout):
    count = 0
    groups = read_groups()
    for spec in groups:
        group, _ = SteeringGroup.objects.get_or_create(slug=spec["slug"],
                                                       defaults={"name": spec["name"], "remit": spec["remit"]})
        for role, emails in ((SteeringGroupMembership.Role.CONVENER, spec["conveners"]),
                             (SteeringGroupMembership.Role.MEMBER, spec["members"])):
            for member in Member.objects.filter(email__in=emails):
                SteeringGroupMembership.objects.update_or_create(group=group, member=member, defaults={"role": role})
                count += 1
    stdout.write(f"Steering groups: {len(groups)} groups, {count} memberships.")


# The outcomes, in order, from the first stage on (as workflows.demo's scenarios).
PROPOSAL_SCENARIOS = [
    ["carried", "carried", "carried"], ["carried", "carried"], ["carried"], [], ["carried", "fell"],
    ["carried_as_amended", "carried", "carried"], ["carried", "referred_back"],
]


def tell_proposals(story):
    """Each demo proposal's history, told by the workflow demo's `story` (workflows.demo.Story):
    proposed by the group's first member, decided by its conveners, then the LIEC and the GC."""
    groups = {group.slug: group for group in SteeringGroup.objects.all()}
    created = 0
    for n, (group_slug, title, text) in enumerate(read_proposals()):
        group = groups.get(group_slug)
        if group is None:
            continue
        proposer = group.memberships.select_related("member").order_by("pk").first().member
        scenario = PROPOSAL_SCENARIOS[n % len(PROPOSAL_SCENARIOS)]
        created += story.tell(ItemKind.PROPOSAL, title, f"<p>{text}</p>", proposer, None, scenario, n + 200,
                              steering_group=group)
    return created
