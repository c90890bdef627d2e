"""The ceiling of the fan-out benchmark: aiohttp alone, in a process of its own (as the embedded
engine is one process), sending the engine's requests to the same loopback receiver.

Each request is what the webhook channel sends one subscriber: the same JSON body (read from
--body-file, the engine's own rendering of the alert), `webhook-id` (an idempotency key of the
engine's shape) and `webhook-timestamp` made per request, and no `webhook-signature`: a public
subscriber holds no secret, so the engine signs only partners' requests (`--signed` adds a
Standard Webhooks signature made per request, as a partner's). 256 in flight over one pooled
session, the garbage collector tuned as the dispatcher tunes its own process (`tune_gc`).
Nothing is read from or written to a database. Prints `ceiling_per_s=` and
`ceiling_cpu_per_s=` (requests per CPU second of this process).

    .venv/bin/python bench/aiohttp_ceiling.py --port 8080 --count 100000 --body-file body.json
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from standardwebhooks.webhooks import Webhook

from bluealert.dispatch.engine import tune_gc

SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtMTIzNDU2Nzg5MA=="
KEY = "0b9e1f5c-6a43-4f0e-9d55-2c1d7f8e4a10.1.publish.s{n}.webhook"  # the engine's key shape


async def send_all(
    port: int, count: int, text: str, *, signed: bool = False, in_flight: int = 256
) -> float:
    """Requests per second sending `count` POSTs of `text`."""
    signer = Webhook(SECRET)
    data = text.encode()
    connector = aiohttp.TCPConnector(limit=in_flight)
    async with aiohttp.ClientSession(connector=connector) as session:
        semaphore = asyncio.Semaphore(in_flight)

        async def one(n: int) -> None:
            key, now = KEY.format(n=n), datetime.now(UTC)
            headers = {"content-type": "application/json", "webhook-id": key,
                       "webhook-timestamp": str(int(now.timestamp()))}  # fmt: skip
            if signed:
                headers["webhook-signature"] = signer.sign(key, now, text)
            async with (
                semaphore,
                session.post(f"http://127.0.0.1:{port}/hook/{n}", data=data, headers=headers) as r,
            ):
                await r.read()

        start = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(count)))
        return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--body-file", type=Path, required=True)
    parser.add_argument("--signed", action="store_true", help="sign each request (a partner's)")
    args = parser.parse_args()
    tune_gc()  # the collector tuned as the dispatcher tunes it: like for like
    cpu = time.process_time()
    text = args.body_file.read_text()
    rate = asyncio.run(send_all(args.port, args.count, text, signed=args.signed))
    print(f"ceiling_per_s={rate:.3f}")
    print(f"ceiling_cpu_per_s={args.count / (time.process_time() - cpu):.3f}")


if __name__ == "__main__":
    main()
