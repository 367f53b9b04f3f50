"""The election timetable as the returning officer signs it off: deadlines that include their
whole minute ("23:59 UK time" ends at midnight, in BST and in GMT), a timetable fixed once the
ballot opens (only the returning officer extends the close, with a published reason), never
moved after results are published, whether through the site or the Wagtail admin."""

from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from elections import services
from elections.models import UK, BallotExtension, Election, deadline_has_passed

from .conftest import move_to


def uk(*args):
    return timezone.make_aware(datetime(*args), UK)


# --------------------------------------------------------------------------- 23:59 includes the minute


@pytest.mark.parametrize("year, month, zone_name", [(2026, 7, "BST"), (2026, 1, "GMT")])
def test_a_2359_deadline_accepts_2359_30_and_refuses_midnight(year, month, zone_name):
    deadline = uk(year, month, 13, 23, 59)
    assert services.uk_time(deadline).endswith(f"23:59 {zone_name}")
    assert not deadline_has_passed(deadline, uk(year, month, 13, 23, 59, 30))
    assert not deadline_has_passed(deadline, uk(year, month, 13, 23, 59, 59, 999999))
    assert deadline_has_passed(deadline, uk(year, month, 14, 0, 0, 0))


def timed_election(secretary, year, month):
    """Nominations 1st–13th 23:59, ballot 20th–27th 23:59 UK time of `month`."""
    return services.create_election(
        title=f"Deadline test {year}-{month}", by=secretary,
        nominations_open=uk(year, month, 1), nominations_close=uk(year, month, 13, 23, 59),
        ballot_open=uk(year, month, 20), ballot_close=uk(year, month, 27, 23, 59))


@pytest.mark.parametrize("year, month", [(2026, 7), (2027, 1)])  # BST, GMT
def test_a_member_nominating_and_voting_at_2359_30_on_the_last_day_is_accepted_and_at_midnight_refused(
        year, month, secretary, make_member, nominate):
    election = timed_election(secretary, year, month)
    chair = election.positions.get(key="chair")

    def nominate_at(moment):
        candidate = make_member()
        return services.submit_nomination(
            position=chair, submitted_by=candidate, candidate=candidate, proposer=make_member(),
            seconder=make_member(), statement="I will serve LI.", now=moment)

    first = nominate_at(uk(year, month, 13, 23, 59, 30))
    assert election.nominations_are_open(uk(year, month, 13, 23, 59, 30))
    with pytest.raises(ValidationError, match="they are not open now"):
        nominate_at(uk(year, month, 14, 0, 0, 0))
    # Nominations close at midnight: the secretary cannot decide them a second before.
    assert not election.nominations_have_closed(uk(year, month, 13, 23, 59, 59))
    with pytest.raises(ValidationError, match="Nominations close at"):
        services.close_nominations(election, by=secretary, now=uk(year, month, 13, 23, 59, 59))

    second = nominate_at(uk(year, month, 10, 12))
    from .conftest import consent_all

    consent_all(first, now=uk(year, month, 13, 23, 59, 40))
    consent_all(second, now=uk(year, month, 11))
    election = services.close_nominations(election, by=secretary, now=uk(year, month, 14, 0, 0, 0))

    late_voter, too_late_voter = make_member(), make_member()
    code = services.cast_ballot(election, voter=late_voter, rankings={chair: [first]},
                                now=uk(year, month, 27, 23, 59, 30))
    assert services.check_receipt(election, code).found
    with pytest.raises(ValidationError, match="it is not open now"):
        services.cast_ballot(election, voter=too_late_voter, rankings={chair: [first]},
                             now=uk(year, month, 28, 0, 0, 0))
    assert election.phase(uk(year, month, 27, 23, 59, 59)) == "Ballot open"
    assert election.phase(uk(year, month, 28, 0, 0, 0)) == "Ballot closed: count under way"


def test_pages_show_the_deadline_as_2359_and_say_it_includes_the_minute(client, secretary):
    election = timed_election(secretary, 2026, 7)
    page = client.get(election.get_absolute_url()).content.decode()
    assert "13 Jul 2026 23:59 BST" in page and "27 Jul 2026 23:59 BST" in page
    assert "includes its whole minute" in page


