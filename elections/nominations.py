"""Nominating, as the 2023 guide and DOMAIN.md's interpretations describe it: submitting a
nomination, the consent of everyone it names, withdrawals (a job-share pair both confirm; after
the close the candidate stays on the ballot paper and is excluded before the first round), the
close of nominations and "one person, one post".

Every action checks who acts and when, runs in a transaction and raises ValidationError with a
clear message (keyed by form field where there is one). Messages to the person nominating never
disclose who else is nominated for what: nominations are secret until they are decided.
Emails go through the notifications outbox (sent once, retried on failure).
"""

import unicodedata
from collections import defaultdict

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from notifications.emails import absolute
from notifications.models import OutboxEmail
from notifications.services import enqueue_sending
from workflows.models import MeetingBody

from . import count as av
from . import policies
from .models import DECLARATIONS, UK, Election, Nomination, Position, PostChoice, Restriction, Withdrawal

STATEMENT_WORD_LIMIT = 200
CONSENT_SALT = "elections.nomination-consent"


def uk_time(moment):
    """A moment as people read party deadlines: UK time, e.g. “13 Mar 2023 23:59 GMT”."""
    return timezone.localtime(moment, UK).strftime("%-d %b %Y %H:%M %Z")


def word_count(text):
    """Words of a statement (DOMAIN.md): runs of letters or digits, so a hyphenated word,
    "and/or" and a web address count as their parts. Combining marks belong to the word they
    follow. static/elections/word_count.js counts the same way as the candidate types."""
    words, in_word = 0, False
    for char in unicodedata.normalize("NFC", text or ""):
        kind = unicodedata.category(char)[0]
        if kind in "LN" or (in_word and kind == "M"):
            if not in_word:
                words += 1
            in_word = True
        else:
            in_word = False
    return words


# --------------------------------------------------------------------------- emails


def _absolute(path):
    return absolute(path)


def _queue_email(*, key, member, subject, template, context):
    """One email to one member through the outbox, sent after the transaction commits."""
    context = {**context, "member": member}
    email, created = OutboxEmail.objects.get_or_create(key=key[:120], defaults={
        "kind": OutboxEmail.Kind.ELECTION, "member": member, "to_email": member.email, "subject": subject[:255],
        "body_text": render_to_string(template, context),
    })
    if created:
        transaction.on_commit(lambda: enqueue_sending([email.pk]))
    return email


def consent_token(nomination, role):
    """The signed token of one person's consent link: which nomination, which role, which member."""
    return signing.dumps({"n": nomination.pk, "r": role, "m": getattr(nomination, f"{role}_id")}, salt=CONSENT_SALT)


def consent_url(nomination, role):
    return _absolute(reverse("elections:consent", args=[nomination.position.election.slug,
                                                         consent_token(nomination, role)]))


def read_consent_token(token):
    """(nomination, role, member id) of a consent link, or ValidationError if it was tampered with."""
    try:
        data = signing.loads(token, salt=CONSENT_SALT)
    except signing.BadSignature:
        raise ValidationError("This confirmation link is not valid: use the link in your email.") from None
    nomination = (Nomination.objects.select_related("position__election", "candidate", "partner", "proposer",
                                                    "seconder", "branch", "branch_meeting")
                  .filter(pk=data.get("n")).first())
    role = data.get("r")
    if nomination is None or role not in Nomination.CONSENT_ROLES or getattr(nomination, f"{role}_id") != data.get("m"):
        raise ValidationError("This nomination no longer names you: the link has expired.")
    return nomination, role


def request_consents(nomination, *, resend=False, now=None):
    """Email each person named who has not yet confirmed a link to confirm (or decline)."""
    now = now or timezone.now()
    sent = []
    for role, label in Nomination.CONSENT_ROLES.items():
        member = getattr(nomination, role)
        if member is None or nomination.consented(role):
            continue
        suffix = f":{int(now.timestamp())}" if resend else ""
        _queue_email(
            key=f"election:consent:{nomination.pk}:{role}{suffix}", member=member,
            subject=f"Please confirm: nomination for {nomination.position} ({nomination.position.election})",
            template="elections/emails/consent.txt",
            context={"nomination": nomination, "role": label, "url": consent_url(nomination, role),
                     "close": uk_time(nomination.position.election.nominations_close),
                     "declaration": nomination.position.declaration if role in ("candidate", "partner") else ""},
        )
        sent.append(role)
    return sent


# --------------------------------------------------------------------------- submitting


