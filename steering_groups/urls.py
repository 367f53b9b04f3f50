"""Public URLs of the steering_groups app."""

urlpatterns = []
