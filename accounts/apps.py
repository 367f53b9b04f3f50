from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in: invitations, the two-factor rule for admin access, login throttling."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Sign-in"

    def ready(self):
        from notifications import emails

        from . import invitations, privacy, receivers  # noqa: F401 (its part of erasures; signal receivers)

        emails.register_send_time_link(invitations.OUTBOX_KIND, invitations.sign_in_link_for_email)
