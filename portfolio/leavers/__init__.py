"""Leavers and movers: a leaver's account archived (never deleted), the list of people who
have left, a person's complete export (their own download, and a subject access request),
and bringing such an export into another organisation."""
