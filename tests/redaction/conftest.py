"""The cannulation-ready department of the sign-off tests, shared here."""

from tests.signoff.conftest import department  # noqa: F401 - a fixture, used by name
