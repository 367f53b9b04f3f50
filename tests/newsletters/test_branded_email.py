"""A newsletter as it leaves: in LI's email template, its subject and the member's name escaped."""

import pytest
from django.core import mail

from newsletters import services

from .helpers import write

pytestmark = pytest.mark.django_db


def test_a_newsletter_with_a_hostile_subject_and_name_arrives_branded_and_escaped(officers, branches):
    amelie = officers["paris_officer"].__class__.objects.get(email="amelie@example.org")
    amelie.first_name = "<b onmouseover=alert(1)>Amelie</b>"
    amelie.save(update_fields=["first_name"])
    newsletter = write(officers["paris_officer"], branch=branches["paris"], subject="<script>alert(1)</script> news")
    services.send(newsletter, officers["paris_officer"])
    html = next(m for m in mail.outbox if m.to == ["amelie@example.org"]).alternatives[0][0]
    assert 'class="email-header" style="background: #c8102e;' in html
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; news" in html
    assert "<b onmouseover" not in html and "Dear &lt;b onmouseover=alert(1)&gt;Amelie&lt;/b&gt;," in html
    assert "Unsubscribe from" in html
