"""Demo steering groups: Communications, Procedures, Branch Development, with members and
conveners drawn from the demo accounts. Idempotent (looked up by slug and member)."""

from cms.models import Member

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
