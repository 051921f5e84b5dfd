"""Backup and restore: the database and the attachment store as one consistent archive.

`rows.py` turns table rows into JSON and back without losing a type; `archive.py` writes and
checks the archive (manifest, checksums, signature); `services.py` reads every table in one
snapshot and restores all or nothing. The command line is `flask --app portfolio backup` and
`restore` (`portfolio/cli.py`).
"""
