"""Demo data for officer elections, built with the app's own services. Idempotent.

- "LIEC elections 2025": the 2023-style positions with nominations (some unopposed, some vacant,
  some contested, a job-share, a branch nomination, a withdrawal, an invalid one), ballots from
  demo voters, a count with a proposed and confirmed gender-quota adjustment, published.
  Publishing filled the register of LIEC officers (admin › Elections › Register of officers).
- "LIEC by-election 2026": the posts left vacant, nominations open now (try /elections/); Youth
  Officer is contested (Dan Young, Ella Green): its count judges the quota on the whole LIEC.
The secretary@ and returning@ demo accounts get the election roles. The 2025 candidates are read
from fixtures/demo/election_2025_candidates.toml; the posts from the guide (elections.reference).
"""

import random
import zoneinfo
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from cms.fixtures import read_toml
from cms.models import BranchPage
from workflows.models import Meeting, MeetingBody

from . import services
from .models import UK, Election, Office, Position
from .policies import RETURNING_OFFICER, SECRETARY
from .reference import load_offices

FULL_ELECTION = "liec-elections-2025"
BY_ELECTION = "liec-by-election-2026"

CANDIDATES_FILE = "demo/election_2025_candidates.toml"
VOTERS = 90


def read_candidacies():
    """The 2025 election's candidacies, post by post: {post key: [(candidates, weight)]}, candidates a
    tuple of (first, last, woman), two for a job-share; the weight is the candidacy's popularity (of
    first preferences in the demo ballots)."""
    candidacies = {}
    for entry in read_toml(CANDIDATES_FILE)["candidacy"]:
        people = tuple((person["first_name"], person["last_name"], person["woman"]) for person in entry["candidates"])
        candidacies.setdefault(entry["post"], []).append((people, entry["weight"]))
    return candidacies


def uk(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute), UK)


def seed(stdout):
    officers = seed_roles()
    if officers is None:
        stdout.write("Elections: skipped (the site's demo accounts are missing).")
        return
    secretary, returning = officers
    if not Election.objects.filter(slug=FULL_ELECTION).exists():
        seed_full_election(secretary, returning)
    if not Election.objects.filter(slug=BY_ELECTION).exists():
        seed_by_election(secretary)
    stdout.write("Elections: LIEC elections 2025 (published), LIEC by-election 2026 (nominations open).")


def seed_roles():
    """The secretary and returning officer roles (groups shared with the rest of the site)."""
    Member = get_user_model()
    secretary = Member.objects.filter(email="secretary@example.org").first()
    returning = Member.objects.filter(email="returning@example.org").first()
    if secretary is None or returning is None:
        return None
    for name, codename, member in ((SECRETARY, "manage_elections", secretary),
                                   (RETURNING_OFFICER, "run_count", returning)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(Permission.objects.get(codename=codename, content_type__app_label="elections"))
        member.groups.add(group)
    # The register of LIEC officers: kept by the secretary, read by the returning officer.
    register = {SECRETARY: ["add_officeholder", "change_officeholder", "delete_officeholder", "view_officeholder"],
                RETURNING_OFFICER: ["view_officeholder"]}
    for name, codenames in register.items():
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(content_type__app_label="elections", codename__in=codenames))
    return Member.objects.get(pk=secretary.pk), Member.objects.get(pk=returning.pk)


def demo_member(first, last, woman_hint=None, branch=None):
    """A demo member who does not log in (no usable password), paid up for a year."""
    Member = get_user_model()
    email = f"{first}.{last}.demo@example.org".lower().replace(" ", "")
    member = Member.objects.filter(email=email).first()
    if member is None:
        member = Member(email=email, first_name=first, last_name=last)
        member.set_unusable_password()
        member.membership_number = f"D{Member.objects.filter(email__endswith='.demo@example.org').count() + 300001}"
    member.paid_up_until = date.today() + timedelta(days=365)
    if branch is not None:
        member.branch = branch
    member.save()
    return member


def ensure_offices():
    """The guide's posts come from a data migration; a test database flushed since then lacks them."""
    if not Office.objects.exists():
        load_offices(Office)