def _declaration_errors(position, *, declares_eligible, who, field):
    if position.restriction and not declares_eligible:
        return {field: [f"{position} is restricted: {who} must declare “{position.declaration}”."]}
    return {}


def woman_declaration(position, *, declares_eligible, is_woman, who, field):
    """(is_woman, errors): at the Women's Officer post one declaration, “I identify as a
    woman”, serves the post and the gender quota; a contradictory pair is refused."""
    errors = {}
    if position.restriction == Restriction.WOMAN:
        if declares_eligible and is_woman is False:
            errors[field] = [
                f"{who[0].upper()}{who[1:]} declares “{position.declaration}” to stand for {position}, which also "
                "counts them as a woman for the gender quota: the two declarations cannot differ."]
        is_woman = bool(is_woman or declares_eligible)
    return bool(is_woman), errors


def submit_nomination(
    *, position, submitted_by, candidate, proposer, seconder, statement, partner=None,
    candidate_is_woman=None, partner_is_woman=None, candidate_declares_eligible=False,
    partner_declares_eligible=False, branch=None, branch_meeting=None, now=None,
):
    """Nominate a candidate (or a job-share pair) for a position, checking every rule of the guide.

    The declarations (eligibility for a restricted post, woman for the quota) are the
    candidate's own: only a candidate submitting their own nomination makes them here; otherwise
    they make them when they confirm. Everyone named confirms by an emailed link, except the
    submitter, who confirms their own role by submitting. Errors are keyed by field: candidate,
    partner, proposer, seconder, statement, the declarations, branch, branch_meeting; window and
    submitter problems are general (None).
    """
    now = now or timezone.now()
    election = position.election
    errors = defaultdict(list)
    on = timezone.localtime(now, UK).date()

    if not election.nominations_are_open(now):
        errors[None].append(
            f"Nominations for {election} run from {uk_time(election.nominations_open)} to "
            f"{uk_time(election.nominations_close)} (UK time); they are not open now."
        )
    if not submitted_by.is_paid_up(on):
        errors[None].append("Only fully paid-up members can nominate: please check your membership payment.")
    people = [("candidate", candidate), ("proposer", proposer), ("seconder", seconder)]
    if partner is not None:
        people.append(("partner", partner))
    for field, member in people:
        if member.pk != submitted_by.pk and not member.is_paid_up(on):
            errors[field].append(f"Membership number {member.membership_number} is not a fully paid-up member of LI.")
    candidates = {candidate.pk} | ({partner.pk} if partner else set())
    if partner is not None:
        if not position.job_share_allowed:
            errors["partner"].append(f"{position} is not open to job-share: nominate one candidate.")
        elif partner.pk == candidate.pk:
            errors["partner"].append("A job-share is two different candidates.")
    if proposer.pk in candidates:
        errors["proposer"].append("Nobody can propose their own candidacy.")
    if seconder.pk in candidates:
        errors["seconder"].append("Nobody can second their own candidacy.")
    if proposer.pk == seconder.pk:
        errors["seconder"].append("The proposer and the seconder must be two different members.")
    words = word_count(statement)
    if words == 0:
        errors["statement"].append(f"A candidate statement is needed (at most {STATEMENT_WORD_LIMIT} words).")
    elif words > STATEMENT_WORD_LIMIT:
        errors["statement"].append(f"The statement has {words} words; the limit is {STATEMENT_WORD_LIMIT}"
                                   + (", shared by the job-share." if partner else "."))
    # Declarations: the candidate's own, never made for them.
    for holder, field, declares, woman in (
            (candidate, "candidate", candidate_declares_eligible, candidate_is_woman),
            (partner, "partner", partner_declares_eligible, partner_is_woman)):
        if holder is None:
            continue
        if holder.pk == submitted_by.pk:
            who = "the candidate" if field == "candidate" else "the job-share partner"
            for key, messages in _declaration_errors(position, declares_eligible=declares, who=who,
                                                     field=f"{field}_declares_eligible").items():
                errors[key] += messages
            woman, woman_errors = woman_declaration(position, declares_eligible=declares, is_woman=woman, who=who,
                                                    field=f"{field}_is_woman")
            for key, messages in woman_errors.items():
                errors[key] += messages
            if field == "candidate":
                candidate_is_woman = woman
            else:
                partner_is_woman = woman
        elif declares or woman:
            errors[f"{field}_declares_eligible"].append(
                "Only the candidate makes their own declarations: they are asked when they confirm the nomination.")
    # Secret until decided: only the submitter's own candidacies are mentioned.
    if submitted_by.pk in candidates and _live_candidacies(position, [submitted_by.pk]).exists():
        errors["candidate"].append(f"You are already nominated for {position}: confirm or withdraw that nomination.")
    if branch is not None:
        if not policies.can_nominate_for_branch(submitted_by, branch):
            errors["branch"].append(f"Only the secretary of the {branch.title} branch can nominate for it.")
        meeting_problem = branch_meeting_problem(branch, branch_meeting, now)
        if meeting_problem:
            errors["branch_meeting"].append(meeting_problem)
    elif branch_meeting is not None:
        errors["branch"].append("Choose the branch whose meeting decided this nomination.")
    if errors:
        raise ValidationError({key or "__all__": value for key, value in errors.items()})

    mine = {role: now for role in Nomination.CONSENT_ROLES
            if {"candidate": candidate, "partner": partner, "proposer": proposer,
                "seconder": seconder}[role] == submitted_by}
    nomination = Nomination(
        position=position, candidate=candidate, partner=partner, proposer=proposer, seconder=seconder,
        statement=statement.strip(),
        candidate_is_woman=bool(candidate_is_woman) if candidate == submitted_by else False,
        partner_is_woman=bool(partner) and partner == submitted_by and bool(partner_is_woman),
        candidate_declares_eligible=candidate_declares_eligible if candidate == submitted_by else False,
        partner_declares_eligible=bool(partner) and partner == submitted_by and partner_declares_eligible,
        branch=branch, branch_meeting=branch_meeting if branch else None,
        submitted_by=submitted_by, submitted_at=now,
        **{f"{role}_consented_at": at for role, at in mine.items()},
    )
    with transaction.atomic():
        nomination.save()
        request_consents(nomination, now=now)
    return nomination


