"""/accounts/invitation/<token>/: an invitation link (the rest of /accounts/ is django-allauth's)."""

from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", views.accept_invitation, name="accept"),
]
