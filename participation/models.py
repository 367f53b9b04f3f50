"""Taking part from anywhere: who may vote in each body (the GC's delegates), who is at a
meeting (in the room or online), whether it is quorate, and the votes on motions: live polls
in hybrid meetings and online ballots between them.

A poll's secret votes follow the secret ballot's one set of rules (cms.ballot_box): a register
entry says THAT a member voted (the UK day only), a ballot says HOW (random id, no voter, no
time, a receipt digest), and ballots reach the box in shuffled batches.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from workflows.models import MeetingBody


class BodyRule(models.Model):
    """How many of a body's voting members make a meeting quorate, and (for the GC) how many
    delegates each branch sends. Kept by the secretary in the admin."""

    body = models.CharField(max_length=32, choices=MeetingBody.choices, unique=True)
    quorum_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Quorate with at least this many voting members present (room and online).")
    quorum_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Or: quorate with at least this share of the body's voting members present, in per cent.")
    delegates_per_branch = models.PositiveSmallIntegerField(
        default=2, help_text="For the GC: how many delegates each branch sends (the register shows the gaps).")

    panels = [FieldPanel("body"), FieldRowPanel([FieldPanel("quorum_number"), FieldPanel("quorum_percent")]),
              FieldPanel("delegates_per_branch")]

    class Meta:
        ordering = ["body"]
        verbose_name = "quorum rule"

    def __str__(self):
        return f"Quorum of the {self.get_body_display()}"

    def clean(self):
        if self.quorum_number is None and self.quorum_percent is None:
            raise ValidationError("Give a number of members, or a share of the voting members, for the quorum.")
        if self.quorum_number is not None and self.quorum_percent is not None:
            raise ValidationError("Give either a number or a share for the quorum, not both.")

    def needed(self, voting_members):
        """How many must be present for `voting_members` voters to be quorate."""
        if self.quorum_number is not None:
            return self.quorum_number
        if self.quorum_percent is not None:
            return max(1, -(-voting_members * self.quorum_percent // 100))  # rounded up
        return 0


class DelegateQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(since__lte=on).filter(Q(until__isnull=True) | Q(until__gte=on))


class Delegate(models.Model):
    """A branch's delegate (or substitute) to the General Committee, from and until a day."""

    class Role(models.TextChoices):
        DELEGATE = "delegate", "Delegate"
        SUBSTITUTE = "substitute", "Substitute"

    branch = models.ForeignKey("cms.BranchPage", on_delete=models.CASCADE, related_name="gc_delegates")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gc_delegacies")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.DELEGATE)
    since = models.DateField(default=timezone.localdate, help_text="First day as delegate.")
    until = models.DateField(null=True, blank=True, help_text="Last day; blank while they serve.")

    objects = DelegateQuerySet.as_manager()

    panels = [FieldPanel("branch"), FieldPanel("member"), FieldPanel("role"),
              FieldRowPanel([FieldPanel("since"), FieldPanel("until")])]

    class Meta:
        ordering = ["branch__title", "role", "member__last_name"]
        verbose_name = "GC delegate"
        constraints = [
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                                   name="delegate_serves_until_after_since"),
        ]

    def __str__(self):
        return f"{self.member} ({self.get_role_display()}, {self.branch.title})"

    def clean(self):
        if self.member_id and self.branch_id and self.member.branch_id != self.branch_id:
            raise ValidationError({"member": "A delegate must be a member of the branch they represent."})
        if self.until and self.since and self.until < self.since:
            raise ValidationError({"until": "The last day must be on or after the first day."})


class Attendance(models.Model):
    """That a member is at a meeting: ticked in the room by an officer, or checked in online by
    the member while it runs. One row per member and meeting: nobody is counted twice."""

    class Way(models.TextChoices):
        ROOM = "room", "In the room"
        ONLINE = "online", "Online"

    meeting = models.ForeignKey("workflows.Meeting", on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances")
    way = models.CharField(max_length=8, choices=Way.choices)
    at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["meeting", "member__last_name", "member__first_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="present_once_per_meeting")]

    def __str__(self):
        return f"{self.member} at {self.meeting} ({self.get_way_display()})"


class Choice(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstain"


class Poll(models.Model):
    """A vote on an item at its stage: live in a (hybrid) meeting, or an online ballot of the
    body's members for a window. Closing it records the stage's decision through the one
    decision service."""

    class Way(models.TextChoices):
        LIVE = "live", "Live poll in the meeting"
        BALLOT = "ballot", "Online ballot between meetings"

    item = models.ForeignKey("workflows.Item", on_delete=models.CASCADE, related_name="polls")
    stage = models.ForeignKey("workflows.Stage", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey("workflows.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="polls")
    body = models.CharField(max_length=32, choices=MeetingBody.choices)
    branch = models.ForeignKey("cms.BranchPage", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    way = models.CharField(max_length=8, choices=Way.choices)
    secret = models.BooleanField(default=False, help_text="No link from vote to voter (else named: published).")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closes_at = models.DateTimeField(null=True, blank=True, help_text="Ballots: when voting closes (UTC).")
    reminded = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    room_for = models.PositiveIntegerField(null=True, blank=True)
    room_against = models.PositiveIntegerField(null=True, blank=True)
    room_abstain = models.PositiveIntegerField(null=True, blank=True)
    online_for = models.PositiveIntegerField(null=True, blank=True, editable=False)
    online_against = models.PositiveIntegerField(null=True, blank=True, editable=False)
    online_abstain = models.PositiveIntegerField(null=True, blank=True, editable=False)
    decision = models.OneToOneField("workflows.Decision", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="poll")
    result_note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], condition=Q(closed_at__isnull=True),
                                    name="one_open_poll_per_item_and_stage"),
            models.CheckConstraint(condition=~Q(way="live") | Q(meeting__isnull=False), name="live_poll_has_meeting"),
            models.CheckConstraint(condition=~Q(way="ballot") | Q(closes_at__isnull=False),
                                   name="ballot_has_close"),
        ]

    def __str__(self):
        return f"{self.get_way_display()} on {self.item.reference}"

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def is_live(self):
        return self.way == self.Way.LIVE


class PollVoter(models.Model):
    """The register: that a member voted in a poll. The database holds one vote per person per
    poll. For a secret poll it keeps only the UK day; for a named poll the vote itself says how."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="poll_votes_cast")
    voted_on = models.DateField()

    class Meta:
        ordering = ["poll", "member__last_name", "member__first_name"]
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="one_vote_per_member_per_poll")]

    def __str__(self):
        return f"{self.member} voted in {self.poll}"


class PendingPollBallot(models.Model):
    """A secret vote waiting in the pool (random id, no voter, no time) until it goes into the box."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="pending_ballots")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    receipt_digest = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"Pending vote {str(self.id)[:8]}"


class PollBallot(models.Model):
    """One vote cast online. Named polls: `voter` says who (published with the result). Secret
    polls: no voter, random id, no time, reached the box in a shuffled batch; a receipt digest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    receipt_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["poll", "voter"], name="one_named_ballot_per_voter")]

    def __str__(self):
        return f"Vote {str(self.id)[:8]}"
