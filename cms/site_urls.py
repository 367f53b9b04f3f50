"""Public URLs of the site app that are not Wagtail pages (login, feeds…)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="cms/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("branches/<slug:slug>/events.ics", views.branch_events_feed, name="branch_events_feed"),
]
