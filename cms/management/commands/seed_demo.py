"""python manage.py seed_demo: demo data for every part of the site. Idempotent."""

from importlib import import_module, util

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that has demo data has a `demo` module with `seed(stdout)`; order matters
# (branches and accounts first, then what points at them).
DEMO_MODULES = ["cms.demo", "campaigns.demo", "steering_groups.demo", "workflows.demo", "elections.demo",
                "newsletters.demo", "events.demo", "participation.demo"]


class Command(BaseCommand):
    help = "Load the demo data (regions, branches, accounts, campaigns, items, meetings, elections). Idempotent."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            if util.find_spec(name) is None:
                continue
            with transaction.atomic():
                import_module(name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo account's password is “demo”."))
