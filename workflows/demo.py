"""Demo data of the workflow engine: 60+ motions, policy submissions and items of the kinds other
apps register (steering-group proposals, told by steering_groups.demo through workflows.kinds)
at every stage, with a year of history (decisions with votes, recorded by the right demo
officers at past meetings with approved minutes), upcoming meetings whose agendas are built from
what waits for them, and an open NPF consultation.

Everything goes through workflows.services (inside `services.as_of(past moment)`), so the
history is the one the real screens would have written. Idempotent: an item is looked up by
kind and title, a meeting by its body and title, a member by email.
"""

import functools
import random
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.models import BranchPage, Member

from . import kinds, services
from .demo_content import (
    COMMISSIONS,
    motion_html,
    paragraphs_html,
    read_members,
    read_motions,
    read_policy_submissions,
)
from .exceptions import DecisionError
from .models import (
    UK_TIME_ZONE,
    AgendaEntry,
    Consultation,
    DecidingBody,
    Item,
    ItemKind,
    Meeting,
    MeetingBody,
    Outcome,
    PolicyCommission,
)
from .permissions import POLICY_OFFICER, RETURNING_OFFICER, SECRETARY

PASSWORD = "demo"

# Each scenario: the outcomes, in order, from the first stage on. "draft", "awaiting" and
# "withdraw" are what the proposer does instead.
MOTION_SCENARIOS = [
    ["carried", "carried", "sent"], ["carried", "carried"], ["carried"], [], ["fell"],
    ["carried_as_amended"], ["carried", "fell"], ["carried", "referred_back"], ["carried", "carried", "sent"],
    ["carried"], [], ["carried", "remitted"], "withdraw", ["ruled_out_of_order"], ["carried", "carried"],
    ["carried_as_amended", "carried", "sent"], [], ["carried"], "draft", "awaiting",
]
POLICY_SCENARIOS = [
    ["carried", "carried", "carried", "exported"], ["carried", "carried_as_amended", "carried"],
    ["carried", "carried"], ["carried"], [], ["carried", "referred_back"], ["fell"],
]


def seed(stdout):
    now = timezone.now()
    officers = seed_roles()
    branches = {b.slug: b for b in BranchPage.objects.all()}
    members = seed_members(branches)
    consultation = seed_consultation(now)
    gc_meetings = seed_committee_meetings(MeetingBody.GC, "General Committee", now, day=20, hour=13)
    liec_meetings = seed_committee_meetings(MeetingBody.LIEC, "LIEC", now, day=8, hour=18)
    story = Story(now, officers, branches, gc_meetings, liec_meetings)

    created = 0
    for n, (title, notes, believes, resolves) in enumerate(read_motions()):
        proposer, seconder = pick_pair(members, n)
        scenario = MOTION_SCENARIOS[n % len(MOTION_SCENARIOS)]
        text = motion_html(notes, believes, resolves, proposer.branch.title)
        created += story.tell(ItemKind.MOTION, title, text, proposer, seconder, scenario, n)
    for n, (title, commission_slug, paragraphs) in enumerate(read_policy_submissions()):
        proposer, seconder = pick_pair(members, n + 7)
        scenario = POLICY_SCENARIOS[n % len(POLICY_SCENARIOS)]
        commission = PolicyCommission.objects.get(slug=commission_slug)
        created += story.tell(ItemKind.POLICY_SUBMISSION, title, paragraphs_html(paragraphs), proposer, seconder,
                              scenario, n + 100, consultation=consultation, commission=commission)
    for spec in kinds.registered():  # the kinds other apps register tell their own items' stories
        if spec.seed_demo is not None:
            created += spec.seed_demo(story)

    story.write_minutes()
    seed_upcoming_meetings(now, branches, kinds.all_deciding_groups())
    total = Item.objects.count()
    stdout.write(f"Workflow: {total} items ({created} new), {Meeting.objects.count()} meetings, "
                 f"consultation “{consultation.title}”.")


def seed_roles():
    """The LI officers' role groups for the demo accounts (the groups come from migrations)."""
    officers = {}
    for email, group_name in (("secretary@example.org", SECRETARY), ("policy@example.org", POLICY_OFFICER),
                              ("returning@example.org", RETURNING_OFFICER)):
        member = Member.objects.filter(email=email).first()
        if member is not None:
            member.groups.add(Group.objects.get_or_create(name=group_name)[0])
            officers[email.split("@")[0]] = member
    return officers


