"""Every HTML email the site sends wears Labour International's colours (the red bar with LI's name, one
600 px column, a footer saying why it came) from one base template, and whatever a member typed (a motion's
title, a newsletter's subject, a member's name) reaches the email escaped, never as markup."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from notifications import emails as notification_emails

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
BRAND_HEADER = 'class="email-header" style="background: #c8102e;'
WHEN = datetime(2026, 5, 4, 18, 30, tzinfo=UTC)


def hostile_item():
    return SimpleNamespace(reference="LI-2026-001", title=HOSTILE, get_kind_display=lambda: "Motion",
                           branch=SimpleNamespace(title=HOSTILE))


def hostile_member():
    return SimpleNamespace(first_name=HOSTILE)


def hostile_event():
    return SimpleNamespace(title=HOSTILE, place=HOSTILE, online_link="https://example.org/call")


def moment():
    return SimpleNamespace(local_text="Monday 4 May 2026, 20:30 Paris time", uk_text="19:30 UK time")


def decision():
    return SimpleNamespace(body_label="General Committee", stage_name="GC", decided_on=WHEN.date(),
                           get_outcome_display=lambda: "Carried", has_votes=False, next_stage_name=HOSTILE,
                           note=HOSTILE, get_status_after_display=lambda: "Finished")


EMAILS = {
    "notifications/emails/event.html": lambda: {
        "name": HOSTILE, "item": hostile_item(), "event": SimpleNamespace(kind="decision"), "decision": decision(),
        "item_url": "https://li.example.org/motions/LI-2026-001/", "unsubscribe_url": "https://li.example.org/u/",
        "preferences_url": "https://li.example.org/p/", "site_url": "https://li.example.org"},
    "notifications/emails/digest.html": lambda: {
        "name": HOSTILE, "events": [SimpleNamespace(kind="decision", item=hostile_item(), decision=decision(),
                                                    item_url="https://li.example.org/motions/LI-2026-001/")],
        "unsubscribe_url": "https://li.example.org/u/", "preferences_url": "https://li.example.org/p/"},
    "notifications/emails/seconding_request.html": lambda: {
        "member": hostile_member(), "proposer_name": HOSTILE, "item": hostile_item(),
        "link": "https://li.example.org/second/abc/", "expires_at": WHEN, "site_url": "https://li.example.org"},
    "notifications/emails/seconding_answer.html": lambda: {
        "proposer": hostile_member(), "seconder_name": HOSTILE, "item": hostile_item(),
        "seconding": SimpleNamespace(confirmed_at=WHEN, email="a@example.org"),
        "item_url": "https://li.example.org/my-motions/1/", "site_url": "https://li.example.org"},
    "events/emails/reminder.html": lambda: {
        "member": hostile_member(), "event": hostile_event(), "branch": SimpleNamespace(title=HOSTILE),
        "event_url": "https://li.example.org/e/", "your_time": "20:30", "your_zone": "Europe/Paris",
        "moment": moment(), "unsubscribe_url": "https://li.example.org/u/"},
    "events/emails/moved_up.html": lambda: {
        "member": hostile_member(), "event": hostile_event(), "branch": SimpleNamespace(title=HOSTILE),
        "event_url": "https://li.example.org/e/", "your_time": "20:30", "your_zone": "Europe/Paris",
        "moment": moment()},
    "newsletters/emails/newsletter.html": lambda: {
        "name": HOSTILE, "newsletter": SimpleNamespace(subject=HOSTILE, intro=HOSTILE, body=[],
                                                       audience_label="Members of the Paris branch"),
        "web_url": "https://li.example.org/n/1/", "unsubscribe_url": "https://li.example.org/u/",
        "preferences_url": "https://li.example.org/p/", "kind_label": "Branch news", "site_url": "https://li.example.org"},
    "accounts/emails/invitation.html": lambda: {
        "name": HOSTILE, "sign_in_url": "https://li.example.org/in/", "expires": "Monday 4 May 2026, 19:30 UK time",
        "login_url": "https://li.example.org/login/", "site_url": "https://li.example.org"},
}


@pytest.mark.parametrize("template", sorted(EMAILS))
def test_each_html_email_wears_the_brand_and_escapes_what_members_typed(template):
    html = render_to_string(template, EMAILS[template]())
    assert BRAND_HEADER in html and ">Labour International<" in html.replace("\n", "")
    assert 'max-width: 600px' in html and 'class="email-footer"' in html
    assert "<script" not in html and "<img" not in html
    assert ESCAPED in html


def test_every_html_email_extends_the_one_base():
    templates = Path(settings.BASE_DIR) / "templates"
    html_emails = {str(p.relative_to(templates)) for p in templates.glob("*/emails/*.html")}
    assert set(EMAILS) <= html_emails
    for name in sorted(html_emails):
        assert (templates / name).read_text().startswith('{% extends "emails/base.html" %}'), name


def test_a_hostile_member_name_is_escaped_when_the_email_is_personalised():
    template = notification_emails.Template(
        "Subject", "Dear [[recipient-name]]", render_to_string("notifications/emails/digest.html", {
            "name": notification_emails.NAME, "events": [], "unsubscribe_url": notification_emails.UNSUBSCRIBE,
            "preferences_url": "https://li.example.org/p/"}))
    parts = template.for_recipient(HOSTILE, 1, "digest", "digest:1:" + (WHEN + timedelta(days=1)).isoformat())
    assert "<script" not in parts["body_html"] and "&lt;script&gt;" in parts["body_html"]
    assert BRAND_HEADER in parts["body_html"]
