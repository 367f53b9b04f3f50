from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("meetings/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("votes/<int:pk>/", views.vote, name="vote"),
    path("votes/<int:pk>/receipt/", views.check_receipt, name="check_receipt"),
]
