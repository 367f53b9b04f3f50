"""Business actions of the workflow engine: the one place each rule is checked and written.

Views, the admin, the API, commands and the demo seed call these functions. Each runs in a
transaction, raises a `workflows.exceptions.WorkflowError` subclass with a message for the
person who acted (nothing is written then), and sends its signals only after commit.
"""

import contextvars
import re
import secrets
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Collection

from cms import cache as public_cache
from cms.html_cleaning import RICH_TEXT_FEATURES, clean_member_html
from cms.models import MicrositeTeam
from cms.times import uk_and_local_text

from . import kinds, permissions, signals
from .exceptions import AlreadyDecided, DecisionError, ItemError
from .models import (
    CARRYING_OUTCOMES,
    MEETING_BODY_OF_DECIDING_BODY,
    REFERENCE_PREFIXES,
    TERMINAL_STATUS_OF_OUTCOME,
    UK_TIME_ZONE,
    VOTED_OUTCOMES,
    AgendaEntry,
    DecidingBody,
    Decision,
    DecisionRule,
    Item,
    ItemKind,
    ItemRevision,
    ItemStatus,
    Meeting,
    MeetingBody,
    Outcome,
    Pipeline,
    PolicySubmission,
    ReferenceCounter,
    Seconding,
    Stage,
    word_count,
)
from .selectors import meetings_deciding

# Motions and policy submissions need at least this many confirmed seconders to go forward.
SECONDERS_REQUIRED = 1
# At most this many invitations to second, waiting or confirmed, per item at a time.
MAX_SECONDERS_NAMED = 3
# An emailed confirm/decline link works this long (a new request makes a new link).
SECONDING_LINK_MAX_AGE = timedelta(days=30)
SECONDING_LINK_SALT = "workflows.seconding"
SECONDABLE_STATUSES = (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS)

_as_of = contextvars.ContextVar("workflow_as_of", default=None)


def now():
    """The time services stamp records with: the real time, unless inside `as_of`."""
    return _as_of.get() or timezone.now()


@contextmanager
def as_of(moment):
    """Enter historical records (past minutes, the demo seed) as of `moment`: every timestamp
    the services write (created, submitted, decided, recorded) is that moment. The rules are
    the same; a decision still cannot be dated after it is recorded."""
    token = _as_of.set(moment)
    try:
        yield
    finally:
        _as_of.reset(token)


def _today():
    return timezone.localtime(now(), UK_TIME_ZONE).date()


def _on_commit_send(signal, **kwargs):
    transaction.on_commit(lambda: signal.send(sender=Item, **kwargs))


# --------------------------------------------------------------------------- references


def allocate_reference(kind, year=None):
    """The next reference for `kind` in `year` (UK year by default), e.g. "M-2026-007".

    The counter row is incremented with an UPDATE inside the caller's transaction, which holds
    its lock until commit: two concurrent allocations never get the same number.
    """
    prefix = REFERENCE_PREFIXES[kind]
    year = year or _today().year
    with transaction.atomic():
        try:
            with transaction.atomic():
                counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:  # created by a concurrent allocation in between
            counter = ReferenceCounter.objects.get(prefix=prefix, year=year)
        ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        number = ReferenceCounter.objects.values_list("last", flat=True).get(pk=counter.pk)
    return f"{prefix}-{year}-{number:03d}"


# --------------------------------------------------------------------------- drafting


def _check_text(title, text, *, limit=None):
    if not (title or "").strip():
        raise ItemError("Give it a title.", field="title")
    if not strip_tags(text or "").strip():
        raise ItemError("Write its text.", field="text")
    if limit is not None:
        words = word_count(text)
        if words > limit:
            raise ItemError(
                f"The text has {words} words: the consultation's limit is {limit}. Shorten it by {words - limit}.",
                field="text",
            )


def _check_consultation(consultation, commission):
    if consultation is None:
        raise ItemError("Choose the NPF consultation.", field="consultation")
    if commission is None:
        raise ItemError("Choose the policy commission.", field="commission")
    if not consultation.is_open:
        raise ItemError(f"The consultation “{consultation.title}” is closed.", field="consultation")
    if not consultation.commissions.filter(pk=commission.pk).exists():
        raise ItemError(
            f"“{commission.name}” is not a commission of “{consultation.title}”.", field="commission"
        )


def _check_member_may_propose(member):
    if not getattr(member, "is_authenticated", False):
        raise ItemError("Log in to propose.")
    if not member.is_paid_up():
        raise ItemError("Only fully paid-up members can propose. Check your membership is up to date.")


