"""django-q2 task entry points of the exports (called by name by `async_task`)."""

from .services import run_export_job


def run_export_job_task(job_id):
    """Run one export job in the worker."""
    run_export_job(job_id)
