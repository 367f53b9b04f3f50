"""Public URLs of the workflows app."""

urlpatterns = []
