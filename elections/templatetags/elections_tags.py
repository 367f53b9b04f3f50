"""Template helpers of elections: UK time for party deadlines."""

from fractions import Fraction

from django import template

from ..count import fraction_to_text
from ..nominations import word_count
from ..services import uk_time

register = template.Library()


@register.filter
def uk(moment):
    """Show a stored (UTC) moment in UK time, e.g. “13 Mar 2023 23:59 GMT”."""
    return uk_time(moment) if moment else ""


@register.filter
def statement_words(text):
    """A statement's words as the 200-word rule counts them (nominations.word_count)."""
    return word_count(text or "")


@register.filter
def weight(value):
    """A quota weight as people say it: 3, 1/2, 3 1/2 (stored as 3.5)."""
    if value is None or value == "":
        return ""
    return fraction_to_text(Fraction(value).limit_denominator(2))
