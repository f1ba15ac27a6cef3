"""Storage adapter: SQLAlchemy tables, Alembic migrations, the repository and the search index.

Open it with :func:`knownfix.storage.repository.open_store`; nothing here runs at import time.
"""