def create_draft(kind, proposer, *, title, text, branch=None, consultation=None, commission=None,
                 seconder_emails=(), **details):
    """A new draft motion, policy submission or steering-group proposal by `proposer`.

    Motions and submissions belong to the proposer's branch. A kind registered by another app
    (workflows.kinds) checks and sets its own fields from `details`: a proposal belongs to the
    steering group given as `steering_group` (the proposer must be in it), not to a branch.
    Seconders may be named at once, by the email address the proposer knows them by. A draft has
    no reference yet: it gets one when it is submitted.
    """
    kind = ItemKind(kind)
    spec = kinds.get(kind)
    if not spec.draft_page:
        raise ItemError(f"A {kind.label.lower()} is not drafted here.")
    _check_member_may_propose(proposer)
    model, extra = spec.model, {}
    limit = None
    if kind == ItemKind.POLICY_SUBMISSION:
        _check_consultation(consultation, commission)
        limit = consultation.word_limit
        extra = {"consultation": consultation, "commission": commission}
    if spec.draft_fields is not None:
        extra.update(spec.draft_fields(proposer, **details))
    elif any(value is not None for value in details.values()):
        raise TypeError(f"A {kind.label.lower()} takes no {', '.join(details)}.")
    if not spec.in_branch:
        branch = None
    else:
        branch = branch or proposer.branch
        if branch is None:
            raise ItemError("You are not in a branch yet: ask the membership officer to add you to one.")
    text = clean_member_html(text)  # what a person typed: cleaned before it is stored
    _check_text(title, text, limit=limit)
    pipeline = Pipeline.default_for(kind)
    with transaction.atomic():
        item = model.objects.create(
            reference=None, kind=kind, title=title.strip(), text=text, pipeline=pipeline,
            branch=branch, proposer=proposer, status=ItemStatus.DRAFT, created_at=now(), **extra,
        )
        ItemRevision.objects.create(item=item, title=item.title, text=text, reason=ItemRevision.Reason.DRAFT,
                                    created_by=proposer, created_at=now())
        if seconder_emails:
            name_seconders(item, proposer, seconder_emails)
    return item


def update_draft(item, by, *, title, text, consultation=None, commission=None):
    """Save an edit of a draft by its proposer: a new revision is kept. Changing the text asks
    the seconders who confirmed to confirm again (they second a text, not a title).

    The item row is locked and re-read first: an edit saved while the same draft is being
    submitted (another tab, a double click) is refused once it is submitted; it never puts a
    submitted item back to draft."""
    if not permissions.can_edit_draft(by, item):
        raise ItemError("Only its proposer can edit a draft, and only before it is submitted.")
    limit = None
    text = clean_member_html(text)  # what a person typed: cleaned before it is stored
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk).specific
        if locked.status != ItemStatus.DRAFT:
            raise ItemError(
                f"It was submitted ({locked.label}): the text can no longer be edited, and this edit was not saved."
            )
        if isinstance(locked, PolicySubmission):
            consultation = consultation or locked.consultation
            commission = commission or locked.commission
            _check_consultation(consultation, commission)
            limit = consultation.word_limit
        _check_text(title, text, limit=limit)
        text_changed = text != locked.text
        locked.title, locked.text = title.strip(), text
        fields = ["title", "text", "updated_at"]
        if isinstance(locked, PolicySubmission):
            locked.consultation, locked.commission = consultation, commission
            fields += ["consultation", "commission"]
        locked.save(update_fields=fields)
        ItemRevision.objects.create(item=locked, title=locked.title, text=text, reason=ItemRevision.Reason.DRAFT,
                                    created_by=by, created_at=now())
        if text_changed:
            for seconding in locked.secondings.confirmed():
                seconding.confirmed_at = None
                _renew_link(seconding)
                seconding.save(update_fields=["confirmed_at", "link_nonce", "requested_at"])
                _on_commit_send(signals.seconding_requested, item=locked, seconding=seconding)
    _copy_state(locked, item)
    if isinstance(item, PolicySubmission):
        item.consultation, item.commission = locked.consultation, locked.commission
    return item


# --------------------------------------------------------------------------- seconding


def normalise_email(raw):
    """An address as typed, checked and in lower case; ItemError if it is not an address."""
    address = (raw or "").strip().strip("<>").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ItemError(f"“{raw.strip()}” is not an email address.", field="seconders") from None
    return address.lower()


def _renew_link(seconding):
    """A new link for an invitation: links sent before stop working."""
    seconding.link_nonce = secrets.token_hex(16)
    seconding.requested_at = now()


def seconding_link_token(seconding):
    """The token of the confirm/decline link emailed for `seconding` (signed; see seconding_for_link)."""
    return signing.dumps({"s": seconding.pk, "n": seconding.link_nonce}, salt=SECONDING_LINK_SALT)


def seconding_link_expires_at(seconding):
    return seconding.requested_at + SECONDING_LINK_MAX_AGE


def seconding_for_link(token):
    """The invitation a confirm/decline link stands for. Raises ItemError when the link is
    forged or damaged, was replaced by a newer one, was withdrawn, has expired, or the item no
    longer waits for seconders. Changes nothing."""
    try:
        data = signing.loads(token, salt=SECONDING_LINK_SALT)
    except signing.BadSignature:
        raise ItemError("This link is not valid: it may have been cut short. Open it again from the email.") from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("n"), str):
        raise ItemError("This link is not valid.")
    seconding = (
        Seconding.objects.select_related("item", "item__proposer", "item__branch", "member")
        .filter(pk=data["s"]).first()
    )
    if seconding is None or not seconding.link_nonce or not secrets.compare_digest(seconding.link_nonce, data["n"]):
        raise ItemError("This link is no longer valid: the proposer changed or withdrew the invitation.")
    if seconding.withdrawn_at is not None:
        raise ItemError("The proposer withdrew this invitation: there is nothing to answer.")
    if seconding.item.status not in SECONDABLE_STATUSES:
        raise ItemError(f"This {seconding.item.get_kind_display().lower()} is no longer waiting for seconders.")
    if seconding.confirmed_at is None and seconding.declined_at is None and (
        now() > seconding_link_expires_at(seconding)
    ):
        raise ItemError("This link has expired. Ask the proposer to invite you again.")
    return seconding


