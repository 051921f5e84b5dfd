"""What happens to evidence that other features react to (connected in `portfolio.wiring`)."""

from __future__ import annotations

from blinker import Signal

procedure_logged = Signal(
    """Sent with the new `ProcedureLine` and `session=`, once it is flushed."""
)
