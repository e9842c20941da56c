"""`python -m generator` is the `oagen` command."""

from .cli import run

run()