def _check_naming_allowed(item, by):
    if item.proposer_id != getattr(by, "pk", None):
        raise ItemError("Only the proposer names seconders.")
    if item.status not in SECONDABLE_STATUSES:
        raise ItemError("Seconders are named before the item goes to its first stage.")


def name_seconders(item, by, emails):
    """The proposer names seconders by the email addresses they know them by.

    Each address gets an invitation; after commit `seconding_requested` is sent, and the
    notifications app emails a confirm/decline link if (and only if) the address is a member's.
    Whatever the address, the proposer sees the same thing ("waiting for an answer") until the
    person answers, so no one can learn who is a member this way; naming is limited per item and
    per day. Addresses already invited are left as they are. Returns the new invitations."""
    addresses = []
    for raw in emails:
        if (raw or "").strip():
            address = normalise_email(raw)
            if address not in addresses:
                addresses.append(address)
    if not addresses:
        return []
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        _check_naming_allowed(locked, by)
        if by.email and by.email.lower() in addresses:
            raise ItemError("That is your own address: a seconder is another member.", field="seconders")
        active = {s.email: s for s in locked.secondings.active()}
        new = [a for a in addresses if a not in active]
        declined = [a for a in addresses if a in active and active[a].declined_at]
        if declined:
            raise ItemError(f"{declined[0]} declined to second it: name someone else.", field="seconders")
        open_count = sum(1 for s in active.values() if s.declined_at is None)
        if open_count + len(new) > MAX_SECONDERS_NAMED:
            raise ItemError(
                f"At most {MAX_SECONDERS_NAMED} seconders can be invited at a time: withdraw an invitation first.",
                field="seconders",
            )
        _check_naming_rate(by, new)
        created = []
        for address in new:
            seconding = Seconding(item=locked, email=address, named_at=now())
            _renew_link(seconding)
            seconding.save()
            created.append(seconding)
            _on_commit_send(signals.seconding_requested, item=locked, seconding=seconding)
    return created


def _check_naming_rate(by, addresses):
    """A proposer invites at most SECONDER_INVITATIONS_PER_DAY different people in 24 hours
    (withdrawn invitations count too), so addresses cannot be tried in bulk. Asking the same
    seconder again, for the branch's next motion, is not a new person."""
    limit = getattr(settings, "SECONDER_INVITATIONS_PER_DAY", 10)
    since = now() - timedelta(hours=24)
    last_named = {}
    for email, named_at in (Seconding.objects.filter(item__proposer=by, named_at__gte=since)
                            .order_by("named_at").values_list("email", "named_at")):
        last_named[email.lower()] = named_at
    adding = [a for a in addresses if a.lower() not in last_named]
    if len(last_named) + len(adding) > limit:
        if len(last_named) >= limit:
            # Each person stops counting 24 hours after they were last asked.
            leaving = sorted(last_named.values())[len(last_named) - limit]
            again = timezone.localtime(leaving + timedelta(hours=24), UK_TIME_ZONE)
            when = f"from {again:%H:%M} UK time on {again:%d %B}"
        else:
            when = f"now: {limit - len(last_named)} more today"
        raise ItemError(
            f"You have invited {len(last_named)} different people to second in the last 24 hours "
            f"(the limit is {limit}): you can invite more {when}, or ask someone you invited already.",
            field="seconders",
        )


def withdraw_seconding_invitation(seconding, by):
    """The proposer withdraws an invitation (waiting or confirmed): its links stop working.
    Withdrawing the last one that was waiting may let a submitted item go forward."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=seconding.item_id)
        _check_naming_allowed(locked, by)
        row = locked.secondings.active().filter(pk=seconding.pk).first()
        if row is None:
            raise ItemError("This invitation was already withdrawn.")
        row.withdrawn_at = now()
        row.link_nonce = ""
        row.save(update_fields=["withdrawn_at", "link_nonce"])
        _on_commit_send(signals.seconding_withdrawn, item=locked, seconding=row)
        _go_forward_if_seconded(locked)
    _copy_state(locked, seconding.item)
    return row


def check_may_second(item, member):
    """The rule of who may second `item`: a fully paid-up member, not its proposer, of the
    item's branch (motions and submissions) or steering group (proposals)."""
    if item.proposer_id == member.pk:
        raise ItemError("You proposed it: a seconder is another member.")
    if not member.is_paid_up():
        raise ItemError("Only fully paid-up members can second. Check your membership is up to date "
                        "with the membership officer.")
    if item.branch_id and member.branch_id != item.branch_id:
        raise ItemError(f"Only members of the {item.branch.title} branch can second its "
                        f"{item.get_kind_display().lower()}s.")
    spec = kinds.get(item.kind)
    if spec.check_seconder is not None:
        spec.check_seconder(item, member)


def _answering(locked, member, seconding=None):
    rows = locked.secondings.addressed_to(member)
    if seconding is not None:
        rows = rows.filter(pk=seconding.pk)
    row = rows.select_related("member").first()
    if row is None:
        raise ItemError("You are not named as a seconder of this item.")
    if locked.status not in SECONDABLE_STATUSES:
        raise ItemError("This item is no longer waiting for seconders.")
    return row


