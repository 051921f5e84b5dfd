"""The employer's practice records the standing engine reads (`portfolio.standing`): IR(ME)R
operator entitlements, MR designations, preceptorship periods and sites.

Each is recorded apart from competence: being signed off is not being entitled. Entitlements
and designations are versioned (a grant, review or withdrawal adds a version; nothing is
overwritten) and every change is audited. The writes are in files named for what they record
(`authorities`, `entitlements`, `designations`, `preceptorships`, `sites`); each flushes and
never commits. `queries.facts_for` builds the engine's facts for many people in a fixed number
of statements. See docs/domain/practice.md.
"""
