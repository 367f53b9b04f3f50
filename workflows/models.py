"""The workflow engine: pipelines of stages, the items that move through them, and the
append-only decisions that move them; meetings with agendas; NPF consultations.

One record through every stage: an item (motion, policy submission, steering-group
proposal) is never copied from body to body. It points at its current stage and carries
its history as `Decision` rows. Every transition is checked and written by
`workflows.services.record_decision`, never here.
"""

import re
import zoneinfo
from html import unescape

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from cms.times import TimeZoneSelect, uk_and_local_text, uk_zone_name, validate_time_zone

from . import kinds
from .exceptions import DecisionError

UK_TIME_ZONE = zoneinfo.ZoneInfo(getattr(settings, "UK_TIME_ZONE", "Europe/London"))


def word_count(html):
    """Words in a rich-text (HTML) text, as a reader counts them: tags ignored."""
    return len(re.findall(r"\S+", unescape(strip_tags(html or "").replace("\xa0", " "))))


def uk_today():
    return timezone.localdate(timezone=UK_TIME_ZONE)


# --------------------------------------------------------------------------- vocabularies


class ItemKind(models.TextChoices):
    MOTION = "motion", "Motion"
    POLICY_SUBMISSION = "policy_submission", "Policy submission"
    PROPOSAL = "proposal", "Steering-group proposal"
    AMENDMENT = "amendment", "Amendment"
    COMPOSITE = "composite", "Composite motion"


REFERENCE_PREFIXES = {ItemKind.MOTION: "M", ItemKind.POLICY_SUBMISSION: "P", ItemKind.PROPOSAL: "SG",
                      ItemKind.AMENDMENT: "A", ItemKind.COMPOSITE: "C"}


class DecidingBody(models.TextChoices):
    BRANCH_MEETING = "branch_meeting", "Branch meeting"
    STEERING_GROUP = "steering_group", "Steering group"
    POLICY_OFFICER = "policy_officer", "Policy officer"
    LIEC = "liec", "LIEC"
    GC = "gc", "General Committee (GC)"
    OUTSIDE = "outside", "Outside body (Conference, NPF…)"


class Outcome(models.TextChoices):
    CARRIED = "carried", "Carried"
    CARRIED_AS_AMENDED = "carried_as_amended", "Carried as amended"
    FELL = "fell", "Fell"
    REFERRED_BACK = "referred_back", "Referred back"
    REMITTED = "remitted", "Remitted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RULED_OUT_OF_ORDER = "ruled_out_of_order", "Ruled out of order"
    SENT = "sent", "Sent"
    EXPORTED = "exported", "Exported"
    # An amendment the proposer of the motion accepted: it merges without a vote (amendments app).
    ACCEPTED_AS_FRIENDLY = "accepted_as_friendly", "Accepted as friendly"
    # A motion joined with others into a composite motion, which moves on in its place.
    COMPOSITED = "composited", "Composited"


class ItemStatus(models.TextChoices):
    """Where an item is in its life.

    - draft: only its proposer (and named seconders) see it; editable.
    - awaiting_seconders: the proposer submitted it; waiting for the named seconders to confirm.
      It enters the first stage when the last one confirms.
    - in_progress: at `current_stage`, waiting for that stage's deciding body.
    - finished: passed its last stage (sent to Conference, exported to the NPF, adopted), or a
      stage ended it with an accepting outcome that is not set to advance.
    - fell, remitted, ruled_out_of_order: a body ended it with that outcome.
    - withdrawn: withdrawn by its proposer (or recorded as withdrawn at a meeting).
    `current_stage` is set only while in_progress. Public from the moment it is submitted
    (`submitted_at` set), never as a draft.
    """

    DRAFT = "draft", "Draft"
    AWAITING_SECONDERS = "awaiting_seconders", "Awaiting seconders"
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"
    FELL = "fell", "Fell"
    REMITTED = "remitted", "Remitted"
    RULED_OUT_OF_ORDER = "ruled_out_of_order", "Ruled out of order"
    WITHDRAWN = "withdrawn", "Withdrawn"
    COMPOSITED = "composited", "Composited"


