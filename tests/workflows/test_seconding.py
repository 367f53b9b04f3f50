"""Seconding as members do it: the proposer names a seconder by the email address they know
them by; the member at that address confirms or declines from the emailed link; the proposer
learns nothing about the address until the person answers."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboxEmail
from tests.notifications.conftest import on_commit_runs_when_the_services_transaction_closes  # noqa: F401
from workflows import services
from workflows.exceptions import ItemError
from workflows.models import Item, ItemStatus, Seconding

from .conftest import make_member

LINK = re.compile(r"https?://[^\s\"<>]+/second/[^\s\"<>/]+/")


def draft(people, *emails, title="Votes for Life"):
    return services.create_draft("motion", people["proposer"], title=title,
                                 text="<p>This branch calls for Votes for Life.</p>", seconder_emails=list(emails))


def link_in(message):
    return LINK.search(message.body).group(0)


def seconders_section(client, item):
    """The proposer's "Seconders" section as they read it, with the typed address blanked out."""
    text = client.get(f"/my-motions/{item.pk}/").text
    section = text[text.index('id="seconders-heading"'):text.index("</section>", text.index('id="seconders-heading"'))]
    section = re.sub(r"/seconders/\d+/", "/seconders/N/", section.replace(f"/{item.pk}/", "/ITEM/"))
    section = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", section)
    return re.sub(r"[\w.+-]+@[\w.-]+", "ADDRESS", section)


# --------------------------------------------------------------------------- the email and the link


def test_the_member_at_the_named_address_gets_a_link_that_shows_the_text_and_the_proposer(
        client, people, mailoutbox, settings):
    settings.SITE_URL = "https://li.example.net"
    motion = draft(people, "Seconder@Example.org")
    assert motion.secondings.get().email == "seconder@example.org"
    [message] = mailoutbox
    assert message.to == ["seconder@example.org"]
    assert "Proposer Tester" in message.subject and "Votes for Life" in message.subject
    url = link_in(message)
    assert url.startswith("https://li.example.net/second/")
    # The link is made when the email is sent: the outbox row officers read does not hold it.
    stored = OutboxEmail.objects.get(kind="seconding")
    assert url not in stored.body_text and url not in stored.body_html
    page = client.get(url.removeprefix("https://li.example.net"))
    assert page.status_code == 200
    assert "This branch calls for Votes for Life." in page.text
    assert "Proposer Tester" in page.text and "Paris branch" in page.text
    assert "I second this" in page.text and "I decline" in page.text
    # Nothing about other members: no other invitation, no address, no membership number.
    # (As words: the link's random token may hold "L1" inside it.)
    for other in ("seconder@example.org", "proposer@example.org", "L1", "L2"):
        assert not re.search(rf"(?<![\w-]){re.escape(other)}(?![\w-])", page.text), other
    assert page.headers["Cache-Control"].startswith("max-age=0")


def test_confirming_from_the_link_needs_no_sign_in_and_the_proposer_then_sees_the_name(client, people, mailoutbox):
    motion = draft(people, "seconder@example.org")
    services.submit_item(motion, people["proposer"])
    url = link_in(mailoutbox[0])
    assert Seconding.objects.get().confirmed_at is None  # opening it (GET) changed nothing
    client.get(url)
    assert Seconding.objects.get().confirmed_at is None
    response = client.post(url, {"answer": "confirm"}, follow=True)
    assert "you second it" in response.text
    motion.refresh_from_db()
    assert motion.status == ItemStatus.IN_PROGRESS and motion.current_stage.name == "Branch meeting"
    seconding = Seconding.objects.get()
    assert seconding.member == people["seconder"] and seconding.confirmed_at is not None
    # The proposer is told by email and sees the seconder's name on their page.
    answer = [m for m in mailoutbox if m.to == ["proposer@example.org"]]
    assert len(answer) == 1 and "Seconder Tester seconds" in answer[0].subject
    client.force_login(people["proposer"])
    section = client.get(f"/my-motions/{motion.pk}/").text
    assert "Seconder Tester" in section and "Confirmed" in section
    # The link now says what was answered, and cannot be answered twice.
    again = client.get(url)
    assert again.status_code == 410 and "no longer waiting for seconders" in again.text


