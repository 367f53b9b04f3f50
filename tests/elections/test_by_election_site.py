"""The count on the site (issue 18): the secretary's register of LIEC officers, by-elections
judged on the whole LIEC, the returning officer's decision on each quota proposal, one person
one post, the Women's Officer's declaration in the quota, publishing only from a count of every
ballot, and the lot drawn once per count."""

import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections import services
from elections.models import (
    Ballot,
    Election,
    Nomination,
    Office,
    OfficeHolder,
    Position,
    PositionResult,
    Preference,
)

from .conftest import move_to, open_the_demo_by_election_ballot, timetable

# Women in post: three of posts 1–6, seven of the thirteen posts other than Youth Officer.
WOMEN_IN_POST = {"vice-chair", "vice-chair-membership", "secretary", "womens-officer", "disability-carers-officer",
                 "political-education-officer", "communications-officer"}


@pytest.fixture
def liec_register(make_member):
    """register(women, skip) -> the officers in post (a year already), one per officer post."""
    def register(women=WOMEN_IN_POST, skip=()):
        held = {}
        for office in Office.objects.filter(officer=True).order_by("order"):
            if office.key in skip:
                continue
            held[office.key] = OfficeHolder.objects.create(
                office=office, holder=make_member("In", f"Post {office.order}"), holder_is_woman=office.key in women,
                held_from=date.today() - timedelta(days=365))
        return held

    return register


@pytest.fixture
def by_election(secretary):
    """by_election(*keys) -> an election (nominations open) for these posts only."""
    def make(*keys):
        election = services.create_election(title=f"LIEC by-election {uuid.uuid4().hex[:6]}", by=secretary,
                                             **timetable("nominations"))
        election.positions.exclude(key__in=keys).delete()
        return election

    return make


def close_and_vote(election, secretary, make_member, votes):
    """Close nominations, then cast `votes`: [(position key, [nominations best first], how many)]."""
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    election = Election.objects.get(pk=election.pk)
    positions = {p.key: p for p in election.positions.all()}
    for key, ranking, times in votes:
        for _ in range(times):
            services.cast_ballot(election, voter=make_member(), rankings={positions[key]: ranking})
    move_to(election, "counting")
    return Election.objects.get(pk=election.pk)


def youth_officer_7_to_3(by_election, nominate, make_member, secretary):
    election = by_election("youth-officer")
    dan = nominate(election, "youth-officer", candidate=make_member("Dan", "Young"))
    ella = nominate(election, "youth-officer", candidate=make_member("Ella", "Green"), woman=True)
    election = close_and_vote(election, secretary, make_member,
                              [("youth-officer", [dan, ella], 7), ("youth-officer", [ella], 3)])
    return election, dan, ella


# --------------------------------------------------------------------------- by-elections


def test_the_demo_by_election_keeps_the_man_who_won_youth_officer_7_to_3(
        client, liec_register, by_election, nominate, make_member, secretary, returning_officer):
    """The audit's case: the old count took Youth Officer alone as "the officers" and proposed
    Ella in Dan's place. With the register's 13 officers in post, 7 of the 14 are women."""
    liec_register(skip={"youth-officer"})
    election, dan, ella = youth_officer_7_to_3(by_election, nominate, make_member, secretary)

    count = services.run_count(election, by=returning_officer)
    assert count.adjustments.count() == 0
    youth = PositionResult.objects.get(count=count, position__key="youth-officer")
    assert youth.holder == dan and youth.rounds[0]["tally"] == {str(dan.pk): 7, str(ella.pk): 3}
    assert len(count.sitting) == 13 and count.sitting[0]["title"] == "Chair"
    assert count.final_quota["met"] and count.final_quota["officers"] == 7 and count.final_quota["filled"] == 14

    client.force_login(returning_officer)
    page = client.get(reverse("elections:count", args=[election.slug])).content.decode()
    assert "Officers in post, not up for election" in page and "In Post 1" in page
    assert "No replacement proposed." in page

    services.publish_results(election, by=returning_officer)
    results = client.get(reverse("elections:results", args=[election.slug])).content.decode()
    assert "Dan Young" in results and "The gender quota is met" in results
    assert "judged on the whole LIEC, with the officers in post" in results
    # The register now has Dan as Youth Officer from today.
    assert OfficeHolder.objects.get(office__key="youth-officer", held_until__isnull=True).holder == dan.candidate


