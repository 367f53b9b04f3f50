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
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log

from cms import ballot_box
from cms.models import Member, Region

from . import count as av
from . import policies
from .models import (
    UK,
    Ballot,
    BallotExtension,
    BallotImport,
    Count,
    Election,
    Nomination,
    Office,
    OfficeHolder,
    PendingBallot,
    Position,
    PositionResult,
    Preference,
    QuotaAdjustment,
    VoterRegisterEntry,
    deadline_has_passed,
)
from .nominations import (  # noqa: F401  (nominating lives there; callers use services.*)
    STATEMENT_WORD_LIMIT,
    branch_meeting_problem,
    choose_post,
    close_nominations,
    confirm_consent,
    confirm_withdrawal,
    decline_withdrawal,
    nomination_problems,
    pending_post_choices,
    request_consents,
    request_withdrawal,
    rule_nomination_invalid,
    submit_nomination,
    uk_time,
    withdraw_nomination,
    word_count,
)
from .reference import coordinator_regions

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
    elected_by = coordinator_regions()
    regions = {r.slug: r for r in Region.objects.filter(slug__in=elected_by.values())}
    with transaction.atomic():
        election.save()
        Position.objects.bulk_create([
            Position(election=election, office=office, key=office.key, title=office.title, officer=office.officer,
                     job_share_allowed=office.job_share_allowed, restriction=office.restriction,
                     region=regions.get(elected_by.get(office.key)), sort_order=office.order)
            for office in Office.objects.all()
        ])
    return election


def update_timetable(election, *, by, now=None, **times):
    """Change the timetable (times given aware; stored UTC) as far as the election's phase
    allows (Election.fixed_timetable_fields): nomination dates until nominations are decided,
    the ballot dates until the ballot opens, nothing after that (only the returning officer
    extends the close: extend_ballot_close) and nothing once results are published."""
    if not policies.is_secretary(by):
        raise PermissionDenied("Only the secretary changes the timetable.")
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        fixed, why = election.fixed_timetable_fields(now)
        if any(name in fixed and times[name] != getattr(election, name) for name in times):
            raise ValidationError(why)
        for name, value in times.items():
            setattr(election, name, value)
        election.full_clean()
        election.save()
    return election


def extend_ballot_close(election, *, by, new_close, reason, now=None):
    """The returning officer extends the ballot close, with a reason recorded and shown on the
    election's page. Only later than the current close, never after results are published."""
    now = now or timezone.now()
    if not policies.is_returning_officer(by):
        raise PermissionDenied("Only the returning officer extends the ballot.")
    errors = defaultdict(list)
    if not (reason or "").strip():
        errors["reason"].append("Say why the ballot is extended: the reason is published on the election's page.")
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.is_published:
            raise ValidationError("The results are published: the ballot can no longer be extended.")
        if not election.nominations_decided:
            raise ValidationError("Nominations are not decided yet: the secretary can still move the ballot dates.")
        if new_close <= election.ballot_close:
            errors["new_close"].append(f"An extension moves the close later than {uk_time(election.ballot_close)} "
                                       "(UK time).")
        elif deadline_has_passed(new_close, now):
            errors["new_close"].append("The new close is already past.")
        if errors:
            raise ValidationError({key: value for key, value in errors.items()})
        extension = BallotExtension.objects.create(
            election=election, previous_close=election.ballot_close, new_close=new_close, reason=reason.strip(),
            extended_by=by, extended_at=now)
        # Saved past the timetable rule on purpose: this is the one change allowed once the ballot opened.
        Election.objects.filter(pk=election.pk).update(ballot_close=new_close)
        log(election, "li.election.ballot_extended", user=by, data={"from": uk_time(extension.previous_close), "to": uk_time(new_close), "reason": extension.reason})
    return extension


# --------------------------------------------------------------------------- nominations
# Nominating (consent, withdrawals, the close and one person, one post) lives in nominations.py.


# --------------------------------------------------------------------------- voting


