"""Public URLs of the workflows app: members' own items (drafting, seconding, submitting,
withdrawing), the seconder's confirm/decline link, and meetings. The public tracker (/motions/) is separate."""

from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("my-motions/", views.my_items, name="my_items"),
    path("my-motions/new/<str:kind>/", views.draft_new, name="draft_new"),
    path("my-motions/<int:pk>/", views.my_item, name="my_item"),
    path("my-motions/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("my-motions/<int:pk>/seconders/", views.invite_seconder, name="invite_seconder"),
    path("my-motions/<int:pk>/seconders/<int:seconding_pk>/withdraw/", views.withdraw_invitation,
         name="withdraw_invitation"),
    path("my-motions/<int:pk>/<str:action>/", views.my_item_action, name="my_item_action"),
    path("second/<str:token>/", views.seconding_link, name="seconding_link"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
]
