"""Moved to icevidence.present.figures; this module re-exports it until the lead's merge removes it."""
from .present.figures import *  # noqa: F401,F403
