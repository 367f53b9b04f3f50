"""Public URLs of the site app that are not Wagtail pages (login, feeds…)."""

from allauth.account import views as allauth_views
from django.urls import path

from . import views

urlpatterns = [
    # Sign-in is django-allauth's (its other pages are under /accounts/); these short URLs stay.
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("branches/<slug:slug>/events.ics", views.branch_events_feed, name="branch_events_feed"),
]
