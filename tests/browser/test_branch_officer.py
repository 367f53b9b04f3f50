"""A branch officer edits their own branch site in a real browser, and only theirs."""

import re

import pytest

from cms.models import NewsPage
from tests.cms.helpers import add_news

from .conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_paris_officer_edits_and_publishes_paris_news_but_cannot_open_berlin(live_server, page, demo_site):
    paris, berlin = demo_site["paris"], demo_site["berlin"]
    add_news(paris, 1)
    add_news(berlin, 1)
    news = NewsPage.objects.child_of(paris).get()
    sign_in(page, live_server.url, "officer.paris@example.org", at="/admin/login/")
    page.wait_for_url(re.compile(r".*/admin/$"))

    page.goto(f"{live_server.url}/admin/pages/{news.pk}/edit/")
    page.fill("#id_title", "Paris branch elects a new chair")
    publish = page.locator("button[name=action-publish]")
    if not publish.is_visible():
        page.locator("footer [data-w-dropdown-target=toggle], footer .dropdown-toggle").first.click()
    publish.click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{paris.pk}/$"))

    page.goto(f"{live_server.url}{news.url}")
    assert page.locator("h1").inner_text() == "Paris branch elects a new chair"

    page.goto(f"{live_server.url}/admin/pages/{berlin.pk}/edit/")
    assert f"/admin/pages/{berlin.pk}/edit/" not in page.url
    assert "you do not have permission" in page.content().lower()

    page.goto(f"{live_server.url}/admin/pages/")
    assert "Paris" in page.content()
    assert "Berlin" not in page.content()
