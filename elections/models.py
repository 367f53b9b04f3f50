"""Officer elections: the posts, an election's positions and timetable, nominations, ballots,
the voter register, and the counts with their quota adjustments.

Sensitive data: whether a candidate is a woman (for the gender quota) and the self-declaration
a restricted post needs are declared only on a Nomination, never on the member record, and are
shown only to the secretary and the returning officer. A Ballot has no link to its voter: the
VoterRegisterEntry records who voted, the Ballot only what was voted, and nothing joins them.
"""

import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

UK = zoneinfo.ZoneInfo(getattr(settings, "UK_TIME_ZONE", "Europe/London"))

TIMETABLE = ("nominations_open", "nominations_close", "ballot_open", "ballot_close")


def deadline_end(deadline):
    """The first moment after a deadline: deadlines include their whole minute, so “23:59 UK
    time” ends at 00:00:00 UK time the next day (and is still shown as 23:59)."""
    return deadline.replace(second=0, microsecond=0) + timedelta(minutes=1)


def deadline_has_passed(deadline, now=None):
    """The one rule for every election deadline (nominations, withdrawals, the ballot)."""
    return (now or timezone.now()) >= deadline_end(deadline)


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
        return (self.nominations_open <= now and not deadline_has_passed(self.nominations_close, now)
                and self.nominations_decided_at is None)

    def nominations_have_closed(self, now=None):
        return deadline_has_passed(self.nominations_close, now)

    def ballot_has_opened(self, now=None):
        """The ballot opened (nominations decided and its opening time reached): from then on
        the timetable is fixed."""
        return self.nominations_decided_at is not None and (now or timezone.now()) >= self.ballot_open

    def ballot_is_open(self, now=None):
        now = now or timezone.now()
        return (self.ballot_has_opened(now) and not deadline_has_passed(self.ballot_close, now)
                and not self.is_published)

    def ballot_has_closed(self, now=None):
        return self.is_published or deadline_has_passed(self.ballot_close, now)

    # The timetable rule, for the site's forms, the services and the Wagtail admin alike.
    def fixed_timetable_fields(self, now=None):
        """(the timetable fields that can no longer change, why) as the election stands now."""
        if self.is_published:
            return TIMETABLE, "The results are published: the timetable is final."
        if self.ballot_has_opened(now):
            return TIMETABLE, ("The ballot has opened: the timetable is fixed. Only the returning officer can "
                               "extend the ballot close, with a reason.")
        if self.nominations_decided:
            return ("nominations_open", "nominations_close"), ("Nominations are already decided: their dates "
                                                               "can no longer change.")
        return (), ""

    def clean(self):
        """Refuse a timetable change the election's phase no longer allows, whoever saves it
        (the site's timetable form, the Wagtail admin)."""
        super().clean()
        original = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        if original is None:
            return
        fixed, why = original.fixed_timetable_fields()
        for name in fixed:
            kept = getattr(original, name)
            if getattr(self, name) == kept.replace(second=0, microsecond=0):
                setattr(self, name, kept)  # a form that shows minutes posted the same time back
        changed = [name for name in fixed if getattr(self, name) != getattr(original, name)]
        if changed:
            raise ValidationError({name: why for name in changed})

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
    region = models.ForeignKey(
        "cms.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="A regional coordinator's post: only members of branches in this region vote for it.",
    )
    outcome = models.CharField(max_length=10, choices=OUTCOMES, blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("key")]),
        FieldRowPanel([FieldPanel("officer"), FieldPanel("job_share_allowed"), FieldPanel("restriction")]),
        FieldPanel("region"),
    ]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="position_key_unique_in_election")]

    def __str__(self):
        return self.title

    @property
    def declaration(self):
        return DECLARATIONS.get(self.restriction, "")


