"""Demo sign-ups (fixtures/demo/event_sign_ups.toml): an event with a limited number of places,
members going and a waiting list, made through the same services as the event's page."""

from cms.fixtures import read_toml
from cms.models import BranchPage, EventPage, Member

from . import services

SIGN_UPS_FILE = "demo/event_sign_ups.toml"


def seed(stdout):
    for spec in read_toml(SIGN_UPS_FILE)["event"]:
        branch = BranchPage.objects.get(slug=spec["branch"])
        event = EventPage.objects.child_of(branch).get(slug=spec["slug"])
        officer = Member.objects.get(email=f"officer.{branch.slug}@example.org")
        services.set_capacity(event, spec["places"], officer)
        for answer in ("going", "maybe"):
            for email in spec.get(answer, []):
                services.answer(event, Member.objects.get(email=email), answer)
        counts = services.headcount(event)
        stdout.write(f"Events: “{event.title}” ({branch.title}) has {counts['going']} going and "
                     f"{counts['waiting']} on its waiting list.")
