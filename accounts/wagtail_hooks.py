"""Admin URL of the membership officer's invitation run (its button is on the membership list)."""

from django.urls import path
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_invitation_urls():
    return [path("membership-invitations/", views.invite_members, name="membership_invite")]