def _receipt_digest(code):
    return ballot_box.receipt_digest(code)


def contested_positions(election):
    return (election.positions.filter(outcome=Position.BALLOT)
            .prefetch_related(_valid_nominations_prefetch()).order_by("sort_order"))


def _valid_nominations_prefetch():
    return Prefetch("nominations", queryset=Nomination.objects.filter(status=Nomination.VALID)
                    .select_related("candidate", "partner").order_by("candidate__last_name", "candidate__first_name"),
                    to_attr="valid_nominations")


def ballot_paper(election, member):
    """The contested posts on `member`'s ballot paper, and the others with why they are not
    on it: [(position, "")...], [(position, reason)...]."""
    on_paper, not_on_paper = [], []
    for position in contested_positions(election).select_related("region"):
        why = policies.why_cannot_vote_for(member, position)
        (not_on_paper if why else on_paper).append((position, why))
    return [p for p, _ in on_paper], not_on_paper


def cast_ballot(election, *, voter, rankings, now=None):
    """Record one member's ballot: `rankings` maps each contested Position to the Nominations
    ranked, best first (a post may be left blank; the whole ballot may not).

    The voter goes on the register (with the day, never the time); the ballot goes into the
    pool of pending ballots with no link to them, and reaches the box in a shuffled batch
    (seal_ballots). Returns the receipt code, shown once to the voter: only its digest is kept.
    """
    now = now or timezone.now()
    if election.is_published:
        raise ValidationError("The results of this election are published: the ballot is closed.")
    if not election.ballot_is_open(now):
        raise ValidationError(f"The ballot runs from {uk_time(election.ballot_open)} to {uk_time(election.ballot_close)} "
                              "(UK time); it is not open now.")
    if not voter.is_paid_up(timezone.localtime(now, UK).date()):
        raise ValidationError("Only fully paid-up members can vote: please check your membership payment.")
    errors = defaultdict(list)
    contested = {p.pk: p for p in contested_positions(election).select_related("region")}
    for position, ranked in rankings.items():
        if position.pk not in contested:
            errors[None].append(f"{position} is not on this ballot.")
            continue
        why = policies.why_cannot_vote_for(voter, contested[position.pk])
        if why and ranked:
            errors[position.key].append(why)
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
    code = ballot_box.new_receipt_code()
    try:
        with transaction.atomic():
            VoterRegisterEntry.objects.create(election=election, member=voter, voted_on=ballot_box.register_day(now))
            PendingBallot.objects.create(election=election, receipt_digest=_receipt_digest(code), rankings=[
                [position.pk, nomination.pk, rank]
                for position, ranked in rankings.items()
                for rank, nomination in enumerate(ranked, start=1)
            ])
    except IntegrityError:
        raise ValidationError("You have already voted in this election: one member, one vote.") from None
    seal_ballots(election)
    return code


def seal_ballots(election, *, everything=False):
    """Move pending ballots into the ballot box in a shuffled order, with random ids.

    Nothing in the box then follows the order of the voter register (cms.ballot_box: while the
    ballot is open a random N of them once 2N are pending, every one when it has closed, before
    a count). Returns how many were moved.
    """
    if not everything and PendingBallot.objects.filter(election=election).count() < 2 * ballot_box.pool_size():
        return 0
    with transaction.atomic():
        Election.objects.select_for_update().filter(pk=election.pk).first()  # one sealer at a time
        moving = ballot_box.batch_to_seal(PendingBallot.objects.filter(election=election), everything=everything)
        if not moving:
            return 0
        positions = {p.pk for p in election.positions.all()}
        ballots, preferences = [], []
        for held in moving:
            ballot = Ballot(election=election, receipt_digest=held.receipt_digest)
            ballots.append(ballot)
            preferences += [Preference(ballot=ballot, position_id=position_id, nomination_id=nomination_id, rank=rank)
                            for position_id, nomination_id, rank in held.rankings if position_id in positions]
        PendingBallot.objects.filter(pk__in=[held.pk for held in moving]).delete()
        Ballot.objects.bulk_create(ballots)
        Preference.objects.bulk_create(ballot_box.shuffled(preferences), batch_size=2000)
    return len(moving)


