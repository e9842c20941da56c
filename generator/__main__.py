"""`python -m generator` is the `oagen` command."""

import sys

from .cli import main

sys.exit(main())
