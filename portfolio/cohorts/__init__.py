"""Cohort exports: every portfolio of a department, post or job role as one ZIP of PDFs with
a CSV index, prepared by the job consumer one portfolio at a time while the educator watches
a progress bar."""
