"""Feature tests: one inline spec per feature, checked in the IR and on the wire."""
