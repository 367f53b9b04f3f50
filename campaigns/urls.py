"""Public URLs of the campaigns app."""

urlpatterns = []