def confirm_seconding(item, member, *, seconding=None):
    """`member`, invited at their address, confirms they second the item (from the emailed link,
    or signed in). When the item is submitted and no invitation is still waiting, it enters its
    first stage."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        seconding = _answering(locked, member, seconding)
        check_may_second(locked, member)
        if seconding.confirmed_at is None:
            seconding.member = member
            seconding.confirmed_at = now()
            seconding.declined_at = None
            seconding.save(update_fields=["member", "confirmed_at", "declined_at"])
            log(locked, "li.seconding.confirmed", user=member, data={"reference": locked.label, "seconding": seconding.pk})
            _on_commit_send(signals.seconding_answered, item=locked, seconding=seconding)
        _go_forward_if_seconded(locked)
    _copy_state(locked, item)
    return seconding


def decline_seconding(item, member, *, seconding=None):
    """`member`, invited at their address, declines to second the item: recorded, and the
    proposer sees it was declined (they may invite someone else)."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        seconding = _answering(locked, member, seconding)
        if seconding.confirmed_at is not None:
            raise ItemError("You have confirmed you second it: ask the proposer if you want to withdraw.")
        if seconding.declined_at is None:
            seconding.member = member
            seconding.declined_at = now()
            seconding.save(update_fields=["member", "declined_at"])
            log(locked, "li.seconding.declined", user=member, data={"reference": locked.label, "seconding": seconding.pk})
            _on_commit_send(signals.seconding_answered, item=locked, seconding=seconding)
        _go_forward_if_seconded(locked)
    _copy_state(locked, item)
    return seconding


def answer_seconding_link(seconding, *, confirm):
    """Confirm or decline from the emailed link (`seconding` from seconding_for_link): the answer
    is the member's whose address the invitation was sent to."""
    member = seconding.member or (
        get_user_model().objects.filter(email__iexact=seconding.email, is_active=True).order_by("pk").first()
    )
    if member is None:
        raise ItemError("No member account uses this address any more. If you changed your address, "
                        "sign in and answer from “My motions”.")
    answer = confirm_seconding if confirm else decline_seconding
    return answer(seconding.item, member, seconding=seconding)


def _go_forward_if_seconded(locked):
    """A submitted item waiting for seconders enters its first stage once none is still waiting
    and enough have confirmed."""
    if locked.status != ItemStatus.AWAITING_SECONDERS:
        return
    secondings = locked.secondings
    if not secondings.pending().exists() and secondings.confirmed().count() >= SECONDERS_REQUIRED:
        _enter_first_stage(locked)


def submit_item(item, by):
    """The proposer submits a draft: it gets its reference now (from the locked counter).
    Motions and policy submissions need a seconder who has not declined; the item waits for its
    seconders' answers, then enters its pipeline's first stage (and the next meeting's agenda of
    that stage's body)."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk).specific
        if locked.proposer_id != getattr(by, "pk", None):
            raise ItemError("Only its proposer can submit it.")
        if locked.status != ItemStatus.DRAFT:
            raise ItemError(f"It has already been submitted ({locked.label}).")
        _check_member_may_propose(by)
        if isinstance(locked, PolicySubmission):
            _check_consultation(locked.consultation, locked.commission)
            _check_text(locked.title, locked.text, limit=locked.consultation.word_limit)
        secondings = locked.secondings
        if kinds.get(locked.kind).needs_seconder and (
            secondings.confirmed().count() + secondings.pending().count() < SECONDERS_REQUIRED
        ):
            raise ItemError("Invite a seconder (by their email address) before submitting.", field="seconders")
        if not locked.reference:
            locked.reference = allocate_reference(locked.kind)
        if secondings.pending().exists():
            locked.status = ItemStatus.AWAITING_SECONDERS
            locked.save(update_fields=["reference", "status", "updated_at"])
        else:
            locked.save(update_fields=["reference", "updated_at"])
            _enter_first_stage(locked)
        log(locked, "li.item.submitted", user=by, data={"reference": locked.reference, "status": locked.get_status_display()})
    _copy_state(locked, item)
    return item


def _enter_first_stage(item):
    stage = item.pipeline.first_stage()
    if stage is None:
        raise ItemError(f"The pipeline “{item.pipeline}” has no stages.")
    item.current_stage = stage
    item.status = ItemStatus.IN_PROGRESS
    item.submitted_at = now()
    item.save(update_fields=["current_stage", "status", "submitted_at", "updated_at"])
    place_on_next_agenda(item)
    _on_commit_send(signals.item_submitted, item=item)


def withdraw_item(item, by, *, note=""):
    """The proposer withdraws their item, before any body has decided on it. A submitted item's
    history shows the withdrawal (a "withdrawn" decision recorded by the proposer)."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.proposer_id != getattr(by, "pk", None):
            raise ItemError("Only its proposer can withdraw it.")
        if locked.status not in (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS, ItemStatus.IN_PROGRESS):
            raise ItemError(f"It cannot be withdrawn: it is {locked.get_status_display().lower()}.")
        if locked.decisions.exists():
            raise ItemError("A body has already decided on it: it can no longer be withdrawn by its proposer.")
        stage = locked.current_stage
        if stage is not None:
            Decision.objects.create(
                item=locked, stage=stage, stage_name=stage.name, deciding_body=stage.deciding_body,
                outside_body=stage.outside_body, outcome=Outcome.WITHDRAWN, status_after=ItemStatus.WITHDRAWN,
                decided_on=_today(), recorded_at=now(), recorded_by=by, note=note or "Withdrawn by the proposer.",
            )
            AgendaEntry.objects.filter(item=locked, meeting__starts_at__gte=now()).delete()
        locked.status = ItemStatus.WITHDRAWN
        locked.current_stage = None
        locked.finished_at = now()
        locked.save(update_fields=["status", "current_stage", "finished_at", "updated_at"])
        log(locked, "li.item.withdrawn", user=by, data={"reference": locked.label, "stage": stage.name if stage else ""})
        _on_commit_send(signals.item_withdrawn, item=locked)
    _copy_state(locked, item)
    return item


