"""Registrations to one occurrence of an event."""

__all__ = []
