"""Liaison: an encrypted, offline case notebook for mediators."""

__version__ = "0.1.0"