OPEN_STATUSES = {ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS, ItemStatus.IN_PROGRESS}
TERMINAL_STATUSES = {
    ItemStatus.FINISHED, ItemStatus.FELL, ItemStatus.REMITTED, ItemStatus.RULED_OUT_OF_ORDER, ItemStatus.WITHDRAWN,
    ItemStatus.COMPOSITED,
}

# The status an outcome leaves an item in when it does not advance it (see Stage.advancing_outcomes).
TERMINAL_STATUS_OF_OUTCOME = {
    Outcome.CARRIED: ItemStatus.FINISHED,
    Outcome.CARRIED_AS_AMENDED: ItemStatus.FINISHED,
    Outcome.SENT: ItemStatus.FINISHED,
    Outcome.EXPORTED: ItemStatus.FINISHED,
    Outcome.FELL: ItemStatus.FELL,
    Outcome.REMITTED: ItemStatus.REMITTED,
    Outcome.WITHDRAWN: ItemStatus.WITHDRAWN,
    Outcome.RULED_OUT_OF_ORDER: ItemStatus.RULED_OUT_OF_ORDER,
    Outcome.ACCEPTED_AS_FRIENDLY: ItemStatus.FINISHED,
    Outcome.COMPOSITED: ItemStatus.COMPOSITED,
}
# Outcomes that are a vote of the body (votes are required for these where the stage takes votes).
VOTED_OUTCOMES = {Outcome.CARRIED, Outcome.CARRIED_AS_AMENDED, Outcome.FELL, Outcome.REFERRED_BACK, Outcome.REMITTED}
# Outcomes that say the body accepted the item: the votes must reach the stage's majority.
CARRYING_OUTCOMES = {Outcome.CARRIED, Outcome.CARRIED_AS_AMENDED}


# How a status or a decision is said aloud: "Waiting for the GC's decision", "Carried by the branch
# meeting", "Sent to Conference on 3 March" (the choices' labels stay short, for filters and the API).
BODY_IN_A_SENTENCE = {
    DecidingBody.BRANCH_MEETING: "the branch meeting",
    DecidingBody.STEERING_GROUP: "the steering group",
    DecidingBody.POLICY_OFFICER: "the policy officer",
    DecidingBody.LIEC: "the LIEC",
    DecidingBody.GC: "the GC",
    DecidingBody.OUTSIDE: "an outside body",
}
FINISHED_IN_A_SENTENCE = {
    ItemKind.MOTION: "Sent to Conference",
    ItemKind.POLICY_SUBMISSION: "Sent to the NPF",
    ItemKind.PROPOSAL: "Adopted",
    ItemKind.AMENDMENT: "Carried",
    ItemKind.COMPOSITE: "Sent to Conference",
}


def body_in_a_sentence(deciding_body, outside_body=""):
    if deciding_body == DecidingBody.OUTSIDE and outside_body:
        return outside_body
    return BODY_IN_A_SENTENCE.get(deciding_body, deciding_body)


def day_in_a_sentence(day):
    """"3 March" this year, "3 March 2025" otherwise (UK dates)."""
    if hasattr(day, "hour"):
        day = timezone.localtime(day, UK_TIME_ZONE).date()
    if day.year == timezone.localtime(timezone.now(), UK_TIME_ZONE).year:
        return f"{day.day} {day:%B}"
    return f"{day.day} {day:%B %Y}"


class DecisionRule(models.TextChoices):
    """How a stage's body decides: what the votes must show for an item to be carried."""

    SIMPLE_MAJORITY = "simple_majority", "Simple majority (more for than against)"
    TWO_THIRDS = "two_thirds", "Two-thirds majority (at least two thirds of the votes cast for)"
    NO_VOTE = "no_vote", "No vote (an officer or an outside body decides)"

    @classmethod
    def is_carried(cls, rule, votes_for, votes_against):
        """Do these votes carry an item under `rule`? Abstentions are not votes cast."""
        if rule == cls.TWO_THIRDS:
            return votes_for > 0 and 3 * votes_for >= 2 * (votes_for + votes_against)
        return votes_for > votes_against


