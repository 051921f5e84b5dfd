"""What happens to a sign-off that other features react to (connected in `portfolio.wiring`)."""

from __future__ import annotations

from blinker import Signal

request_made = Signal("""Sent with the new `SignOffRequest` and `session=`, once it is flushed.""")

decision_recorded = Signal(
    """Sent with the new `SignOffDecision` and `session=`, once it is flushed."""
)

sign_off_disputed = Signal(
    """Sent with the disputed `SignOffDecision` and `session=`, once it is suspended."""
)