# --------------------------------------------------------------------------- the timetable once the ballot opens


@pytest.fixture
def ballot_open(election, nominate, secretary):
    nominees = [nominate(election, "chair") for _ in range(2)]
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    election.nominees = nominees
    return election


def test_the_secretary_moves_the_ballot_dates_after_nominations_are_decided(client, election, nominate, secretary):
    nominate(election, "chair")
    nominate(election, "chair")
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    election.refresh_from_db()
    client.force_login(secretary)
    url = reverse("elections:manage", args=[election.slug])
    form_page = client.get(url).content.decode()
    assert 'name="ballot_close"' in form_page and 'name="nominations_close"' not in form_page
    assert "Nominations are already decided" in form_page

    new_open = timezone.localtime(election.ballot_open, UK) + timedelta(days=2)
    new_close = timezone.localtime(election.ballot_close, UK) + timedelta(days=9)
    response = client.post(url, {"ballot_open": new_open.strftime("%Y-%m-%dT%H:%M"),
                                 "ballot_close": new_close.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302, response.content.decode()
    election.refresh_from_db()
    assert timezone.localtime(election.ballot_close, UK).strftime("%Y-%m-%d %H:%M") == new_close.strftime(
        "%Y-%m-%d %H:%M")
    # Posting the fixed nomination dates anyway changes nothing.
    closes = election.nominations_close
    client.post(url, {"nominations_close": "2030-01-01T23:59", "ballot_open": new_open.strftime("%Y-%m-%dT%H:%M"),
                      "ballot_close": new_close.strftime("%Y-%m-%dT%H:%M")})
    election.refresh_from_db()
    assert election.nominations_close == closes


def test_once_the_ballot_opens_the_timetable_is_fixed_for_the_secretary(client, ballot_open, secretary):
    election = ballot_open
    close = election.ballot_close
    with pytest.raises(ValidationError, match="The ballot has opened: the timetable is fixed"):
        services.update_timetable(election, by=secretary, ballot_close=close + timedelta(days=3))
    client.force_login(secretary)
    page = client.get(reverse("elections:manage", args=[election.slug])).content.decode()
    assert "The ballot has opened: the timetable is fixed" in page and 'name="ballot_close"' not in page
    response = client.post(reverse("elections:manage", args=[election.slug]),
                           {"ballot_close": "2031-01-01T23:59"})
    assert "The ballot has opened" in response.content.decode()
    assert Election.objects.get(pk=election.pk).ballot_close == close


def test_only_the_returning_officer_extends_the_close_with_a_reason_shown_on_the_election_page(
        client, ballot_open, secretary, returning_officer):
    election = ballot_open
    old_close = election.ballot_close
    new_close = old_close + timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.extend_ballot_close(election, by=secretary, new_close=new_close, reason="Server outage")
    with pytest.raises(ValidationError) as no_reason:
        services.extend_ballot_close(election, by=returning_officer, new_close=new_close, reason="  ")
    assert "Say why the ballot is extended" in str(no_reason.value)
    with pytest.raises(ValidationError, match="moves the close later"):
        services.extend_ballot_close(election, by=returning_officer, new_close=old_close - timedelta(hours=1),
                                     reason="Outage")

    client.force_login(returning_officer)
    local = timezone.localtime(new_close, UK).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("elections:extend_ballot", args=[election.slug]), {
        "new_close": local, "reason": "The site was down for six hours on the last day."})
    assert response.status_code == 302
    extension = BallotExtension.objects.get(election=election)
    assert extension.previous_close == old_close and extension.extended_by == returning_officer
    election.refresh_from_db()
    assert election.ballot_close.replace(second=0, microsecond=0) == new_close.replace(second=0, microsecond=0)
    page = client.get(election.get_absolute_url()).content.decode()
    assert "The site was down for six hours on the last day." in page
    assert services.uk_time(old_close) in page and services.uk_time(election.ballot_close) in page


def test_a_published_election_cannot_reopen_and_takes_no_vote(
        client, ballot_open, secretary, returning_officer, make_member):
    election = ballot_open
    services.cast_ballot(election, voter=make_member(), rankings={election.nominees[0].position: [election.nominees[0]]})
    move_to(election, "counting")
    services.run_count(election, by=returning_officer, seed=3)
    services.publish_results(election, by=returning_officer)
    election.refresh_from_db()
    reopened = timezone.now() + timedelta(days=5)
    with pytest.raises(ValidationError, match="The results are published"):
        services.update_timetable(election, by=secretary, ballot_close=reopened)
    with pytest.raises(ValidationError, match="The results are published"):
        services.extend_ballot_close(election, by=returning_officer, new_close=reopened, reason="Reopen")
    # Even were the close moved behind the services' back, no vote is taken after publication.
    Election.objects.filter(pk=election.pk).update(ballot_close=reopened)
    election.refresh_from_db()
    assert not election.ballot_is_open()
    with pytest.raises(ValidationError, match="published"):
        services.cast_ballot(election, voter=make_member(), rankings={election.nominees[0].position: [election.nominees[0]]})
    voter = make_member()
    client.force_login(voter)
    chair = election.nominees[0].position
    response = client.post(reverse("elections:vote", args=[election.slug]), {f"p{chair.pk}_r1": election.nominees[0].pk})
    assert "receipt" not in response.content.decode().lower() or "it is not open now" in response.content.decode()
    assert not services.has_voted(election, voter)


# --------------------------------------------------------------------------- the Wagtail admin goes through the same rule


def admin_form_data(html):
    """Every field of the Wagtail edit form as the browser would post it."""
    form = BeautifulSoup(html, "html.parser").select_one("form#w-editor-form")
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.name == "textarea":
            data[name] = field.text
        elif kind == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif kind not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def test_the_wagtail_admin_cannot_move_the_timetable_of_an_open_ballot_or_a_published_election(
        client, ballot_open, make_member, returning_officer):
    election = ballot_open
    admin = make_member(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/snippets/elections/election/edit/{election.pk}/"
    data = admin_form_data(client.get(url).content.decode())
    assert data["ballot_close"]
    close = election.ballot_close
    data["ballot_close"] = (timezone.localtime(close, UK) + timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "The ballot has opened: the timetable is fixed" in response.content.decode()
    assert Election.objects.get(pk=election.pk).ballot_close == close

    # The title may still be corrected.
    data = admin_form_data(client.get(url).content.decode())
    data["title"] = "LIEC elections 2026 (corrected title)"
    assert client.post(url, data).status_code == 302
    assert Election.objects.get(pk=election.pk).title == "LIEC elections 2026 (corrected title)"


def test_the_model_refuses_a_timetable_change_whoever_saves_it(ballot_open):
    election = Election.objects.get(pk=ballot_open.pk)
    election.ballot_open = election.ballot_open - timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        election.full_clean()
    assert "ballot_open" in refused.value.message_dict


def test_the_admin_shows_times_in_uk_time_unless_the_officer_chose_another_zone(client, make_member, secretary):
    from wagtail.users.models import UserProfile

    election = timed_election(secretary, 2026, 7)  # ballot closes 27 Jul 2026 23:59 BST = 22:59 UTC
    officer = make_member(is_staff=True, is_superuser=True)
    client.force_login(officer)
    edit = f"/admin/snippets/elections/election/edit/{election.pk}/"
    assert admin_form_data(client.get(edit).content.decode())["ballot_close"] == "2026-07-27 23:59"

    profile = UserProfile.get_for_user(officer)
    profile.current_time_zone = "Australia/Sydney"
    profile.save()
    assert admin_form_data(client.get(edit).content.decode())["ballot_close"] == "2026-07-28 08:59"
    profile.current_time_zone = ""  # "server time zone" in the preferences: UK time again
    profile.save()
    assert admin_form_data(client.get(edit).content.decode())["ballot_close"] == "2026-07-27 23:59"
