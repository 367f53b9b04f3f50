"""Liveness probe: /livez answers 200 from the application process without touching the database.

/healthz (cms.views) says whether the database answers; /livez only that a worker process
serves requests. It is also the trivial Django view the load benchmark compares pages against.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def livez(request):
    return HttpResponse("ok", content_type="text/plain")