def branch_meeting_problem(branch, meeting, now=None):
    """Why `meeting` cannot be the branch meeting that decided a nomination of `branch` (or "")."""
    if meeting is None:
        return "A branch nominates by decision of a branch meeting: choose the meeting that decided it."
    if meeting.body != MeetingBody.BRANCH or meeting.branch_id != branch.pk:
        return f"That is not a meeting of the {branch.title} branch."
    if meeting.starts_at > (now or timezone.now()):
        return f"{meeting.title} has not taken place yet: a branch nominates after its meeting decided it."
    return ""


def _live_candidacies(position, member_ids, exclude=None):
    """Nominations for `position` naming these members as candidate or partner, not withdrawn."""
    queryset = (Nomination.objects.filter(position=position, withdrawn_after_close=False)
                .exclude(status=Nomination.WITHDRAWN)
                .filter(Q(candidate__in=member_ids) | Q(partner__in=member_ids)))
    return queryset.exclude(pk=exclude.pk) if exclude is not None else queryset


# --------------------------------------------------------------------------- consent


def confirm_consent(nomination, role, *, by, declares_eligible=False, is_woman=None, now=None):
    """`by` confirms they agree to be named in `role` on the nomination; a candidate (or
    partner) makes their declarations here. Before nominations close only."""
    now = now or timezone.now()
    if getattr(nomination, f"{role}_id", None) != by.pk:
        raise PermissionDenied("This confirmation is for someone else: sign in as the person the email was sent to.")
    election = nomination.position.election
    if not election.nominations_are_open(now):
        raise ValidationError(f"Nominations closed at {uk_time(election.nominations_close)} (UK time): "
                              "it is too late to confirm.")
    position = nomination.position
    holder = role in ("candidate", "partner")
    if holder:
        errors = _declaration_errors(position, declares_eligible=declares_eligible, who="you",
                                     field="declares_eligible")
        is_woman, woman_errors = woman_declaration(position, declares_eligible=declares_eligible, is_woman=is_woman,
                                                   who="you", field="is_woman")
        if errors or woman_errors:
            raise ValidationError({**errors, **woman_errors})
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if locked.status == Nomination.WITHDRAWN or locked.withdrawn_after_close:
            raise ValidationError("This nomination was withdrawn.")
        if locked.consented(role):
            raise ValidationError("You have already confirmed this nomination.")
        if holder:
            others = list(_live_candidacies(position, [by.pk], exclude=locked).select_for_update())
            if any(other.consented("candidate" if other.candidate_id == by.pk else "partner") for other in others):
                raise ValidationError(f"You already stand for {position} on another nomination: "
                                      "withdraw that one first.")
            setattr(locked, f"{role}_declares_eligible", bool(declares_eligible) and bool(position.restriction))
            setattr(locked, f"{role}_is_woman", bool(is_woman))
        setattr(locked, f"{role}_consented_at", now)
        locked.save()
    return locked