def test_declining_is_recorded_and_the_proposer_may_invite_someone_else(client, people, mailoutbox):
    motion = draft(people, "seconder@example.org")
    services.submit_item(motion, people["proposer"])
    url = link_in(mailoutbox[0])
    response = client.post(url, {"answer": "decline"}, follow=True)
    assert "You declined" in response.text
    seconding = Seconding.objects.get()
    assert seconding.declined_at is not None and seconding.member == people["seconder"]
    motion.refresh_from_db()
    assert motion.status == ItemStatus.AWAITING_SECONDERS
    client.force_login(people["proposer"])
    assert "Declined" in client.get(f"/my-motions/{motion.pk}/").text
    with pytest.raises(ItemError, match="declined"):
        services.name_seconders(motion, people["proposer"], ["seconder@example.org"])
    other = make_member("second.choice@example.org", "L9", motion.branch)
    client.post(f"/my-motions/{motion.pk}/seconders/", {"seconders": other.email})
    services.confirm_seconding(motion, other)
    motion.refresh_from_db()
    assert motion.status == ItemStatus.IN_PROGRESS


def test_a_withdrawn_invitation_kills_its_link_and_its_unsent_email(client, people, mailoutbox, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER}
    motion = draft(people, "seconder@example.org")
    url = link_in(mailoutbox[0])
    seconding = motion.secondings.get()
    client.force_login(people["proposer"])
    ask = client.get(f"/my-motions/{motion.pk}/seconders/{seconding.pk}/withdraw/")
    assert ask.status_code == 200 and "Withdraw the invitation to seconder@example.org?" in ask.text
    assert Seconding.objects.get().withdrawn_at is None
    client.post(f"/my-motions/{motion.pk}/seconders/{seconding.pk}/withdraw/")
    assert Seconding.objects.get().withdrawn_at is not None
    client.logout()
    page = client.get(url)
    assert page.status_code == 410 and "no longer valid" in page.text
    assert client.post(url, {"answer": "confirm"}).status_code == 410
    with pytest.raises(ItemError, match="not named"):
        services.confirm_seconding(motion, people["seconder"])


def test_an_email_still_queued_when_the_invitation_is_withdrawn_is_never_sent(people, mailoutbox, monkeypatch):
    from notifications import tasks

    monkeypatch.setattr(tasks, "enqueue_sending", lambda pks: len(list(pks)))  # the worker has not sent it yet
    motion = draft(people, "seconder@example.org")
    queued = OutboxEmail.objects.get(kind="seconding")
    assert queued.status == OutboxEmail.Status.QUEUED
    services.withdraw_seconding_invitation(motion.secondings.get(), people["proposer"])
    queued.refresh_from_db()
    assert queued.status == OutboxEmail.Status.GIVEN_UP
    assert mailoutbox == []


def test_a_forged_or_cut_link_changes_nothing(client, people, mailoutbox):
    draft(people, "seconder@example.org")
    url = link_in(mailoutbox[0])
    for bad in (url[:-6] + "/", url.replace("/second/", "/second/x"), "/second/not-a-token/"):
        response = client.post(bad, {"answer": "confirm"})
        assert response.status_code in (404, 410)
    assert Seconding.objects.get().confirmed_at is None


def test_a_link_expires_after_thirty_days(client, people, mailoutbox):
    draft(people, "seconder@example.org")
    url = link_in(mailoutbox[0])
    Seconding.objects.update(requested_at=timezone.now() - timedelta(days=31))
    response = client.get(url)
    assert response.status_code == 410 and "expired" in response.text


def test_changing_the_text_asks_the_seconder_again_with_a_new_link(client, people, mailoutbox):
    motion = draft(people, "seconder@example.org")
    first_link = link_in(mailoutbox[0])
    client.post(first_link, {"answer": "confirm"})
    services.update_draft(motion, people["proposer"], title=motion.title, text="<p>A stronger text.</p>")
    seconding = Seconding.objects.get()
    assert seconding.confirmed_at is None
    requests = [m for m in mailoutbox if m.to == ["seconder@example.org"]]
    assert len(requests) == 2 and "changed" in requests[1].body
    assert client.get(first_link).status_code == 410
    second_link = link_in(requests[1])
    assert "A stronger text." in client.get(second_link).text


# --------------------------------------------------------------------------- no roster can be read


def test_the_proposer_sees_the_same_for_a_members_a_non_members_and_a_lapsed_members_address(
        client, people, mailoutbox):
    member_draft = draft(people, "seconder@example.org", title="A")
    stranger_draft = draft(people, "nobody.here@example.com", title="B")
    lapsed_draft = draft(people, "lapsed@example.org", title="C")
    client.force_login(people["proposer"])
    sections = [seconders_section(client, d) for d in (member_draft, stranger_draft, lapsed_draft)]
    assert sections[0] == sections[1] == sections[2]
    assert "Waiting for an answer" in sections[0]
    for d in (member_draft, stranger_draft, lapsed_draft):
        page = client.get(f"/my-motions/{d.pk}/").text
        assert "Tester" not in page.replace("Proposer Tester", "")  # no seconder's name before they answer
    # On the site, the message after inviting is the same whatever the address.
    messages = []
    for address in ("member@example.org", "someone.else@example.com"):
        response = client.post(f"/my-motions/{stranger_draft.pk}/seconders/", {"seconders": address}, follow=True)
        messages.append(re.search(r'<p class="message[^"]*">([^<]*)</p>', response.text).group(1))
    assert messages[0] == messages[1] and "If the address is a member" in messages[0]
    # Emails went only to members' addresses; the non-member got nothing at all.
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == ["lapsed@example.org", "member@example.org", "seconder@example.org"]


