"""Redaction: removing text that may identify a patient from a record already saved."""
