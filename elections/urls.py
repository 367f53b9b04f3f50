"""Public URLs of the elections app, all under /elections/."""

from django.urls import path

from . import views, views_nominations

app_name = "elections"

urlpatterns = [
    path("elections/", views.election_list, name="list"),
    path("elections/new/", views.new_election, name="new"),
    path("elections/<slug:slug>/", views.election_detail, name="detail"),
    path("elections/<slug:slug>/nominate/", views.nominate, name="nominate"),
    path("elections/<slug:slug>/nominations/<int:pk>/withdraw/", views_nominations.withdraw, name="withdraw"),
    path("elections/<slug:slug>/withdrawals/<int:pk>/", views_nominations.withdrawal, name="withdrawal"),
    path("elections/<slug:slug>/confirm/<str:token>/", views_nominations.consent, name="consent"),
    path("elections/<slug:slug>/choose-post/", views_nominations.choose_post, name="choose_post"),
    path("elections/<slug:slug>/vote/", views.vote, name="vote"),
    path("elections/<slug:slug>/receipt/", views.receipt_check, name="receipt"),
    path("elections/<slug:slug>/results/", views.results, name="results"),
    path("elections/<slug:slug>/manage/", views.manage, name="manage"),
    path("elections/<slug:slug>/nominations/<int:pk>/invalid/", views.rule_invalid, name="rule_invalid"),
    path("elections/<slug:slug>/close-nominations/", views.close_nominations, name="close_nominations"),
    path("elections/<slug:slug>/count/", views.count, name="count"),
    path("elections/<slug:slug>/import/", views.import_ballots, name="import"),
    path("elections/<slug:slug>/extend-ballot/", views.extend_ballot, name="extend_ballot"),
    path("elections/<slug:slug>/adjustments/<int:pk>/decide/", views.decide_adjustment, name="decide"),
    path("elections/<slug:slug>/publish/", views.publish, name="publish"),
]