def _copy_state(source, target):
    """Bring the caller's (now stale) object up to date with the row written under lock."""
    if source is target:
        return
    for field in ("reference", "status", "text", "title", "submitted_at", "finished_at", "updated_at"):
        setattr(target, field, getattr(source, field))
    target.current_stage = source.current_stage if source.current_stage_id else None


# --------------------------------------------------------------------------- decisions


# Outcomes recorded by what an app allows (workflows.kinds.DecisionRules.allows), not by the stage's body.
SPECIAL_OUTCOMES = {Outcome.ACCEPTED_AS_FRIENDLY, Outcome.COMPOSITED}

# More votes than any LI body (or the whole Labour Party) could cast: a typing slip or a forged form.
MAX_VOTES = 1_000_000


def _clean_votes(votes_for, votes_against, abstentions):
    """Vote counts as whole numbers from 0 to MAX_VOTES (None where not given)."""
    cleaned = []
    for label, value in (("for", votes_for), ("against", votes_against), ("abstentions", abstentions)):
        if value is None or (isinstance(value, str) and not value.strip()):
            cleaned.append(None)
            continue
        text = str(value).strip()
        if isinstance(value, bool) or len(text) > 12 or not re.fullmatch(r"-?\d+", text):
            raise DecisionError(f"Votes {label}: “{text[:20]}” is not a whole number.")
        number = int(text)
        if number < 0:
            raise DecisionError(f"Votes {label} cannot be negative.")
        if number > MAX_VOTES:
            raise DecisionError(f"Votes {label}: {number:,} is more votes than could have been cast (at most "
                                f"{MAX_VOTES:,}).")
        cleaned.append(number)
    return cleaned


@public_cache.grouped()  # the agenda moves and the signals' invalidations: one purge of the front cache
def record_decision(item, outcome, by, *, stage=None, votes_for=None, votes_against=None, abstentions=None,
                    meeting=None, note="", amended_text=None, decided_on=None):
    """Record what a body decided on `item` at its current stage, and move the item: THE one
    place a transition is checked and written.

    Checks that `by` may decide for that stage, that the meeting (if any) has started — a
    meeting decides only what happened —, that the stage allows `outcome`, votes (whole, from 0
    to MAX_VOTES, required where the stage takes votes, and carrying the item only with the
    majority the stage's decision rule asks for), the item's state, the meeting's body, the word
    limit of a policy submission, and that `stage`
    (when given: what the person saw) is still the item's current stage — a second decision
    for the same stage (double click, two officers at once) raises AlreadyDecided.
    Runs in a transaction with the item row locked; signals go after commit.
    """
    if outcome not in Outcome.values:
        raise DecisionError(f"“{outcome}” is not an outcome.")
    outcome = Outcome(outcome)
    votes_for, votes_against, abstentions = _clean_votes(votes_for, votes_against, abstentions)
    amended_text = amended_text if amended_text is None else clean_member_html(amended_text)

    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        _check_state(locked, stage, meeting)
        current = Stage.objects.get(pk=locked.current_stage_id)
        locked.current_stage = current
        if outcome in SPECIAL_OUTCOMES:
            _check_special_outcome(locked, by, outcome, votes_for, votes_against, abstentions)
        else:
            if not permissions.can_decide(by, locked, current):
                raise DecisionError(f"You may not record decisions for “{current.name}” ({_where(locked, current)}).")
            if outcome not in current.allowed_outcomes:
                allowed = ", ".join(Outcome(o).label.lower() for o in current.allowed_outcomes)
                raise DecisionError(f"“{current.name}” cannot record “{outcome.label}”. It may record: {allowed}.")
            _check_votes(current, outcome, votes_for, votes_against, abstentions)
        if meeting is not None:
            _check_meeting_has_started(meeting)
            if outcome not in SPECIAL_OUTCOMES:
                kinds.check_meeting_decision(meeting, locked, current, outcome)
        kinds.check_decision(locked, current, outcome)
        if abstentions is None and votes_for is not None:
            abstentions = 0
        if outcome == Outcome.CARRIED_AS_AMENDED:
            if not amended_text or not strip_tags(amended_text).strip():
                raise DecisionError("Carried as amended: give the amended text.")
        elif amended_text:
            raise DecisionError("An amended text goes only with “carried as amended”.")
        advancing = outcome in current.advancing_outcomes or outcome == Outcome.ACCEPTED_AS_FRIENDLY
        if locked.kind == ItemKind.POLICY_SUBMISSION and (advancing or amended_text):
            submission = locked.specific
            words = word_count(amended_text or submission.text)
            if words > submission.consultation.word_limit:
                raise DecisionError(
                    f"The submission has {words} words, over the consultation's limit of "
                    f"{submission.consultation.word_limit}: carry it as amended with a shorter text, or refer it back."
                )
        if meeting is not None:
            _check_meeting(locked, current, meeting)
        decided_on = _decided_on(decided_on, meeting)

        revision = None
        if amended_text:
            revision = ItemRevision.objects.create(item=locked, title=locked.title, text=amended_text,
                                                   reason=ItemRevision.Reason.AMENDED, created_by=by,
                                                   created_at=now())
            locked.text = amended_text

        next_stage = None
        if advancing:
            next_stage = current.next_stage()
            status = ItemStatus.IN_PROGRESS if next_stage else ItemStatus.FINISHED
        elif outcome == Outcome.REFERRED_BACK:
            # Back to the previous stage's body; at the first stage, back on that body's next agenda.
            next_stage = current.previous_stage() or current
            status = ItemStatus.IN_PROGRESS
        else:
            status = TERMINAL_STATUS_OF_OUTCOME[outcome]

        decision = Decision.objects.create(
            item=locked, stage=current, stage_name=current.name, deciding_body=current.deciding_body,
            outside_body=current.outside_body, outcome=outcome, status_after=status,
            next_stage_name=next_stage.name if next_stage else "",
            votes_for=votes_for, votes_against=votes_against, abstentions=abstentions, meeting=meeting,
            decided_on=decided_on, recorded_at=now(), recorded_by=by, note=note or "", amended_revision=revision,
        )
        locked.status = status
        locked.current_stage = next_stage
        if status != ItemStatus.IN_PROGRESS:
            locked.finished_at = now()
        locked.save(update_fields=["status", "current_stage", "text", "finished_at", "updated_at"])
        # It left this stage: drop it from later agendas of the stage's body; keep the meeting that decided it.
        AgendaEntry.objects.filter(item=locked, stage=current, meeting__starts_at__gte=now()).exclude(
            meeting=meeting
        ).delete()
        if next_stage is not None:
            place_on_next_agenda(locked)
        kinds.after_decision(locked, decision, by)
        log(locked, "li.decision.recorded", user=by, data={
            "reference": locked.reference, "decision": decision.pk, "outcome": outcome.label, "stage": current.name,
            "where": _where(locked, current), "votes_for": votes_for, "votes_against": votes_against,
            "abstentions": abstentions, "meeting": meeting.title if meeting else "", "decided_on": decided_on})
        _on_commit_send(signals.decision_recorded, item=locked, decision=decision)
    _copy_state(locked, item)
    return decision


