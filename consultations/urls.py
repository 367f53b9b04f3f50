"""Public URLs of the NPF consultations (/consultations/)."""

from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.consultation_index, name="index"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="detail"),
]
