"""Newsletters' part of a member's download and erasure (cms.privacy): the kinds they opted out of.
The newsletters emailed to them are outbox emails (notifications' part)."""

from cms.privacy import iso, member_data_section, on_erasure

from .models import NewsletterOptOut


@member_data_section("newsletter_opt_outs")
def newsletter_opt_outs(member):
    return [{"kind": o.kind, "since": iso(o.created_at)} for o in NewsletterOptOut.objects.filter(member=member)]


@on_erasure
def erase_opt_outs(member, email):
    NewsletterOptOut.objects.filter(member=member).delete()
