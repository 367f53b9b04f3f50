"""Run in a subprocess by the real-worker test (settings tests.notifications.worker_settings):
builds a branch, a pipeline, a submitted motion with followers, then records a decision.
The fan-out goes to the ORM broker: only a running `manage.py qcluster` can send the emails.
Prints the number of emails expected, as JSON."""

import json
from datetime import date, timedelta

FOLLOWERS = 60


def build():
    from django.contrib.auth import get_user_model
    from wagtail.models import Collection, Locale, Page

    from cms.models import BranchIndexPage, BranchPage, Region
    from notifications import services as notification_services
    from workflows import services
    from workflows.models import DecidingBody, Pipeline, Stage

    Locale.objects.get_or_create(language_code="en-gb")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    region = Region.objects.create(number=1, name="Europe", slug="europe")
    index = root.add_child(instance=BranchIndexPage(title="Branches", slug="branches"))
    paris = index.add_child(instance=BranchPage(title="Paris", slug="paris", region=region, country="France",
                                                time_zone="Europe/Paris"))
    pipeline = Pipeline.objects.create(name="Motion", slug="motion", kind="motion", is_default=True)
    Stage.objects.create(pipeline=pipeline, name="Branch meeting", deciding_body=DecidingBody.BRANCH_MEETING,
                         sort_order=0)
    Stage.objects.create(pipeline=pipeline, name="GC ratification", deciding_body=DecidingBody.GC, sort_order=1)
    Member = get_user_model()
    paid = date.today() + timedelta(days=100)

    def member(email, number, **extra):
        return Member.objects.create_user(email=email, password="x", membership_number=number, branch=paris,
                                          paid_up_until=paid, first_name=email.split("@")[0].title(), **extra)

    proposer, seconder = member("proposer@example.org", "W1"), member("seconder@example.org", "W2")
    officer = member("officer@example.org", "W3", is_superuser=True, is_staff=True)
    motion = services.create_draft("motion", proposer, title="Votes for Life", text="<p>Now.</p>",
                                   seconder_emails=["seconder@example.org"])
    services.confirm_seconding(motion, seconder)
    services.submit_item(motion, proposer)
    for n in range(FOLLOWERS):
        notification_services.follow(member(f"follower{n}@example.org", f"F{n}"), motion)
    services.record_decision(motion, "carried", officer, votes_for=12, votes_against=3)
    print(json.dumps({"expected": FOLLOWERS + 2, "reference": motion.reference,
                      "next_stage": motion.current_stage.name}))


if __name__ == "__main__":
    import django

    django.setup()
    build()
