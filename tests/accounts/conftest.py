"""The real SMTP server on 127.0.0.1 that the notices' tests read emails from."""

from tests.notices.conftest import mail, smtp_server  # noqa: F401 - fixtures, used by name
