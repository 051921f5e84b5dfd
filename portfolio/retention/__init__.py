"""Retention: which records have been kept longer than the trust's retention settings.

The list is for a person to decide on (archive, export for the leaver, or delete by hand
under the trust's records policy); nothing here deletes anything.
"""
