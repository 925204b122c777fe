"""The load generator of the service benchmark, run as its own process (``python -m``).

It sends order checks open-loop: request ``i`` is due at ``start + i / rate`` whether or not
earlier answers came back, so a slow server shows up as latency instead of as a lower rate. A
pool of ``CONNECTIONS`` keep-alive HTTP/1.1 connections takes the due requests from one queue.
Each latency runs from the moment the request was due to the end of its answer, so the time a
request waited for a free connection counts too.

The HTTP is written by hand on asyncio streams: a client library's connection pool added more
delay than the server under test on a 2-core machine.

Usage: ``python -m receivables.service.load URL TOKEN CODES_FILE RATE SECONDS WARMUP_SECONDS``;
prints one JSON object: ``latencies_ms`` (of the measured requests answered 200), ``errors``,
``sent``, ``seconds``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

CONNECTIONS = 32
PATH = "/api/credit/order-checks"


def _request(host: str, token: str, code: str) -> bytes:
    body = json.dumps({"customer": code, "amount": "1000.00"}).encode()
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one response; return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    await reader.readexactly(length)
    return status


async def _connection(
    host: str, port: int, queue: asyncio.Queue[tuple[bytes, float, list[tuple[float, int]]] | None]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    while (item := await queue.get()) is not None:
        request, due, results = item
        try:
            writer.write(request)
            await writer.drain()
            status = await _answer(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            status = 0
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
        results.append(((time.perf_counter() - due) * 1000, status))
    writer.close()


async def drive(
    base: str, token: str, codes: list[str], rate: float, seconds: float, warmup: float
) -> dict[str, object]:
    """Send ``rate`` order checks a second for ``warmup + seconds``; measure the last ``seconds``."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    queue: asyncio.Queue[tuple[bytes, float, list[tuple[float, int]]] | None] = asyncio.Queue()
    workers = [asyncio.create_task(_connection(host, port, queue)) for _ in range(CONNECTIONS)]
    warm: list[tuple[float, int]] = []
    measured: list[tuple[float, int]] = []
    total = int((warmup + seconds) * rate)
    skipped = int(warmup * rate)
    start = time.perf_counter() + 0.2
    for index in range(total):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        request = _request(f"{host}:{port}", token, codes[index % len(codes)])
        queue.put_nowait((request, due, warm if index < skipped else measured))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    return {
        "latencies_ms": [latency for latency, status in measured if status == 200],
        "errors": sum(1 for _, status in measured if status != 200),
        "sent": len(measured),
        "seconds": elapsed - warmup,
    }


def main(arguments: list[str]) -> None:
    base, token, codes_file, rate, seconds, warmup = arguments
    codes = Path(codes_file).read_text(encoding="utf-8").split()
    result = asyncio.run(drive(base, token, codes, float(rate), float(seconds), float(warmup)))
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
