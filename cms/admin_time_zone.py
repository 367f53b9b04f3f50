"""The Wagtail admin in UK time by default.

Party deadlines are UK times, so an officer who has not chosen a time zone in their admin
account ("Account" > "Preferences") sees the admin in `ADMIN_DEFAULT_TIME_ZONE` (UK time):
a ballot closing at 23:59 BST shows as 23:59, not 22:59 UTC. Officers who chose a zone keep it.

Wagtail falls back to settings.TIME_ZONE (UTC here, which the site keeps for storage and logs);
`install()` (called from CmsConfig.ready) changes only that fallback.
"""

from django.conf import settings
from wagtail.admin import auth
from wagtail.users.models import UserProfile


def default_admin_time_zone():
    return getattr(settings, "ADMIN_DEFAULT_TIME_ZONE", None) or getattr(settings, "UK_TIME_ZONE", "Europe/London")


def install():
    def get_current_time_zone(profile):
        return profile.current_time_zone or default_admin_time_zone()

    UserProfile.get_current_time_zone = get_current_time_zone

    wagtail_localized_response = auth.get_localized_response

    def get_localized_response(view_func, request, *args, **kwargs):
        user = request.user
        if getattr(user, "is_authenticated", False) and not hasattr(user, "wagtail_userprofile"):
            # An officer with no preferences yet: an unsaved profile, so the default zone applies.
            user.wagtail_userprofile = UserProfile(user=user)
        return wagtail_localized_response(view_func, request, *args, **kwargs)

    auth.get_localized_response = get_localized_response
