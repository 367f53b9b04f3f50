"""Tasks run by the django-q2 worker: start sending a newsletter that is due (at once after
"Send now", and every minute for scheduled ones), and send its emails in batches."""

from . import sending, services


def send_newsletter(newsletter_id):
    return services.start_sending(newsletter_id)


def send_due_newsletters():
    """Scheduled every minute: the newsletters whose UK time has come (and any a stopped worker left)."""
    return sum(services.start_sending(pk) for pk in list(services.due_newsletters()))


def send_newsletter_batch(pks):
    return sending.send_batch(pks)
