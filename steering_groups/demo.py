"""Demo steering groups: Communications, Procedures, Branch Development, with members and
conveners drawn from the demo accounts; and their proposals, whose history the workflow demo
tells (`tell_proposals`, registered through workflows.kinds). Idempotent (looked up by slug,
member, and kind and title)."""

from cms.models import Member
from workflows.models import ItemKind

from .models import SteeringGroup, SteeringGroupMembership

GROUPS = [
    ("communications", "Communications",
     "<p>How LI talks to its members and to the world: the website, newsletters, social media and "
     "the tone of our campaigns. Open to every member with an idea or a skill to offer.</p>"),
    ("procedures", "Procedures",
     "<p>Standing orders, the conduct of meetings, and how motions travel from branches to the GC "
     "and on to Conference. Reviews the rules so that every member can take part, in every time zone.</p>"),
    ("branch-development", "Branch Development",
     "<p>Starting, reviving and merging branches, welcoming new members, and sharing what works "
     "between branches on every continent.</p>"),
]

# group slug -> (convener emails, member emails)
MEMBERSHIPS = {
    "communications": (["comms@example.org"],
                       ["member@example.org", "officer.berlin@example.org", "officer.sydney@example.org"]),
    "procedures": (["secretary@example.org"],
                   ["officer.paris@example.org", "officer.new-york@example.org", "membership@example.org"]),
    "branch-development": (["membership@example.org", "officer.madrid@example.org"],
                           ["officer.east-africa@example.org", "officer.toronto@example.org", "member@example.org"]),
}


def seed(stdout):
    count = 0
    for slug, name, remit in GROUPS:
        group, _ = SteeringGroup.objects.get_or_create(slug=slug, defaults={"name": name, "remit": remit})
        conveners, members = MEMBERSHIPS[slug]
        for role, emails in ((SteeringGroupMembership.Role.CONVENER, conveners),
                             (SteeringGroupMembership.Role.MEMBER, members)):
            for member in Member.objects.filter(email__in=emails):
                SteeringGroupMembership.objects.update_or_create(group=group, member=member, defaults={"role": role})
                count += 1
    stdout.write(f"Steering groups: {len(GROUPS)} groups, {count} memberships.")


# steering group slug, title, text
PROPOSALS = [
    ("communications", "A monthly members' newsletter",
     "Send every member a monthly newsletter with branch news, motions in progress and upcoming meetings."),
    ("communications", "A style guide for branch websites",
     "Adopt a short style guide so that branch websites are accessible and consistent."),
    ("communications", "Social media rota for campaigns",
     "Share the work of LI's social media between volunteers from every region, on a published rota."),
    ("communications", "Translate key pages into French, Spanish and German",
     "Translate the joining and voter registration pages for members' families and partners."),
    ("communications", "Publish GC decisions within a week",
     "Publish the decisions of each GC meeting on the website within seven days."),
    ("procedures", "Standing orders for online meetings",
     "Adopt standing orders for online meetings: quorum, voting by poll and the chair's duties."),
    ("procedures", "A timetable for motions to Conference",
     "Publish each year the deadlines for motions to go from branches to the GC and on to Conference."),
    ("procedures", "Rotating GC meeting times",
     "Rotate GC meeting times between three slots so that every region can attend."),
    ("procedures", "Model rules for branches",
     "Adopt model rules for branches: officers, meetings, quorum and accounts."),
    ("procedures", "Electronic voting for the AGM",
     "Allow members who cannot attend the AGM to vote electronically on its motions."),
    ("branch-development", "A welcome call for every new member",
     "Branch officers call every new member within a month of joining."),
    ("branch-development", "Online branches for scattered members",
     "Create online branches for members who live far from any branch, by region."),
    ("branch-development", "A branch development fund",
     "Set aside a small fund for branches to hold their first meetings and events."),
    ("branch-development", "Merging inactive branches",
     "A procedure for merging inactive branches with neighbours, ratified by the GC."),
]

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
    for n, (group_slug, title, text) in enumerate(PROPOSALS):
        group = groups.get(group_slug)
        if group is None:
            continue
        proposer = group.memberships.select_related("member").order_by("pk").first().member
        scenario = PROPOSAL_SCENARIOS[n % len(PROPOSAL_SCENARIOS)]
        created += story.tell(ItemKind.PROPOSAL, title, f"<p>{text}</p>", proposer, None, scenario, n + 200,
                              steering_group=group)
    return created
