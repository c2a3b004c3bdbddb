"""Reporters format results; they never decide anything."""
