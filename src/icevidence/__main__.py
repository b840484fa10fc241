"""`python -m icevidence` runs the command line."""
import sys

from .build.cli import main

sys.exit(main())
