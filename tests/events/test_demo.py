"""seed_demo's newsletter and sign-ups: a sent Paris newsletter in the branch's archive, and an
event with its places taken and a waiting list; idempotent."""

import io

from django.test import Client

from cms.demo import seed_branch_content
from events import demo as events_demo
from events import services
from events.models import EventSignUp
from newsletters import demo as newsletters_demo
from newsletters.models import Newsletter
from workflows.demo import seed_members


def test_demo_has_a_sent_paris_newsletter_and_an_event_with_a_waiting_list(demo_site):
    paris = demo_site["paris"]
    seed_branch_content({"paris": paris})
    seed_members(demo_site)
    for _ in range(2):  # idempotent
        newsletters_demo.seed(io.StringIO())
        events_demo.seed(io.StringIO())

    newsletter = Newsletter.objects.get()
    assert (newsletter.branch, newsletter.status) == (paris, "sent")
    assert newsletter.recipient_count > 0 and newsletter.sent_by.email == "officer.paris@example.org"
    client = Client()
    client.force_login(newsletter.sent_by)
    archive = client.get("/newsletters/branches/paris/").content.decode()
    assert "Paris branch: June news" in archive
    assert "Come to the summer social" in client.get(newsletter.get_absolute_url()).content.decode()

    sign_ups = EventSignUp.objects.filter(event__slug="event-5", event__path__startswith=paris.path)
    event = sign_ups.first().event
    assert services.places_of(event) == 2
    assert services.headcount(event) == {"going": 2, "waiting": 2, "maybe": 1, "not_going": 0}
    waiting = list(sign_ups.filter(waiting=True).order_by("answered_at").values_list("member__email", flat=True))
    assert waiting == ["claire.dubois@example.org", "member@example.org"]