# --------------------------------------------------------------------------- withdrawals


def _withdrawal_window(election, now):
    if election.is_published or election.ballot_has_closed(now):
        raise ValidationError("The ballot has closed: it is too late to withdraw.")
    return election.nominations_have_closed(now)


def _complete(locked, withdrawal, now):
    """Withdraw the locked nomination for good, as the withdrawal records."""
    withdrawal.after_close = locked.position.election.nominations_have_closed(now)
    withdrawal.completed_at = now
    withdrawal.save()
    locked.withdrawn_at = now
    if withdrawal.after_close and withdrawal.kind != Withdrawal.ONE_POST:
        locked.withdrawn_after_close = True  # stays on the ballot paper, excluded before round 1
    else:
        locked.status = Nomination.WITHDRAWN
    locked.save(update_fields=["status", "withdrawn_at", "withdrawn_after_close"])
    log(locked.position.election, "li.election.nomination_withdrawn", user=withdrawal.confirmed_by or withdrawal.requested_by, data={"nomination": locked.pk, "position": str(locked.position), "after_close": withdrawal.after_close})


def request_withdrawal(nomination, *, by, reason, now=None):
    """Withdraw a candidacy, saying why. The candidate withdraws at once; one partner of a
    job-share only asks, and the other partner confirms (from the link emailed to them); the
    secretary may record a withdrawal the candidate asked for. Returns the Withdrawal."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    holders = {nomination.candidate_id, nomination.partner_id} - {None}
    is_holder = by.pk in holders
    if not is_holder and not policies.is_secretary(by):
        raise PermissionDenied("Only the candidate can withdraw their candidacy.")
    if not reason:
        raise ValidationError({"reason": ["Say why: the reason is recorded for the secretary and the returning "
                                          "officer."]})
    election = nomination.position.election
    _withdrawal_window(election, now)
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().select_related("position__election").get(pk=nomination.pk)
        if locked.status == Nomination.WITHDRAWN or locked.withdrawn_after_close:
            raise ValidationError("This candidacy is already withdrawn.")
        pending = locked.withdrawals.filter(completed_at__isnull=True, declined_at__isnull=True).first()
        if pending is not None:
            if pending.awaited_partner is not None and pending.awaited_partner.pk == by.pk:
                return confirm_withdrawal(pending, by=by, now=now)
            raise ValidationError("A withdrawal of this candidacy is already waiting for the job-share partner.")
        withdrawal = Withdrawal(nomination=locked, requested_by=by, reason=reason, requested_at=now,
                                kind=Withdrawal.CANDIDATE if is_holder else Withdrawal.SECRETARY)
        if is_holder and locked.is_job_share:
            withdrawal.save()
            other = withdrawal.awaited_partner
            _queue_email(
                key=f"election:withdrawal:{withdrawal.pk}", member=other,
                subject=f"Please confirm: withdrawing your job-share for {locked.position}",
                template="elections/emails/withdrawal.txt",
                context={"withdrawal": withdrawal, "nomination": locked,
                         "url": _absolute(reverse("elections:withdrawal", args=[election.slug, withdrawal.pk]))},
            )
        else:
            _complete(locked, withdrawal, now)
    return withdrawal


def confirm_withdrawal(withdrawal, *, by, now=None):
    """The second job-share partner confirms the withdrawal the first asked for."""
    now = now or timezone.now()
    with transaction.atomic():
        withdrawal = Withdrawal.objects.select_for_update().select_related(
            "nomination__position__election").get(pk=withdrawal.pk)
        if not withdrawal.is_pending:
            raise ValidationError("This withdrawal is already settled.")
        partner = withdrawal.awaited_partner
        if partner is None or partner.pk != by.pk:
            raise PermissionDenied("Only the other job-share partner confirms this withdrawal.")
        _withdrawal_window(withdrawal.nomination.position.election, now)
        locked = Nomination.objects.select_for_update().select_related("position__election").get(
            pk=withdrawal.nomination_id)
        withdrawal.confirmed_by = by
        _complete(locked, withdrawal, now)
    return withdrawal


def decline_withdrawal(withdrawal, *, by, now=None):
    """The other partner refuses (or the partner who asked cancels): the pair keeps standing."""
    now = now or timezone.now()
    with transaction.atomic():
        withdrawal = Withdrawal.objects.select_for_update().select_related("nomination").get(pk=withdrawal.pk)
        if not withdrawal.is_pending:
            raise ValidationError("This withdrawal is already settled.")
        partner = withdrawal.awaited_partner
        if by.pk not in {withdrawal.requested_by_id, getattr(partner, "pk", None)}:
            raise PermissionDenied("Only the job-share partners settle this withdrawal.")
        withdrawal.declined_at = now
        withdrawal.save(update_fields=["declined_at"])
    return withdrawal


def withdraw_nomination(nomination, *, by, reason="Withdrawn by the candidate.", now=None):
    """Withdraw at once (the candidate alone, or the secretary for them). Kept for callers
    that withdraw a single candidacy; a job-share partner's request waits for the other."""
    withdrawal = request_withdrawal(nomination, by=by, reason=reason, now=now)
    nomination.refresh_from_db()
    return withdrawal if withdrawal.is_pending else nomination


