"""Use cases over the core and the adapters, one module per area (``knowledge`` …).

A service takes plain arguments and a store, does the I/O around a pure core step, and raises
:mod:`knownfix.errors`; the CLI and the web layer call services and only render.
"""
