"""Moved to icevidence.present.tables; this module re-exports it until the lead's merge removes it."""
from .present.tables import *  # noqa: F401,F403
