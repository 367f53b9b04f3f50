"""Amendments in a real browser: a Paris member in Sydney tables an amendment on the motion's page
(reading the deadline in UK time and their own), the branch meeting carries it on the decision
screen before the motion, and the motion's page shows the merged text with the amendment's diff, at
1280 px and on a 390 px phone; a member of another branch is told why they cannot amend."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cms import times
from workflows import lines

from .conftest import signed_in
from .test_meeting_journeys import begin

TEXT = ("<p>This branch calls on the Labour Party to restore votes for life to every British citizen living "
        "abroad, whatever the number of years they have lived outside the United Kingdom.</p>"
        "<p>It asks the General Committee to send this motion to Conference.</p>")


def paris_member(branch, email, number, **extra):
    from cms.models import Member

    return Member.objects.create_user(email=email, password="x", membership_number=number, branch=branch,
                                      paid_up_until=date.today() + timedelta(days=100), first_name=email[:3].title(),
                                      last_name="Member", **extra)


@pytest.mark.django_db(transaction=True)
def test_a_member_tables_an_amendment_the_meeting_carries_it_and_the_motion_shows_the_merged_text(
        live_server, browser, demo_site):
    from amendments.models import Amendment
    from workflows import services
    from workflows.models import Meeting, Outcome

    paris = demo_site["paris"]
    proposer = paris_member(paris, "ada@example.org", "P1")
    seconder = paris_member(paris, "bea@example.org", "P2")
    sydney = paris_member(paris, "cai@example.org", "P3", time_zone="Australia/Sydney")
    dee = paris_member(paris, "dee@example.org", "P4")
    motion = services.create_draft("motion", proposer, title="Votes for Life now", text=TEXT,
                                   seconder_emails=[seconder.email])
    services.confirm_seconding(motion, seconder)
    services.submit_item(motion, proposer)
    deadline = timezone.now() + timedelta(days=3)
    meeting = Meeting.objects.create(body="branch", branch=paris, title="Paris branch meeting",
                                     starts_at=timezone.now() + timedelta(days=7), amendment_deadline=deadline,
                                     place="Café de Flore")
    assert meeting.agenda.filter(item=motion).exists()

    # The member in Sydney opens the motion: numbered lines, the deadline in UK time and in theirs.
    member = signed_in(browser, live_server.url, sydney.email)
    member.goto(f"{live_server.url}/motions/{motion.reference}/")
    text = member.get_by_role("list", name="Text with line numbers")
    assert text.locator("li").first.get_attribute("value") == "1"
    closes = times.Moment(deadline, "Europe/London", "Australia/Sydney")
    deadline_line = member.locator("#amendments .deadline").inner_text()
    assert closes.local_text in deadline_line  # "Monday 30 November 2026, 19:40 (Europe/London)"
    assert closes.yours_text and closes.yours_text in deadline_line  # "06:40 Tuesday your time"

    member.get_by_role("link", name="Table an amendment").click()
    member.get_by_label("Replace lines").check()
    member.get_by_label("From line").fill("1")
    first_paragraph = [line.number for line in lines.number_lines(TEXT) if line.block == 0]
    member.get_by_label("To line").fill(str(first_paragraph[-1]))
    member.get_by_label("New words").fill("This branch calls on the Labour Party to restore votes for life now.")
    member.get_by_label("Why (optional)").fill("Shorter, and <script>alert(1)</script> harmless.")
    member.get_by_label("Seconder's email address").fill(dee.email)
    member.get_by_role("button", name="Table the amendment").click()
    member.get_by_text("tabled. It goes on the agenda before").wait_for()
    amendment = Amendment.objects.get()
    assert (amendment.first_line, amendment.last_line, amendment.change) == (1, first_paragraph[-1], "replace")

    # Bad input is refused where the member acted, and nothing is written.
    member.goto(f"{live_server.url}/motions/{motion.reference}/amend/")
    member.get_by_label("Delete lines").check()
    member.get_by_label("From line").fill("40")
    member.get_by_label("Seconder's email address").fill(dee.email)
    member.get_by_role("button", name="Table the amendment").click()
    # The summary at the top links to the field; the field is marked invalid and described by its own message.
    member.get_by_role("alert").get_by_role("link", name="From line: Line 40 does not exist").wait_for()
    first_line = member.get_by_label("From line")
    assert first_line.get_attribute("aria-invalid") == "true"
    message_id = first_line.get_attribute("aria-describedby").split()[-1]
    assert "does not exist" in member.locator(f"#{message_id}").inner_text()
    assert Amendment.objects.count() == 1

    # The seconder confirms; the amendment goes on the agenda just before the motion.
    services.confirm_seconding(amendment, dee)
    agenda = list(meeting.agenda.order_by("position").values_list("item_id", flat=True))
    assert agenda.index(amendment.pk) == agenda.index(motion.pk) - 1

    # The meeting: the Paris officer carries the amendment, then the motion, on the decision screen.
    begin(meeting)
    officer = signed_in(browser, live_server.url, "officer.paris@example.org")
    officer.goto(f"{live_server.url}/admin/workflow/meetings/{meeting.pk}/decisions/")
    officer.get_by_label(f"Outcome for {motion.reference}").select_option("carried")
    officer.get_by_label(f"Votes for {motion.reference}").fill("20")
    officer.get_by_label(f"Votes against {motion.reference}").fill("1")
    officer.get_by_role("button", name="Record these decisions").click()
    officer.locator(".decision-screen__refused").wait_for()
    assert f"Decide the amendments to {motion.reference} first" in officer.locator(".decision-row--refused").inner_text()
    officer.get_by_label(f"Outcome for {amendment.reference}").select_option("carried")
    officer.get_by_label(f"Votes for {amendment.reference}").fill("12")
    officer.get_by_label(f"Votes against {amendment.reference}").fill("8")
    officer.get_by_role("button", name="Record these decisions").click()
    officer.get_by_text("2 agenda items recorded.").wait_for()
    amendment.refresh_from_db()
    assert amendment.decisions.get().outcome == Outcome.CARRIED

    # Everyone reads the merged text, the amendment's diff and its fate, on a desktop and a phone.
    for width in (1280, 390):
        reader = signed_in(browser, live_server.url, seconder.email, width=width)
        reader.goto(f"{live_server.url}/motions/{motion.reference}/")
        assert reader.get_by_role("heading", name="Text as amended").is_visible()
        merged = reader.get_by_role("list", name="Text with line numbers").inner_text()
        assert "restore votes for life now." in merged
        assert "whatever the number of years" not in merged
        card = reader.locator(f"#amendment-{amendment.reference}")
        assert "Carried" in card.inner_text()
        assert card.locator(".diff ins").first.inner_text().strip()
        assert card.locator(".diff del").first.inner_text().strip()
        assert "<script>" in card.locator(".reason").inner_text()  # shown as text, never run
        assert reader.evaluate("document.documentElement.scrollWidth") <= width
        reader.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_member_of_another_branch_is_told_why_they_cannot_amend(live_server, browser, demo_site):
    from workflows import services
    from workflows.models import Meeting

    paris, berlin = demo_site["paris"], demo_site["berlin"]
    proposer = paris_member(paris, "ada@example.org", "P1")
    seconder = paris_member(paris, "bea@example.org", "P2")
    outsider = paris_member(berlin, "eve@example.org", "B9")
    motion = services.create_draft("motion", proposer, title="Votes for Life now", text=TEXT,
                                   seconder_emails=[seconder.email])
    services.confirm_seconding(motion, seconder)
    services.submit_item(motion, proposer)
    Meeting.objects.create(body="branch", branch=paris, title="Paris branch meeting",
                           starts_at=timezone.now() + timedelta(days=7), place="Café")
    page = signed_in(browser, live_server.url, outsider.email, width=390)
    page.goto(f"{live_server.url}/motions/{motion.reference}/")
    assert "only its members can table amendments" in page.locator("#amendments").inner_text()
    page.goto(f"{live_server.url}/motions/{motion.reference}/amend/")
    assert "only its members can table amendments" in page.get_by_role("alert").first.inner_text()
    assert page.get_by_role("button", name="Table the amendment").count() == 0
