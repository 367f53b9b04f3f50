"""/account/: the member's own account (data download and erasure)."""

from django.urls import path

from . import privacy_views

app_name = "account"

urlpatterns = [
    path("", privacy_views.account, name="home"),
    path("my-data.json", privacy_views.my_data, name="my_data"),
    path("erase/", privacy_views.erase, name="erase"),
    path("time-zone/", privacy_views.time_zone, name="time_zone"),
]
