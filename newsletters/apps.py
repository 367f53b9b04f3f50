from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    """Newsletters officers write in the admin and send, through the outbox, to their own audience."""

    name = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from notifications import tokens
        from notifications.views import register_preference_section

        from . import preferences, privacy  # noqa: F401 (its part of the member's download and erasure)

        tokens.register_scope(preferences.SCOPE_KIND, preferences.UnsubscribeScope())
        register_preference_section(preferences.preference_section)
