"""Elections' part of a member's download (cms.privacy): the nominations they made or are named
in, and their own declarations on them. Never how they voted: ballots are not linked to voters.
Erasure keeps nominations and results: the record stays, their name on it becomes "Former member"."""

from cms.privacy import iso, member_data_section

from .models import Nomination


@member_data_section("nominations")
def nominations(member):
    rows = (
        Nomination.objects.filter(candidate=member)
        | Nomination.objects.filter(partner=member)
        | Nomination.objects.filter(proposer=member)
        | Nomination.objects.filter(seconder=member)
        | Nomination.objects.filter(submitted_by=member)
    ).distinct().select_related("position__election", "candidate", "partner", "proposer", "seconder")
    return [_nomination(n, member) for n in rows.order_by("submitted_at", "pk")]


def _nomination(nomination, member):
    roles = [role for role, person_id in (
        ("candidate", nomination.candidate_id), ("job-share partner", nomination.partner_id),
        ("proposer", nomination.proposer_id), ("seconder", nomination.seconder_id),
        ("submitted by you", nomination.submitted_by_id),
    ) if person_id == member.pk]
    data = {
        "election": nomination.position.election.title,
        "position": nomination.position.title,
        "your_roles": roles,
        "candidates": nomination.display_name,
        "statement": nomination.statement,
        "status": nomination.status,
        "submitted_at": iso(nomination.submitted_at),
    }
    # The candidates' own declarations are theirs: shown only to the person who made them.
    if nomination.candidate_id == member.pk:
        data["your_declarations"] = {"woman": nomination.candidate_is_woman,
                                     "eligible_for_restricted_post": nomination.candidate_declares_eligible}
    elif nomination.partner_id == member.pk:
        data["your_declarations"] = {"woman": nomination.partner_is_woman,
                                     "eligible_for_restricted_post": nomination.partner_declares_eligible}
    return data