class OutcomesField(models.JSONField):
    """A list of outcomes, edited as checkboxes (a JSON list works on SQLite and PostgreSQL)."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=Outcome.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = [v for v in value or [] if v not in Outcome.values]
        if unknown:
            raise ValidationError(f"Unknown outcome{pluralize(unknown)}: {', '.join(unknown)}.")


# --------------------------------------------------------------------------- pipelines


class Pipeline(ClusterableModel):
    """The ordered stages an item of one kind goes through. Data, not code: officers edit it
    in the Wagtail admin. New items of a kind take the kind's default pipeline."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=32, choices=ItemKind.choices)
    is_default = models.BooleanField(
        default=True, help_text="New items of this kind go through this pipeline (one default per kind)."
    )
    description = models.TextField(blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("is_default")]),
        FieldPanel("description"),
        InlinePanel("stages", label="Stages", min_num=1, heading="Stages, in order"),
    ]

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(is_default=True), name="one_default_pipeline_per_kind"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def default_for(cls, kind):
        pipeline = cls.objects.filter(kind=kind, is_default=True).first()
        if pipeline is None:
            raise DecisionError(f"There is no default pipeline for {ItemKind(kind).label.lower()}s.")
        return pipeline

    def ordered_stages(self):
        return list(self.stages.order_by("sort_order", "pk"))

    def first_stage(self):
        return self.stages.order_by("sort_order", "pk").first()


def default_allowed_outcomes():
    return [
        Outcome.CARRIED, Outcome.CARRIED_AS_AMENDED, Outcome.FELL, Outcome.REFERRED_BACK,
        Outcome.REMITTED, Outcome.WITHDRAWN, Outcome.RULED_OUT_OF_ORDER,
    ]


def default_advancing_outcomes():
    return [Outcome.CARRIED, Outcome.CARRIED_AS_AMENDED]


