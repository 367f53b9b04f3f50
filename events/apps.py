from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Members' answers to a branch's events (going, maybe, not going), capacity and waiting list,
    the officers' headcount, and the reminder the day before in each member's own time."""

    name = "events"
    verbose_name = "Event sign-ups"

    def ready(self):
        from cms.models import add_event_page_context
        from notifications import tokens

        from . import privacy, reminders, views  # noqa: F401 (its part of the member's download and erasure)

        add_event_page_context(views.sign_up_context)
        tokens.register_scope(reminders.SCOPE_KIND, reminders.UnsubscribeScope())
