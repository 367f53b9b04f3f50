"""Let the tasks a stopped worker had taken run again at once (the database broker only).

django-q2's database broker locks a task when a worker takes it and deletes it only once it is
done; a task the worker held when it was stopped (or killed) waits until its lock expires
(Q_CLUSTER "retry", minutes). `make run` (scripts/run.sh) calls this before starting its one
worker, so nothing queued is lost or delayed by a restart. Never run it while another worker
serves the same database: that worker's tasks would run twice.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django_q.models import OrmQ


class Command(BaseCommand):
    help = "Release the locks of queued tasks a stopped worker held (database broker, single worker only)."

    def handle(self, *args, **options):
        if "orm" not in settings.Q_CLUSTER:
            self.stdout.write("The task queue is not in the database: nothing to release.")
            return
        released = OrmQ.objects.using(settings.Q_CLUSTER["orm"]).filter(lock__gt=timezone.now()).update(
            lock=timezone.now()
        )
        if released:
            self.stdout.write(f"{released} task{pluralize(released)} left by the last worker will run now.")