class Stage(Orderable):
    """One step of a pipeline: which body decides, what it may record, which outcomes move the
    item on (at the last stage they finish it), whether votes are counted, and a deadline.

    Renaming a stage or changing its body keeps history as it was: each Decision stores a
    snapshot of the stage's name and body. A stage with items waiting at it cannot be removed
    (the pipeline form refuses it); a stage with only past decisions can: those decisions keep
    their snapshot and lose the link.
    """

    pipeline = ParentalKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=120)
    deciding_body = models.CharField(max_length=32, choices=DecidingBody.choices)
    outside_body = models.CharField(
        max_length=120, blank=True, help_text="For an outside stage: e.g. “Labour Party Conference”, “NPF”."
    )
    allowed_outcomes = OutcomesField("allowed outcomes", default=default_allowed_outcomes)
    advancing_outcomes = OutcomesField(
        "advancing outcomes",
        default=default_advancing_outcomes,
        help_text="Outcomes that move the item to the next stage (at the last stage: finish it).",
    )
    decision_rule = models.CharField(
        "how it is decided", max_length=20, choices=DecisionRule.choices, default=DecisionRule.SIMPLE_MAJORITY,
        help_text="The majority the votes must show for “carried”; “no vote” records no vote counts.",
    )
    # Kept in step with decision_rule by save() (votes are taken unless the rule is "no vote").
    takes_votes = models.BooleanField(default=True, editable=False,
                                      help_text="Votes for / against / abstentions are recorded.")
    deadline = models.DateTimeField(null=True, blank=True, help_text="Stored in UTC; shown in UK time.")
    secret_votes = models.BooleanField(
        "votes are secret", default=False,
        help_text="Polls and online ballots at this stage are secret: nothing links a vote to its voter (as in "
                  "officer elections). Unticked, they are named: how each voter voted is published with the result.",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("deciding_body"), FieldPanel("outside_body")]),
        FieldRowPanel([FieldPanel("allowed_outcomes"), FieldPanel("advancing_outcomes")]),
        FieldRowPanel([FieldPanel("decision_rule"), FieldPanel("deadline")]),
        FieldPanel("secret_votes"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["pipeline_id", "sort_order", "pk"]

    def __str__(self):
        return f"{self.name} ({self.body_label})"

    @property
    def position(self):
        return self.sort_order

    def save(self, *args, **kwargs):
        if self._state.adding and not self.takes_votes and self.decision_rule == DecisionRule.SIMPLE_MAJORITY:
            # Made by older code that only said "no votes" (the default pipelines' migration).
            self.decision_rule = DecisionRule.NO_VOTE
        self.takes_votes = self.decision_rule != DecisionRule.NO_VOTE
        super().save(*args, **kwargs)

    @property
    def body_label(self):
        if self.deciding_body == DecidingBody.OUTSIDE and self.outside_body:
            return self.outside_body
        return self.get_deciding_body_display()

    def clean(self):
        super().clean()
        if not set(self.advancing_outcomes or []) <= set(self.allowed_outcomes or []):
            raise ValidationError({"advancing_outcomes": "Advancing outcomes must also be allowed outcomes."})
        if self.deciding_body == DecidingBody.OUTSIDE and not self.outside_body:
            raise ValidationError({"outside_body": "Name the outside body (e.g. Labour Party Conference)."})

    def next_stage(self):
        return (
            Stage.objects.filter(pipeline_id=self.pipeline_id)
            .filter(Q(sort_order__gt=self.sort_order) | Q(sort_order=self.sort_order, pk__gt=self.pk))
            .order_by("sort_order", "pk")
            .first()
        )

    def previous_stage(self):
        return (
            Stage.objects.filter(pipeline_id=self.pipeline_id)
            .filter(Q(sort_order__lt=self.sort_order) | Q(sort_order=self.sort_order, pk__lt=self.pk))
            .order_by("-sort_order", "-pk")
            .first()
        )


# --------------------------------------------------------------------------- consultations


class PolicyCommission(models.Model):
    """An NPF policy commission (e.g. “Health and Care”): submissions are grouped by it."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Consultation(models.Model):
    """An NPF consultation LI sends policy submissions to: its commissions, deadline and word limit."""

    slug = models.SlugField(unique=True)
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    intro = RichTextField(blank=True)
    closes_at = models.DateTimeField(help_text="Stored in UTC; shown as UK time (e.g. 23:59 UK time).")
    word_limit = models.PositiveIntegerField(default=1000)
    is_closed = models.BooleanField(default=False, help_text="Close early, before the deadline.")
    commissions = models.ManyToManyField(PolicyCommission, related_name="consultations")

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("slug"), FieldPanel("year")]),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("closes_at"), FieldPanel("word_limit"), FieldPanel("is_closed")]),
        FieldPanel("commissions", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        ordering = ["-year", "title"]
        constraints = [models.CheckConstraint(condition=Q(word_limit__gt=0), name="consultation_word_limit_positive")]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @property
    def title_with_year(self):
        """Its title, with the year when the title does not already say it ("NPF consultation 2026")."""
        return self.title if str(self.year) in self.title else f"{self.title} ({self.year})"

    @property
    def is_open(self):
        return not self.is_closed and self.closes_at > timezone.now()

    @property
    def status(self):
        return "open" if self.is_open else "closed"


# --------------------------------------------------------------------------- items


class ReferenceCounter(models.Model):
    """The last reference number given per prefix and year (M-2026-007 → prefix M, 2026, 7).
    Incremented with a row lock, so two items never get the same reference."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class ItemQuerySet(models.QuerySet):
    # The one rule of what any visitor may see: an item is public once this is set (it is submitted).
    # public() filters on it; the branch page's SQL read (tracker.selectors.branch_motions) names it.
    PUBLIC_ONCE_SET = "submitted_at"

    def public(self):
        """What any visitor may see: every submitted item (never drafts, never unsubmitted ones)."""
        return self.filter(**{f"{self.PUBLIC_ONCE_SET}__isnull": False})

    def in_progress(self):
        return self.filter(status=ItemStatus.IN_PROGRESS)

    def with_specific(self):
        """Join the kind-specific rows, so `item.specific` costs no query."""
        return self.select_related(*(spec.accessor for spec in kinds.registered()))

    def for_listing(self):
        return self.select_related("current_stage", "branch", "pipeline", "proposer")

    def waiting_for(self, deciding_body):
        return self.in_progress().filter(current_stage__deciding_body=deciding_body)


class Item(models.Model):
    """Anything that moves through the stages of a pipeline: a motion, a policy submission or
    a steering-group proposal (multi-table inheritance: one table lists every kind).

    Its history is its decisions (`item.decisions`), append-only; its text history is its
    revisions (`item.revisions`). See ItemStatus for the statuses.
    """

    # Given from the locked counter when the proposer submits: a draft consumes no public number.
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    kind = models.CharField(max_length=32, choices=ItemKind.choices, editable=False, db_index=True)
    title = models.CharField(max_length=255)
    text = RichTextField(features=["bold", "italic", "ol", "ul", "link", "h3", "h4"])
    status = models.CharField(max_length=32, choices=ItemStatus.choices, default=ItemStatus.DRAFT, db_index=True)
    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="items")
    current_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="current_items"
    )
    branch = models.ForeignKey(
        "cms.BranchPage", null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposed_items"
    )
    seconders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Seconding", related_name="seconded_items", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "current_stage"], name="item_status_stage"),
            # The tracker's listings by status or branch: counted and paged on the index alone (newest first).
            models.Index(fields=["status", "submitted_at"], name="item_status_submitted"),
            models.Index(fields=["branch", "submitted_at"], name="item_branch_submitted"),
        ]

    def __str__(self):
        return f"{self.label} {self.title}"

    def get_absolute_url(self):
        return f"/motions/{self.reference}/"

    @property
    def label(self):
        """Its reference, or "Draft" before it is submitted (a draft has no public number)."""
        return self.reference or "Draft"

    @property
    def specific(self):
        """The Motion, PolicySubmission or Proposal this item is (its kind's model, workflows.kinds)."""
        if type(self) is not Item:
            return self
        return getattr(self, kinds.get(self.kind).accessor)

    @property
    def is_public(self):
        return self.submitted_at is not None

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def word_count(self):
        return word_count(self.text)

    @property
    def status_sentence(self):
        """Where it stands, as a volunteer would say it: "Waiting for the GC's decision", "Sent to
        Conference on 3 March", "Fell on 12 February". Uses only the item and its current stage."""
        on = f" on {day_in_a_sentence(self.finished_at)}" if self.finished_at else ""
        if self.status == ItemStatus.IN_PROGRESS and self.current_stage_id:
            stage = self.current_stage
            if stage.deciding_body == DecidingBody.OUTSIDE:
                return f"Waiting to be sent to {stage.outside_body or 'Conference'}"
            if stage.deciding_body == DecidingBody.POLICY_OFFICER:
                return "Waiting for the policy officer's review"
            return f"Waiting for {body_in_a_sentence(stage.deciding_body)}'s decision"
        if self.status == ItemStatus.FINISHED:
            return FINISHED_IN_A_SENTENCE.get(self.kind, "Finished") + on
        if self.status == ItemStatus.DRAFT:
            return "A draft, not yet submitted"
        if self.status == ItemStatus.AWAITING_SECONDERS:
            return "Waiting for its seconders to confirm"
        return self.get_status_display() + on

    def history(self):
        """Its decisions, oldest first, with what a history table shows (no extra queries)."""
        return self.decisions.select_related("meeting", "recorded_by", "stage", "amended_revision").order_by(
            "recorded_at", "pk"
        )


