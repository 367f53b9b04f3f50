"""Template access to the accounts policy (accounts/policies.py), so no template writes the rule again."""

from django import template

from accounts import policies

register = template.Library()


@register.filter
def has_admin_access(user):
    return policies.has_admin_access(user)
