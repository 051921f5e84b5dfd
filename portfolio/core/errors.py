"""One shape for "this input cannot be saved": which field, and a message for the person.

Every service raises a subclass; views attach it to the field (`web.field_error`) so the
form re-renders with its error summary, and the API will turn the same errors into problem
details by field.
"""

from __future__ import annotations


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class MultipleFieldError(FieldError):
    """Every problem found with one input at once, each on its field. `identifiers` carries
    possible patient identifiers found in its text as well (`core.identifiers`), if any."""

    def __init__(self, errors: list[FieldError], identifiers: Exception | None = None) -> None:
        super().__init__(errors[0].field, errors[0].message)
        self.errors = errors
        self.identifiers = identifiers
