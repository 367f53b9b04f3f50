from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Follows, notification preferences, the email outbox and its delivery by the worker."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import receivers  # noqa: F401
