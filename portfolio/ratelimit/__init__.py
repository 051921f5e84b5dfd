"""One rate limiter for the per-address (and per-email) throttles, on the `limits` library:
on Redis when configured, otherwise on the database's `rate_limit_hits` table. See
`limiter` for the throttles and how counts are kept, `storage` for the table's storage."""
