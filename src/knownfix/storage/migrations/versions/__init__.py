"""Migration scripts: ``NNNN_name.py``, each revising the one before (linear history)."""
