"""django-allauth's adapter for this site: no self sign-up (members come from the membership list
and are invited), and the sign-in page after a lockout is the site's own."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Accounts are made by the membership import; members are invited (accounts.invitations)."""
        return False
