"""What happens to a person that other features react to (connected in `portfolio.wiring`)."""

from __future__ import annotations

from blinker import Signal

person_deactivated = Signal(
    """Sent with the deactivated `User`, `auditor=` and `on=` (the date), after their
    supervision has ended and inside the same unit of work."""
)
