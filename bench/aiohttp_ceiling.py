"""The ceiling of the fan-out benchmark: aiohttp alone, in a process of its own (as the embedded
engine is one process), sending the engine's requests to the same loopback receiver.

Each request is what the webhook channel sends one subscriber: the same JSON body (read from
--body-file, the engine's own rendering of the alert), `webhook-id` (an idempotency key of the
engine's shape) and `webhook-timestamp` made per request, and `webhook-signature` made per request
as the engine signs a subscriber's: Standard Webhooks v1a, Ed25519 (`--signature v1` signs with
a shared secret instead, as for a partner; `none` leaves it out). 256 in flight over one pooled
session, the garbage collector tuned as the dispatcher tunes its own process (`tune_gc`), on
uvloop as the engine runs in `bluealert serve` (`--loop asyncio`: the standard loop).
Nothing is read from or written to a database. Prints `ceiling_per_s=` and
`ceiling_cpu_per_s=` (requests per CPU second of this process).

    .venv/bin/python bench/aiohttp_ceiling.py --port 8080 --count 100000 --body-file body.json
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from standardwebhooks.webhooks import Webhook

from bluealert.dispatch import event_loop
from bluealert.dispatch.engine import tune_gc

SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtMTIzNDU2Nzg5MA=="
KEY = "0b9e1f5c-6a43-4f0e-9d55-2c1d7f8e4a10.1.publish.s{n}.webhook"  # the engine's key shape


async def send_all(
    port: int, count: int, text: str, *, signature: str = "v1a", in_flight: int = 256
) -> float:
    """Requests per second sending `count` POSTs of `text`."""
    signer, node_key = Webhook(SECRET), Ed25519PrivateKey.generate()
    data = text.encode()
    connector = aiohttp.TCPConnector(limit=in_flight)
    async with aiohttp.ClientSession(connector=connector) as session:
        semaphore = asyncio.Semaphore(in_flight)

        async def one(n: int) -> None:
            key, now = KEY.format(n=n), datetime.now(UTC)
            headers = {"content-type": "application/json", "webhook-id": key,
                       "webhook-timestamp": str(int(now.timestamp()))}  # fmt: skip
            if signature == "v1":
                headers["webhook-signature"] = signer.sign(key, now, text)
            elif signature == "v1a":
                signed = f"{key}.{headers['webhook-timestamp']}.{text}".encode()
                made = base64.b64encode(node_key.sign(signed)).decode()
                headers["webhook-signature"] = f"v1a,{made}"
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
    parser.add_argument(
        "--signature",
        choices=["v1a", "v1", "none"],
        default="v1a",
        help="v1a: Ed25519, as a subscriber's (default); v1: a shared secret, as a partner's",
    )
    parser.add_argument(
        "--loop",
        choices=["uvloop", "asyncio"],
        default="uvloop",
        help="uvloop: the engine's loop, as in bluealert serve (default); asyncio: the standard",
    )
    args = parser.parse_args()
    tune_gc()  # the collector tuned as the dispatcher tunes it: like for like
    cpu = time.process_time()
    text = args.body_file.read_text()
    sending = send_all(args.port, args.count, text, signature=args.signature)
    rate = event_loop.run(sending) if args.loop == "uvloop" else asyncio.run(sending)
    print(f"ceiling_per_s={rate:.3f}")
    print(f"ceiling_cpu_per_s={args.count / (time.process_time() - cpu):.3f}")


if __name__ == "__main__":
    main()
