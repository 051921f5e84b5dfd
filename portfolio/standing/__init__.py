"""Standing: may this person do this task today, and under what supervision. Pure domain.

The entry point is `portfolio.standing.rules.standing`; its inputs are in `facts`, its answer
in `answer`. Nothing here imports Flask, SQLAlchemy or Flask-Login.
"""
