"""Hostile-spec tests: spec text must reach generated code only as literals or docstrings."""
