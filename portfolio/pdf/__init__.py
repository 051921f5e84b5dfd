"""Printable portfolio PDFs that anyone can verify.

`queries` reads a worker's portfolio as plain data (`document`), `render` turns it into a PDF
with WeasyPrint through a fetcher that serves only the app's own assets (`fetcher`),
`sandbox` runs that render in a child process with a time and memory limit, and `services`
records each export with its unguessable verification code and the hash of its bytes, which
the public verify pages (`views`) check.
"""
