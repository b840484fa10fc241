"""Moved to icevidence.present.drilldown; this module re-exports it until the lead's merge removes it."""
from .present.drilldown import *  # noqa: F401,F403
