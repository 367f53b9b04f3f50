"""What kinds of newsletter a member receives: the section of their preferences page, and the
one-click unsubscribe of a newsletter ("newsletter:<kind>" links, notifications.tokens)."""

from django.urls import reverse

from .models import Kind, NewsletterOptOut

SCOPE_KIND = "newsletter"


def scope_of(kind):
    return f"{SCOPE_KIND}:{kind}"


def opted_out_kinds(member):
    return set(NewsletterOptOut.objects.filter(member=member).values_list("kind", flat=True))


def opt_out(member, kind):
    """`member` stops receiving newsletters of `kind` (idempotent)."""
    NewsletterOptOut.objects.bulk_create([NewsletterOptOut(member=member, kind=kind)], ignore_conflicts=True)


def opt_in(member, kind):
    NewsletterOptOut.objects.filter(member=member, kind=kind).delete()


def choose(member, kinds_wanted):
    """The member's choice on their preferences page: receive exactly `kinds_wanted`."""
    wanted = set(kinds_wanted) & set(Kind.values)
    for kind in Kind.values:
        (opt_in if kind in wanted else opt_out)(member, kind)


def preference_section(member):
    """The newsletters section of the preferences page (notifications.views.register_preference_section)."""
    out = opted_out_kinds(member)
    return "newsletters/preferences_section.html", {
        "kinds": [(value, label, value not in out) for value, label in Kind.choices],
        "action": reverse("newsletters:preferences"),
    }


class UnsubscribeScope:
    """The one-click unsubscribe of a newsletter: stops its kind (undone from the same page)."""

    def valid(self, rest):
        return rest in Kind.values

    def describe(self, member, rest):
        return Kind(rest).label[0].lower() + Kind(rest).label[1:]

    def unsubscribe(self, member, rest):
        opt_out(member, rest)

    def resubscribe(self, member, rest):
        opt_in(member, rest)
