"""Officer elections: the posts, an election's positions and timetable, nominations, ballots,
the voter register, and the counts with their quota adjustments.

Sensitive data: whether a candidate is a woman (for the gender quota) and the self-declaration
a restricted post needs are declared only on a Nomination, never on the member record, and are
shown only to the secretary and the returning officer. A Ballot has no link to its voter: the
VoterRegisterEntry records who voted, the Ballot only what was voted, and nothing joins them.
"""

import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

UK = zoneinfo.ZoneInfo(getattr(settings, "UK_TIME_ZONE", "Europe/London"))


class Restriction(models.TextChoices):
    """Who may stand for a restricted post, by self-declaration (the 2023 guide)."""

    NONE = "", "Open to every paid-up member"
    WOMAN = "woman", "For women (self-declared)"
    BAME = "bame", "For members of the BAME community (self-declared)"
    DISABILITY = "disability", "For members with a disability or a caring role (self-declared)"
    LGBT = "lgbt", "For LGBT+ members (self-declared)"
    YOUTH = "youth", "For members aged 26 or under (self-declared)"


DECLARATIONS = {
    Restriction.WOMAN: "I identify as a woman",
    Restriction.BAME: "I am a member of the BAME community",
    Restriction.DISABILITY: "I have a disability or a caring role",
    Restriction.LGBT: "I identify as LGBT+",
    Restriction.YOUTH: "I am aged 26 or under",
}


class Office(models.Model):
    """A post of the LIEC as the election guide describes it (Chair, Women's Officer, Auditor…).

    Reference data: each new election copies these into its positions, which the secretary
    may then edit. `officer` marks the 14 voting officers, whose order is the officer list
    the gender quota walks.
    """

    key = models.SlugField(unique=True)
    title = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(unique=True)
    officer = models.BooleanField(default=True, help_text="One of the 14 voting officers (counted for the quota).")
    job_share_allowed = models.BooleanField(default=True)
    restriction = models.CharField(max_length=20, choices=Restriction.choices, blank=True)

    panels = [FieldPanel("title"), FieldPanel("key"), FieldPanel("order"), FieldPanel("officer"),
              FieldPanel("job_share_allowed"), FieldPanel("restriction")]

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.title


