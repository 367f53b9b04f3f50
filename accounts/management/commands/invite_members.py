"""python manage.py invite_members [--branch SLUG] [--not-yet-invited]: invite members to sign in."""

from django.core.management.base import BaseCommand, CommandError

from accounts import invitations
from cms.models import BranchPage


class Command(BaseCommand):
    help = ("Email members a link that signs them in once (through the outbox: retried until sent, never "
            "twice while one is on its way). Without options: every active member with an email.")

    def add_arguments(self, parser):
        parser.add_argument("--branch", metavar="SLUG", help="only the members of this branch, e.g. paris")
        parser.add_argument("--not-yet-invited", action="store_true", help="only members never invited before")

    def handle(self, *args, branch=None, not_yet_invited=False, **options):
        branch_page = None
        if branch:
            branch_page = BranchPage.objects.filter(slug=branch).first()
            if branch_page is None:
                known = ", ".join(BranchPage.objects.order_by("slug").values_list("slug", flat=True)) or "none"
                raise CommandError(f"There is no branch “{branch}”. Branches: {known}.")
        members = invitations.invitable_members(branch=branch_page, not_yet_invited=not_yet_invited)
        run = invitations.invite(members)
        self.stdout.write(run.summary())
        for member in run.invited[:20]:
            self.stdout.write(f"  invited {member.email}")
        if len(run.invited) > 20:
            self.stdout.write(f"  … and {len(run.invited) - 20} more")
