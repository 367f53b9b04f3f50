"""The returning officer signs off a by-election in a real browser, on the seeded demo: counts,
rejects the proposed gender-quota replacement with a reason, publishes; the results page
shows the reason. Also on a 390 px phone."""

import re
from datetime import date, timedelta

import pytest

from .conftest import signed_in


def demo_by_election_after_the_ballot():
    """The demo's by-election 2026 run to the close of its ballot: Dan Young beat Ella Green 7–3
    for Youth Officer. Nadia Petrov (Political Education) resigned last week and the secretary
    ended her term in the register, so the LIEC is now one woman short of half."""
    from elections.models import OfficeHolder
    from tests.elections.test_by_election_site import run_demo_by_election

    election = run_demo_by_election([(["Dan Young", "Ella Green"], 7), (["Ella Green"], 3)])
    nadia = OfficeHolder.objects.get(office__key="political-education-officer", held_until__isnull=True)
    nadia.held_until = date.today() - timedelta(days=7)
    nadia.save()
    return election


@pytest.mark.django_db(transaction=True)
def test_returning_officer_rejects_a_proposed_replacement_and_the_results_say_why(live_server, browser, demo_site):
    from elections.models import Election

    election = demo_by_election_after_the_ballot()
    count_url = f"{live_server.url}/elections/{election.slug}/count/"
    page = signed_in(browser, live_server.url, "returning@example.org")
    page.goto(count_url)
    page.get_by_role("button", name="Count every position").click()
    page.wait_for_url(count_url)
    body = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert "Officers in post, not up for election" in body and "Nadia Petrov" not in body
    proposal = page.locator("#proposal-1")
    assert "At Youth Officer: Ella Green (runner-up) to replace Dan Young" in proposal.inner_text()

    # Rejecting without a reason is refused where she acted; nothing is recorded.
    proposal.get_by_label("Reject it").check()
    proposal.get_by_role("button", name="Record the decision").click()
    assert "Give the reason for rejecting the replacement" in page.locator("#proposal-1").inner_text()

    reason = "The Youth Officer post needs a candidate aged 26 or under; Ella Green turned 27 before the ballot."
    proposal = page.locator("#proposal-1")
    proposal.get_by_label("Reject it").check()
    proposal.get_by_label("Reason").fill(reason)
    proposal.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(count_url)
    decided = page.locator("#proposal-1").inner_text()
    assert "Rejected by" in decided and reason in decided
    assert "The returning officer rejected a proposed replacement: the quota is unmet." in page.inner_text("body")

    page.get_by_role("button", name="Publish the results").click()
    page.wait_for_url(re.compile(rf".*/elections/{election.slug}/results/$"))
    results = page.inner_text("body")
    assert "The gender quota is not met." in results
    assert (f"The returning officer rejected the proposed replacement of Dan Young by Ella Green as Youth Officer, "
            f"because: {reason}") in results
    assert re.search(r"Youth Officer\s+Elected: Dan Young", results)
    assert Election.objects.get(pk=election.pk).is_published

    # A member on a 390 px phone reads the same, without sideways scrolling.
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{live_server.url}/elections/{election.slug}/results/")
    assert f"because: {reason}" in phone.inner_text("body")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