class Election(ClusterableModel):
    """One LIEC election: its positions, its timetable (stored UTC, shown in UK time), and the
    milestones the secretary and the returning officer record as it runs."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    nominations_open = models.DateTimeField()
    nominations_close = models.DateTimeField()
    ballot_open = models.DateTimeField()
    ballot_close = models.DateTimeField()
    nominations_decided_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When nominations were closed and their validity decided (then made public).",
    )
    published_count = models.OneToOneField(
        "elections.Count", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("nominations_open"), FieldPanel("nominations_close")]),
            FieldRowPanel([FieldPanel("ballot_open"), FieldPanel("ballot_close")]),
        ], heading="Timetable (in your admin account's time zone; the election's pages show UK time)"),
        InlinePanel("positions", label="Positions (in officer-list order)"),
    ]

    class Meta:
        ordering = ["-nominations_open"]
        permissions = [
            ("manage_elections", "Can run elections: positions, timetable, nominations (the secretary)"),
            ("run_count", "Can import ballots, count, apply the quota and publish (the returning officer)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_open__lt=F("nominations_close"))
                & Q(nominations_close__lte=F("ballot_open"))
                & Q(ballot_open__lt=F("ballot_close")),
                name="election_timetable_in_order",
                violation_error_message="The timetable must run: nominations open, nominations close, "
                "ballot opens, ballot closes.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("elections:detail", args=[self.slug])

    # Phases, from the timetable and the recorded milestones.
    def nominations_are_open(self, now=None):
        now = now or timezone.now()
        return self.nominations_open <= now < self.nominations_close and self.nominations_decided_at is None

    def ballot_is_open(self, now=None):
        now = now or timezone.now()
        return self.nominations_decided_at is not None and self.ballot_open <= now < self.ballot_close

    def ballot_has_closed(self, now=None):
        return (now or timezone.now()) >= self.ballot_close

    @property
    def nominations_decided(self):
        return self.nominations_decided_at is not None

    @property
    def is_published(self):
        return self.published_at is not None

    def phase(self, now=None):
        now = now or timezone.now()
        if self.is_published:
            return "Results published"
        if now < self.nominations_open:
            return "Nominations not yet open"
        if self.nominations_are_open(now):
            return "Nominations open"
        if not self.nominations_decided:
            return "Nominations closed: validity being decided"
        if now < self.ballot_open:
            return "Nominations decided: ballot not yet open"
        if self.ballot_is_open(now):
            return "Ballot open"
        return "Ballot closed: count under way"


class Position(Orderable):
    """A post elected in one election, copied from an Office and editable for this election.

    `outcome` is set when nominations close: unopposed (one valid nomination), vacant (none,
    reopened later in a by-election) or ballot (contested).
    """

    UNOPPOSED, VACANT, BALLOT = "unopposed", "vacant", "ballot"
    OUTCOMES = [(UNOPPOSED, "Elected unopposed"), (VACANT, "Vacant"), (BALLOT, "Goes to ballot")]

    election = ParentalKey(Election, on_delete=models.CASCADE, related_name="positions")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    key = models.SlugField()
    title = models.CharField(max_length=100)
    officer = models.BooleanField(default=True, help_text="One of the 14 voting officers (counted for the quota).")
    job_share_allowed = models.BooleanField(default=True)
    restriction = models.CharField(max_length=20, choices=Restriction.choices, blank=True)
    outcome = models.CharField(max_length=10, choices=OUTCOMES, blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("key")]),
        FieldRowPanel([FieldPanel("officer"), FieldPanel("job_share_allowed"), FieldPanel("restriction")]),
    ]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="position_key_unique_in_election")]

    def __str__(self):
        return self.title

    @property
    def declaration(self):
        return DECLARATIONS.get(self.restriction, "")


class Nomination(models.Model):
    """A candidacy for one position: one member, or a job-share pair (one vote, one shared
    statement), with a proposer and a seconder, possibly nominated by a branch.

    Validity: every rule is checked when it is submitted (services.submit_nomination); when
    nominations close the secretary's close decides it for good (VALID or INVALID with the reason).
    """

    SUBMITTED, WITHDRAWN, VALID, INVALID = "submitted", "withdrawn", "valid", "invalid"
    STATUSES = [(SUBMITTED, "Submitted"), (WITHDRAWN, "Withdrawn"), (VALID, "Valid"), (INVALID, "Invalid")]

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="nominations")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidacies")
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="job_share_candidacies",
        help_text="The second candidate of a job-share.",
    )
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals_made")
    seconder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations_seconded")
    statement = models.TextField(help_text="At most 200 words (shared by a job-share).")
    # Sensitive declarations: only here, only for the secretary and the returning officer.
    candidate_is_woman = models.BooleanField(default=False)
    partner_is_woman = models.BooleanField(default=False)
    candidate_declares_eligible = models.BooleanField(default=False)
    partner_declares_eligible = models.BooleanField(default=False)
    branch = models.ForeignKey(
        "cms.BranchPage", null=True, blank=True, on_delete=models.PROTECT, related_name="election_nominations",
        help_text="Set when a branch nominates, after a quorate branch meeting decided it.",
    )
    branch_meeting_quorate = models.BooleanField(default=False)
    branch_meeting_date = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=STATUSES, default=SUBMITTED)
    invalid_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position__sort_order", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "candidate"], condition=~Q(status="withdrawn"),
                name="one_live_nomination_per_candidate_and_position",
                violation_error_message="This candidate is already nominated for this position.",
            ),
            models.CheckConstraint(
                condition=~Q(candidate=F("proposer")) & ~Q(candidate=F("seconder")) & ~Q(proposer=F("seconder")),
                name="nomination_candidate_proposer_seconder_differ",
            ),
            models.CheckConstraint(
                condition=Q(branch__isnull=True) | Q(branch_meeting_quorate=True),
                name="branch_nomination_needs_quorate_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} for {self.position}"

    @property
    def holders(self):
        return [m for m in (self.candidate, self.partner) if m is not None]

    @property
    def is_job_share(self):
        return self.partner_id is not None

    @property
    def display_name(self):
        return " & ".join(m.get_full_name() or m.email for m in self.holders)

    @property
    def women(self):
        return int(self.candidate_is_woman) + int(self.is_job_share and self.partner_is_woman)

    @property
    def is_live(self):
        return self.status != self.WITHDRAWN


class VoterRegisterEntry(models.Model):
    """That a member voted in an election, and when: the register, kept apart from the ballots."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="register")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="votes_cast")
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "voter register entry"
        verbose_name_plural = "voter register"
        ordering = ["election", "voted_at"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="one_ballot_per_member_per_election"),
        ]

    def __str__(self):
        return f"{self.member} voted in {self.election}"


