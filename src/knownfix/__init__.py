"""knownfix: remembers every failure a team already debugged, and applies what it learned."""

__version__ = "0.1.0"