def ballots_in_box(election):
    """Every ballot cast or imported, whether still in the pool or already in the box."""
    return Ballot.objects.filter(election=election).count() + PendingBallot.objects.filter(election=election).count()


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
    digest = _receipt_digest(code)
    ballot = Ballot.objects.filter(election=election, receipt_digest=digest).first()
    if ballot is None:
        # Still in the pool, waiting to be moved into the box: found, not yet counted.
        return ReceiptCheck(found=PendingBallot.objects.filter(election=election, receipt_digest=digest).exists())
    return ReceiptCheck(
        found=True,
        counted=ballot.counted_in_id is not None,
        count_published=ballot.counted_in_id is not None and ballot.counted_in_id == election.published_count_id,
    )


# --------------------------------------------------------------------------- importing ballots


def parse_paper_register(text):
    """Membership numbers, one per line (or separated by commas, semicolons or spaces)."""
    return [part.strip() for part in text.replace(",", " ").replace(";", " ").split() if part.strip()]


def reconcile_paper_register(election, position, numbers, *, now):
    """Check the paper register of an import against the online register and earlier imports:
    returns the members, or raises ValidationError (keyed "paper_register") naming every
    problem: unknown or repeated numbers, members who also voted online (their paper ballots
    must be set aside unopened), members whose paper ballot for this post is already imported,
    members who may not vote for this post or were not paid up."""
    problems = []
    if not numbers:
        raise ValidationError({"paper_register": [
            "List the membership numbers of the members whose paper ballots are in this file (the paper register): "
            "they are checked against the members who voted online."]})
    repeated = sorted({n for n in numbers if numbers.count(n) > 1}) if len(set(numbers)) < len(numbers) else []
    if repeated:
        problems.append(f"Listed more than once: {_some(repeated)}.")
    members = {m.membership_number: m for m in Member.objects.filter(membership_number__in=set(numbers))
               .select_related("branch__region")}
    unknown = sorted(set(numbers) - set(members))
    if unknown:
        problems.append(f"No LI member has these numbers: {_some(unknown)}.")
    register = dict(VoterRegisterEntry.objects.filter(election=election, member__in=members.values())
                    .values_list("member__membership_number", "channel"))
    online = sorted(n for n, channel in register.items() if channel == VoterRegisterEntry.ONLINE)
    if online:
        problems.append(
            f"{len(online)} member{pluralize(online)} on the paper register also voted online: {_some(online)}. One member, one vote: "
            "set their paper ballots aside unopened, take them out of the file and the list, and import again.")
    earlier = {n for batch in BallotImport.objects.filter(position=position) for n in batch.paper_register}
    again = sorted(set(numbers) & earlier)
    if again:
        problems.append(f"The paper ballots of {_some(again)} for {position} are already imported.")
    on = timezone.localtime(min(now, election.ballot_close), UK).date()
    unpaid = sorted(n for n, m in members.items() if not m.is_paid_up(on))
    if unpaid:
        problems.append(f"Not fully paid-up members, who cannot vote: {_some(unpaid)}.")
    not_theirs = sorted(n for n, m in members.items() if policies.why_cannot_vote_for(m, position))
    if not_theirs:
        problems.append(f"{position} is elected by the members of {position.region.name}; these members are not: "
                        f"{_some(not_theirs)}.")
    if problems:
        raise ValidationError({"paper_register": problems})
    return list(members.values())


def _some(numbers, shown=10):
    more = len(numbers) - shown
    return ", ".join(numbers[:shown]) + (f" and {more} more" if more > 0 else "")


