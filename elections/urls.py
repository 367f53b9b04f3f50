"""Public URLs of the elections app."""

urlpatterns = []