class NominationQuerySet(models.QuerySet):
    def standing(self):
        """Valid candidacies that stand in the count (not withdrawn after the close)."""
        return self.filter(status=Nomination.VALID, withdrawn_after_close=False)

    def withdrawn_after_close(self):
        """Valid candidacies withdrawn after the close: on the ballot paper, excluded before round 1."""
        return self.filter(status=Nomination.VALID, withdrawn_after_close=True)


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
        help_text="Set when a branch nominates: its secretary submits it, citing the branch meeting that decided it.",
    )
    branch_meeting = models.ForeignKey(
        "workflows.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="election_nominations",
        help_text="The meeting of that branch (already held) that decided the nomination.",
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=STATUSES, default=SUBMITTED)
    invalid_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_after_close = models.BooleanField(
        default=False, editable=False,
        help_text="Withdrew after nominations closed: stays on the ballot paper, excluded before the first round.",
    )
    # Consent: each person named confirms by the link emailed to them (the submitter by submitting).
    candidate_consented_at = models.DateTimeField(null=True, blank=True, editable=False)
    partner_consented_at = models.DateTimeField(null=True, blank=True, editable=False)
    proposer_consented_at = models.DateTimeField(null=True, blank=True, editable=False)
    seconder_consented_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NominationQuerySet.as_manager()

    CONSENT_ROLES = {"candidate": "candidate", "partner": "job-share partner", "proposer": "proposer",
                     "seconder": "seconder"}

    class Meta:
        ordering = ["position__sort_order", "submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(candidate=F("proposer")) & ~Q(candidate=F("seconder")) & ~Q(proposer=F("seconder")),
                name="nomination_candidate_proposer_seconder_differ",
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
        """Women among the holders, for the gender quota."""
        return int(self.candidate_counts_as_woman) + int(self.partner_counts_as_woman)

    @property
    def candidate_counts_as_woman(self):
        """For the Women's Officer the candidate's one declaration (“I identify as a woman”)
        serves both the post and the gender quota."""
        woman_post = self.position.restriction == Restriction.WOMAN
        return self.candidate_is_woman or (woman_post and self.candidate_declares_eligible)

    @property
    def partner_counts_as_woman(self):
        woman_post = self.position.restriction == Restriction.WOMAN
        return self.is_job_share and (self.partner_is_woman or (woman_post and self.partner_declares_eligible))

    @property
    def is_live(self):
        return self.status != self.WITHDRAWN and not self.withdrawn_after_close

    def member_in(self, role):
        return getattr(self, role) if role in self.CONSENT_ROLES else None

    def roles_of(self, member):
        """The roles (candidate, partner, proposer, seconder) `member` holds on this nomination."""
        return [role for role in self.CONSENT_ROLES if getattr(self, f"{role}_id") == getattr(member, "pk", None)]

    def consented(self, role):
        return getattr(self, f"{role}_consented_at") is not None

    @property
    def consents(self):
        """[(role label, member, consented_at)] for everyone this nomination names."""
        return [(label, getattr(self, role), getattr(self, f"{role}_consented_at"))
                for role, label in self.CONSENT_ROLES.items() if getattr(self, f"{role}_id") is not None]

    @property
    def awaiting_consent(self):
        return [label for label, _member, at in self.consents if at is None]


class Withdrawal(models.Model):
    """Who withdrew a candidacy, whom, why and when. A job-share pair withdraws only when the
    second partner confirms the first one's request; until then the withdrawal is pending.
    After nominations close the candidate stays on the ballot paper and is excluded before the
    first round of the count."""

    CANDIDATE, SECRETARY, ONE_POST = "candidate", "secretary", "one_post"
    KINDS = [(CANDIDATE, "By the candidate"), (SECRETARY, "By the secretary, for the candidate"),
             (ONE_POST, "One person, one post: the member chose another post")]

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="withdrawals")
    kind = models.CharField(max_length=10, choices=KINDS, default=CANDIDATE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="The job-share partner who confirmed it.")
    completed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    after_close = models.BooleanField(default=False)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"], condition=Q(completed_at__isnull=True, declined_at__isnull=True),
                name="one_pending_withdrawal_per_nomination",
            ),
        ]

    def __str__(self):
        return f"Withdrawal of {self.nomination}"

    @property
    def is_pending(self):
        return self.completed_at is None and self.declined_at is None

    @property
    def awaited_partner(self):
        """The job-share partner whose confirmation a pending request waits for."""
        n = self.nomination
        if not self.is_pending or not n.is_job_share:
            return None
        return n.partner if self.requested_by_id == n.candidate_id else n.candidate


class PostChoice(models.Model):
    """One person, one post: a member validly nominated for several posts when nominations
    close chooses the one they stand for; their other candidacies are then withdrawn."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="post_choices")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    chosen = models.ForeignKey(Nomination, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(null=True, blank=True)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="one_post_choice_per_member")]

    def __str__(self):
        return f"{self.member}: one post in {self.election}"

    @property
    def is_pending(self):
        return self.chosen_id is None


class BallotExtension(models.Model):
    """The returning officer extended the ballot close: from when to when, by whom and why.
    Shown on the election's page."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="extensions")
    previous_close = models.DateTimeField()
    new_close = models.DateTimeField()
    reason = models.TextField()
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    extended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["extended_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(new_close__gt=F("previous_close")),
                                              name="an_extension_moves_the_close_later")]

    def __str__(self):
        return f"{self.election}: ballot close extended"