def _check_special_outcome(locked, by, outcome, votes_for, votes_against, abstentions):
    """An outcome that is not the stage body's to record: an app that registered it says who may."""
    allowed = kinds.allows_outcome(locked, by, outcome)
    if allowed is not True:
        raise DecisionError(allowed or f"“{outcome.label}” cannot be recorded on {locked.label}.")
    if any(v is not None for v in (votes_for, votes_against, abstentions)):
        raise DecisionError(f"“{outcome.label}” is not voted on: leave the vote counts empty.")


def _check_state(locked, stage, meeting):
    if locked.status in (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS):
        raise DecisionError(f"{locked.reference} has not been submitted yet.")
    if locked.status == ItemStatus.WITHDRAWN:
        raise DecisionError(f"{locked.reference} has been withdrawn: no decision can be recorded on it.")
    if stage is not None and locked.current_stage_id != stage.pk:
        earlier = locked.decisions.filter(stage=stage).order_by("-recorded_at", "-pk").first()
        if earlier is not None:
            raise AlreadyDecided(
                f"{locked.reference} has already been decided at “{stage.name}”: "
                f"{earlier.get_outcome_display().lower()} on {earlier.decided_on:%d %B %Y}."
            )
        if locked.status == ItemStatus.IN_PROGRESS:
            raise DecisionError(f"{locked.reference} is not at “{stage.name}” (it is at “{locked.current_stage.name}”).")
    if locked.status != ItemStatus.IN_PROGRESS:
        raise DecisionError(
            f"{locked.reference} is {locked.get_status_display().lower()}: no further decision can be recorded."
        )
    if meeting is not None and locked.decisions.filter(stage_id=locked.current_stage_id, meeting=meeting).exists():
        raise AlreadyDecided(f"{locked.reference} has already been decided at this meeting.")


def _where(item, stage):
    if stage.deciding_body == DecidingBody.BRANCH_MEETING and item.branch_id:
        return f"{item.branch.title} branch"
    return stage.body_label


def _check_votes(stage, outcome, votes_for, votes_against, abstentions):
    given = [v for v in (votes_for, votes_against, abstentions) if v is not None]
    if not stage.takes_votes:
        if given:
            raise DecisionError(f"“{stage.name}” does not take votes: leave the vote counts empty.")
        return
    if outcome in VOTED_OUTCOMES and (votes_for is None or votes_against is None):
        raise DecisionError(f"“{stage.name}” takes votes: give the votes for and against (and abstentions).")
    if votes_for is None or votes_against is None:
        if given:
            raise DecisionError("Give both the votes for and against, or none.")
        return
    carried = DecisionRule.is_carried(stage.decision_rule, votes_for, votes_against)
    rule = DecisionRule(stage.decision_rule).label.split(" (")[0].lower()
    if outcome in CARRYING_OUTCOMES and not carried:
        raise DecisionError(
            f"With {votes_for} for and {votes_against} against, it cannot have been carried: "
            f"“{stage.name}” is decided by a {rule}."
        )
    if outcome == Outcome.FELL and carried:
        raise DecisionError(
            f"With {votes_for} for and {votes_against} against, it cannot have fallen: that is a {rule} "
            f"for it at “{stage.name}”."
        )


