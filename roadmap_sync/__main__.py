"""``python -m roadmap_sync``."""

import sys

from .cli.app import main

sys.exit(main())
