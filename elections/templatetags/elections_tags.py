"""Template helpers of elections: UK time for party deadlines."""

from django import template

from ..services import uk_time

register = template.Library()


@register.filter
def uk(moment):
    """Show a stored (UTC) moment in UK time, e.g. “13 Mar 2023 23:59 GMT”."""
    return uk_time(moment) if moment else ""