def _check_meeting_has_started(meeting):
    """A meeting decides only what happened: nothing is recorded for it before it begins."""
    if meeting.starts_at > now():
        raise DecisionError(
            f"“{meeting.title}” has not started yet (it starts {uk_and_local_text(meeting.starts_at, meeting.time_zone)}"
            "): decisions are recorded once the meeting has begun. Nothing was recorded."
        )


def _check_meeting(item, stage, meeting):
    expected = MEETING_BODY_OF_DECIDING_BODY.get(stage.deciding_body)
    if expected is None or meeting.body != expected:
        raise DecisionError(f"“{stage.name}” is not decided by a {meeting.get_body_display()} meeting.")
    if meeting.body == MeetingBody.BRANCH and meeting.branch_id != item.branch_id:
        raise DecisionError("That meeting is another branch's meeting.")
    if meeting.body == MeetingBody.STEERING_GROUP and meeting.steering_group_id != kinds.deciding_group_id(item):
        raise DecisionError("That meeting is another steering group's meeting.")


def _decided_on(decided_on, meeting):
    today = _today()
    if decided_on is None:
        decided_on = timezone.localtime(meeting.starts_at, UK_TIME_ZONE).date() if meeting else today
        return min(decided_on, today)
    if isinstance(decided_on, str):
        try:
            decided_on = date.fromisoformat(decided_on)
        except ValueError:
            raise DecisionError(f"“{decided_on}” is not a date (YYYY-MM-DD).") from None
    if decided_on > today:
        raise DecisionError("A decision cannot be dated in the future.")
    return decided_on


# --------------------------------------------------------------------------- meetings and agendas


def place_on_next_agenda(item):
    """Put an item waiting at its stage on the agenda of the next meeting of the deciding body
    (if one is planned; otherwise `build_agenda` adds it when that meeting is created)."""
    stage = item.current_stage
    if stage is None or item.status != ItemStatus.IN_PROGRESS:
        return None
    meeting = meetings_deciding(item, stage).upcoming(now()).first()
    if meeting is None:
        return None
    existing = AgendaEntry.objects.filter(meeting=meeting, item=item).first()
    if existing is not None:
        return existing
    return _add_to_agenda(meeting, item, stage)