def import_ballots(election, position, *, text, file_name, by, paper_register, skip_bad_lines=False, now=None):
    """Import the paper (or otherwise counted) ballots for one contested position (normalized CSV),
    with the paper register: the membership numbers of the members whose ballots they are.

    Choices name the candidates as the site shows them ("First Last", or "A & B" for a
    job-share). A file with errors imports nothing unless `skip_bad_lines`; then the bad lines
    are left out and listed on the import. Refused before the ballot opens, after publication,
    with more ballots than paper voters, or when anyone on the paper register also voted online
    (reconcile_paper_register). The paper voters go on the register, so they cannot vote online.
    """
    now = now or timezone.now()
    if not policies.is_returning_officer(by):
        raise PermissionDenied("Only the returning officer imports ballots.")
    if position.election_id != election.pk or position.outcome != Position.BALLOT:
        raise ValidationError({"position": [f"{position} is not a contested position of {election}."]})
    if election.is_published:
        raise ValidationError("The results are published: no more ballots can be imported.")
    if not election.ballot_has_opened(now):
        raise ValidationError(f"The ballot opens {uk_time(election.ballot_open)} (UK time): ballots can be imported "
                              "only once it has opened.")
    if isinstance(paper_register, str):
        paper_register = parse_paper_register(paper_register)
    numbers = list(paper_register)
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
        raise ValidationError({"file": [f"Ballot{pluralize(already)} {', '.join(sorted(already))} {pluralize(already, 'was,were')} already imported for {position}."]})
    if not numbers:
        reconcile_paper_register(election, position, numbers, now=now)  # says what the register is for
    if len(parsed.ballots) > len(numbers):
        raise ValidationError({"file": [
            f"The file has {len(parsed.ballots)} ballots but the paper register lists {len(numbers)} members: there "
            "cannot be more ballots than paper voters."]})
    paper_voters = reconcile_paper_register(election, position, numbers, now=now)
    try:
        with transaction.atomic():
            registered = set(VoterRegisterEntry.objects.filter(election=election, member__in=paper_voters)
                             .values_list("member_id", flat=True))
            VoterRegisterEntry.objects.bulk_create([
                VoterRegisterEntry(election=election, member=member, voted_on=ballot_box.register_day(now),
                                   channel=VoterRegisterEntry.PAPER)
                for member in paper_voters if member.pk not in registered
            ], batch_size=2000)
            batch = _store_import(election, position, parsed, by_name, file_name=file_name, by=by, now=now,
                                  paper_register=numbers)
            log(election, "li.election.ballots_imported", user=by, data={"position": str(position), "ballots": batch.ballots, "file_name": file_name, "import": batch.pk})
    except IntegrityError:
        raise ValidationError({"paper_register": [
            "A member on the paper register voted online while the file was being imported: import again to see "
            "who."]}) from None
    return batch


def _store_import(election, position, parsed, by_name, *, file_name, by, now, paper_register):
    """The import and its ballots, in a shuffled order under random ids."""
    shuffled = ballot_box.shuffled(parsed.ballots.items())
    batch = BallotImport.objects.create(
        election=election, position=position, file_name=file_name, imported_by=by,
        imported_at=now, ballots=len(parsed.ballots),
        skipped_lines=[str(e) for e in parsed.skipped], paper_register=sorted(paper_register),
    )
    ballots = Ballot.objects.bulk_create([
        Ballot(election=election, source_import=batch, import_ballot_id=ballot_id) for ballot_id, _ in shuffled
    ])
    Preference.objects.bulk_create([
        Preference(ballot=ballot, position=position, nomination=by_name[choice], rank=rank)
        for ballot, (_, ranking) in zip(ballots, shuffled, strict=True)
        for rank, choice in enumerate(ranking, start=1)
    ], batch_size=2000)
    return batch


# --------------------------------------------------------------------------- the count


