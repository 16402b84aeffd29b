"""``python -m attendance_core.cli``."""

import sys

from attendance_core.cli import main

sys.exit(main())
