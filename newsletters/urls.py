"""/newsletters/: the archives of sent newsletters and the member's choice of kinds."""

from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("branches/<slug:slug>/", views.branch_archive, name="branch_archive"),
    path("campaigns/<slug:slug>/", views.campaign_archive, name="campaign_archive"),
    path("preferences/", views.choose_kinds, name="preferences"),
    path("<int:pk>/", views.detail, name="detail"),
]