class SecondingQuerySet(models.QuerySet):
    def active(self):
        """Invitations the proposer has not withdrawn (waiting, confirmed or declined)."""
        return self.filter(withdrawn_at__isnull=True)

    def pending(self):
        return self.active().filter(confirmed_at__isnull=True, declined_at__isnull=True)

    def confirmed(self):
        return self.active().filter(confirmed_at__isnull=False)

    def addressed_to(self, member):
        """The invitations `member` may answer: those sent to their address, or answered by them."""
        if not getattr(member, "is_authenticated", False):
            return self.none()
        addressed = Q(member=member)
        if member.email:
            addressed |= Q(email__iexact=member.email)
        return self.active().filter(addressed)


class Seconding(models.Model):
    """The proposer's invitation to second an item, sent to the email address they know the
    seconder by; the seconder confirms or declines from the link in the email.

    `member` stays empty until the person at that address answers: the proposer learns nothing
    about whether the address is a member's until then. Withdrawing the invitation (or a new
    request after the text changed: a new `link_nonce`) makes the old links useless.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="secondings")
    email = models.EmailField("seconder's email address", help_text="As the proposer typed it (lower case).")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="secondings", help_text="Who answered (set when they confirm or decline).")
    named_at = models.DateTimeField(default=timezone.now)
    requested_at = models.DateTimeField(default=timezone.now, help_text="When the current link was made.")
    link_nonce = models.CharField(max_length=32, blank=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = SecondingQuerySet.as_manager()

    class Meta:
        ordering = ["named_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], condition=Q(withdrawn_at__isnull=True),
                                    name="one_seconding_per_member"),
            models.UniqueConstraint(fields=["item", "email"], condition=Q(withdrawn_at__isnull=True),
                                    name="one_invitation_per_address"),
        ]

    def __str__(self):
        return f"{self.email} asked to second {self.item.label}"

    @property
    def state(self):
        if self.withdrawn_at:
            return self.State.WITHDRAWN
        if self.confirmed_at:
            return self.State.CONFIRMED
        if self.declined_at:
            return self.State.DECLINED
        return self.State.PENDING

    def get_state_display(self):
        return self.State(self.state).label

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None and self.withdrawn_at is None


class Motion(Item):
    """A proposal for change (rules or policy): proposed and seconded by members, passed by a
    branch meeting, ratified (or not) by the GC, then sent on (Conference)."""

    class Meta:
        verbose_name = "motion"


class PolicySubmission(Item):
    """A text for an NPF consultation and one of its commissions, within the consultation's
    word limit; checked by the policy officer, ratified by the GC, exported to the NPF."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="submissions")
    commission = models.ForeignKey(PolicyCommission, on_delete=models.PROTECT, related_name="submissions")

    class Meta:
        verbose_name = "policy submission"

    @property
    def word_limit(self):
        return self.consultation.word_limit

    @property
    def is_over_word_limit(self):
        return self.word_count > self.consultation.word_limit