def seed_full_election(secretary, returning):
    ensure_offices()
    election = services.create_election(
        title="LIEC elections 2025", slug=FULL_ELECTION, by=secretary,
        nominations_open=uk(2025, 2, 19), nominations_close=uk(2025, 3, 13, 23, 59),
        ballot_open=uk(2025, 3, 20), ballot_close=uk(2025, 4, 10, 23, 59),
    )
    positions = {p.key: p for p in election.positions.all()}
    during_nominations = uk(2025, 3, 1, 12)
    proposers = [demo_member("Pat", "Proposer"), demo_member("Sam", "Seconder"), demo_member("Jo", "Supporter")]
    paris = BranchPage.objects.filter(slug="paris").first()
    paris_officer = get_user_model().objects.filter(email="officer.paris@example.org").first()
    popularity = {}
    for key, candidacies in read_candidacies().items():
        for index, (pair, weight) in enumerate(candidacies):
            holders = [demo_member(first, last) for first, last, _woman in pair]
            restricted = bool(positions[key].restriction)
            by_branch = key == "secretary" and index == 0 and paris is not None and paris_officer is not None
            if by_branch:
                paris_officer.groups.add(paris_team_group(paris))
                paris_officer = get_user_model().objects.get(pk=paris_officer.pk)
            nomination = services.submit_nomination(
                position=positions[key], submitted_by=paris_officer if by_branch else holders[0],
                candidate=holders[0], partner=holders[1] if len(holders) > 1 else None,
                proposer=proposers[index % 3], seconder=proposers[(index + 1) % 3],
                statement=statement(pair, positions[key]),
                # The candidate's own declarations, when they submit their own nomination.
                candidate_is_woman=None if by_branch else pair[0][2],
                candidate_declares_eligible=restricted and not by_branch,
                branch=paris if by_branch else None,
                branch_meeting=paris_nomination_meeting(paris) if by_branch else None, now=during_nominations,
            )
            consent_all(nomination, [w for _first, _last, w in pair], now=during_nominations)
            popularity[nomination.pk] = weight
    # A candidate who withdrew, and a nomination the secretary ruled invalid.
    withdrawn = services.submit_nomination(
        position=positions["treasurer"], submitted_by=proposers[0], candidate=demo_member("Bernard", "Quayle"),
        proposer=proposers[0], seconder=proposers[1], statement="Steady hands for LI's accounts.",
        now=during_nominations)
    consent_all(withdrawn, [False], now=during_nominations)
    services.withdraw_nomination(withdrawn, by=withdrawn.candidate, now=uk(2025, 3, 5),
                                 reason="I have taken on a new job and cannot give the post the time it needs.")
    invalid = services.submit_nomination(
        position=positions["youth-officer"], submitted_by=proposers[1], candidate=demo_member("Zac", "Young"),
        proposer=proposers[1], seconder=proposers[2], statement="Young members first.", now=during_nominations)
    consent_all(invalid, [False], now=during_nominations)
    services.rule_nomination_invalid(invalid, by=secretary, reason="The candidate withdrew their age declaration.")
    election = services.close_nominations(election, by=secretary, now=uk(2025, 3, 14, 9))

    rng = random.Random(2025)
    contested = list(services.contested_positions(election))
    branches = list(BranchPage.objects.order_by("title"))
    for number in range(1, VOTERS + 1):
        # Voters spread over the branches: regional coordinators are elected by their region's members.
        voter = demo_member("Voter", f"{number:03d}", branch=branches[number % len(branches)] if branches else None)
        on_paper = set(services.ballot_paper(election, voter)[0])
        rankings = {}
        for position in contested:
            standing = list(position.valid_nominations)
            if rng.random() < 0.08:
                continue  # leaves this post blank
            order = []
            while standing:
                pick = rng.choices(standing, weights=[popularity[n.pk] for n in standing])[0]
                order.append(pick)
                standing.remove(pick)
            if position in on_paper:
                rankings[position] = order[: rng.randint(1, len(order))]
        if any(rankings.values()):
            services.cast_ballot(election, voter=voter, rankings=rankings, now=uk(2025, 3, 25, 10))
    count = services.run_count(election, by=returning, seed=2025, now=uk(2025, 4, 12, 10))
    for adjustment in count.adjustments.order_by("order"):
        services.confirm_adjustment(adjustment, by=returning, now=uk(2025, 4, 12, 11))
    services.publish_results(election, by=returning, now=uk(2025, 4, 16, 18))
    return election


