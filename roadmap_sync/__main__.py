"""``python -m roadmap_sync``."""

import sys

from .cli import main

sys.exit(main())
