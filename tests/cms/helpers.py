"""Helpers for the site tests: content under a branch, Wagtail admin form data."""

from datetime import date, timedelta

from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import EventPage, NewsPage


def add_news(branch, count, start=0):
    for n in range(start, start + count):
        branch.add_child(instance=NewsPage(title=f"{branch.title} news {n}", slug=f"news-t{n}",
                                           date=date.today() - timedelta(days=n)))


def add_event(branch, title, starts_at, hours=2, **fields):
    return branch.add_child(instance=EventPage(title=title, starts_at=starts_at,
                                               ends_at=starts_at + timedelta(hours=hours), **fields))


def admin_form_data(client, url, stream_fields=("body",), **changes):
    """The data the admin form at `url` would post (as rendered), with `changes` applied.

    StreamFields are rendered by JavaScript, so they are posted empty unless given.
    """
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name in stream_fields:
        if f"{name}-count" not in data:
            data[f"{name}-count"] = "0"
    for key, value in changes.items():
        data[key] = value
    return data


def now():
    return timezone.now()
