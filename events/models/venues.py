"""Venues: where events take place, with their accessibility."""

__all__ = []
