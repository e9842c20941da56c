"""The real-spec corpus: `make corpus` (all of it) and a slice in `make test`."""