# --------------------------------------------------------------------------- the secretary's rulings


def rule_nomination_invalid(nomination, *, by, reason):
    """The secretary rules a nomination invalid (e.g. the branch meeting was not quorate)."""
    if not policies.is_secretary(by):
        raise PermissionDenied("Only the secretary rules on nominations.")
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the nomination is invalid."]})
    if nomination.position.election.nominations_decided:
        raise ValidationError("Nominations are already decided.")
    if nomination.status == Nomination.WITHDRAWN:
        raise ValidationError("This candidacy was withdrawn.")
    nomination.status, nomination.invalid_reason = Nomination.INVALID, reason.strip()
    nomination.save(update_fields=["status", "invalid_reason"])
    log(nomination.position.election, "li.election.nomination_ruled_invalid", user=by, data={"nomination": nomination.pk, "position": str(nomination.position), "reason": nomination.invalid_reason})
    return nomination


def nomination_problems(nomination, on=None):
    """What makes a nomination invalid now: anyone named not fully paid-up on the closing day,
    anyone named who has not confirmed, a missing self-declaration, a branch nomination without
    its meeting, plus any ruling of the secretary."""
    election = nomination.position.election
    on = on or timezone.localtime(min(timezone.now(), election.nominations_close), UK).date()
    problems = []
    if nomination.status == Nomination.INVALID and nomination.invalid_reason:
        return [nomination.invalid_reason]  # the secretary's ruling, or the reasons recorded at the close
    for role, label in Nomination.CONSENT_ROLES.items():
        member = getattr(nomination, role)
        if member is None:
            continue
        if not member.is_paid_up(on):
            problems.append(f"The {label}, {member}, is not fully paid-up.")
        if not nomination.consented(role):
            problems.append(f"The {label}, {member}, has not confirmed the nomination.")
    if nomination.position.restriction:
        for role, label in (("candidate", "candidate"), ("partner", "job-share partner")):
            if getattr(nomination, f"{role}_id") and not getattr(nomination, f"{role}_declares_eligible"):
                problems.append(f"The {label} has not declared “{nomination.position.declaration}”.")
    if nomination.branch_id and not nomination.branch_meeting_id:
        problems.append("The branch meeting that decided this branch nomination is not recorded.")
    return problems


# --------------------------------------------------------------------------- closing nominations


def _standing_posts(election):
    """{member id: [valid nominations naming them]} for members validly nominated for several posts."""
    posts = defaultdict(list)
    for nomination in (Nomination.objects.filter(position__election=election).standing()
                       .select_related("position", "candidate", "partner")):
        for member in nomination.holders:
            posts[member.pk].append(nomination)
    return {member_id: nominations for member_id, nominations in posts.items() if len(nominations) > 1}