class ItemRevision(models.Model):
    """One version of an item's text: each saved draft edit, and each text carried as amended.
    Old texts are kept; the item's `text` is the latest."""

    class Reason(models.TextChoices):
        DRAFT = "draft", "Draft edit"
        AMENDED = "amended", "Carried as amended"
        MERGED = "merged", "Amendment merged"
        RESOLVED = "resolved", "Text settled by an officer (amendments that touch the same lines)"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=255)
    text = RichTextField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.item.reference}: {self.get_reason_display()} ({self.created_at:%Y-%m-%d})"


# --------------------------------------------------------------------------- meetings


class MeetingBody(models.TextChoices):
    BRANCH = "branch", "Branch meeting"
    LIEC = "liec", "LIEC"
    GC = "gc", "General Committee (GC)"
    AGM = "agm", "AGM"
    STEERING_GROUP = "steering_group", "Steering group"


# Which meetings decide the items waiting at a stage of each deciding body (the others have none).
MEETING_BODY_OF_DECIDING_BODY = {
    DecidingBody.BRANCH_MEETING: MeetingBody.BRANCH,
    DecidingBody.STEERING_GROUP: MeetingBody.STEERING_GROUP,
    DecidingBody.LIEC: MeetingBody.LIEC,
    DecidingBody.GC: MeetingBody.GC,
}


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_published_minutes(self):
        return self.filter(minutes_status=Meeting.MinutesStatus.APPROVED)


