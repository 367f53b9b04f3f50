from ..workflows.conftest import branches, consultation, people, submitted_motion  # noqa: F401 (fixtures)
