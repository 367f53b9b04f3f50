"""manage.py erase_member EMAIL --yes: the membership officer carries out an erasure request."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.privacy import erase_member


class Command(BaseCommand):
    help = "Erase a member's personal details, keeping the democratic record (see cms/privacy.py)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")

    def handle(self, *args, email, yes, **options):
        member = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if member is None:
            raise CommandError(f"No member has the email {email}.")
        if not yes:
            raise CommandError("Erasure cannot be undone: run again with --yes to confirm.")
        erase_member(member)
        self.stdout.write(f"Erased member #{member.pk} (now “Former member”).")
