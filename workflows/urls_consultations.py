"""Public URLs of the NPF consultations (/consultations/)."""

from django.urls import path

from . import views_consultations

app_name = "consultations"

urlpatterns = [
    path("consultations/", views_consultations.consultation_index, name="index"),
    path("consultations/<slug:slug>/", views_consultations.consultation_detail, name="detail"),
]
