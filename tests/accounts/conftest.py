"""Fixtures of the sign-in tests: the seeded demo site and its accounts (password "demo")."""

import re

import pytest
from django.core import mail

from cms.models import Member


@pytest.fixture
def accounts(demo_site):
    """The demo accounts by role, and a plain member of Paris never invited."""
    by_email = {m.email: m for m in Member.objects.filter(email__endswith="@example.org")}
    return {
        "admin": by_email["admin@example.org"], "membership": by_email["membership@example.org"],
        "secretary": by_email["secretary@example.org"], "returning": by_email["returning@example.org"],
        "member": by_email["member@example.org"], "paris_officer": by_email["officer.paris@example.org"],
        "paris": demo_site["paris"], "berlin": demo_site["berlin"],
    }


def last_email_to(address):
    found = [m for m in mail.outbox if address in m.to]
    assert found, f"no email to {address} in {[m.to for m in mail.outbox]}"
    return found[-1]


def links_in(text):
    return re.findall(r"https?://\S+", text)
