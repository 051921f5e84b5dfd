"""What happens to an account that other features react to (connected in `portfolio.wiring`)."""

from __future__ import annotations

from blinker import Signal

credentials_reset = Signal(
    """Sent with the `User` whose password changed or was reset, or whose sessions were all
    ended, with `auditor=`, `now=` and `because=` (the audit event): whoever held the account
    must be shut out everywhere, API tokens included."""
)