def test_a_by_election_for_treasurer_alone_does_not_unseat_the_man_who_won(
        liec_register, by_election, nominate, make_member, secretary, returning_officer):
    liec_register(women={"chair", "vice-chair", "vice-chair-membership", "womens-officer", "bame-officer",
                         "lgbt-officer", "youth-officer"}, skip={"treasurer"})
    election = by_election("treasurer")
    tom = nominate(election, "treasurer", candidate=make_member("Tom", "Till"))
    ann = nominate(election, "treasurer", candidate=make_member("Ann", "Abacus"), woman=True)
    election = close_and_vote(election, secretary, make_member,
                              [("treasurer", [tom, ann], 5), ("treasurer", [ann, tom], 4)])
    count = services.run_count(election, by=returning_officer)
    assert count.adjustments.count() == 0
    assert PositionResult.objects.get(count=count, position__key="treasurer").holder == tom
    assert count.final_quota["first_six"] == 3 and count.final_quota["met"]


def test_officers_whose_term_ended_are_not_counted_as_sitting(
        liec_register, by_election, nominate, make_member, secretary, returning_officer):
    held = liec_register(skip={"youth-officer"})
    held["communications-officer"].held_until = date.today() - timedelta(days=1)  # resigned yesterday
    held["communications-officer"].save()
    election, dan, ella = youth_officer_7_to_3(by_election, nominate, make_member, secretary)
    count = services.run_count(election, by=returning_officer)
    assert len(count.sitting) == 12 and count.final_quota["filled"] == 13
    # 6 women of 13 officers with Dan: short of half, so the count proposes Ella.
    assert [(a.replaced, a.by) for a in count.adjustments.all()] == [(dan, ella)]


# --------------------------------------------------------------------------- the register in the admin


