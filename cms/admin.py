"""Django's own admin (/django-admin/: the task queue's records, and nothing officers need) is
for superusers only; officers work in the Wagtail admin. It signs in through the site's sign-in
(cms/urls.py), so lockout, codes and two-factor apply to it too."""

from django.contrib import admin


def superusers_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only