def _add_to_agenda(meeting, item, stage):
    """At the end of the agenda; an item that changes another (an amendment) just before that item's
    entry and the other amendments to it, as the meeting takes amendments before their motion."""
    position = (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    amended_id = kinds.amended_item_id(item)
    if amended_id is not None:
        target = meeting.agenda.filter(item_id=amended_id).first()
        if target is not None:
            position = target.position
            meeting.agenda.filter(position__gte=position).update(position=F("position") + 1)
    entry = AgendaEntry.objects.create(meeting=meeting, item=item, stage=stage, position=position)
    _on_commit_send(signals.item_put_on_agenda, item=item, meeting=meeting, agenda_entry=entry)
    return entry


def build_agenda(meeting):
    """Add to `meeting`'s agenda every item waiting for its body that is not already on the
    agenda of another upcoming meeting of that body. Idempotent; returns the new entries."""
    deciding = [db for db, mb in MEETING_BODY_OF_DECIDING_BODY.items() if mb == meeting.body]
    if not deciding:
        return []
    waiting = Item.objects.filter(status=ItemStatus.IN_PROGRESS, current_stage__deciding_body__in=deciding)
    if meeting.body == MeetingBody.BRANCH:
        waiting = waiting.filter(branch_id=meeting.branch_id)
    elif meeting.body == MeetingBody.STEERING_GROUP:
        waiting = waiting.filter(kinds.decided_by_groups([meeting.steering_group_id]))
    other_upcoming = Meeting.objects.filter(body=meeting.body, branch_id=meeting.branch_id,
                                            steering_group_id=meeting.steering_group_id,
                                            starts_at__gte=now()).exclude(pk=meeting.pk)
    waiting = waiting.exclude(agenda_entries__meeting=meeting).exclude(agenda_entries__meeting__in=other_upcoming)
    entries = []
    with transaction.atomic():
        for item in waiting.select_related("current_stage").order_by("submitted_at", "pk"):
            entries.append(_add_to_agenda(meeting, item, item.current_stage))
    return entries


def save_minutes(meeting, by, *, minutes):
    """Save a meeting's draft minutes (rich text, cleaned before it is stored)."""
    if not permissions.can_run_meeting(by, meeting):
        raise DecisionError("You may not write the minutes of this meeting.")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.minutes_status == Meeting.MinutesStatus.APPROVED:
            raise DecisionError("These minutes are approved and published: they can no longer be changed.")
        locked.minutes = clean_member_html(minutes, RICH_TEXT_FEATURES)
        locked.save(update_fields=["minutes"])
    meeting.minutes = locked.minutes
    return meeting


# Papers a meeting's minutes may carry (Wagtail's own list, when the site sets one, wins).
MINUTES_DOCUMENT_EXTENSIONS = ("pdf", "docx", "doc", "odt", "xlsx", "xls", "ods", "pptx", "odp", "txt", "csv", "rtf")


def attach_minutes_document(meeting, by, uploaded_file, *, title=""):
    """Store an uploaded paper (a report, the accounts) as a Wagtail document in the collection of
    the meeting's branch (the site's root collection otherwise) and attach it to the minutes."""
    if not permissions.can_run_meeting(by, meeting):
        raise DecisionError("You may not attach documents to the minutes of this meeting.")
    name = getattr(uploaded_file, "name", "") or ""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or MINUTES_DOCUMENT_EXTENSIONS
    if extension not in allowed:
        raise DecisionError(f"“{name[:80]}” cannot be attached: use a file of type {', '.join(allowed)}.")
    collection = None
    if meeting.branch_id:
        team = MicrositeTeam.objects.filter(page_id=meeting.branch_id).select_related("collection").first()
        collection = team.collection if team else None
    Document = get_document_model()
    with transaction.atomic():
        document = Document(title=(title or name).strip()[:255], file=uploaded_file,
                            collection=collection or Collection.get_first_root_node(), uploaded_by_user=by)
        document._set_document_file_metadata()
        document.save()
        meeting.minutes_documents.add(document)
    return document


def defer_agenda_entry(entry, to_meeting, by):
    """The meeting explicitly defers an agenda item to a later meeting of the same body: the item
    is not decided here, goes on the later meeting's agenda, and no longer holds up these minutes."""
    meeting = entry.meeting
    if not permissions.can_run_meeting(by, meeting):
        raise DecisionError("You may not defer items of this meeting.")
    _check_meeting_has_started(meeting)
    same_body = (to_meeting.body, to_meeting.branch_id, to_meeting.steering_group_id) == (
        meeting.body, meeting.branch_id, meeting.steering_group_id)
    if to_meeting.pk == meeting.pk or not same_body or to_meeting.starts_at <= meeting.starts_at:
        raise DecisionError(f"Defer it to a later meeting of the same body (“{to_meeting.title}” is not one).")
    with transaction.atomic():
        locked = AgendaEntry.objects.select_for_update().select_related("item").get(pk=entry.pk)
        item = locked.item
        if locked.deferred_to_id:
            raise AlreadyDecided(f"{item.label} has already been deferred to “{locked.deferred_to.title}”.")
        if item.status != ItemStatus.IN_PROGRESS or item.current_stage_id != locked.stage_id:
            raise AlreadyDecided(f"{item.label} is no longer waiting for this meeting: it cannot be deferred.")
        locked.deferred_to, locked.deferred_at, locked.deferred_by = to_meeting, now(), by
        locked.save(update_fields=["deferred_to", "deferred_at", "deferred_by"])
        if not AgendaEntry.objects.filter(meeting=to_meeting, item=item).exists():
            _add_to_agenda(to_meeting, item, locked.stage)
        log(item, "li.agenda.deferred", user=by, data={"reference": item.label, "from": meeting.title, "to": to_meeting.title})
    entry.deferred_to = to_meeting
    return entry


def approve_minutes(meeting, by, *, minutes=None):
    """Approve a meeting's minutes: from then on they are published to members. Only once the
    meeting has taken place and every item on its agenda is decided or deferred to a later one."""
    if not permissions.can_run_meeting(by, meeting):
        raise DecisionError("You may not approve the minutes of this meeting.")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_meeting_has_started(locked)
        open_entries = list(locked.open_agenda_entries().select_related("item"))
        if open_entries:
            labels = ", ".join(entry.item.label for entry in open_entries)
            raise DecisionError(
                f"The minutes cannot be approved yet: {len(open_entries)} agenda item{pluralize(open_entries)} {pluralize(open_entries, 'is,are')} neither decided nor "
                f"deferred to a later meeting ({labels}). Record a decision or defer each of them first."
            )
        if minutes is not None:
            locked.minutes = minutes
        # Minutes saved earlier as a draft are cleaned again: only clean HTML is ever published.
        locked.minutes = clean_member_html(locked.minutes, RICH_TEXT_FEATURES)
        if not strip_tags(locked.minutes or "").strip():
            raise DecisionError("Write the minutes before approving them.")
        locked.minutes_status = Meeting.MinutesStatus.APPROVED
        locked.minutes_approved_at = now()
        locked.minutes_approved_by = by
        locked.save()
        log(locked, "li.meeting.minutes_approved", user=by, data={"meeting": locked.title})
    meeting.refresh_from_db()
    return meeting



def cancel_meeting(meeting, by):
    """Cancel (delete) a future meeting nothing was decided at yet; the items on its agenda go
    to the next other meeting of that body, if one is planned."""
    if not permissions.can_schedule_meeting(by, meeting.body, meeting.branch):
        raise DecisionError("You may not cancel this meeting.")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.starts_at < now():
            raise DecisionError("This meeting has taken place: it cannot be cancelled.")
        if locked.decisions.exists():
            raise DecisionError("Decisions were recorded at this meeting: it cannot be cancelled.")
        items = [entry.item for entry in locked.agenda.select_related("item", "item__current_stage")]
        locked.delete()
        for item in items:
            place_on_next_agenda(item)
