"""`make bench`: oagen against openapi-python-client on large specs (see bench.py)."""
