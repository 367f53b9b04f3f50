"""Public URLs of the workflows app (members' drafts, meeting screens)."""

from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
]
