"""Alembic migrations of the knownfix store, applied programmatically by ``open_store``."""
