"""Business actions of officer elections. Views, the admin, commands and the demo call these;
each checks who acts and when, runs in a transaction, and raises ValidationError with a clear
message (keyed by form field where there is one) instead of writing anything half-done.

The counting rules themselves live in elections/count.py (pure Python); this module feeds it
from the database and records what it returns.
"""

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify

from . import count as av
from . import policies
from .models import (
    UK,
    Ballot,
    BallotImport,
    Count,
    Election,
    Nomination,
    Office,
    Position,
    PositionResult,
    Preference,
    QuotaAdjustment,
    VoterRegisterEntry,
)

STATEMENT_WORD_LIMIT = 200


def uk_time(moment):
    """A moment as people read party deadlines: UK time, e.g. “13 Mar 2023 23:59 GMT”."""
    return timezone.localtime(moment, UK).strftime("%-d %b %Y %H:%M %Z")


def word_count(text):
    return len(text.split())


# --------------------------------------------------------------------------- elections


def create_election(*, title, nominations_open, nominations_close, ballot_open, ballot_close, by, slug=None):
    """A new election with the guide's positions (from Office, in order), for the secretary to edit."""
    if not policies.is_secretary(by):
        raise PermissionDenied("Only the secretary creates elections.")
    election = Election(
        title=title, slug=slug or slugify(title), nominations_open=nominations_open,
        nominations_close=nominations_close, ballot_open=ballot_open, ballot_close=ballot_close,
    )
    election.full_clean()
    with transaction.atomic():
        election.save()
        Position.objects.bulk_create([
            Position(election=election, office=office, key=office.key, title=office.title, officer=office.officer,
                     job_share_allowed=office.job_share_allowed, restriction=office.restriction,
                     sort_order=office.order)
            for office in Office.objects.all()
        ])
    return election


def update_timetable(election, *, by, **times):
    """Change the timetable (times given aware; stored UTC). Not once nominations are decided."""
    if not policies.is_secretary(by):
        raise PermissionDenied("Only the secretary changes the timetable.")
    if election.nominations_decided and ("nominations_open" in times or "nominations_close" in times):
        raise ValidationError("Nominations are already decided: their dates can no longer change.")
    for name, value in times.items():
        setattr(election, name, value)
    election.full_clean()
    election.save()
    return election


# --------------------------------------------------------------------------- nominations


