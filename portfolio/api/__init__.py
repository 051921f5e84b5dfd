"""The JSON API under /api/v1: personal access tokens, the same policy and validation as the
pages, errors as RFC 9457 problem details, and an OpenAPI 3.1 document built from the code."""
