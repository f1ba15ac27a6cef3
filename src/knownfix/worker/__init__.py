"""Analysis workers: an in-process thread for the embedded mode (:mod:`.embedded`), Celery
over Redis for the distributed one (:mod:`.celery_app`). Both call
:func:`knownfix.services.analysis.analyse_event` and nothing else."""
