"""`python -m oagen` is the `oagen` command."""

from .cli import run

run()
