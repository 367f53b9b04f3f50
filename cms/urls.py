import re

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import django_admin_sign_in

from .api import api_router
from .health import livez
from .media_views import media_file
from .views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    # The Wagtail admin and Django's admin sign in through the site's allauth sign-in (lockout, codes, 2FA).
    path("admin/login/", allauth_views.LoginView.as_view(success_url="/admin/")),
    path("django-admin/login/", django_admin_sign_in),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/invitation/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("motions/", include("amendments.urls")),
    path("motions/", include("tracker.urls")),
    path("account/", include("cms.privacy_urls")),
    path("newsletters/", include("newsletters.urls")),
    path("events/", include("events.urls")),
    path("", include("participation.urls")),
    path("", include("cms.site_urls")),
    path("", include("workflows.urls")),
    path("", include("consultations.urls")),
    path("", include("steering_groups.urls")),
    path("", include("elections.urls")),
    path("", include("campaigns.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Uploaded images in every setting, production included, to those who may see them (cms/media_views.py).
urlpatterns += [re_path(r"^" + re.escape(settings.MEDIA_URL.lstrip("/")) + r"(?P<path>.+)$", media_file, name="media_file")]

# Anything not caught above is a Wagtail page.
urlpatterns += [path("", include(wagtail_urls))]
