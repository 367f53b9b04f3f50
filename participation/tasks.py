"""Scheduled every five minutes (django-q2): close the ballots whose window has ended (each records
its decision) and send the reminders due a day before a close."""

from . import emails, services


def close_ballots_and_remind():
    closed = services.close_due_ballots()
    reminded = emails.send_reminders()
    return {"closed": len(closed), "reminders": reminded}