def submit_nomination(
    *, position, submitted_by, candidate, proposer, seconder, statement, partner=None,
    candidate_is_woman=False, partner_is_woman=False, candidate_declares_eligible=False,
    partner_declares_eligible=False, branch=None, branch_meeting_quorate=False, branch_meeting_date=None, now=None,
):
    """Nominate a candidate (or a job-share pair) for a position, checking every rule of the guide.

    Errors are keyed by field: candidate, partner, proposer, seconder, statement, declarations,
    branch; window and submitter problems are general (None).
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
        if not member.is_paid_up(on):
            errors[field].append(f"{member} ({member.membership_number}) is not a fully paid-up member of LI.")
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
        errors["statement"].append("A candidate statement is needed (at most 200 words).")
    elif words > STATEMENT_WORD_LIMIT:
        errors["statement"].append(f"The statement has {words} words; the limit is {STATEMENT_WORD_LIMIT}"
                                   + (", shared by the job-share." if partner else "."))
    if position.restriction:
        if not candidate_declares_eligible:
            errors["candidate_declares_eligible"].append(
                f"{position} is restricted: the candidate must declare “{position.declaration}”.")
        if partner is not None and not partner_declares_eligible:
            errors["partner_declares_eligible"].append(
                f"{position} is restricted: the job-share partner must declare “{position.declaration}”.")
    clash = (
        Nomination.objects.filter(position=position).exclude(status=Nomination.WITHDRAWN)
        .filter(Q(candidate__in=candidates) | Q(partner__in=candidates)).select_related("candidate", "partner").first()
    )
    if clash is not None:
        errors["candidate"].append(f"{clash.display_name} is already nominated for {position}.")
    if branch is not None:
        if not policies.can_nominate_for_branch(submitted_by, branch):
            errors["branch"].append(f"Only the secretary of the {branch.title} branch can nominate for it.")
        if not branch_meeting_quorate:
            errors["branch_meeting_quorate"].append(
                "A branch nominates only by decision of a quorate branch meeting: please confirm it.")
    if errors:
        raise ValidationError({key or "__all__": value for key, value in errors.items()})

    nomination = Nomination(
        position=position, candidate=candidate, partner=partner, proposer=proposer, seconder=seconder,
        statement=statement.strip(), candidate_is_woman=candidate_is_woman,
        partner_is_woman=bool(partner) and partner_is_woman,
        candidate_declares_eligible=candidate_declares_eligible,
        partner_declares_eligible=bool(partner) and partner_declares_eligible,
        branch=branch, branch_meeting_quorate=branch is not None and branch_meeting_quorate,
        branch_meeting_date=branch_meeting_date if branch else None,
        submitted_by=submitted_by, submitted_at=now,
    )
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        # Two submissions raced past the check above: the constraint keeps one.
        raise ValidationError({"candidate": [f"{candidate} is already nominated for {position}."]}) from None
    return nomination


def withdraw_nomination(nomination, *, by, now=None):
    """A candidate (or either of a job-share pair) withdraws, before nominations close."""
    now = now or timezone.now()
    if by.pk not in {nomination.candidate_id, nomination.partner_id} and not policies.is_secretary(by):
        raise PermissionDenied("Only the candidate can withdraw their candidacy.")
    election = nomination.position.election
    if election.nominations_decided or now >= election.nominations_close:
        raise ValidationError(
            f"Nominations closed at {uk_time(election.nominations_close)} (UK time): it is too late to withdraw.")
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if locked.status == Nomination.WITHDRAWN:
            raise ValidationError("This candidacy is already withdrawn.")
        locked.status, locked.withdrawn_at = Nomination.WITHDRAWN, now
        locked.save(update_fields=["status", "withdrawn_at"])
    nomination.refresh_from_db()
    return nomination


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
    return nomination


def nomination_problems(nomination, on=None):
    """What makes a nomination invalid now (the rules that can change after submission:
    everyone fully paid-up on the closing day), plus any ruling of the secretary."""
    election = nomination.position.election
    on = on or timezone.localtime(min(timezone.now(), election.nominations_close), UK).date()
    problems = []
    if nomination.status == Nomination.INVALID and nomination.invalid_reason:
        problems.append(nomination.invalid_reason)
    for role, member in (("candidate", nomination.candidate), ("job-share partner", nomination.partner),
                         ("proposer", nomination.proposer), ("seconder", nomination.seconder)):
        if member is not None and not member.is_paid_up(on):
            problems.append(f"The {role}, {member}, is not fully paid-up.")
    return problems


def close_nominations(election, *, by, now=None):
    """After the nomination deadline: decide each nomination's validity for good, then each
    position's outcome: one valid nomination elected unopposed, none vacant, more to ballot."""
    now = now or timezone.now()
    if not policies.is_secretary(by):
        raise PermissionDenied("Only the secretary closes nominations.")
    if now < election.nominations_close:
        raise ValidationError(f"Nominations close at {uk_time(election.nominations_close)} (UK time).")
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.nominations_decided:
            raise ValidationError("Nominations are already closed and decided.")
        close_day = timezone.localtime(election.nominations_close, UK).date()
        nominations = (Nomination.objects.filter(position__election=election)
                       .exclude(status=Nomination.WITHDRAWN)
                       .select_related("candidate", "partner", "proposer", "seconder", "position__election"))
        valid_per_position = defaultdict(int)
        for nomination in nominations:
            problems = nomination_problems(nomination, on=close_day)
            nomination.status = Nomination.INVALID if problems else Nomination.VALID
            nomination.invalid_reason = " ".join(problems)
            nomination.save(update_fields=["status", "invalid_reason"])
            if not problems:
                valid_per_position[nomination.position_id] += 1
        for position in election.positions.all():
            outcome = av.position_status(valid_per_position[position.pk])
            position.outcome = {av.VACANT: Position.VACANT, av.UNOPPOSED: Position.UNOPPOSED}.get(outcome, Position.BALLOT)
            position.save(update_fields=["outcome"])
        election.nominations_decided_at = now
        election.save(update_fields=["nominations_decided_at"])
    return election


