"""The bottom layer: pieces every feature shares and that know no feature.

The database base and column types, the clock, field errors, account and job roles, the
patient-identifier guard, the safe CSV writer, and small process and form helpers. Nothing
here imports a module of `portfolio` outside `portfolio.core` (see docs/architecture/layers.md).
"""