def test_the_secretary_keeps_the_register_in_the_admin_and_the_returning_officer_reads_it(
        client, make_member):
    secretary = make_member("Sam", "Secretary")
    secretary.groups.add(Group.objects.get(name="Secretary"))
    returning = make_member("Rhys", "Returning")
    returning.groups.add(Group.objects.get(name="Returning officer"))
    holder = make_member("Priya", "Raman")
    chair = Office.objects.get(key="chair")
    add_url = reverse("wagtailsnippets_elections_officeholder:add")
    list_url = reverse("wagtailsnippets_elections_officeholder:list")

    client.force_login(secretary)
    response = client.post(add_url, {
        "office": chair.pk, "holder": holder.pk, "holder_name": "", "holder_is_woman": "on",
        "partner": "", "partner_name": "", "held_from": "2025-04-30", "held_until": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = OfficeHolder.objects.get()
    assert (entry.office, entry.holder, entry.women) == (chair, holder, 1)
    # A second Chair over the same dates is refused, saying whose term overlaps.
    response = client.post(add_url, {
        "office": chair.pk, "holder": "", "holder_name": "Gareth Hughes", "partner": "", "partner_name": "",
        "held_from": "2025-06-01", "held_until": ""})
    assert response.status_code == 200
    assert "Priya Raman holds Chair from 30 Apr 2025" in response.content.decode()
    assert OfficeHolder.objects.count() == 1

    client.force_login(returning)
    listing = client.get(list_url)
    assert listing.status_code == 200 and "Priya Raman" in listing.content.decode()
    assert client.get(add_url).status_code in (302, 403)


# --------------------------------------------------------------------------- the returning officer's decisions


@pytest.fixture
def proposal(liec_register, by_election, nominate, make_member, secretary, returning_officer):
    """A by-election where the LIEC falls short of half: the count proposes Ella for Dan."""
    liec_register(women=WOMEN_IN_POST - {"communications-officer"}, skip={"youth-officer"})
    election, dan, ella = youth_officer_7_to_3(by_election, nominate, make_member, secretary)
    count = services.run_count(election, by=returning_officer)
    adjustment = count.adjustments.get()
    assert (adjustment.replaced, adjustment.by, adjustment.accepted) == (dan, ella, None)
    return election, count, adjustment, dan, ella


def test_the_returning_officer_rejects_a_replacement_with_a_reason_and_it_is_published(
        client, proposal, returning_officer):
    election, count, adjustment, dan, ella = proposal
    client.force_login(returning_officer)
    url = reverse("elections:decide", args=[election.slug, adjustment.pk])
    prefix = f"a{adjustment.pk}"

    response = client.post(url, {f"{prefix}-decision": "reject", f"{prefix}-reason": "  "})
    assert response.status_code == 400
    assert "Give the reason for rejecting the replacement" in response.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.decided_at is None

    with pytest.raises(ValidationError, match="Accept or reject every proposed quota replacement"):
        services.publish_results(election, by=returning_officer)

    reason = "Ella Green withdrew her consent to serve <b>after</b> the ballot."
    response = client.post(url, {f"{prefix}-decision": "reject", f"{prefix}-reason": reason})
    assert response.status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.accepted is False and adjustment.reason == reason and adjustment.decided_by == returning_officer
    count.refresh_from_db()
    assert not count.final_quota["met"]
    assert "The returning officer rejected a proposed replacement: the quota is unmet." in count.final_quota["flags"]
    assert PositionResult.objects.get(count=count, position__key="youth-officer").holder == dan

    page = client.get(reverse("elections:count", args=[election.slug])).content.decode()
    assert "Rejected</strong> by" in page and "withdrew her consent to serve &lt;b&gt;after&lt;/b&gt;" in page

    client.post(reverse("elections:publish", args=[election.slug]))
    results = client.get(reverse("elections:results", args=[election.slug])).content.decode()
    assert "The gender quota is not met." in results
    assert ("The returning officer rejected the proposed replacement of Dan Young by Ella Green as Youth Officer, "
            "because: Ella Green withdrew her consent to serve &lt;b&gt;after&lt;/b&gt; the ballot.") in results


def test_an_accepted_replacement_takes_the_post_and_meets_the_quota(client, proposal, returning_officer):
    election, count, adjustment, dan, ella = proposal
    services.decide_adjustment(adjustment, by=returning_officer, accept=True)
    count.refresh_from_db()
    assert count.final_quota["met"] and count.final_quota["officers"] == 7
    assert PositionResult.objects.get(count=count, position__key="youth-officer").holder == ella
    services.publish_results(election, by=returning_officer)
    results = client.get(reverse("elections:results", args=[election.slug])).content.decode()
    assert "Ella Green takes the post of Youth Officer in place of Dan Young" in results
    assert "The gender quota is met" in results


def test_a_recount_keeps_the_decision_on_the_same_proposal_and_does_not_ask_again(proposal, returning_officer):
    election, count, adjustment, dan, ella = proposal
    services.decide_adjustment(adjustment, by=returning_officer, accept=False, reason="Not in consultation.")
    recount = services.run_count(election, by=returning_officer)
    again = recount.adjustments.get()
    assert (again.replaced, again.by, again.accepted, again.reason) == (dan, ella, False, "Not in consultation.")
    assert again.carried_from == adjustment and recount.adjustments_pending == []
    assert not recount.final_quota["met"]
    with pytest.raises(ValidationError, match="already rejected"):
        services.decide_adjustment(again, by=returning_officer, accept=True)
    services.publish_results(election, by=returning_officer)  # nothing left to decide
    election.refresh_from_db()
    assert election.published_count == recount


def test_only_the_returning_officer_decides_and_only_on_the_latest_count(proposal, secretary, returning_officer):
    from django.core.exceptions import PermissionDenied

    election, count, adjustment, dan, ella = proposal
    with pytest.raises(PermissionDenied):
        services.decide_adjustment(adjustment, by=secretary, accept=True)
    services.run_count(election, by=returning_officer)
    with pytest.raises(ValidationError, match="earlier count"):
        services.decide_adjustment(adjustment, by=returning_officer, accept=True)


# --------------------------------------------------------------------------- the Women's Officer's declaration


def test_the_womens_officer_declaration_counts_her_as_a_woman_seven_of_fourteen(
        election, nominate, make_member, secretary, returning_officer):
    """The audit's case: 7 of the 14 officers were women, the Women's Officer having made the
    post's declaration only; the old count saw 6 and unseated the Communications Officer."""
    women = {"vice-chair", "vice-chair-membership", "secretary", "disability-carers-officer",
             "political-education-officer", "trade-union-liaison-officer"}
    for office in Office.objects.filter(officer=True).exclude(key__in=("womens-officer", "communications-officer")):
        nominate(election, office.key, woman=office.key in women)
    grace = nominate(election, "womens-officer", candidate=make_member("Grace", "Mensah"),
                     candidate_declares_eligible=True)  # the one declaration, “I identify as a woman”
    chris = nominate(election, "communications-officer", candidate=make_member("Chris", "Lowe"))
    maya = nominate(election, "communications-officer", candidate=make_member("Maya", "Lindqvist"), woman=True)
    election = close_and_vote(election, secretary, make_member,
                              [("communications-officer", [chris, maya], 5), ("communications-officer", [maya], 4)])
    assert Nomination.objects.get(pk=grace.pk).women == 1
    count = services.run_count(election, by=returning_officer)
    assert count.quota["officers"] == 7 and count.quota["filled"] == 14 and count.quota["met"]
    assert count.adjustments.count() == 0
    assert PositionResult.objects.get(count=count, position__key="communications-officer").holder == chris


def test_a_nomination_recorded_with_only_the_posts_declaration_still_counts_her(election, nominate, make_member):
    grace = nominate(election, "womens-officer", candidate=make_member("Grace", "Mensah"))
    Nomination.objects.filter(pk=grace.pk).update(candidate_is_woman=False)  # two unrelated boxes, as before
    assert Nomination.objects.select_related("position").get(pk=grace.pk).women == 1


def test_a_contradictory_pair_of_declarations_is_refused(election, make_member):
    candidate = make_member("Kim", "Contrary")
    with pytest.raises(ValidationError) as error:
        services.submit_nomination(
            position=election.positions.get(key="womens-officer"), submitted_by=candidate, candidate=candidate,
            proposer=make_member(), seconder=make_member(), statement="I will serve.",
            candidate_declares_eligible=True, candidate_is_woman=False)
    assert "the two declarations cannot differ" in " ".join(error.value.messages)


# --------------------------------------------------------------------------- one person, one post


def test_a_member_still_standing_for_both_auditor_posts_stops_the_count(
        election, nominate, make_member, secretary, returning_officer):
    jo = make_member("Jo", "Bloggs")
    first = nominate(election, "auditor-1", candidate=jo)
    second = nominate(election, "auditor-2", candidate=jo)
    nominate(election, "chair")
    move_to(election, "counting")
    # As if nominations had been decided without the member choosing one post.
    Nomination.objects.filter(pk__in=[first.pk, second.pk]).update(status=Nomination.VALID)
    Position.objects.filter(election=election, key__in=["auditor-1", "auditor-2"]).update(outcome=Position.UNOPPOSED)
    Election.objects.filter(pk=election.pk).update(nominations_decided_at=election.nominations_close)
    election = Election.objects.get(pk=election.pk)
    with pytest.raises(ValidationError) as error:
        services.run_count(election, by=returning_officer)
    assert ("One person, one post: Jo Bloggs is a candidate for Auditor (first post) and Auditor (second post)."
            in error.value.messages)
    assert not election.counts.exists()


def test_a_sitting_officer_standing_for_another_post_stops_the_count(
        liec_register, by_election, nominate, make_member, secretary, returning_officer):
    held = liec_register(skip={"youth-officer"})
    election = by_election("youth-officer")
    treasurer = held["treasurer"].holder
    nominate(election, "youth-officer", candidate=treasurer)
    nominate(election, "youth-officer")
    election = close_and_vote(election, secretary, make_member, [])
    with pytest.raises(ValidationError, match=f"{treasurer.get_full_name()} sits as Treasurer and is a candidate "
                                              "for Youth Officer"):
        services.run_count(election, by=returning_officer)


# --------------------------------------------------------------------------- every ballot, the lot


def test_results_are_published_only_from_a_count_of_every_ballot(
        liec_register, by_election, nominate, make_member, secretary, returning_officer):
    liec_register(skip={"youth-officer"})
    election, dan, ella = youth_officer_7_to_3(by_election, nominate, make_member, secretary)
    count = services.run_count(election, by=returning_officer)
    youth = election.positions.get(key="youth-officer")
    assert count.ballot_box[str(youth.pk)]["ballots"] == 10

    # Five more ballots reach the box after the count (e.g. a late batch): the count missed them.
    for _ in range(5):
        ballot = Ballot.objects.create(election=election)
        Preference.objects.create(ballot=ballot, position=youth, nomination=ella, rank=1)
    with pytest.raises(ValidationError, match=r"Youth Officer: 15 ballots in the box, 10 counted\): count again first"):
        services.publish_results(election, by=returning_officer)

    recount = services.run_count(election, by=returning_officer)
    assert PositionResult.objects.get(count=recount, position=youth).rounds[0]["tally"] == {
        str(dan.pk): 7, str(ella.pk): 8}
    # Same number, different ballots: one swapped for another.
    Ballot.objects.filter(pk=ballot.pk).delete()
    other = Ballot.objects.create(election=election)
    Preference.objects.create(ballot=other, position=youth, nomination=dan, rank=1)
    with pytest.raises(ValidationError, match="15 ballots counted, but not the same ones now in the box"):
        services.publish_results(election, by=returning_officer)
    final = services.run_count(election, by=returning_officer)
    services.publish_results(election, by=returning_officer)
    election.refresh_from_db()
    assert election.published_count == final


def test_the_lot_is_drawn_once_and_a_recount_draws_again_only_with_a_reason(
        client, election, nominate, make_member, secretary, returning_officer):
    colin = nominate(election, "chair", candidate=make_member("Colin", "Chairman"))
    carla = nominate(election, "chair", candidate=make_member("Carla", "Chairwoman"), woman=True)
    election = close_and_vote(election, secretary, make_member, [("chair", [colin], 1), ("chair", [carla], 1)])
    first = services.run_count(election, by=returning_officer)
    again = services.run_count(election, by=returning_officer)
    assert again.seed == first.seed and again.redraw_reason == ""
    with pytest.raises(ValidationError, match="say why it must be drawn again"):
        services.run_count(election, by=returning_officer, seed=first.seed + 1)

    client.force_login(returning_officer)
    response = client.post(reverse("elections:count", args=[election.slug]),
                           {"redraw_reason": "The first draw was made before the imported ballots arrived."})
    assert response.status_code == 302
    redrawn = services.latest_count(election)
    assert redrawn.redraw_reason == "The first draw was made before the imported ballots arrived."
    page = client.get(reverse("elections:count", args=[election.slug])).content.decode()
    assert "A tie that no earlier round broke was drawn by lot" in page
    assert "The lot was drawn again for this count, because: The first draw was made" in page
    assert "seed" not in page.lower()

    for adjustment in redrawn.adjustments.all():
        services.decide_adjustment(adjustment, by=returning_officer, accept=True)
    services.publish_results(election, by=returning_officer)
    results = client.get(reverse("elections:results", args=[election.slug])).content.decode()
    assert "The lot was drawn again for this count, because: The first draw was made" in results
    assert "drawn by lot" in results


# --------------------------------------------------------------------------- the demo's by-election


def run_demo_by_election(youth_votes):
    """The seeded demo's by-election taken to the count: nominations closed, the ballot held
    (`youth_votes`: [(ranking of names, how many)]), ballot closed."""
    import io

    from cms.models import Member
    from elections import demo

    demo.seed(io.StringIO())
    election, youth, standing = open_the_demo_by_election_ballot()
    paid = date.today() + timedelta(days=100)
    for ranking, times in youth_votes:
        for _ in range(times):
            voter = Member.objects.create_user(email=f"v{uuid.uuid4().hex[:10]}@example.org", password="x",
                                               membership_number=uuid.uuid4().hex[:10], paid_up_until=paid)
            services.cast_ballot(election, voter=voter, rankings={youth: [standing[name] for name in ranking]})
    move_to(election, "counting")
    return Election.objects.get(pk=election.pk)


def test_the_seeded_demo_by_election_judges_the_quota_with_the_officers_in_post(demo_site):
    from cms.models import Member

    election = run_demo_by_election([(["Dan Young", "Ella Green"], 7), (["Ella Green"], 3)])
    count = services.run_count(election, by=Member.objects.get(email="returning@example.org"))
    # The 2025 results filled the register: 12 officers in post, with Lucy Carer (unopposed) and
    # Dan Young 14 officers, 7 of them women. Nobody is proposed in Dan's place.
    assert len(count.sitting) == 12
    assert count.final_quota["filled"] == 14 and count.final_quota["officers"] == 7 and count.final_quota["met"]
    assert count.adjustments.count() == 0
    youth = PositionResult.objects.get(count=count, position__key="youth-officer")
    assert youth.holder.display_name == "Dan Young"


def test_the_register_refuses_a_post_outside_the_officer_list_and_a_person_in_two_posts(make_member):
    priya = make_member("Priya", "Raman")
    auditor = OfficeHolder(office=Office.objects.get(key="auditor-1"), holder=priya, held_from=date(2025, 4, 30))
    with pytest.raises(ValidationError, match="not one of the 14 voting officers"):
        auditor.full_clean()
    OfficeHolder.objects.create(office=Office.objects.get(key="chair"), holder=priya, held_from=date(2025, 4, 30))
    treasurer = OfficeHolder(office=Office.objects.get(key="treasurer"), holder=priya, held_from=date(2025, 5, 1))
    with pytest.raises(ValidationError, match="One person, one post: Priya Raman already holds Chair"):
        treasurer.full_clean()


def test_the_returning_officers_dashboard_lists_the_elections_to_run(client, election, make_member):
    from django.contrib.auth.models import Permission

    from .conftest import grant

    admin_access = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    returning = make_member("Rhys", "Returning")
    returning.user_permissions.add(admin_access)
    client.force_login(grant(returning, "run_count"))
    html = client.get("/admin/").content.decode()
    assert "Elections to run" in html and election.title in html and f"/elections/{election.slug}/manage/" in html
    assert election.phase() in html
    someone = make_member("Someone")
    someone.user_permissions.add(admin_access)
    client.force_login(someone)
    assert "Elections to run" not in client.get("/admin/").content.decode()
