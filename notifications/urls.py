"""Following, email preferences and the one-click unsubscribe. Mounted by the public tracker under
/motions/ in its namespace (tracker.urls): tracker:follow, tracker:preferences,
tracker:unsubscribe. No app_name of its own, so the names stay those of that namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("follow/", views.follow_toggle, name="follow"),
    path("notifications/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