def _ballots_for(position):
    """Every ballot for a position: ballot id -> ranking of nomination ids (as strings), best first.
    Imported ballots that rank nobody still count (exhausted from round 1)."""
    rankings = defaultdict(list)
    for ballot_id in Ballot.objects.filter(source_import__position=position).values_list("id", flat=True):
        rankings[ballot_id]
    preferences = (Preference.objects.filter(position=position).order_by("ballot_id", "rank")
                   .values_list("ballot_id", "nomination_id"))
    for ballot_id, nomination_id in preferences.iterator(chunk_size=5000):
        rankings[ballot_id].append(str(nomination_id))
    return rankings


def _rankings_for(position):
    return list(_ballots_for(position).values())


def _box_entry(ballot_ids):
    """What a count records of one position's ballots: how many, and a digest of which."""
    digest = hashlib.sha256("\n".join(sorted(str(b) for b in ballot_ids)).encode()).hexdigest()
    return {"ballots": len(ballot_ids), "digest": digest}


def ballot_box_changes(record):
    """How the ballot box differs from what a count included (empty when it includes every
    ballot): ballots still waiting in the pool, and each position whose ballots are not those
    the count saw (more, fewer or different, online or imported)."""
    changes = []
    waiting = PendingBallot.objects.filter(election_id=record.election_id).count()
    if waiting:
        changes.append(f"{waiting} ballot{'s' if waiting != 1 else ''} cast online not yet in the box")
    seen = record.ballot_box or {}
    for position in record.election.positions.filter(outcome=Position.BALLOT).order_by("sort_order"):
        now_in_box = _box_entry(list(_ballots_for(position)))
        counted = seen.get(str(position.pk), {"ballots": 0, "digest": None})
        if now_in_box != counted:
            if now_in_box["ballots"] != counted["ballots"]:
                changes.append(f"{position}: {now_in_box['ballots']} ballots in the box, {counted['ballots']} counted")
            else:
                changes.append(f"{position}: {counted['ballots']} ballots counted, but not the same ones now in the box")
    return changes


def officer_places():
    """Office key -> place (1–14) in the officer list (the guide's order of the voting officers)."""
    return {key: place for place, key in enumerate(
        Office.objects.filter(officer=True).order_by("order").values_list("key", flat=True), start=1)}


def _position_office_key(position):
    return position.office.key if position.office_id else position.key


def sitting_officers(election, on):
    """The register's officers in post on `on` (a date) for every officer post not up in this
    election: counted in the quota, never replaced (DOMAIN.md, "By-elections")."""
    up = {_position_office_key(p) for p in election.positions.select_related("office")}
    holders = (OfficeHolder.objects.filter(office__officer=True, held_from__lte=on)
               .filter(Q(held_until__isnull=True) | Q(held_until__gte=on)).exclude(office__key__in=up)
               .select_related("office", "holder", "partner").order_by("office__order", "-held_from"))
    current = {}
    for entry in holders:
        current.setdefault(entry.office_id, entry)  # the latest term, should two overlap
    return list(current.values())


def _quota_post(position, places, nominations, standing, holder, counted=None):
    return av.QuotaPost(
        key=position.key, officer=position.officer, contested=counted is not None, holder=holder,
        weights={cid: av.weight_of(nominations[cid].women, len(nominations[cid].holders)) for cid in standing},
        runners_up=counted.runners_up if counted else (),
        number=places.get(_position_office_key(position)) if position.officer else None,
    )


def _sitting_posts(snapshot):
    """The quota's posts for the sitting officers a count recorded."""
    return [av.QuotaPost(key=f"sitting-{s['office']}", officer=True, contested=False,
                         holder=av.sitting_id(s["office"]), weights={av.sitting_id(s["office"]): av.weight_of(
                             s["women"], s["people"])}, number=s["number"], sitting=True)
            for s in snapshot]


def _quota_record(quota):
    return {**quota.to_json(), "first_six_met": quota.first_six_met, "overall_met": quota.overall_met,
            "flags": quota.flags()}