def seed_members(branches):
    """Demo members who propose and second (fixtures/demo/members.csv), paid up, in their branch."""
    paid_up = date.today() + timedelta(days=300)
    password = make_password(PASSWORD)  # one slow hash for every demo member
    members = []
    for row in read_members():
        branch = branches.get(row["branch"])
        if branch is None:
            continue
        email = row["email"]
        member = Member.objects.filter(email=email).first()
        if member is None:
            member = Member(email=email, password=password)
        member.first_name, member.last_name = row["first_name"], row["last_name"]
        member.membership_number = row["membership_number"]
        member.branch = branch
        member.paid_up_until = paid_up
        member.save()
        members.append(member)
    return members


def pick_pair(members, n):
    """A proposer and a seconder of the same branch (only its members may second its motions)."""
    proposer = members[n % len(members)]
    same_branch = [m for m in members if m.branch_id == proposer.branch_id and m.pk != proposer.pk]
    seconder = same_branch[0] if same_branch else branch_seconder(proposer.branch)
    return proposer, seconder


SECONDER_NAMES = [("Alex", "Morgan"), ("Sam", "Okoye"), ("Jo", "Fischer"), ("Chris", "Novak"), ("Robin", "Duarte"),
                  ("Kim", "Andersen"), ("Lee", "Harper"), ("Pat", "Quinn"), ("Nico", "Berger"), ("Ana", "Silva")]


@functools.cache
def _demo_password_hash():
    return make_password(PASSWORD)


def branch_seconder(branch):
    """A paid-up demo member of `branch` who seconds its demo motions when no other proposer is there."""
    member = Member.objects.filter(email=f"seconder.{branch.slug}@example.org").first()
    if member is None:
        member = Member(email=f"seconder.{branch.slug}@example.org", password=_demo_password_hash())
    member.first_name, member.last_name = SECONDER_NAMES[branch.pk % len(SECONDER_NAMES)]
    member.membership_number = member.membership_number or f"L{400000 + branch.pk}"
    member.branch = branch
    member.paid_up_until = date.today() + timedelta(days=300)
    member.save()
    return member


def seed_consultation(now):
    commissions = []
    for slug, name in COMMISSIONS:
        commission, _ = PolicyCommission.objects.get_or_create(slug=slug, defaults={"name": name})
        commissions.append(commission)
    closes = datetime.combine(date.today() + timedelta(days=45), time(23, 59), tzinfo=UK_TIME_ZONE)
    consultation, _ = Consultation.objects.get_or_create(
        slug="npf-2026", defaults={
            "year": 2026, "title": "National Policy Forum consultation 2026", "word_limit": 600,
            "closes_at": closes,
            "intro": "<p>The NPF's policy commissions invite submissions from CLPs. LI's submissions go "
                     "through a branch meeting, the policy officer's review and GC ratification.</p>",
        })
    consultation.commissions.add(*commissions)
    return consultation


def seed_committee_meetings(body, name, now, *, day, hour):
    """A year of monthly past meetings of the GC or the LIEC."""
    meetings = []
    for months_ago in range(12, 0, -1):
        year, month = now.year, now.month - months_ago
        while month <= 0:
            month += 12
            year -= 1
        starts = datetime(year, month, day, hour, 0, tzinfo=UTC)
        if starts >= now - timedelta(days=1):
            continue
        meeting, _ = Meeting.objects.get_or_create(
            body=body, title=f"{name}, {starts:%B %Y}",
            defaults={"starts_at": starts, "time_zone": "Europe/London", "online_link": "https://meet.example.org/li"},
        )
        meetings.append(meeting)
    return meetings


