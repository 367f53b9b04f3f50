"""/motions/: the public tracker, its feeds, following and email preferences (namespace "tracker").
Included from cms/urls.py before the Wagtail catch-all."""

from django.urls import path

from notifications import views as notification_views

from . import feeds, views_tracker

app_name = "tracker"

urlpatterns = [
    path("", views_tracker.motion_list, name="list"),
    path("feeds/decisions/", feeds.DecisionsFeed(), name="feed_all"),
    path("feeds/branches/<slug:slug>/", feeds.BranchDecisionsFeed(), name="feed_branch"),
    path("meetings.ics", views_tracker.meetings_calendar, name="meetings_ics"),
    path("follow/", notification_views.follow_toggle, name="follow"),
    path("notifications/", notification_views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
    path("<str:reference>/feed/", feeds.ItemDecisionsFeed(), name="feed_item"),
    path("<str:reference>/", views_tracker.motion_detail, name="detail"),
]
