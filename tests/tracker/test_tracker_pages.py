"""The public motion tracker: the list with its stage bars and filters, one item's page."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.workflows.conftest import submit_motion
from workflows import services
from workflows.models import Meeting, MeetingBody


def carry_at_branch(motion, officer, **extra):
    return services.record_decision(motion, "carried", officer, votes_for=10, votes_against=2, abstentions=1, **extra)


def test_anyone_sees_every_public_item_and_where_it_stands(client, submitted_motion):
    services.create_draft("motion", submitted_motion.proposer, title="Secret draft", text="<p>Not yet.</p>")
    response = client.get("/motions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert submitted_motion.reference in html and "Votes for Life now" in html
    assert "Secret draft" not in html
    # The stage bar: the current stage marked for screen readers, the stages to come listed.
    assert 'aria-current="step"' in html
    assert "Branch meeting" in html or submitted_motion.current_stage.name in html
    assert "(to come)" in html


def test_stage_bar_shows_passed_current_and_coming_stages(client, submitted_motion, people):
    carry_at_branch(submitted_motion, people["paris_officer"])
    html = client.get("/motions/").content.decode()
    assert html.count("(passed)") == 1
    assert html.count("(current stage)") == 1
    assert "step-current" in html and "step-done" in html


def test_an_officers_hostile_stage_name_is_shown_as_text_in_the_stage_bar_and_filters(client, submitted_motion):
    stage = submitted_motion.current_stage
    stage.name = '<img src=x onerror=alert(1)>"><script>alert(2)</script><!-- x --><![CDATA[y]]>'
    stage.save(update_fields=["name"])
    for url in ("/motions/", submitted_motion.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<img src=x" not in html and "<script>alert(2)" not in html and "<![CDATA[" not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, url


def test_filters_that_make_no_sense_give_an_empty_list(client, submitted_motion):
    for query in ("kind=banana", "status=draft", "year=19x5", "stage=99999", "branch=atlantis", "region=moon",
                  "consultation=none", "page=abc"[:0] + "stage=No such stage"):
        response = client.get(f"/motions/?{query}")
        assert response.status_code == 200, query
        assert submitted_motion.reference not in response.content.decode(), query
    assert submitted_motion.reference in client.get("/motions/?page=999").content.decode()


def test_filters_and_search_find_the_item(client, submitted_motion, people):
    year = timezone.now().year
    for query in ("kind=motion", "branch=paris", "region=europe", "status=in_progress", f"year={year}",
                  f"stage={submitted_motion.current_stage_id}", "q=votes+life", f"q={submitted_motion.reference}"):
        assert submitted_motion.reference in client.get(f"/motions/?{query}").content.decode(), query
    for query in ("kind=proposal", "branch=berlin", "status=fell", "q=unicorns"):
        assert submitted_motion.reference not in client.get(f"/motions/?{query}").content.decode(), query


def test_the_list_costs_the_same_queries_for_3_or_30_items(client, people):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/motions/").status_code == 200
        return len(queries)

    for n in range(3):
        submit_motion(people, title=f"Motion {n}")
    few = count()
    for n in range(27):
        motion = submit_motion(people, title=f"More {n}")
        if n % 3 == 0:
            carry_at_branch(motion, people["paris_officer"])
    assert count() == few


def test_item_page_shows_names_never_emails_or_membership_numbers(client, submitted_motion, people):
    carry_at_branch(submitted_motion, people["paris_officer"], note="Well argued.")
    html = client.get(f"/motions/{submitted_motion.reference}/").content.decode()
    assert "Proposer Tester" in html and "Seconder Tester" in html
    assert "proposer@example.org" not in html and "seconder@example.org" not in html
    assert ">L1<" not in html and "L2" not in html
    assert "votes for 10, against 2, abstentions 1" in html
    assert "Carried" in html and "Well argued." in html


def test_reference_is_found_in_any_case(client, submitted_motion):
    assert client.get(f"/motions/{submitted_motion.reference.lower()}/").status_code == 200


def test_unknown_reference_gives_a_404_page(client, db):
    response = client.get("/motions/M-2099-999/")
    assert response.status_code == 404
    assert "No item with this reference" in response.content.decode()


def test_a_draft_is_not_public(client, people):
    draft = services.create_draft("motion", people["proposer"], title="Draft", text="<p>x</p>")
    assert client.get(f"/motions/{draft.reference}/").status_code == 404


def test_carried_as_amended_shows_the_change_as_a_diff(client, submitted_motion, people):
    services.record_decision(
        submitted_motion, "carried_as_amended", people["paris_officer"], votes_for=9, votes_against=1,
        amended_text="<p>This branch calls for Votes for Life for every citizen.</p>",
    )
    html = client.get(f"/motions/{submitted_motion.reference}/").content.decode()
    assert "<ins>" in html and "citizen." in html
    assert "<del>Life.</del>" in html or "<del>" in html


def test_item_page_names_the_meeting_that_decides_it_next(client, people, branches):
    Meeting.objects.create(body=MeetingBody.BRANCH, branch=branches["paris"], title="Paris branch meeting",
                           starts_at=timezone.now() + timedelta(days=10), time_zone="Europe/Paris")
    motion = submit_motion(people)
    html = client.get(f"/motions/{motion.reference}/").content.decode()
    assert "Next meeting to decide it" in html and "Paris branch meeting" in html and "UK time" in html
    assert "(Europe/Paris)" in html


def test_decision_feeds_are_atom(client, submitted_motion, people):
    carry_at_branch(submitted_motion, people["paris_officer"])
    for url in (f"/motions/{submitted_motion.reference}/feed/", "/motions/feeds/branches/paris/",
                "/motions/feeds/decisions/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/atom+xml")
        assert submitted_motion.reference in response.content.decode()
    assert submitted_motion.reference not in client.get("/motions/feeds/branches/berlin/").content.decode()
    assert client.get("/motions/M-2099-001/feed/").status_code == 404


def test_meetings_calendar_has_public_information_only(client, branches):
    Meeting.objects.create(body=MeetingBody.BRANCH, branch=branches["paris"], title="Paris AGM prep",
                           starts_at=timezone.now() + timedelta(days=3), place="Café de la Paix",
                           online_link="https://meet.invalid/secret-room")
    Meeting.objects.create(body=MeetingBody.GC, title="Old GC", starts_at=timezone.now() - timedelta(days=3))
    response = client.get("/motions/meetings.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "Paris AGM prep" in body and "Café de la Paix" in body
    assert "secret-room" not in body and "Old GC" not in body


def test_branch_page_shows_its_motions_from_the_tracker(client, demo_site):
    from tests.workflows.conftest import make_member

    paris, berlin = demo_site["paris"], demo_site["berlin"]
    people = {"proposer": make_member("p1@example.org", "T1", paris), "seconder": make_member("s1@example.org", "L2", paris)}
    motion = submit_motion(people)
    for branch in (paris, berlin):
        branch.body = [("branch_motions", {"heading": "Our motions", "count": 5})]
        branch.save_revision().publish()
    html = client.get("/branches/paris/").content.decode()
    assert "Our motions" in html and motion.reference in html
    assert "/motions/?branch=paris" in html
    assert motion.reference not in client.get("/branches/berlin/").content.decode()


def test_branch_motions_block_lists_submitted_items_newest_first_with_status_and_stage_as_text(client, demo_site):
    from tests.workflows.conftest import make_member

    paris = demo_site["paris"]
    people = {"proposer": make_member("p2@example.org", "T1", paris), "seconder": make_member("s2@example.org", "L2", paris)}
    older = submit_motion(people, title="Older motion")
    hostile = submit_motion(people, title='<script>alert(1)</script> <img src=x onerror=alert(2)> ]]> <!-- x')
    draft = services.create_draft("motion", people["proposer"], title="Unsubmitted draft", text="<p>Draft.</p>",
                                  seconder_emails=[people["seconder"].email])
    hostile.current_stage.name = "<b>Stage</b>"
    hostile.current_stage.save()
    paris.body = [("branch_motions", {"heading": "Our motions", "count": 5})]
    paris.save_revision().publish()
    block = client.get("/branches/paris/").content.decode().split('class="block-motions"')[1].split("</section>")[0]
    assert block.index(hostile.reference) < block.index(older.reference)  # newest submitted first
    assert f'<a href="/motions/{hostile.reference}/">{hostile.reference}: &lt;script&gt;' in block
    assert "<script>" not in block and "<img" not in block and "<!--" not in block and "]]>" not in block
    assert f"{hostile.get_status_display()} at &lt;b&gt;Stage&lt;/b&gt;</span>" in block
    assert "Unsubmitted draft" not in block and (draft.reference or "no reference") not in block