def close_nominations(election, *, by, now=None):
    """After the nomination deadline: decide each nomination's validity, then, if a member is
    validly nominated for several posts, ask them to choose one (the election waits: the ballot
    cannot open); once nobody is left to choose, decide each position's outcome: one valid
    nomination elected unopposed, none vacant, more to ballot.

    Returns the election; `pending_post_choices(election)` says who is still to choose."""
    now = now or timezone.now()
    if not policies.is_secretary(by):
        raise PermissionDenied("Only the secretary closes nominations.")
    if not election.nominations_have_closed(now):
        raise ValidationError(f"Nominations close at {uk_time(election.nominations_close)} (UK time).")
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.nominations_decided:
            raise ValidationError("Nominations are already closed and decided.")
        close_day = timezone.localtime(election.nominations_close, UK).date()
        nominations = (Nomination.objects.filter(position__election=election)
                       .exclude(status=Nomination.WITHDRAWN)
                       .select_related("candidate", "partner", "proposer", "seconder", "position__election"))
        for nomination in nominations:
            problems = nomination_problems(nomination, on=close_day)
            nomination.status = Nomination.INVALID if problems else Nomination.VALID
            nomination.invalid_reason = " ".join(problems)
            nomination.save(update_fields=["status", "invalid_reason"])
        for member_id, standing in _standing_posts(election).items():
            choice, created = PostChoice.objects.get_or_create(
                election=election, member_id=member_id, defaults={"asked_at": now})
            if created or choice.chosen_id is None:
                member = choice.member
                _queue_email(
                    key=f"election:one-post:{choice.pk}", member=member,
                    subject=f"Choose the one post you stand for ({election})",
                    template="elections/emails/one_post.txt",
                    context={"election": election, "nominations": standing,
                             "url": _absolute(reverse("elections:choose_post", args=[election.slug]))},
                )
        if not election.post_choices.filter(chosen__isnull=True).exists():
            _decide_outcomes(election, now)
        log(election, "li.election.nominations_closed", user=by, data={"valid": sum(n.status == Nomination.VALID for n in nominations), "invalid": sum(n.status == Nomination.INVALID for n in nominations)})
    election.refresh_from_db()
    return election


def pending_post_choices(election):
    """The members still to choose their one post, each with their valid candidacies."""
    choices = list(election.post_choices.filter(chosen__isnull=True).select_related("member"))
    posts = _standing_posts(election) if choices else {}
    for choice in choices:
        choice.nominations = posts.get(choice.member_id, [])
    return choices


def _decide_outcomes(election, now):
    valid = defaultdict(int)
    for position_id in Nomination.objects.filter(position__election=election).standing().values_list(
            "position_id", flat=True):
        valid[position_id] += 1
    for position in election.positions.all():
        outcome = av.position_status(valid[position.pk])
        position.outcome = {av.VACANT: Position.VACANT, av.UNOPPOSED: Position.UNOPPOSED}.get(outcome, Position.BALLOT)
        position.save(update_fields=["outcome"])
    election.nominations_decided_at = now
    election.save(update_fields=["nominations_decided_at"])


def choose_post(election, *, member, nomination, by, now=None):
    """One person, one post: `member` keeps `nomination`; their other valid candidacies are
    withdrawn (recorded). The member chooses, or the secretary records the choice they made.
    When nobody is left to choose, the positions' outcomes are decided."""
    now = now or timezone.now()
    if by.pk != member.pk and not policies.is_secretary(by):
        raise PermissionDenied("Only the member (or the secretary, recording their choice) chooses.")
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        choice = PostChoice.objects.select_for_update().filter(election=election, member=member).first()
        if choice is None or election.nominations_decided:
            raise ValidationError("There is no choice of post to make.")
        if choice.chosen_id is not None:
            raise ValidationError(f"The choice was already made: {choice.chosen.position}.")
        standing = _standing_posts(election).get(member.pk, [])
        if nomination.pk not in {n.pk for n in standing}:
            raise ValidationError({"nomination": ["Choose one of the posts you are validly nominated for."]})
        for other in standing:
            if other.pk == nomination.pk:
                continue
            locked = Nomination.objects.select_for_update().select_related("position__election").get(pk=other.pk)
            withdrawal = Withdrawal(
                nomination=locked, kind=Withdrawal.ONE_POST, requested_by=by, requested_at=now,
                reason=f"One person, one post: {member.get_full_name() or member} chose {nomination.position}.")
            _complete(locked, withdrawal, now)
        choice.chosen, choice.chosen_at, choice.chosen_by = nomination, now, by
        choice.save(update_fields=["chosen", "chosen_at", "chosen_by"])
        if not election.post_choices.filter(chosen__isnull=True).exists():
            _decide_outcomes(election, now)
    return choice


def withdrawals_of(election):
    return (Withdrawal.objects.filter(nomination__position__election=election)
            .select_related("nomination__position", "nomination__candidate", "nomination__partner",
                            "requested_by", "confirmed_by"))


def declaration_text(position):
    return DECLARATIONS.get(position.restriction, "")