class Meeting(models.Model):
    """A meeting of a body (a branch, a steering group, the LIEC, the GC, the AGM): its agenda
    is built from the items waiting for that body; its minutes are published to members once
    approved."""

    class MinutesStatus(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved (published to members)"

    body = models.CharField(max_length=32, choices=MeetingBody.choices)
    branch = models.ForeignKey("cms.BranchPage", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="meetings")
    steering_group = models.ForeignKey("steering_groups.SteeringGroup", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(help_text="Stored in UTC.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Stored in UTC; when the meeting is planned to end.")
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone],
                                 help_text="The zone the meeting is announced in; left empty, the branch's "
                                           "(UK time for the LIEC, the GC and the AGM).")
    place = models.CharField(max_length=255, blank=True)
    online_link = models.URLField(blank=True, help_text="Shown to signed-in members only.")
    amendment_deadline = models.DateTimeField(
        null=True, blank=True,
        help_text="Stored in UTC; shown in UK time and each member's own. Members table amendments to the motions on "
                  "its agenda until then (until the meeting starts if left empty).",
    )
    minutes = RichTextField(blank=True)
    minutes_documents = models.ManyToManyField(
        "wagtaildocs.Document", blank=True, related_name="minuted_meetings",
        help_text="Papers attached to the minutes (reports, accounts, the amended texts).",
    )
    minutes_status = models.CharField(max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    minutes_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("body"), FieldPanel("branch"), FieldPanel("steering_group")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("time_zone", widget=TimeZoneSelect())]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("online_link")]),
        FieldPanel("amendment_deadline"),
        MultiFieldPanel([FieldPanel("minutes"), FieldPanel("minutes_status")], heading="Minutes"),
    ]

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["body", "starts_at"], name="meeting_body_start")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body="branch") | Q(branch__isnull=False), name="branch_meeting_has_branch"
            ),
            models.CheckConstraint(
                condition=~Q(body="steering_group") | Q(steering_group__isnull=False),
                name="steering_group_meeting_has_group",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.local_starts_at:%d %b %Y})"

    def save(self, *args, **kwargs):
        if not self.time_zone:
            self.time_zone = self.branch.time_zone if self.branch_id else uk_zone_name()
        super().save(*args, **kwargs)

    # What lists of a branch's meetings and events (cms/includes/happening.html) show it as.
    happening_kind = "meeting"

    def get_absolute_url(self):
        return reverse("workflows:meeting", args=[self.pk])

    def clean(self):
        super().clean()
        if self.body == MeetingBody.BRANCH and not self.branch_id:
            raise ValidationError({"branch": "A branch meeting needs its branch."})
        if self.body == MeetingBody.STEERING_GROUP and not self.steering_group_id:
            raise ValidationError({"steering_group": "A steering-group meeting needs its steering group."})
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The meeting must end after it starts."})
        if self.amendment_deadline and self.starts_at and self.amendment_deadline > self.starts_at:
            raise ValidationError({"amendment_deadline": "The deadline for amendments must be before the meeting starts."})

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def uk_starts_at(self):
        return timezone.localtime(self.starts_at, UK_TIME_ZONE)

    @property
    def is_past(self):
        return self.starts_at < timezone.now()

    def amendments_close_at(self):
        """When members can no longer table amendments to the motions on its agenda."""
        return self.amendment_deadline or self.starts_at

    def when(self):
        """For admin listings and exports: "3 Mar 2026 18:30 UK time (19:30 Europe/Paris)"."""
        return uk_and_local_text(self.starts_at, self.time_zone)

    when.short_description = "When (UK time, and the place's time)"

    def open_agenda_entries(self):
        """Agenda entries still waiting for this meeting: not decided (the item is still at the
        entry's stage) and not deferred to a later meeting. Minutes wait for none of them."""
        decided_here = Decision.objects.filter(meeting=self, item=models.OuterRef("item"),
                                               stage=models.OuterRef("stage"))
        return self.agenda.filter(
            deferred_to__isnull=True, item__submitted_at__isnull=False, item__status=ItemStatus.IN_PROGRESS,
            item__current_stage_id=models.F("stage_id"),
        ).exclude(models.Exists(decided_here)).order_by("position", "pk")

    def has_started(self, at=None):
        """Has the meeting begun (at `at`, now by default)? Only then can it decide anything."""
        return self.starts_at <= (at or timezone.now())

    @property
    def minutes_published(self):
        return self.minutes_status == self.MinutesStatus.APPROVED


