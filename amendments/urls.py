from django.urls import path

from . import views

app_name = "amendments"

urlpatterns = [
    path("<str:reference>/amend/", views.table, name="table"),
    path("<str:reference>/amendments/<str:amendment_reference>/accept/", views.accept, name="accept"),
]
