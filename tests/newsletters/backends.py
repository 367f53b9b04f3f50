"""A provider for the tests and the benchmark: anymail's test backend (batch sending with merge
data, like a real ESP) that refuses more than 100 recipients per request, counts its requests, and
can be down."""

from anymail.backends.test import EmailBackend
from anymail.exceptions import AnymailAPIError

MAX_RECIPIENTS = 100


class BatchProviderBackend(EmailBackend):
    requests = 0
    recipients = 0
    down = False

    @classmethod
    def reset(cls, down=False):
        cls.requests, cls.recipients, cls.down = 0, 0, down

    def post_to_esp(self, payload, message):
        if BatchProviderBackend.down:
            raise AnymailAPIError("The provider answered 503 Service Unavailable")
        if len(payload.recipient_emails) > MAX_RECIPIENTS:
            raise AnymailAPIError(f"At most {MAX_RECIPIENTS} recipients per request")
        BatchProviderBackend.requests += 1
        BatchProviderBackend.recipients += len(payload.recipient_emails)
        return super().post_to_esp(payload, message)
