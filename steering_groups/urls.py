"""Public URLs of the steering_groups app."""

from django.urls import path

from . import views

app_name = "steering_groups"

urlpatterns = [
    path("steering-groups/", views.steering_group_list, name="list"),
    path("steering-groups/<slug:slug>/", views.steering_group_detail, name="detail"),
]
