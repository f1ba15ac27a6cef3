"""The load generator of ``service_load.py``: posts over keep-alive HTTP/1.1 connections.

It shares the machine's cores with the service it measures, so it is lean (asyncio streams,
the requests' bytes built by hand); httpx's client is kept to show what a heavier one costs.
"""

from __future__ import annotations

import asyncio
import time
import uuid


async def post_all(url: str, token: str, bodies: list[tuple[str, bytes]],
                   concurrency: int) -> tuple[float, float, list[float], int]:
    """Post every body over ``concurrency`` keep-alive HTTP/1.1 connections; (first post,
    last answer, latencies, refused).

    The generator shares the cores with the service, so it is lean: asyncio streams and each
    request's bytes built by hand (httpx's client cost ~4 ms of CPU per 26 KB post here, more
    than the API's whole accept). The answer is read by its status line and Content-Length.
    """
    host, _, port = url.removeprefix("http://").partition(":")
    latencies: list[float] = []
    refused = 0
    queue = list(reversed(bodies))
    fixed = (f"POST /api/v1/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
             "Content-Type: text/plain\r\nContent-Encoding: gzip\r\n"
             f"Authorization: Bearer {token}\r\n").encode("ascii")

    async def sender() -> None:
        nonlocal refused
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while queue:
                source, body = queue.pop()
                head = (f"X-Knownfix-Source: {source}\r\nIdempotency-Key: {uuid.uuid4().hex}"
                        f"\r\nContent-Length: {len(body)}\r\n\r\n").encode("ascii")
                started = time.perf_counter()
                writer.writelines((fixed, head, body))
                status, length, close = await read_answer(reader)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if status != 202:
                    refused += 1
                if close:
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
        finally:
            writer.close()

    first = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(concurrency)))
    return first, time.perf_counter(), latencies, refused


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """An HTTP/1.1 answer's status, Content-Length and whether the server closes."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    return status, length, close


async def post_all_httpx(url: str, token: str, bodies: list[tuple[str, bytes]],
                   concurrency: int) -> tuple[float, float, list[float], int]:
    """As :func:`post_all`, through httpx's client (the generator before 2026-12-08)."""
    import httpx

    latencies: list[float] = []
    refused = 0
    queue = list(reversed(bodies))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        async def sender() -> None:
            nonlocal refused
            while queue:
                source, body = queue.pop()
                headers = {"Content-Type": "text/plain", "Content-Encoding": "gzip",
                           "Authorization": f"Bearer {token}", "X-Knownfix-Source": source,
                           "Idempotency-Key": uuid.uuid4().hex}
                started = time.perf_counter()
                answer = await client.post(f"{url}/api/v1/events", content=body, headers=headers)
                latencies.append(time.perf_counter() - started)
                if answer.status_code != 202:
                    refused += 1

        first = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        return first, time.perf_counter(), latencies, refused
