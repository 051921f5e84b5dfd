"""Who is where in the reckoner's department (built by the `shift` fixture of
tests/reckoner/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.people.models import Department, Organisation, User
from portfolio.signoff.models import SignOffDecision


@dataclass
class Shift:
    """Who is where: `mri` holds one worker in each state; `ct` is another department."""

    org: Organisation
    mri: Department
    ct: Department
    radiographer: User
    nurse: User
    educator: User
    ready: User  # signed off, countersigned: may, indirect supervision, adults only
    awaiting: User  # signed off, not countersigned
    suspended: User  # signed off, countersigned, suspended from today
    expired: User  # transcribed sign-off observed 400 days ago
    out_of_scope: User  # a CSW with a transcribed cannulation sign-off
    learning: User  # evidence logged only
    elsewhere: User  # a senior CSW in CT, signed off
    sign_off: SignOffDecision  # ready's