def test_a_lapsed_member_is_told_why_when_confirming_and_nothing_is_recorded(client, people, mailoutbox):
    draft(people, "lapsed@example.org")
    url = link_in(mailoutbox[0])
    response = client.post(url, {"answer": "confirm"}, follow=True)
    assert "Only fully paid-up members can second" in response.text
    assert Seconding.objects.get().confirmed_at is None


def test_only_members_of_the_motions_branch_can_second_it(people, mailoutbox):
    motion = draft(people, "member@example.org")  # member@ is in Berlin; the motion is Paris's
    with pytest.raises(ItemError, match="Only members of the Paris branch"):
        services.confirm_seconding(motion, people["member"])
    assert motion.secondings.get().confirmed_at is None


def test_a_membership_number_is_not_an_address_and_shows_no_one(client, people):
    client.force_login(people["proposer"])
    response = client.post("/my-motions/new/motion/", {"title": "T", "text": "Text", "seconders": "L2"})
    assert "“L2” is not an email address" in response.text
    assert "Seconder Tester" not in response.text
    assert not Item.objects.exists()


def test_naming_is_limited_per_item_and_to_ten_different_people_a_day(people):
    motion = draft(people, "a@example.com", "b@example.com", "seconder@example.org")
    with pytest.raises(ItemError, match="At most 3 seconders"):
        services.name_seconders(motion, people["proposer"], ["d@example.com"])
    for n in range(2):
        other = draft(people, f"x{n}@example.com", f"y{n}@example.com", f"z{n}@example.com", title=f"T{n}")
        for seconding in other.secondings.all():
            services.withdraw_seconding_invitation(seconding, people["proposer"])
    # 9 different people in 24 hours (withdrawn ones count): one more is allowed, then no one new today.
    last = draft(people, "w@example.com", title="Last")
    with pytest.raises(ItemError, match=r"invited 10 different people to second in the last 24 hours \(the limit is 10\)"):
        services.name_seconders(last, people["proposer"], ["not-a-member@example.com"])
    with pytest.raises(ItemError, match="the limit is 10"):
        services.name_seconders(last, people["proposer"], ["X0@example.com", "v@example.com"])
    # Asking someone already asked today (for the branch's next motion) is not a new person.
    services.name_seconders(last, people["proposer"], ["seconder@example.org"])
    assert {s.email for s in last.secondings.all()} == {"w@example.com", "seconder@example.org"}


def test_only_the_proposer_names_or_withdraws_seconders(client, people):
    motion = draft(people, "seconder@example.org")
    with pytest.raises(ItemError, match="Only the proposer"):
        services.name_seconders(motion, people["member"], ["a@example.com"])
    with pytest.raises(ItemError, match="Only the proposer"):
        services.withdraw_seconding_invitation(motion.secondings.get(), people["seconder"])
    client.force_login(people["seconder"])
    assert client.get(f"/my-motions/{motion.pk}/seconders/{motion.secondings.get().pk}/withdraw/").status_code == 404


def test_a_seconder_cannot_be_named_after_the_item_went_forward(people, submitted_motion):
    with pytest.raises(ItemError, match="before the item goes to its first stage"):
        services.name_seconders(submitted_motion, people["proposer"], ["member@example.org"])


# --------------------------------------------------------------------------- draft and submit at once


def test_an_edit_saved_after_the_submission_is_refused_and_the_item_stays_submitted(client, people):
    motion = draft(people, "seconder@example.org")
    stale = Item.objects.get(pk=motion.pk)  # the edit form was opened while it was a draft
    services.submit_item(motion, people["proposer"])
    with pytest.raises(ItemError, match="It was submitted .*this edit was not saved"):
        services.update_draft(stale, people["proposer"], title="Changed", text="<p>Changed</p>")
    motion.refresh_from_db()
    assert motion.status == ItemStatus.AWAITING_SECONDERS and motion.title == "Votes for Life"
    # Through the site: the edit form posted after submitting says so and keeps the submission.
    client.force_login(people["proposer"])
    response = client.post(f"/my-motions/{motion.pk}/", {"title": "Changed", "text": "Changed"}, follow=True)
    assert "this edit was not saved" in response.text
    motion.refresh_from_db()
    assert motion.status == ItemStatus.AWAITING_SECONDERS and motion.title == "Votes for Life"
