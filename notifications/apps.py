from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Follows, notification preferences, the email outbox and its delivery by the worker."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import home, privacy, receivers  # noqa: F401 (its part of the member's download and erasure; receivers)

        home.register()  # what the member follows, and what changed, on their home page (cms.home)
