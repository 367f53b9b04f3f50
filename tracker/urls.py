"""/motions/: the public tracker, its feeds, following and email preferences (namespace "tracker").
Included from cms/urls.py before the Wagtail catch-all."""

from django.urls import include, path

from . import feeds, views

app_name = "tracker"

urlpatterns = [
    path("", views.motion_list, name="list"),
    path("feeds/decisions/", feeds.DecisionsFeed(), name="feed_all"),
    path("feeds/branches/<slug:slug>/", feeds.BranchDecisionsFeed(), name="feed_branch"),
    path("meetings.ics", views.meetings_calendar, name="meetings_ics"),
    # follow/, notifications/, unsubscribe/<token>/: the notifications app's views, in this namespace.
    path("", include("notifications.urls")),
    path("<str:reference>/feed/", feeds.ItemDecisionsFeed(), name="feed_item"),
    path("<str:reference>/", views.motion_detail, name="detail"),
]