class Story:
    """Tells one item's story through the services, at realistic past dates."""

    def __init__(self, now, officers, branches, gc_meetings, liec_meetings):
        self.now = now
        self.officers = officers
        self.branches = branches
        self.committee = {DecidingBody.GC: gc_meetings, DecidingBody.LIEC: liec_meetings}
        self.meetings_with_decisions = set()

    def tell(self, kind, title, text, proposer, seconder, scenario, n, **extra):
        if Item.objects.filter(kind=kind, title=title).exists():
            return 0
        rng = random.Random(n)
        steps = scenario if isinstance(scenario, list) else []
        earliest = 45 * len(steps) + 8
        days_ago = rng.randint(earliest, 345) if steps else rng.randint(4, 40)
        moment = self.now - timedelta(days=days_ago, hours=rng.randint(0, 12))
        with services.as_of(moment):
            item = services.create_draft(kind, proposer, title=title, text=text,
                                         seconder_emails=[seconder.email] if seconder else (), **extra)
            if scenario == "draft":
                return 1
            services.submit_item(item, proposer)
            if scenario == "awaiting":
                return 1
            if seconder:
                services.confirm_seconding(item, seconder)
        item.refresh_from_db()
        if scenario == "withdraw":
            with services.as_of(moment + timedelta(days=3)):
                services.withdraw_item(item, proposer, note="Withdrawn by the proposer before the branch meeting.")
            return 1
        for outcome in steps:
            item.refresh_from_db()
            moment = self.decide(item, outcome, moment, rng)
            if moment is None:  # its next meeting has not happened yet: the item waits for it
                break
        return 1

    def decide(self, item, outcome, after, rng):
        stage = item.current_stage
        body = stage.deciding_body
        meeting = None
        when = after + timedelta(days=rng.randint(10, 30))
        if body in self.committee:
            meeting = next((m for m in self.committee[body] if m.starts_at > after), None)
            when = meeting.starts_at if meeting else when
        elif body == DecidingBody.BRANCH_MEETING:
            meeting = self.branch_meeting(item.branch, when)
            when = meeting.starts_at
        elif body == DecidingBody.STEERING_GROUP:
            meeting = self.group_meeting(kinds.deciding_group(item), when)
            when = meeting.starts_at
        if meeting is not None and meeting.starts_at > self.now - timedelta(hours=2):
            return None  # a meeting decides only once it has taken place
        when = min(when, self.now - timedelta(hours=2))
        by = self.decider(item, body)
        votes = self.votes(outcome, body, rng) if stage.takes_votes else {}
        amended = None
        if outcome == Outcome.CARRIED_AS_AMENDED:
            amended = item.text.replace("</p>", " (as amended: with a report back within six months)</p>", 1)
        if meeting is not None:
            AgendaEntry.objects.get_or_create(meeting=meeting, item=item, defaults={"stage": stage, "position": 0})
            self.meetings_with_decisions.add(meeting.pk)
        with services.as_of(when + timedelta(hours=2)):
            services.record_decision(item, outcome, by, stage=stage, meeting=meeting, amended_text=amended,
                                     note=self.note(outcome), **votes)
        return when

    def decider(self, item, body):
        if body == DecidingBody.BRANCH_MEETING:
            return Member.objects.get(email=f"officer.{item.branch.slug}@example.org")
        if body == DecidingBody.STEERING_GROUP:
            return kinds.deciding_group(item).conveners()[0]
        if body in (DecidingBody.POLICY_OFFICER,) or item.kind == ItemKind.POLICY_SUBMISSION and \
                body == DecidingBody.OUTSIDE:
            return self.officers["policy"]
        return self.officers["secretary"]

    @staticmethod
    def votes(outcome, body, rng):
        size = {DecidingBody.GC: 40, DecidingBody.LIEC: 14}.get(body, 18)
        for_, against = rng.randint(size // 2, size), rng.randint(0, size // 4)
        if outcome == Outcome.FELL:
            for_, against = against, for_
        if outcome in (Outcome.WITHDRAWN, Outcome.RULED_OUT_OF_ORDER):
            return {}
        return {"votes_for": for_, "votes_against": against, "abstentions": rng.randint(0, 3)}

    @staticmethod
    def note(outcome):
        return {
            Outcome.REFERRED_BACK: "Referred back to the branch for more detail on costs.",
            Outcome.REMITTED: "Remitted to the LIEC for consideration with the 2027 campaign plan.",
            Outcome.RULED_OUT_OF_ORDER: "Ruled out of order: it duplicates a motion carried this year.",
        }.get(outcome, "")

    def branch_meeting(self, branch, when):
        local = timezone.localtime(when, branch.zone)
        starts = datetime.combine(local.date(), time(19, 0), tzinfo=branch.zone)
        meeting, _ = Meeting.objects.get_or_create(
            body=MeetingBody.BRANCH, branch=branch, title=f"{branch.title} branch meeting, {starts:%B %Y}",
            defaults={"starts_at": starts, "time_zone": branch.time_zone, "place": f"{branch.title} (and online)",
                      "online_link": f"https://meet.example.org/{branch.slug}"},
        )
        return meeting

    def group_meeting(self, group, when):
        starts = datetime.combine(when.date(), time(17, 0), tzinfo=UTC)
        meeting, _ = Meeting.objects.get_or_create(
            body=MeetingBody.STEERING_GROUP, steering_group=group, title=f"{group.name} steering group, {starts:%B %Y}",
            defaults={"starts_at": starts, "time_zone": "Europe/London", "online_link": "https://meet.example.org/sg"},
        )
        return meeting

    def write_minutes(self):
        """Minutes of every past meeting that decided something; approved (published) unless
        it is the most recent of its body (still a draft, as in life)."""
        latest = {}
        past = Meeting.objects.filter(starts_at__lt=self.now).order_by("starts_at")
        for meeting in past:
            latest[(meeting.body, meeting.branch_id, meeting.steering_group_id)] = meeting.pk
        for meeting in past.filter(minutes=""):
            decisions = list(meeting.decisions.select_related("item").order_by("pk"))
            lines = "".join(
                f"<li>{d.item.reference} “{d.item.title}”: {d.get_outcome_display().lower()}"
                + (f" ({d.votes_for} for, {d.votes_against} against, {d.abstentions} abstentions)" if d.has_votes else "")
                + "</li>" for d in decisions
            )
            meeting.minutes = (
                f"<p>{meeting.title}. Quorate. Apologies were received.</p>"
                + (f"<p>Decisions:</p><ul>{lines}</ul>" if lines else "<p>Reports from officers were received.</p>")
                + "<p>The meeting closed at 21:00.</p>"
            )
            meeting.save(update_fields=["minutes"])
            if latest[(meeting.body, meeting.branch_id, meeting.steering_group_id)] != meeting.pk:
                runner = self.minutes_approver(meeting)
                with services.as_of(min(meeting.starts_at + timedelta(hours=3), self.now)):
                    self.defer_what_was_not_reached(meeting, runner)
                with services.as_of(min(meeting.starts_at + timedelta(days=30), self.now)):
                    try:
                        services.approve_minutes(meeting, runner)
                    except DecisionError:
                        pass  # an item neither decided nor deferred: the minutes stay a draft, as in life

    @staticmethod
    def defer_what_was_not_reached(meeting, runner):
        """Items a past meeting did not reach go to the body's next meeting, as the chair would say."""
        for entry in meeting.open_agenda_entries().select_related("item"):
            later = Meeting.objects.filter(body=meeting.body, branch_id=meeting.branch_id,
                                           steering_group_id=meeting.steering_group_id,
                                           starts_at__gt=meeting.starts_at).order_by("starts_at").first()
            if later is not None:
                services.defer_agenda_entry(entry, later, runner)

    def minutes_approver(self, meeting):
        if meeting.body == MeetingBody.BRANCH:
            return Member.objects.get(email=f"officer.{meeting.branch.slug}@example.org")
        if meeting.body == MeetingBody.STEERING_GROUP:
            return meeting.steering_group.conveners()[0]
        return self.officers["secretary"]


def _plan_once(now, starts, **record):
    """One upcoming meeting of a body: made unless one is already planned (idempotent, whatever
    the day the demo is seeded again). Titled by its date, never "(next)": next is a moment, not a name."""
    same_body = {key: record[key] for key in ("body", "branch", "steering_group") if key in record}
    if Meeting.objects.filter(starts_at__gte=now, **same_body).exists():
        return
    Meeting.objects.create(starts_at=starts, **record)


def seed_upcoming_meetings(now, branches, groups):
    """The next meeting of every branch, steering group, the LIEC and the GC: their agendas are
    built automatically (workflows.receivers) from the items waiting for each body."""
    for meeting in Meeting.objects.filter(title__endswith=" (next)"):  # named so by older demo data
        meeting.title = meeting.title.removesuffix(" (next)")
        meeting.save(update_fields=["title"])
    for n, branch in enumerate(sorted(branches.values(), key=lambda b: b.slug)):
        day = (now + timedelta(days=3 + n % 20)).astimezone(branch.zone).date()
        starts = datetime.combine(day, time(19, 0), tzinfo=branch.zone)
        _plan_once(now, starts, body=MeetingBody.BRANCH, branch=branch,
                   title=f"{branch.title} branch meeting, {starts.day} {starts:%B %Y}",
                   time_zone=branch.time_zone, place=f"{branch.title} (and online)",
                   online_link=f"https://meet.example.org/{branch.slug}")
    for body, name, days, hour in ((MeetingBody.LIEC, "LIEC", 6, 18), (MeetingBody.GC, "General Committee", 13, 13)):
        starts = datetime.combine((now + timedelta(days=days)).date(), time(hour, 0), tzinfo=UTC)
        _plan_once(now, starts, body=body, title=f"{name}, {starts.day} {starts:%B %Y}", time_zone="Europe/London",
                   online_link="https://meet.example.org/li")
    for n, group in enumerate(groups):
        starts = datetime.combine((now + timedelta(days=9 + n)).date(), time(17, 0), tzinfo=UTC)
        _plan_once(now, starts, body=MeetingBody.STEERING_GROUP, steering_group=group,
                   title=f"{group.name} steering group, {starts.day} {starts:%B %Y}", time_zone="Europe/London",
                   online_link="https://meet.example.org/sg")
    for meeting in Meeting.objects.filter(starts_at__gte=now):
        services.build_agenda(meeting)