def consent_all(nomination, women, now):
    """Everyone the demo nomination names confirms it (as they would from the emailed link),
    the candidates making their own declarations."""
    restricted = bool(nomination.position.restriction)
    for role, woman in (("candidate", women[0]), ("partner", women[1] if len(women) > 1 else False),
                        ("proposer", False), ("seconder", False)):
        member = getattr(nomination, role)
        if member is not None and not nomination.consented(role):
            nomination = services.confirm_consent(nomination, role, by=member, declares_eligible=restricted,
                                                  is_woman=woman if role in ("candidate", "partner") else None,
                                                  now=now)
    return nomination


def paris_team_group(paris):
    """The Paris branch's team group (its officers), whose members may nominate for the branch."""
    team = getattr(paris, "microsite_team", None)
    return team.group if team is not None else Group.objects.get_or_create(name="Paris branch officers")[0]


def paris_nomination_meeting(paris):
    """The Paris branch meeting (held) that decided its nomination for Secretary."""
    meeting, _ = Meeting.objects.get_or_create(
        body=MeetingBody.BRANCH, branch=paris, title="Paris branch meeting: LIEC nominations",
        defaults={"starts_at": timezone.make_aware(datetime(2025, 2, 25, 19), zoneinfo.ZoneInfo("Europe/Paris")),
                  "time_zone": "Europe/Paris", "place": "Online"},
    )
    return meeting


def statement(pair, position):
    if len(pair) > 1:
        names = " and ".join(f"{first} {last}" for first, last, _ in pair)
        opening = f"We, {names}, are standing together for {position.title}. We will"
    else:
        opening = f"I am standing for {position.title}. I will"
    return (f"{opening} connect members across every time zone, run fair and open meetings, and campaign for a "
            "Labour government.")


def seed_by_election(secretary):
    """A by-election for the posts the 2025 election left vacant, open for nominations now."""
    ensure_offices()
    now = timezone.now()
    start = timezone.localtime(now, UK).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=3)
    election = services.create_election(
        title="LIEC by-election 2026", slug=BY_ELECTION, by=secretary,
        nominations_open=start, nominations_close=start + timedelta(days=21, hours=23, minutes=59),
        ballot_open=start + timedelta(days=28), ballot_close=start + timedelta(days=49, hours=23, minutes=59),
    )
    full = Election.objects.filter(slug=FULL_ELECTION).first()
    vacant = set(full.positions.filter(outcome=Position.VACANT).values_list("key", flat=True)) if full else set()
    if vacant:
        election.positions.exclude(key__in=vacant).delete()
    candidate = demo_member("Lucy", "Carer")
    nomination = services.submit_nomination(
        position=election.positions.get(key="disability-carers-officer") if "disability-carers-officer" in vacant
        else election.positions.order_by("sort_order").first(),
        submitted_by=candidate, candidate=candidate, proposer=demo_member("Pat", "Proposer"),
        seconder=demo_member("Sam", "Seconder"), statement="I care for my father and know what access means.",
        candidate_is_woman=True, candidate_declares_eligible=True,
    )
    consent_all(nomination, [True], now=timezone.now())
    if "youth-officer" in vacant:
        # A contested post: the quota is judged with the officers in post (the register the 2025
        # results filled), never on this by-election's posts alone.
        for first, last, woman in (("Dan", "Young", False), ("Ella", "Green", True)):
            candidate = demo_member(first, last)
            nomination = services.submit_nomination(
                position=election.positions.get(key="youth-officer"), submitted_by=candidate, candidate=candidate,
                proposer=demo_member("Pat", "Proposer"), seconder=demo_member("Jo", "Supporter"),
                statement=f"I am {first}, 24, and I will bring young members abroad into LI's campaigns.",
                candidate_is_woman=woman, candidate_declares_eligible=True,
            )
            consent_all(nomination, [woman], now=timezone.now())
    return election