class BallotImport(models.Model):
    """Ballots for one position counted elsewhere, imported by the returning officer from a
    normalized CSV (ballot_id,rank,choice); the bad lines they chose to skip are listed."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballot_imports")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="ballot_imports")
    file_name = models.CharField(max_length=255)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    ballots = models.PositiveIntegerField(default=0)
    skipped_lines = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["imported_at"]

    def __str__(self):
        return f"{self.file_name} ({self.position})"


class Ballot(models.Model):
    """One ballot paper, with NO link to who cast it.

    The id is random and nothing records when it was cast, so neither its order nor its time
    can be matched with the voter register. A ballot cast online carries the digest of the
    receipt code shown once to its voter; an imported one points to its import.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    source_import = models.ForeignKey(BallotImport, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    import_ballot_id = models.CharField(max_length=100, blank=True)
    receipt_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    counted_in = models.ForeignKey("elections.Count", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        # Never ordered by anything that follows casting order.
        ordering = ["id"]

    def __str__(self):
        return f"Ballot {str(self.id)[:8]}"


class Preference(models.Model):
    """One ranking on a ballot: a candidacy (nomination) at a rank, for one position."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="preferences")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ballot", "position", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position", "rank"], name="one_choice_per_rank"),
            models.UniqueConstraint(fields=["ballot", "nomination"], name="candidate_ranked_once_per_ballot"),
        ]

    def __str__(self):
        return f"{self.position}: {self.rank}"


class Count(models.Model):
    """One run of the count by the returning officer: every position's rounds, the seed of the
    lot that breaks ties no earlier round breaks, and the gender-quota check."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="counts")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(default=timezone.now)
    seed = models.BigIntegerField(help_text="Seed of the lot (drawn in the app unless the returning officer gave one).")
    ballots_counted = models.PositiveIntegerField(default=0)
    quota = models.JSONField(default=dict)  # the count.py QuotaResult JSON, with "flags"

    class Meta:
        ordering = ["-run_at"]

    def __str__(self):
        return f"Count of {self.election} at {self.run_at:%Y-%m-%d %H:%M} UTC"

    @property
    def adjustments_pending(self):
        return [a for a in self.adjustments.all() if a.confirmed_at is None]


class PositionResult(models.Model):
    """The outcome of one position in a count: status, the count's winner, its rounds, and the
    holder after any confirmed quota adjustment."""

    count = models.ForeignKey(Count, on_delete=models.CASCADE, related_name="results")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="results")
    status = models.CharField(max_length=10)  # elected, unopposed, vacant, no_result
    winner = models.ForeignKey(Nomination, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Nomination, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ballots = models.PositiveIntegerField(default=0)
    rounds = models.JSONField(default=list)  # each: tally, exhausted, continuing, excluded, elected, tie_break
    flag = models.TextField(blank=True)

    class Meta:
        ordering = ["position__sort_order"]
        constraints = [models.UniqueConstraint(fields=["count", "position"], name="one_result_per_position_per_count")]

    def __str__(self):
        return f"{self.position}: {self.status}"


class QuotaAdjustment(models.Model):
    """A replacement the quota check proposes (a runner-up of greater weight replaces a post's
    winner), applied only once the returning officer confirms it."""

    count = models.ForeignKey(Count, on_delete=models.CASCADE, related_name="adjustments")
    order = models.PositiveSmallIntegerField()
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    replaced = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=20)  # first_six or overall
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["count", "order"]

    def __str__(self):
        return f"{self.position}: {self.by_id} replaces {self.replaced_id}"