class VoterRegisterEntry(models.Model):
    """That a member voted in an election (online, or on paper as the returning officer's
    paper register says), and on which day: the register, kept apart from the ballots.

    It keeps no time finer than the UK day, so that nothing in it can be lined up with the
    order in which ballots reached the box.
    """

    ONLINE, PAPER = "online", "paper"
    CHANNELS = [(ONLINE, "Online"), (PAPER, "On paper (or by file)")]

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="register")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="votes_cast")
    voted_on = models.DateField(help_text="The UK day the member voted (never the time).")
    channel = models.CharField(max_length=10, choices=CHANNELS, default=ONLINE)

    class Meta:
        verbose_name = "voter register entry"
        verbose_name_plural = "voter register"
        ordering = ["election", "member__membership_number"]
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
    paper_register = models.JSONField(
        default=list, blank=True,
        help_text="Membership numbers of the members whose paper ballots are in this file (checked against "
        "the online register).",
    )

    class Meta:
        ordering = ["imported_at"]

    def __str__(self):
        return f"{self.file_name} ({self.position})"


class PendingBallot(models.Model):
    """A ballot cast online, waiting in the pool before it goes into the ballot box.

    Ballots are not written to the box as they are cast (that order would follow the voter
    register): they wait here, and are moved into the box in a shuffled batch when the pool is
    full or the ballot closes (services.seal_ballots). Random id, no time, no voter.
    `rankings` is [[position id, nomination id, rank], ...].
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="pending_ballots")
    receipt_digest = models.CharField(max_length=64, unique=True)
    rankings = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"Pending ballot {str(self.id)[:8]}"


class Ballot(models.Model):
    """One ballot paper, with NO link to who cast it.

    Its id (and its preferences' ids) are random, nothing records when it was cast, and online
    ballots reach the box in shuffled batches from the pool (PendingBallot), so neither the
    order of ids, nor the order of rows, nor a time can be matched with the voter register.
    A ballot cast online carries the digest of the receipt code shown once to its voter; an
    imported one points to its import.
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
    """One ranking on a ballot: a candidacy (nomination) at a rank, for one position. Random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
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
    """One run of the count by the returning officer: every position's rounds, the draw of the
    lot that breaks ties no earlier round breaks, the ballots it included, the sitting officers
    it counted (by-elections), and the gender-quota check.

    The lot is drawn once per count and recorded (`seed`); counting again reuses the earlier
    draw unless the returning officer records why a new one is needed (`redraw_reason`)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="counts")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(default=timezone.now)
    seed = models.BigIntegerField(help_text="The recorded draw of the lot (drawn in the app unless given).")
    redraw_reason = models.TextField(
        blank=True, help_text="Why the returning officer had the lot drawn again (a recount otherwise reuses the draw).")
    ballots_counted = models.PositiveIntegerField(default=0)
    # Per position id: {"ballots": n, "digest": sha256 of the ballot ids}: what this count included.
    ballot_box = models.JSONField(default=dict)
    # The sitting officers counted in the quota (posts not up in this election), as they were.
    sitting = models.JSONField(default=list)
    quota = models.JSONField(default=dict)  # the count.py QuotaResult JSON (every proposal applied), with "flags"
    # The quota with the returning officer's decisions so far (accepted proposals only): what is published.
    final_quota = models.JSONField(default=dict)

    class Meta:
        ordering = ["-run_at"]

    def __str__(self):
        return f"Count of {self.election} at {self.run_at:%Y-%m-%d %H:%M} UTC"

    @property
    def adjustments_pending(self):
        return [a for a in self.adjustments.all() if a.decided_at is None]

    @property
    def lot_was_drawn(self):
        """Whether any tie in this count was broken by lot."""
        return any(r.get("tie_break") == "lot" for result in self.results.all() for r in result.rounds)


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
    winner). The returning officer accepts it (the runner-up takes the post) or rejects it with a
    reason (the winner keeps the post; the quota is then shown as unmet); either way the decision
    is published with the results. A recount keeps the decision on the same proposal."""

    count = models.ForeignKey(Count, on_delete=models.CASCADE, related_name="adjustments")
    order = models.PositiveSmallIntegerField()
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    replaced = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=20)  # first_six or overall
    accepted = models.BooleanField(null=True, blank=True)  # None: not decided yet
    reason = models.TextField(blank=True, help_text="The returning officer's reason (required to reject).")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The same proposal in an earlier count, whose decision this recount kept.")

    class Meta:
        ordering = ["count", "order"]

    def __str__(self):
        return f"{self.position}: {self.by_id} replaces {self.replaced_id}"

    @property
    def rejected(self):
        return self.accepted is False



class OfficeHolder(models.Model):
    """The register of LIEC officers, kept by the secretary: who holds a post (a member, or a
    name for someone without an account), with a job-share partner, their declarations for the
    gender quota, and from/until when.

    A by-election's count takes every officer post not up for election from here: the holders
    in post on the day of the count are its sitting officers, counted with these declarations
    and never replaced (DOMAIN.md, "By-elections"). Publishing results records the officers
    elected. Like a nomination's declarations, these are seen only by the secretary and the
    returning officer.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="holders",
                               limit_choices_to={"officer": True})
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="offices_held", help_text="The member holding the post.")
    holder_name = models.CharField(max_length=200, blank=True, help_text="Only if the holder has no member record.")
    holder_is_woman = models.BooleanField(default=False, help_text="The holder identifies as a woman (gender quota).")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="offices_job_shared", help_text="The job-share partner, if any.")
    partner_name = models.CharField(max_length=200, blank=True, help_text="Only if the partner has no member record.")
    partner_is_woman = models.BooleanField(default=False, help_text="The partner identifies as a woman (gender quota).")
    held_from = models.DateField(help_text="First day in post (e.g. the AGM, or the day the results were published).")
    held_until = models.DateField(null=True, blank=True, help_text="Last day in post; blank while in post.")
    elected_in = models.ForeignKey(Election, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   editable=False)

    panels = [
        FieldPanel("office"),
        FieldRowPanel([FieldPanel("holder"), FieldPanel("holder_name"), FieldPanel("holder_is_woman")]),
        FieldRowPanel([FieldPanel("partner"), FieldPanel("partner_name"), FieldPanel("partner_is_woman")]),
        FieldRowPanel([FieldPanel("held_from"), FieldPanel("held_until")]),
    ]

    class Meta:
        verbose_name = "LIEC officer"
        verbose_name_plural = "register of LIEC officers"
        ordering = ["office__order", "-held_from"]
        constraints = [
            models.CheckConstraint(condition=Q(holder__isnull=False) | ~Q(holder_name=""),
                                   name="office_holder_named"),
            models.CheckConstraint(condition=Q(held_until__isnull=True) | Q(held_until__gte=F("held_from")),
                                   name="office_held_until_after_from"),
        ]

    def __str__(self):
        return f"{self.office}: {self.display_name}"

    @property
    def names(self):
        first = self.holder.get_full_name() or self.holder.email if self.holder else self.holder_name
        second = (self.partner.get_full_name() or self.partner.email) if self.partner else self.partner_name
        return [n for n in (first, second) if n]

    @property
    def display_name(self):
        return " & ".join(self.names)

    @property
    def is_job_share(self):
        return bool(self.partner_id or self.partner_name)

    @property
    def women(self):
        return int(self.holder_is_woman) + int(self.is_job_share and self.partner_is_woman)

    def in_post(self, on):
        return self.held_from <= on and (self.held_until is None or on <= self.held_until)

    def clean(self):
        errors = {}
        if self.holder_id is None and not self.holder_name.strip():
            errors["holder"] = "Choose the member holding the post, or type their name."
        if self.holder_id and self.holder_name.strip():
            errors["holder_name"] = "Give the member or a name, not both."
        if self.partner_id and self.partner_name.strip():
            errors["partner_name"] = "Give the partner as a member or a name, not both."
        if self.partner_id and self.partner_id == self.holder_id:
            errors["partner"] = "A job-share is two different people."
        if self.office_id and not self.office.officer:
            errors["office"] = f"{self.office} is not one of the 14 voting officers: the register lists only those."
        if self.is_job_share and self.office_id and not self.office.job_share_allowed:
            errors["partner"] = f"{self.office} is not open to job-share."
        if self.held_until and self.held_from and self.held_until < self.held_from:
            errors["held_until"] = "The last day in post cannot come before the first."
        if errors:
            raise ValidationError(errors)
        if self.office_id and self.held_from:
            overlapping = OfficeHolder.objects.filter(office_id=self.office_id).exclude(pk=self.pk).filter(
                Q(held_until__isnull=True) | Q(held_until__gte=self.held_from))
            if self.held_until:
                overlapping = overlapping.filter(held_from__lte=self.held_until)
            clash = overlapping.first()
            if clash is not None:
                raise ValidationError({"held_from": f"{clash.display_name} holds {self.office} from "
                                       f"{clash.held_from:%-d %b %Y}" + (f" to {clash.held_until:%-d %b %Y}"
                                       if clash.held_until else "") + ": end that term first (its last day)."})
        people = [p for p in (self.holder_id, self.partner_id) if p]
        if people and self.held_from:
            elsewhere = OfficeHolder.objects.exclude(pk=self.pk).exclude(office_id=self.office_id).filter(
                Q(holder_id__in=people) | Q(partner_id__in=people)).filter(
                Q(held_until__isnull=True) | Q(held_until__gte=self.held_from))
            if self.held_until:
                elsewhere = elsewhere.filter(held_from__lte=self.held_until)
            other = elsewhere.select_related("office").first()
            if other is not None:
                raise ValidationError(f"One person, one post: {other.display_name} already holds {other.office} "
                                      "then. End that term first.")
