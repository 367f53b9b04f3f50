"""Scheduled every five minutes (django-q2): close the ballots whose window has ended (each records
its decision), send the reminders due a day before a close, and any receipt a lost batch left
behind."""

from . import emails, services


def close_ballots_and_remind():
    closed = services.close_due_ballots()
    reminded = emails.send_reminders()
    receipts = emails.send_missing_receipts()
    return {"closed": len(closed), "reminders": reminded, "receipts": receipts}
