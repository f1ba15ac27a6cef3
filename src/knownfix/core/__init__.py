"""Pure domain logic of knownfix: no I/O, no adapters (storage, web, CLI, worker, shell).

A test asserts that importing any ``knownfix.core`` module loads none of SQLAlchemy, FastAPI,
Typer, Celery, redis or subprocess.
"""
