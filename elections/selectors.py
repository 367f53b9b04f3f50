"""Read paths of officer elections: what the pages show, fetched in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from .models import Election, Nomination, Position, PositionResult, QuotaAdjustment, Withdrawal


def elections_for_list():
    return Election.objects.order_by("-nominations_open")


def positions_with_public_nominations(election):
    """Positions with their valid nominations (the public view, once nominations are decided)."""
    return election.positions.order_by("sort_order").prefetch_related(Prefetch(
        "nominations",
        queryset=Nomination.objects.filter(status=Nomination.VALID)
        .select_related("candidate", "partner", "branch").order_by("candidate__last_name"),
        to_attr="shown_nominations",
    ))


def all_nominations(election):
    """Every nomination with everyone it names: for the secretary and the returning officer."""
    return (Nomination.objects.filter(position__election=election)
            .select_related("position", "candidate", "partner", "proposer", "seconder", "branch", "branch_meeting",
                            "submitted_by")
            .order_by("position__sort_order", "submitted_at"))


def own_nominations(election, member):
    """The nominations that name `member` (as candidate, partner, proposer or seconder) or that
    they submitted, with what each still waits for; `my_roles` are their own roles on it."""
    nominations = list(
        Nomination.objects.filter(position__election=election)
        .filter(Q(candidate=member) | Q(partner=member) | Q(proposer=member) | Q(seconder=member)
                | Q(submitted_by=member))
        .select_related("position", "candidate", "partner", "proposer", "seconder")
        .prefetch_related("withdrawals").order_by("position__sort_order"))
    for nomination in nominations:
        nomination.my_roles = nomination.roles_of(member)
        # A membership number typed in the form does not reveal whose it is: the candidates are
        # named to the others only once they have confirmed.
        nomination.shown_name = " & ".join(
            (m.get_full_name() or m.email) if (m.pk == member.pk or nomination.consented(role))
            else f"the member numbered {m.membership_number}"
            for role, m in (("candidate", nomination.candidate), ("partner", nomination.partner)) if m is not None)
        nomination.pending_withdrawal = next((w for w in nomination.withdrawals.all() if w.is_pending), None)
    return nominations


def withdrawals(election):
    """Every withdrawal of the election: who withdrew whom, why and when (the secretary's record)."""
    return (Withdrawal.objects.filter(nomination__position__election=election)
            .select_related("nomination__position", "nomination__candidate", "nomination__partner", "requested_by",
                            "confirmed_by").order_by("requested_at", "pk"))


@dataclass
class Bar:
    name: str
    votes: int
    percent: float
    elected: bool = False
    excluded: bool = False


@dataclass
class RoundView:
    number: int
    bars: list
    exhausted: int
    continuing: int
    excluded: str = ""
    elected: str = ""
    tie_break: str | None = None
    tie_explanation: str = ""


@dataclass
class PositionTable:
    """One position's result as the pages show it: outcome, holder, and the rounds as a table
    (candidates by rounds) and as bars (one chart per round)."""

    position: Position
    status: str
    winner: Nomination | None
    holder: Nomination | None
    ballots: int
    flag: str
    rounds: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (name, [votes or None per round])
    exhausted: list = field(default_factory=list)
    adjustment: QuotaAdjustment | None = None

    @property
    def status_label(self):
        return {"elected": "Elected", "unopposed": "Elected unopposed", "vacant": "Vacant (by-election to follow)",
                "no_result": "No result"}.get(self.status, self.status)


def result_tables(count):
    """Every position of a count, ready for the results and count pages (3 queries)."""
    results = list(
        PositionResult.objects.filter(count=count).select_related(
            "position", "winner__candidate", "winner__partner", "holder__candidate", "holder__partner")
        .order_by("position__sort_order")
    )
    adjustments = {a.position_id: a for a in QuotaAdjustment.objects.filter(count=count).select_related(
        "by__candidate", "by__partner", "replaced__candidate", "replaced__partner")}
    names = {str(n.pk): n.display_name for n in Nomination.objects.filter(
        position__election_id=count.election_id, status=Nomination.VALID).select_related("candidate", "partner")}
    tables = []
    for result in results:
        table = PositionTable(
            position=result.position, status=result.status, winner=result.winner, holder=result.holder,
            ballots=result.ballots, flag=result.flag, adjustment=adjustments.get(result.position_id),
        )
        order = list(result.rounds[0]["tally"]) if result.rounds else []
        for record in result.rounds:
            continuing = record["continuing"] or 1
            table.rounds.append(RoundView(
                number=record["number"],
                bars=[Bar(names.get(c, c), votes, round(100 * votes / continuing, 1),
                          elected=c == record.get("elected"), excluded=c == record.get("excluded"))
                      for c, votes in record["tally"].items()],
                exhausted=record["exhausted"], continuing=record["continuing"],
                excluded=names.get(record["excluded"], "") if record["excluded"] else "",
                elected=names.get(record.get("elected"), "") if record.get("elected") else "",
                tie_break=record["tie_break"], tie_explanation=record.get("tie_explanation", ""),
            ))
        table.rows = [(names.get(c, c), [r["tally"].get(c) for r in result.rounds]) for c in order]
        table.exhausted = [r["exhausted"] for r in result.rounds]
        tables.append(table)
    return tables
