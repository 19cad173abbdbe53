"""Open Badges 2.0: badge classes, requests and awarded assertions."""

__all__ = []
