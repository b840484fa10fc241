"""Fixtures of the security tests: a throwaway project root (see hostile.py)."""
from .hostile import project  # noqa: F401  (a fixture, found by every test module here)
