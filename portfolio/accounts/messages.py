"""What the emails carrying a link to set a password say (pure).

They hold the link and how long it works, the address that signs in and the organisation:
never a password (nobody ever emails one), and nothing about anyone's portfolio.
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.accounts.models import LinkPurpose


@dataclass(frozen=True)
class LinkEmailFacts:
    purpose: LinkPurpose
    recipient: str  # first name
    email: str  # the address they sign in with
    organisation: str
    link: str  # absolute
    valid_for: str  # "14 days", "60 minutes"
    expires: str  # "17 March 2026 at 2:05pm" (UK time)
    forgotten_link: str  # absolute: where to ask for a new link


def compose_link_email(facts: LinkEmailFacts) -> tuple[str, str]:
    """The subject and plain-text body."""
    if facts.purpose is LinkPurpose.INVITATION:
        subject = "Set your password for the imaging support portfolio"
        opening = (
            f"{facts.organisation} has added you to the imaging support portfolio, where you "
            "keep your competencies, evidence and sign-offs. Choose your password here:"
        )
        ignore = (
            "If you were not expecting this, ask your department's portfolio administrator "
            "before using the link."
        )
    else:
        subject = "Reset your password for the imaging support portfolio"
        opening = (
            "Someone, hopefully you, asked to reset the password for your account. Choose a "
            "new password here:"
        )
        ignore = (
            "If you did not ask, you can ignore this email: your password has not changed, "
            "and the link stops working by itself."
        )
    body = "\n".join(
        [
            f"Hello {facts.recipient},",
            "",
            opening,
            "",
            facts.link,
            "",
            f"The link works once, for {facts.valid_for} (until {facts.expires}, UK time). "
            f"You sign in with this email address: {facts.email}",
            "",
            ignore,
            "",
            f"If the link has expired, ask for a new one at {facts.forgotten_link}",
            "",
            "This is an automatic email: replies are not read.",
            "",
        ]
    )
    return subject, body
