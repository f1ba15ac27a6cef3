"""Writing troubleshooting documents: knownfix's canonical format and scaffold, and ``lint``."""
