"""Tasks run by the django-q2 worker."""

from . import reminders


def send_event_reminders():
    """Scheduled every 15 minutes."""
    return reminders.send_reminders()
