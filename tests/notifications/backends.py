"""An email backend like a provider that is down for its first three calls, then recovers."""

from anymail.exceptions import AnymailAPIError
from django.core.mail.backends.base import BaseEmailBackend


class FlakyProviderBackend(BaseEmailBackend):
    failures_left = 3
    delivered = []

    @classmethod
    def reset(cls, failures=3):
        cls.failures_left = failures
        cls.delivered = []

    def send_messages(self, messages):
        if FlakyProviderBackend.failures_left > 0:
            FlakyProviderBackend.failures_left -= 1
            raise AnymailAPIError("The provider answered 503 Service Unavailable")
        FlakyProviderBackend.delivered.extend(messages)
        return len(messages)
