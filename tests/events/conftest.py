from tests.hardening.conftest import branches  # noqa: F401
from tests.notifications.conftest import on_commit_runs_when_the_services_transaction_closes  # noqa: F401
from tests.workflows.conftest import make_member, people  # noqa: F401