def run_count(election, *, by, seed=None, redraw_reason="", now=None):
    """Count every position after the ballot closes, check the gender quota, and record it all.

    The lot (for ties no earlier round breaks) is drawn once per count and recorded: the first
    count draws it (or uses `seed`); counting again reuses the recorded draw unless the
    returning officer gives `redraw_reason`, recorded and shown with the results.
    The quota is judged on the whole LIEC: in a by-election, the register's officers in the
    posts not up for election count too (and are never replaced). Quota adjustments are only
    proposed: the returning officer accepts or rejects each; a recount keeps the decisions on
    the proposals it makes again. The count records the ballots it included, so that results
    are published only from a count of every ballot. Nobody may stand for two posts (or sit in
    one and stand for another): the count refuses to run, naming them.
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
    previous = latest_count(election)
    redraw_reason = (redraw_reason or "").strip() if previous else ""
    if previous is not None and not redraw_reason:
        if seed is not None and seed != previous.seed:
            raise ValidationError({"redraw_reason": [
                "The lot was drawn for the earlier count: say why it must be drawn again."]})
        seed = previous.seed
    elif seed is None:
        seed = secrets.randbelow(10**9)
    seal_ballots(election, everything=True)
    chooser = av.SeededLot(seed)
    positions = list(election.positions.order_by("sort_order").select_related("office")
                     .prefetch_related(_valid_nominations_prefetch()))
    nominations = {str(n.pk): n for p in positions for n in p.valid_nominations}
    places = officer_places()
    count_day = timezone.localtime(now, UK).date()
    sitting = sitting_officers(election, count_day)

    clashes = av.one_post_each(
        [(str(member.pk), member.get_full_name() or member.email, position.title, False)
         for position in positions for n in position.valid_nominations if not n.withdrawn_after_close
         for member in n.holders]
        + [(str(member.pk), member.get_full_name() or member.email, entry.office.title, True)
           for entry in sitting for member in (entry.holder, entry.partner) if member is not None]
    )
    if clashes:
        raise ValidationError(clashes + [
            "Nobody is elected to two posts: the member chooses one post and withdraws from the others "
            "(or the secretary ends their term in the register of officers) before the count."])

    def label(candidate_id):
        return nominations[candidate_id].display_name

    outcomes, quota_posts, box = [], [], {}
    for position in positions:
        # Withdrawn after the close (nominations.py): on the ballot paper, excluded before round 1.
        withdrawn = {str(n.pk) for n in position.valid_nominations if n.withdrawn_after_close}
        standing = [str(n.pk) for n in position.valid_nominations if str(n.pk) not in withdrawn]
        status = av.position_status(len(standing))
        if withdrawn and standing and position.outcome == Position.BALLOT:
            status = None  # still counted: their ballots go to the next preference
        counted = None
        if status is None:
            ballots = _ballots_for(position)
            box[str(position.pk)] = _box_entry(list(ballots))
            rankings = [[c for c in ranking if c not in withdrawn] for ranking in ballots.values()]
            counted = av.count_position(rankings, standing, chooser=chooser, label=label)
            status = counted.status
        winner = counted.winner if counted else (standing[0] if status == av.UNOPPOSED else None)
        outcomes.append((position, status, winner, counted))
        quota_posts.append(_quota_post(position, places, nominations, standing, winner, counted))
    snapshot = [{"office": e.office.key, "title": e.office.title, "number": places[e.office.key],
                 "names": e.display_name, "women": e.women, "people": len(e.names)} for e in sitting]
    try:
        quota = av.apply_quota(quota_posts + _sitting_posts(snapshot))
    except ValueError as error:  # two officer posts in one place of the officer list
        raise ValidationError(f"The officer list is ambiguous: {error}. Give each officer position its post.") from None
    by_key = {p.key: p for p in positions}

    with transaction.atomic():
        record = Count.objects.create(
            election=election, run_by=by, run_at=now, seed=seed, redraw_reason=redraw_reason,
            ballots_counted=Ballot.objects.filter(election=election).count(), ballot_box=box, sitting=snapshot,
            quota=_quota_record(quota),
        )
        proposals = []
        for i, a in enumerate(quota.adjustments, start=1):
            proposal = QuotaAdjustment(count=record, order=i, position=by_key[a.position],
                                       replaced=nominations[a.replaced], by=nominations[a.by], rule=a.rule)
            earlier = (QuotaAdjustment.objects.filter(
                count__election=election, position=proposal.position, replaced=proposal.replaced, by=proposal.by,
                decided_at__isnull=False).exclude(count=record).order_by("-count__run_at", "-count_id").first())
            if earlier is not None:  # the same proposal again: its decision stands, nobody is asked twice
                proposal.accepted, proposal.reason = earlier.accepted, earlier.reason
                proposal.decided_by_id, proposal.decided_at = earlier.decided_by_id, earlier.decided_at
                proposal.carried_from = earlier
            proposals.append(proposal)
        QuotaAdjustment.objects.bulk_create(proposals)
        holders = _holders_after(outcomes, proposals)
        PositionResult.objects.bulk_create([
            PositionResult(
                count=record, position=position, status=status,
                winner=nominations[winner] if winner else None, holder=holders[position.pk],
                ballots=counted.ballots if counted else 0,
                rounds=[_round_record(r) for r in counted.rounds] if counted else [],
                flag=(counted.flag or "") if counted else "",
            )
            for position, status, winner, counted in outcomes
        ])
        Ballot.objects.filter(election=election).update(counted_in=record)
        _refresh_final_quota(record)
        log(election, "li.election.counted", user=by, data={"count": record.pk, "ballots": record.ballots_counted, "redraw_reason": redraw_reason})
    return record


def _holders_after(outcomes, proposals):
    """Position id -> the nomination holding it: the winner, or the runner-up of an accepted proposal."""
    holders = {position.pk: None for position, *_ in outcomes}
    names = {}
    for position, _status, winner, _counted in outcomes:
        for n in position.valid_nominations:
            names[str(n.pk)] = n
        holders[position.pk] = names.get(winner) if winner else None
    for proposal in proposals:
        current = holders.get(proposal.position_id)
        if proposal.accepted and current is not None and current.pk == proposal.replaced_id:
            holders[proposal.position_id] = proposal.by
    return holders


def _refresh_final_quota(record):
    """The quota with the returning officer's decisions so far (accepted proposals applied,
    rejected ones not): what the results page publishes."""
    results = list(record.results.select_related("position__office", "holder__candidate", "holder__partner",
                                                 "holder__position"))
    places = officer_places()
    posts = []
    for result in results:
        holder = result.holder
        standing = [str(holder.pk)] if holder else []
        nominations = {str(holder.pk): holder} if holder else {}
        posts.append(_quota_post(result.position, places, nominations, standing, str(holder.pk) if holder else None))
    posts += _sitting_posts(record.sitting)
    figures = av.quota_figures(posts, {p.key: p.holder for p in posts})
    figures.adjustments = [av.Adjustment(a.position.key, str(a.replaced_id), str(a.by_id), a.rule)
                           for a in record.adjustments.select_related("position") if a.accepted]
    final = _quota_record(figures)
    if any(a.accepted is False for a in record.adjustments.all()):
        final["flags"].append("The returning officer rejected a proposed replacement: the quota is unmet.")
        final["met"] = False
    record.final_quota = final
    record.save(update_fields=["final_quota"])
    return final


def _round_record(r):
    record = r.to_json()
    record.update(number=r.number, elected=r.elected,
                  tie_explanation=r.tie_break.explanation if r.tie_break else "")
    return record


def latest_count(election):
    return election.counts.order_by("-run_at", "-pk").first()


def decide_adjustment(adjustment, *, by, accept, reason="", now=None):
    """The returning officer accepts a proposed quota replacement (the runner-up takes the post)
    or rejects it with a reason (the winner keeps the post, the quota is shown as unmet). The
    decision and its reason are published with the results. Decided in the order proposed."""
    if not policies.is_returning_officer(by):
        raise PermissionDenied("Only the returning officer decides on quota adjustments.")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": ["Give the reason for rejecting the replacement: it is published with "
                                          "the results."]})
    election = adjustment.count.election
    if election.is_published:
        raise ValidationError("The results are already published.")
    if adjustment.count_id != getattr(latest_count(election), "pk", None):
        raise ValidationError("This proposal belongs to an earlier count.")
    with transaction.atomic():
        adjustment = QuotaAdjustment.objects.select_for_update().select_related("position", "replaced", "by").get(
            pk=adjustment.pk)
        if adjustment.decided_at is not None:
            raise ValidationError(f"This proposal was already {'accepted' if adjustment.accepted else 'rejected'}.")
        earlier = adjustment.count.adjustments.filter(order__lt=adjustment.order, decided_at__isnull=True)
        if earlier.exists():
            raise ValidationError("Decide on the proposals in the order they were made.")
        result = PositionResult.objects.select_for_update().get(count=adjustment.count, position=adjustment.position)
        if accept and result.holder_id != adjustment.replaced_id:
            raise ValidationError(
                f"At {adjustment.position}, {adjustment.replaced.display_name} holds the post only if the earlier "
                "proposal there is accepted, and it was rejected: reject this one too.")
        adjustment.accepted, adjustment.reason = bool(accept), reason
        adjustment.decided_by, adjustment.decided_at = by, now or timezone.now()
        adjustment.save(update_fields=["accepted", "reason", "decided_by", "decided_at"])
        if accept:
            result.holder = adjustment.by
            result.save(update_fields=["holder"])
        _refresh_final_quota(adjustment.count)
        log(election, "li.election.quota_decided", user=by, data={"position": str(adjustment.position), "accepted": adjustment.accepted, "reason": reason, "count": adjustment.count_id})
    return adjustment


def confirm_adjustment(adjustment, *, by, now=None):
    """Accept a proposed quota replacement (see decide_adjustment)."""
    return decide_adjustment(adjustment, by=by, accept=True, now=now)


def publish_results(election, *, by, now=None):
    """Publish the latest count as the election's result: only once the returning officer has
    decided on every proposed quota replacement, and only if the count included every ballot
    now in the box. The officers elected go into the register of LIEC officers."""
    if not policies.is_returning_officer(by):
        raise PermissionDenied("Only the returning officer publishes results.")
    now = now or timezone.now()
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.is_published:
            raise ValidationError("The results are already published.")
        record = latest_count(election)
        if record is None:
            raise ValidationError("Run the count first.")
        if record.adjustments.filter(decided_at__isnull=True).exists():
            raise ValidationError("Accept or reject every proposed quota replacement before publishing.")
        changes = ballot_box_changes(record)
        if changes:
            raise ValidationError("The ballot box has changed since this count (" + "; ".join(changes)
                                  + "): count again first, so that the results include every ballot.")
        election.published_count, election.published_at = record, now
        election.save(update_fields=["published_count", "published_at"])
        record_elected_officers(record, on=timezone.localtime(now, UK).date())
        log(election, "li.election.results_published", user=by, data={"count": record.pk})
    return election


def record_elected_officers(record, *, on):
    """The officers a published count elected go into the register from `on`; the terms of
    the posts' earlier holders end the day before."""
    results = (record.results.filter(position__officer=True, holder__isnull=False)
               .select_related("position__office", "holder__candidate", "holder__partner", "holder__position"))
    offices = {o.key: o for o in Office.objects.filter(officer=True)}
    for result in results:
        office = offices.get(_position_office_key(result.position))
        if office is None:
            continue
        nomination = result.holder
        OfficeHolder.objects.filter(office=office, held_until__isnull=True, held_from__lt=on).update(
            held_until=on - timedelta(days=1))
        OfficeHolder.objects.create(
            office=office, holder=nomination.candidate, partner=nomination.partner,
            holder_is_woman=nomination.candidate_counts_as_woman, partner_is_woman=nomination.partner_counts_as_woman,
            held_from=on, elected_in=record.election,
        )