class AgendaEntry(models.Model):
    """An item on a meeting's agenda (added automatically when it waits for that body)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="agenda_entries")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    deferred_to = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The later meeting this item was explicitly deferred to (it was not decided here).",
    )
    deferred_at = models.DateTimeField(null=True, blank=True)
    deferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name_plural = "agenda entries"
        constraints = [models.UniqueConstraint(fields=["meeting", "item"], name="item_once_per_agenda")]

    def __str__(self):
        return f"{self.position}. {self.item}"


# --------------------------------------------------------------------------- decisions


class DecisionQuerySet(models.QuerySet):
    """Decisions are append-only: bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise DecisionError("Decisions are part of the record: they cannot be changed.")

    def delete(self):
        raise DecisionError("Decisions are part of the record: they cannot be deleted.")


class Decision(models.Model):
    """What a body decided on an item at a stage: immutable, append-only. The item's history.

    Keeps a snapshot of the stage's name and body, so renaming or changing a pipeline never
    rewrites history. Written only by `workflows.services.record_decision` (and withdrawal).
    """

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="decisions")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    stage_name = models.CharField(max_length=120)
    deciding_body = models.CharField(max_length=32, choices=DecidingBody.choices)
    outside_body = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    status_after = models.CharField(max_length=32, choices=ItemStatus.choices)
    next_stage_name = models.CharField(max_length=120, blank=True, help_text="Where the item went next, if anywhere.")
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    abstentions = models.PositiveIntegerField(null=True, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    decided_on = models.DateField(help_text="The day it was decided (UK date).")
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="recorded_decisions")
    note = models.TextField(blank=True)
    amended_revision = models.ForeignKey(ItemRevision, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["item", "recorded_at"], name="decision_item_time")]
        constraints = [
            models.CheckConstraint(condition=Q(votes_for__isnull=True) | Q(votes_for__gte=0),
                                   name="decision_votes_for_non_negative"),
            models.CheckConstraint(condition=Q(votes_against__isnull=True) | Q(votes_against__gte=0),
                                   name="decision_votes_against_non_negative"),
            models.CheckConstraint(condition=Q(abstentions__isnull=True) | Q(abstentions__gte=0),
                                   name="decision_abstentions_non_negative"),
        ]

    def __str__(self):
        return f"{self.stage_name}: {self.get_outcome_display()} ({self.decided_on:%d %b %Y})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DecisionError("Decisions are part of the record: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DecisionError("Decisions are part of the record: they cannot be deleted.")

    @property
    def body_label(self):
        if self.deciding_body == DecidingBody.OUTSIDE and self.outside_body:
            return self.outside_body
        return self.get_deciding_body_display()

    @property
    def has_votes(self):
        return self.votes_for is not None

    @property
    def sentence(self):
        """The decision as a sentence: "Carried by the branch meeting", "Sent to Labour Party Conference"."""
        body = body_in_a_sentence(self.deciding_body, self.outside_body)
        if self.outcome in (Outcome.SENT, Outcome.EXPORTED):
            return f"Sent to {self.outside_body or ('the NPF' if self.outcome == Outcome.EXPORTED else 'Conference')}"
        if self.outcome == Outcome.WITHDRAWN:
            return "Withdrawn"
        if self.outcome == Outcome.ACCEPTED_AS_FRIENDLY:
            return "Accepted as friendly by the proposer of the motion"
        if self.outcome == Outcome.COMPOSITED:
            return "Composited with other motions"
        if self.outcome == Outcome.FELL:
            return f"Fell at {body}"
        return f"{self.get_outcome_display()} by {body}"

    @property
    def uk_recorded_at(self):
        return timezone.localtime(self.recorded_at, UK_TIME_ZONE)

