"""Publishing ``knownfix.analyse_event`` tasks with one Redis ``LPUSH`` each.

The API publishes one task per accepted event. Celery's ``send_task`` spent ~0.85 ms of CPU on
it (routing, signals, reprs, kombu's producer pool and channel, an exchange lookup in Redis):
about a quarter of all the API's CPU per accepted event. The message itself is small and fixed
by Celery's task protocol 2 over kombu's Redis transport — the JSON object that transport keeps
in the queue's list — so it is built here and pushed to the same list a worker reads
(``<prefix>events``: priority 0, the default exchange, routing key the queue's name).
``tests/test_service_distributed.py`` checks the message against one published by Celery
itself, and real Celery workers consume it there.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from celery import Celery
    from redis import Redis

_EMBED = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}


class TaskPublisher:
    """Pushes ``task_name(argument)`` messages onto the Redis list ``queue_key``."""

    def __init__(self, app: Celery, client: Redis, *, task_name: str, queue: str,
                 queue_key: str) -> None:
        from celery.utils.nodenames import anon_nodename

        self.client = client
        self.task_name = task_name
        self.queue = queue
        self.queue_key = queue_key
        self.origin = anon_nodename()
        self.reply_to = app.thread_oid

    def message(self, argument: str, task_id: str | None = None) -> str:
        """The JSON text kombu's Redis transport stores for ``send_task(name, [argument])``."""
        task_id = task_id or str(uuid.uuid4())
        body = json.dumps([[argument], {}, _EMBED])
        return json.dumps({
            "body": base64.b64encode(body.encode("utf-8")).decode("ascii"),
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": {
                "lang": "py", "task": self.task_name, "id": task_id, "shadow": None,
                "eta": None, "expires": None, "group": None, "group_index": None,
                "retries": 0, "timelimit": [None, None], "root_id": task_id,
                "parent_id": None, "argsrepr": repr([argument]), "kwargsrepr": "{}",
                "origin": self.origin, "ignore_result": None, "replaced_task_nesting": 0,
                "stamped_headers": None, "stamps": {},
            },
            "properties": {
                "correlation_id": task_id, "reply_to": self.reply_to, "delivery_mode": 2,
                "delivery_info": {"exchange": "", "routing_key": self.queue},
                "priority": 0, "body_encoding": "base64",
                "delivery_tag": str(uuid.uuid4()),
            },
        })

    def publish(self, argument: str) -> None:
        self.client.lpush(self.queue_key, self.message(argument))

    def publish_many(self, arguments: list[str]) -> None:
        """One ``LPUSH`` of a message per argument; consumed in the order given."""
        if arguments:
            self.client.lpush(self.queue_key, *(self.message(a) for a in arguments))
