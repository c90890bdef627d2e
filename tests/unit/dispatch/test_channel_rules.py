"""The channels' table of answers: which reply is delivered, retried, or a dead letter."""

from __future__ import annotations

import asyncio
import time

import pytest

from bluealert.dispatch.channels import CHANNELS, available, factory
from bluealert.dispatch.channels.base import Delivered, Failed, RetryAfter
from bluealert.dispatch.channels.http_answers import (
    DETAIL_CHARS,
    answer_text,
    retry_after_seconds,
)
from bluealert.dispatch.channels.http_answers import http_outcome as _outcome
from bluealert.dispatch.ratelimit import TokenBucket
from bluealert.errors import InvalidInput


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, Delivered("HTTP 200")),
        (202, Delivered("HTTP 202")),
        (204, Delivered("HTTP 204")),
        (301, Failed("HTTP 301")),
        (400, Failed("HTTP 400")),
        (401, Failed("HTTP 401")),
        (404, Failed("HTTP 404")),
        (410, Failed("HTTP 410")),
        (408, RetryAfter("HTTP 408")),
        (425, RetryAfter("HTTP 425")),
        (429, RetryAfter("HTTP 429")),
        (500, RetryAfter("HTTP 500")),
        (502, RetryAfter("HTTP 502")),
        (503, RetryAfter("HTTP 503")),
    ],
)
def test_webhook_answers(status: int, expected: object) -> None:
    assert _outcome(status, None) == expected


def test_retry_after_in_seconds_is_honoured_and_a_date_left_to_backoff() -> None:
    assert _outcome(503, "120") == RetryAfter("HTTP 503", 120.0)
    assert retry_after_seconds(" 7 ") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT") is None
    assert retry_after_seconds(None) is None


def test_the_registry_names_the_built_in_channels_and_refuses_others() -> None:
    built_in = {"webhook", "email", "mqtt", "cap_push", "ipaws", "ntcip", "web_push", "apprise"}
    assert built_in <= set(CHANNELS)
    assert all(CHANNELS[name].name == name for name in CHANNELS)
    assert set(available()) >= set(CHANNELS)
    with pytest.raises(InvalidInput, match="no channel 'pager'"):
        factory("pager")


def test_token_bucket_holds_the_rate() -> None:
    async def run() -> float:
        bucket = TokenBucket(rate_per_second=100, burst=10)
        started = time.monotonic()
        for _ in range(6):
            await bucket.acquire(10)  # 60 tokens, 10 at hand: 50 more take ~0.5 s
        return time.monotonic() - started

    elapsed = asyncio.run(run())
    assert 0.4 <= elapsed < 3.0  # never faster than the rate; slack for a loaded machine


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (202, b"accepted TX-1", Delivered("HTTP 202: accepted TX-1")),
        (400, b"Signature: not signed", Failed("HTTP 400: Signature: not signed")),
        (403, b"", Failed("HTTP 403")),
        (503, b"busy\r\n  later", RetryAfter("HTTP 503: busy later")),
    ],
)
def test_an_answer_body_is_kept_on_one_line(status: int, body: bytes, expected: object) -> None:
    assert _outcome(status, None, body) == expected


def test_a_long_answer_is_cut_to_what_a_receipt_keeps() -> None:
    text = answer_text(("line one\nline two " + "x" * 1000).encode())
    assert len(text) == DETAIL_CHARS
    assert text.startswith("line one line two x")
    assert text.endswith("…")
    assert answer_text(b"\xff ok") == "\ufffd ok"