# --------------------------------------------------------------------------- voting


def _receipt_digest(code):
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def new_receipt_code():
    """12 random characters in groups of four, from an alphabet without look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def contested_positions(election):
    return (election.positions.filter(outcome=Position.BALLOT)
            .prefetch_related(_valid_nominations_prefetch()).order_by("sort_order"))


def _valid_nominations_prefetch():
    return Prefetch("nominations", queryset=Nomination.objects.filter(status=Nomination.VALID)
                    .select_related("candidate", "partner").order_by("candidate__last_name", "candidate__first_name"),
                    to_attr="valid_nominations")


def cast_ballot(election, *, voter, rankings, now=None):
    """Record one member's ballot: `rankings` maps each contested Position to the Nominations
    ranked, best first (a post may be left blank; the whole ballot may not).

    The voter goes on the register; the ballot is stored with no link to them. Returns the
    receipt code, shown once to the voter: only its digest is kept.
    """
    now = now or timezone.now()
    if not election.ballot_is_open(now):
        raise ValidationError(f"The ballot runs from {uk_time(election.ballot_open)} to {uk_time(election.ballot_close)} "
                              "(UK time); it is not open now.")
    if not voter.is_paid_up(timezone.localtime(now, UK).date()):
        raise ValidationError("Only fully paid-up members can vote: please check your membership payment.")
    errors = defaultdict(list)
    contested = {p.pk: p for p in contested_positions(election)}
    for position, ranked in rankings.items():
        if position.pk not in contested:
            errors[None].append(f"{position} is not on this ballot.")
            continue
        allowed = {n.pk for n in contested[position.pk].valid_nominations}
        seen = set()
        for nomination in ranked:
            if nomination.pk not in allowed:
                errors[position.key].append(f"{nomination} is not a candidate for {position}.")
            elif nomination.pk in seen:
                errors[position.key].append(f"{nomination.display_name} is ranked twice for {position}.")
            seen.add(nomination.pk)
    if not any(rankings.values()):
        errors[None].append("The ballot is blank: rank at least one candidate.")
    if errors:
        raise ValidationError({key or "__all__": value for key, value in errors.items()})
    code = new_receipt_code()
    try:
        with transaction.atomic():
            VoterRegisterEntry.objects.create(election=election, member=voter, voted_at=now)
            ballot = Ballot.objects.create(election=election, receipt_digest=_receipt_digest(code))
            Preference.objects.bulk_create([
                Preference(ballot=ballot, position=position, nomination=nomination, rank=rank)
                for position, ranked in rankings.items()
                for rank, nomination in enumerate(ranked, start=1)
            ])
    except IntegrityError:
        raise ValidationError("You have already voted in this election: one member, one vote.") from None
    return code


def has_voted(election, member):
    return VoterRegisterEntry.objects.filter(election=election, member=member).exists()


@dataclass
class ReceiptCheck:
    found: bool
    counted: bool = False
    count_published: bool = False


def check_receipt(election, code):
    """Whether the ballot with this receipt is in the ballot box and was counted (and in the
    published count), without saying anything about how it voted."""
    ballot = Ballot.objects.filter(election=election, receipt_digest=_receipt_digest(code)).first()
    if ballot is None:
        return ReceiptCheck(found=False)
    return ReceiptCheck(
        found=True,
        counted=ballot.counted_in_id is not None,
        count_published=ballot.counted_in_id is not None and ballot.counted_in_id == election.published_count_id,
    )


# --------------------------------------------------------------------------- importing ballots


def import_ballots(election, position, *, text, file_name, by, skip_bad_lines=False, now=None):
    """Import ballots for one contested position counted elsewhere (normalized CSV).

    Choices name the candidates as the site shows them ("First Last", or "A & B" for a
    job-share). A file with errors imports nothing unless `skip_bad_lines`; then the bad lines
    are left out and listed on the import.
    """
    if not policies.is_returning_officer(by):
        raise PermissionDenied("Only the returning officer imports ballots.")
    if position.election_id != election.pk or position.outcome != Position.BALLOT:
        raise ValidationError({"position": [f"{position} is not a contested position of {election}."]})
    if election.is_published:
        raise ValidationError("The results are published: no more ballots can be imported.")
    by_name = {}
    for nomination in Nomination.objects.filter(position=position, status=Nomination.VALID).select_related(
            "candidate", "partner"):
        if nomination.display_name in by_name:
            raise ValidationError(f"Two candidates for {position} are both called {nomination.display_name}: "
                                  "ballots naming them cannot be imported.")
        by_name[nomination.display_name] = nomination
    try:
        parsed = av.parse_ballot_csv(text, known_candidates=by_name, skip_bad_lines=skip_bad_lines)
    except av.InputFileError as error:
        raise ValidationError({"file": [str(e) for e in error.errors]}) from None
    if not parsed.ballots:
        raise ValidationError({"file": ["The file has no ballots."]})
    already = set(
        Ballot.objects.filter(source_import__position=position, import_ballot_id__in=list(parsed.ballots))
        .values_list("import_ballot_id", flat=True)[:5]
    )
    if already:
        raise ValidationError({"file": [f"Ballot(s) {', '.join(sorted(already))} were already imported for {position}."]})
    with transaction.atomic():
        batch = BallotImport.objects.create(
            election=election, position=position, file_name=file_name, imported_by=by,
            imported_at=now or timezone.now(), ballots=len(parsed.ballots),
            skipped_lines=[str(e) for e in parsed.skipped],
        )
        ballots = Ballot.objects.bulk_create([
            Ballot(election=election, source_import=batch, import_ballot_id=ballot_id) for ballot_id in parsed.ballots
        ])
        Preference.objects.bulk_create([
            Preference(ballot=ballot, position=position, nomination=by_name[choice], rank=rank)
            for ballot, ranking in zip(ballots, parsed.ballots.values(), strict=True)
            for rank, choice in enumerate(ranking, start=1)
        ], batch_size=2000)
    return batch


# --------------------------------------------------------------------------- the count


def _rankings_for(position):
    """Every ballot for a position, as rankings of nomination ids (as strings) best first.
    Imported ballots that rank nobody still count (exhausted from round 1)."""
    rankings = defaultdict(list)
    for ballot_id in Ballot.objects.filter(source_import__position=position).values_list("id", flat=True):
        rankings[ballot_id]
    preferences = (Preference.objects.filter(position=position).order_by("ballot_id", "rank")
                   .values_list("ballot_id", "nomination_id"))
    for ballot_id, nomination_id in preferences.iterator(chunk_size=5000):
        rankings[ballot_id].append(str(nomination_id))
    return list(rankings.values())


def run_count(election, *, by, seed=None, now=None):
    """Count every position after the ballot closes, check the gender quota, and record it all.

    The lot (for ties no earlier round breaks) is drawn by a generator seeded with `seed`, or
    with a seed drawn here; either way the seed is recorded, so the draw can be repeated.
    Quota adjustments are only proposed: the returning officer confirms each one.
    """
    now = now or timezone.now()
    if not policies.is_returning_officer(by):
        raise PermissionDenied("Only the returning officer runs the count.")
    if not election.nominations_decided:
        raise ValidationError("Nominations are not decided yet.")
    if not election.ballot_has_closed(now):
        raise ValidationError(f"The ballot closes at {uk_time(election.ballot_close)} (UK time): count after that.")
    if election.is_published:
        raise ValidationError("The results are already published.")
    seed = secrets.randbelow(10**9) if seed is None else seed
    chooser = av.SeededLot(seed)
    positions = list(election.positions.order_by("sort_order").prefetch_related(_valid_nominations_prefetch()))
    nominations = {str(n.pk): n for p in positions for n in p.valid_nominations}

    def label(candidate_id):
        return nominations[candidate_id].display_name

    outcomes, quota_posts = [], []
    for position in positions:
        standing = [str(n.pk) for n in position.valid_nominations]
        status = av.position_status(len(standing))
        counted = None
        if status is None:
            counted = av.count_position(_rankings_for(position), standing, chooser=chooser, label=label)
            status = counted.status
        winner = counted.winner if counted else (standing[0] if status == av.UNOPPOSED else None)
        outcomes.append((position, status, winner, counted))
        quota_posts.append(av.QuotaPost(
            key=position.key, officer=position.officer, contested=counted is not None, holder=winner,
            weights={cid: av.weight_of(nominations[cid].women, len(nominations[cid].holders)) for cid in standing},
            runners_up=counted.runners_up if counted else (),
        ))
    quota = av.apply_quota(quota_posts)
    by_key = {p.key: p for p in positions}

    with transaction.atomic():
        record = Count.objects.create(
            election=election, run_by=by, run_at=now, seed=seed,
            ballots_counted=Ballot.objects.filter(election=election).count(),
            quota={**quota.to_json(), "first_six_met": quota.first_six_met, "overall_met": quota.overall_met,
                   "flags": quota.flags()},
        )
        PositionResult.objects.bulk_create([
            PositionResult(
                count=record, position=position, status=status,
                winner=nominations[winner] if winner else None, holder=nominations[winner] if winner else None,
                ballots=counted.ballots if counted else 0,
                rounds=[_round_record(r) for r in counted.rounds] if counted else [],
                flag=(counted.flag or "") if counted else "",
            )
            for position, status, winner, counted in outcomes
        ])
        QuotaAdjustment.objects.bulk_create([
            QuotaAdjustment(count=record, order=i, position=by_key[a.position], replaced=nominations[a.replaced],
                            by=nominations[a.by], rule=a.rule)
            for i, a in enumerate(quota.adjustments, start=1)
        ])
        Ballot.objects.filter(election=election).update(counted_in=record)
    return record


def _round_record(r):
    record = r.to_json()
    record.update(number=r.number, elected=r.elected,
                  tie_explanation=r.tie_break.explanation if r.tie_break else "")
    return record


def latest_count(election):
    return election.counts.order_by("-run_at", "-pk").first()


def confirm_adjustment(adjustment, *, by, now=None):
    """The returning officer confirms a proposed quota replacement: the runner-up takes the post."""
    if not policies.is_returning_officer(by):
        raise PermissionDenied("Only the returning officer confirms quota adjustments.")
    election = adjustment.count.election
    if election.is_published:
        raise ValidationError("The results are already published.")
    if adjustment.count_id != getattr(latest_count(election), "pk", None):
        raise ValidationError("This adjustment belongs to an earlier count.")
    with transaction.atomic():
        adjustment = QuotaAdjustment.objects.select_for_update().get(pk=adjustment.pk)
        if adjustment.confirmed_at is not None:
            raise ValidationError("This adjustment is already confirmed.")
        earlier = adjustment.count.adjustments.filter(order__lt=adjustment.order, confirmed_at__isnull=True)
        if earlier.exists():
            raise ValidationError("Confirm the adjustments in the order they were proposed.")
        adjustment.confirmed_by, adjustment.confirmed_at = by, now or timezone.now()
        adjustment.save(update_fields=["confirmed_by", "confirmed_at"])
        PositionResult.objects.filter(count=adjustment.count, position=adjustment.position).update(holder=adjustment.by)
    return adjustment


def publish_results(election, *, by, now=None):
    """Publish the latest count (every proposed adjustment confirmed) as the election's result."""
    if not policies.is_returning_officer(by):
        raise PermissionDenied("Only the returning officer publishes results.")
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.is_published:
            raise ValidationError("The results are already published.")
        record = latest_count(election)
        if record is None:
            raise ValidationError("Run the count first.")
        if record.adjustments.filter(confirmed_at__isnull=True).exists():
            raise ValidationError("Confirm every proposed quota adjustment before publishing.")
        election.published_count, election.published_at = record, now or timezone.now()
        election.save(update_fields=["published_count", "published_at"])
    return election
